/**
 * CSV as exports write it: RFC 4180 through csv-parse, a UTF-8 or UTF-16 BOM, tab or comma separated,
 * mixed line endings, and a header that may sit below a preamble (LinkedIn's `Notes:`).
 */
import { parse } from 'csv-parse/sync';
import { EngageAuditError } from '../errors.js';

export interface CsvTable {
  header: string[];
  records: Array<Record<string, string>>;
  /** 1-based line of the header in the file. */
  headerLine: number;
}

/** Decodes a CSV file's bytes: UTF-16 (with its BOM) or UTF-8 (BOM dropped). */
export function decodeCsv(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    // An odd trailing byte cannot be a UTF-16 unit: it is dropped (the file was cut).
    const swapped = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses CSV text. `findHeader` picks the header line (default: the first non-empty one); cells are
 * matched case-insensitively by the readers, so the header is kept as written.
 */
export function parseCsv(text: string, label: string, findHeader?: (cells: string[]) => boolean, maxLine = 1 << 20): CsvTable {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = clean.slice(0, clean.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : findTabHeader(clean) ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(clean, { delimiter, relax_column_count: true, relax_quotes: false, skip_empty_lines: false, bom: true, max_record_size: maxLine }) as string[][];
  } catch (error) {
    const e = error as { message: string; lines?: number };
    throw new EngageAuditError('MALFORMED', `${label}: not valid CSV${e.lines ? ` at line ${e.lines}` : ''} (${e.message.replace(/^Invalid [^:]*: /, '')})`);
  }
  let headerIndex = rows.findIndex((cells) => cells.some((c) => c.trim() !== '') && (findHeader ? findHeader(cells.map((c) => c.trim())) : true));
  if (headerIndex === -1) throw new EngageAuditError('MALFORMED', `${label}: no header row found`);
  const header = rows[headerIndex]!.map((h) => h.trim());
  const records: Array<Record<string, string>> = [];
  for (const cells of rows.slice(headerIndex + 1)) {
    if (cells.every((c) => c.trim() === '')) continue;
    const record: Record<string, string> = {};
    header.forEach((h, i) => {
      record[h] = cells[i] ?? '';
    });
    records.push(record);
  }
  headerIndex += 1;
  return { header, records, headerLine: headerIndex };
}

function findTabHeader(text: string): boolean {
  const lines = text.split(/\r?\n/, 6);
  return lines.some((l) => l.split('\t').length > 2 && l.split(',').length <= 2);
}

/** The value of a column matched case-insensitively among several names. */
export function cell(record: Record<string, string>, ...names: string[]): string | undefined {
  for (const name of names) {
    const lower = name.toLowerCase();
    for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  }
  return undefined;
}

/** A number as spreadsheets write it: `1,234`, `4.2%`, blank = null. */
export function parseNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const v = value.trim().replace(/[,\s\u00a0]/g, '').replace(/%$/, '');
  if (v === '' || v === '-' || v === '--') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
