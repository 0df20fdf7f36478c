/**
 * CSV as exports write it: RFC 4180 through csv-parse, a UTF-8 or UTF-16 BOM, tab or comma separated,
 * mixed line endings, and a header that may sit below a preamble (LinkedIn's `Notes:`). Large files
 * are read as a stream (`csvBatches`): decoded, parsed and handed on a batch of records at a time, so
 * memory holds a batch, never the file or all its rows. `parseCsv` reads a string the same way.
 * `lineRecordBatches` reads, as a stream too, files whose records begin at a recognised line rather
 * than follow RFC 4180 quoting (LinkedIn's).
 */
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { EngageAuditError } from '../errors.js';

export interface CsvTable {
  header: string[];
  records: Array<Record<string, string>>;
  /** 1-based line of the header in the file. */
  headerLine: number;
}

/** Records of a CSV read as a stream, with the header they follow. */
export interface CsvBatch {
  header: string[];
  headerLine: number;
  /** The row number of `records[0]` (as errors name rows: the header's line plus the records before it, plus one). */
  row: number;
  records: Array<Record<string, string>>;
}

/** The longest line (record) read, in characters. */
const MAX_LINE = 1 << 20;
/** Records handed on at once. */
const BATCH = 4096;

/**
 * Decodes CSV bytes, whole or chunk by chunk: UTF-16 (by its BOM, either byte order) or UTF-8 (its BOM
 * dropped). Split anywhere, the chunks decode as the whole would.
 */
class CsvDecoder {
  private head: Buffer | null = Buffer.alloc(0);
  private decoder: StringDecoder | null = null;
  private utf16 = false;
  private bigEndian = false;
  /** UTF-16BE: a byte whose pair is in the next chunk. */
  private odd: Buffer | null = null;
  private started = false;

  write(chunk: Uint8Array): string {
    if (this.head !== null) {
      // The byte order mark needs two bytes: until then, bytes wait.
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return '';
      return this.begin(this.head);
    }
    return this.text(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  end(): string {
    const rest = this.head !== null ? this.begin(this.head) : '';
    // An odd trailing byte cannot be a UTF-16 unit: it is dropped (the file was cut).
    return rest + this.strip(this.decoder!.end());
  }

  private begin(head: Buffer): string {
    this.head = null;
    this.utf16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
    this.bigEndian = this.utf16 && head[0] === 0xfe;
    this.decoder = new StringDecoder(this.utf16 ? 'utf16le' : 'utf8');
    return this.text(this.utf16 ? head.subarray(2) : head);
  }

  private text(bytes: Buffer): string {
    if (this.bigEndian) {
      const all = this.odd ? Buffer.concat([this.odd, bytes]) : bytes;
      const even = all.length & ~1;
      this.odd = even < all.length ? Buffer.from(all.subarray(even)) : null;
      bytes = Buffer.from(all.subarray(0, even)).swap16();
    }
    return this.strip(this.decoder!.write(bytes));
  }

  /** The first character decoded, when it is the UTF-8 byte order mark, is dropped. */
  private strip(text: string): string {
    if (this.started || text === '') return text;
    this.started = true;
    return this.utf16 ? text : withoutBom(text);
  }
}

/** Tab or comma, by the first lines of the text (the first six are enough). */
function delimiterOf(text: string): ',' | '\t' {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  if (firstLine.includes('\t') && !firstLine.includes(',')) return '\t';
  const lines = text.split(/\r?\n/, 6);
  return lines.some((l) => l.split('\t').length > 2 && l.split(',').length <= 2) ? '\t' : ',';
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseOptions(delimiter: string, maxLine: number) {
  return { delimiter, relax_column_count: true, relax_quotes: false, skip_empty_lines: false, bom: true, max_record_size: maxLine };
}

/** A parser's error as the user sees it; the errors of the bytes' source pass unchanged. */
function csvError(error: unknown, label: string): unknown {
  if (!(error instanceof CsvError)) return error;
  const lines = (error as CsvError & { lines?: number }).lines;
  return new EngageAuditError('MALFORMED', `${label}: not valid CSV${lines ? ` at line ${lines}` : ''} (${error.message.replace(/^Invalid [^:]*: /, '')})`);
}

function noHeader(label: string): EngageAuditError {
  return new EngageAuditError('MALFORMED', `${label}: no header row found`);
}

/** The record of `cells` under `header` (a missing cell is empty). */
function recordOf(header: string[], cells: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  header.forEach((h, i) => {
    record[h] = cells[i] ?? '';
  });
  return record;
}

/** The header of a file being read, once found, and its 1-based line. */
type Head = { header: string[] | null; headerLine: number };

/**
 * Rows as the parser gives them, in order, made into records: blank rows and rows before the header
 * are skipped; `findHeader` picks the header (default: the first non-empty row). Cells are matched
 * case-insensitively by the readers, so the header is kept as written.
 */
class Records {
  header: string[] | null = null;
  headerLine = 0;
  constructor(private readonly findHeader?: (cells: string[]) => boolean) {}

  take(cells: string[]): Record<string, string> | null {
    if (this.header === null) {
      this.headerLine += 1;
      if (cells.some((c) => c.trim() !== '') && (this.findHeader ? this.findHeader(cells.map((c) => c.trim())) : true)) this.header = cells.map((h) => h.trim());
      return null;
    }
    return cells.every((c) => c.trim() === '') ? null : recordOf(this.header, cells);
  }

  /** The records of the rows as they arrive. */
  async *all(rows: AsyncIterable<string[]>): AsyncGenerator<Record<string, string>> {
    for await (const cells of rows) {
      const record = this.take(cells);
      if (record !== null) yield record;
    }
  }
}

/**
 * Records in batches of `BATCH`, each with the header `head` has found by then. At least one batch
 * comes (maybe empty) when there is a header; the parser's errors are made the user's.
 */
async function* batched(head: Head, records: AsyncIterable<Record<string, string>>, label: string): AsyncGenerator<CsvBatch> {
  let batch: Array<Record<string, string>> = [];
  let before = 0;
  const out = (): CsvBatch => {
    const full = { header: head.header!, headerLine: head.headerLine, row: head.headerLine + before + 1, records: batch };
    before += batch.length;
    batch = [];
    return full;
  };
  try {
    for await (const record of records) {
      batch.push(record);
      if (batch.length === BATCH) yield out();
    }
  } catch (error) {
    throw csvError(error, label);
  }
  if (head.header === null) throw noHeader(label);
  // No batch yet: an empty one, for the header.
  if (batch.length > 0 || before === 0) yield out();
}

/** Parses CSV text whole (small files; the same rules as `csvBatches`). */
export function parseCsv(text: string, label: string, findHeader?: (cells: string[]) => boolean, maxLine = MAX_LINE): CsvTable {
  const clean = withoutBom(text);
  let rows: string[][];
  try {
    rows = parse(clean, parseOptions(delimiterOf(clean), maxLine)) as string[][];
  } catch (error) {
    throw csvError(error, label);
  }
  const reader = new Records(findHeader);
  const records = rows.map((cells) => reader.take(cells)).filter((record) => record !== null);
  if (reader.header === null) throw noHeader(label);
  return { header: reader.header, records, headerLine: reader.headerLine };
}

/** The text of CSV bytes as they arrive. */
async function* decoded(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new CsvDecoder();
  for await (const chunk of bytes) {
    const text = decoder.write(chunk);
    if (text !== '') yield text;
  }
  const text = decoder.end();
  if (text !== '') yield text;
}

/** The parser's rows of the text as it arrives; the delimiter is chosen from the first lines, as `parseCsv` does. */
async function* parsedRows(text: AsyncGenerator<string>, maxLine: number): AsyncGenerator<string[]> {
  let prefix = '';
  let lines = 0;
  let ended = false;
  while (lines < 6 && prefix.length <= 6 * maxLine) {
    const next = await text.next();
    if (next.done) {
      ended = true;
      break;
    }
    for (let at = next.value.indexOf('\n'); at !== -1; at = next.value.indexOf('\n', at + 1)) lines++;
    prefix += next.value;
  }
  // A second byte order mark (the decoder drops the first) is dropped too.
  const clean = withoutBom(prefix);
  async function* all(): AsyncGenerator<string> {
    try {
      if (clean !== '') yield clean;
      if (!ended) for (let next = await text.next(); !next.done; next = await text.next()) yield next.value;
    } finally {
      // Stopped early (an error, or a reader that has had enough): the bytes' source is closed.
      await text.return(undefined);
    }
  }
  const parser = parseStream(parseOptions(delimiterOf(clean), maxLine));
  // An error of the bytes' source (a damaged zip entry) ends the parser with that error.
  pipeline(Readable.from(all()), parser, () => undefined);
  yield* parser as AsyncIterable<string[]>;
}

/**
 * Reads CSV bytes as a stream: records in batches, each with the header, as the bytes arrive. At least
 * one batch comes (maybe empty) when the file has a header; errors are as `parseCsv`'s.
 */
export function csvBatches(bytes: AsyncIterable<Uint8Array>, label: string, findHeader?: (cells: string[]) => boolean, maxLine = MAX_LINE): AsyncGenerator<CsvBatch> {
  const reader = new Records(findHeader);
  return batched(reader, reader.all(parsedRows(decoded(bytes), maxLine)), label);
}

/** The lines of the text as it arrives, without their line ends (LF or CRLF). */
async function* linesOf(text: AsyncIterable<string>, label: string, maxLine: number): AsyncGenerator<string> {
  let pending = '';
  const line = (from: number, end: number): string => pending.slice(from, pending.charCodeAt(end - 1) === 13 ? end - 1 : end);
  for await (const chunk of text) {
    pending += chunk;
    let from = 0;
    for (let at = pending.indexOf('\n'); at !== -1; at = pending.indexOf('\n', from)) {
      const out = line(from, at);
      from = at + 1;
      yield out;
    }
    pending = pending.slice(from);
    if (pending.length > maxLine) throw tooLong(label, 'a line', maxLine);
  }
  if (pending !== '') yield line(0, pending.length);
}

function tooLong(label: string, what: string, maxLine: number): EngageAuditError {
  return new EngageAuditError('MALFORMED', `${label}: ${what} is longer than ${maxLine} characters`);
}

/**
 * The cells of one record. A quoted cell ends at a quote followed by the delimiter or the record's end;
 * inside it `""` and `\"` each stand for one quote (a quote never closed keeps what follows). An
 * unquoted cell runs to the next delimiter, quotes and line breaks included. From cell `restAt` on,
 * an unquoted cell takes the rest of the record.
 */
function splitRecord(text: string, delimiter: string, restAt = Infinity): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) !== 34) {
      const end = cells.length >= restAt ? -1 : text.indexOf(delimiter, i);
      cells.push(end === -1 ? text.slice(i) : text.slice(i, end));
      if (end === -1) return cells;
      i = end + 1;
      continue;
    }
    let value = '';
    let j = i + 1;
    let closed = false;
    while (j < text.length) {
      const c = text[j]!;
      if ((c === '"' || c === '\\') && text[j + 1] === '"') {
        value += '"';
        j += 2;
      } else if (c === '"' && (j + 1 === text.length || text[j + 1] === delimiter)) {
        closed = true;
        j++;
        break;
      } else {
        value += c;
        j++;
      }
    }
    cells.push(value);
    if (!closed || j >= text.length) return cells;
    i = j + 1;
  }
}

/** How a file that is not RFC 4180 marks its records: each begins at a line `recordStart` matches. */
export interface LineRecords {
  recordStart: RegExp;
  /** A free-text column: when it is the header's last, an unquoted value of it takes the rest of the record. */
  textColumn?: string;
}

/**
 * Reads CSV bytes written as lines of records rather than RFC 4180 (LinkedIn's exports: raw line breaks
 * in text, quoted or not, and `\"` for a quote): the header is the first non-blank line; a record begins
 * at a line `recordStart` matches (or at the first non-blank line after the header) and every line up to
 * the next such line belongs to it, blank lines at its end dropped. Batches and errors are as
 * `csvBatches`'; a record with more cells than the header is an error unless a text column takes the rest.
 */
export function lineRecordBatches(bytes: AsyncIterable<Uint8Array>, label: string, how: LineRecords, maxLine = MAX_LINE): AsyncGenerator<CsvBatch> {
  const head: Head = { header: null, headerLine: 0 };
  return batched(head, lineRecords(head, linesOf(decoded(bytes), label, maxLine), label, how, maxLine), label);
}

/** The records of the lines, as `lineRecordBatches` tells; `head` learns the header from the first non-blank line. */
async function* lineRecords(head: Head, lines: AsyncIterable<string>, label: string, how: LineRecords, maxLine: number): AsyncGenerator<Record<string, string>> {
  let delimiter = ',';
  let restAt = Infinity;
  let pending: string | null = null;
  let count = 0;
  const take = (text: string): Record<string, string> => {
    const header = head.header!;
    const cells = splitRecord(text.replace(/(\n[ \t]*)+$/, ''), delimiter, restAt);
    if (cells.length > header.length) {
      throw new EngageAuditError('MALFORMED', `${label}: row ${head.headerLine + count + 1} has ${cells.length} cells where the header has ${header.length} (a line in it does not begin as a record does)`);
    }
    count++;
    return recordOf(header, cells);
  };
  for await (const line of lines) {
    if (head.header === null) {
      head.headerLine++;
      if (line.trim() === '') continue;
      delimiter = delimiterOf(line);
      const header = splitRecord(line, delimiter).map((h) => h.trim());
      if (how.textColumn !== undefined && header[header.length - 1]!.toLowerCase() === how.textColumn.toLowerCase()) restAt = header.length - 1;
      head.header = header;
      continue;
    }
    if (how.recordStart.test(line) || (pending === null && line.trim() !== '')) {
      if (pending !== null) yield take(pending);
      pending = line;
    } else if (pending !== null) {
      pending += `\n${line}`;
      if (pending.length > maxLine) throw tooLong(label, `row ${head.headerLine + count + 1}`, maxLine);
    }
  }
  if (pending !== null) yield take(pending);
}

/** A CSV being read as a stream, its header known: `batches` gives every batch (the first included); `close` stops the reading. */
export interface CsvReading {
  header: string[];
  batches: AsyncGenerator<CsvBatch>;
  close: () => void;
}

/** Starts reading CSV bytes as a stream, up to the first batch: the header is known, the rest is read as asked. */
export async function openCsv(bytes: AsyncIterable<Uint8Array>, label: string, findHeader?: (cells: string[]) => boolean): Promise<CsvReading> {
  const reading = csvBatches(bytes, label, findHeader);
  // csvBatches gives a first batch or throws.
  const first = (await reading.next()).value as CsvBatch;
  async function* batches(): AsyncGenerator<CsvBatch> {
    yield first;
    yield* reading;
  }
  return { header: first.header, batches: batches(), close: () => void reading.return(undefined) };
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
