/**
 * The Excel workbook (`-o report.xlsx`, docs/reports.md "Excel workbook"): one sheet per section, typed
 * cells. Numbers are numbers, fractions percent cells (0.0%), days and times date cells, booleans
 * booleans, null an empty cell, and text is always a string cell: text from the input that starts
 * with `=` never becomes a formula.
 */
import writeXlsxFile, { type Cell, type Row, type Sheet } from 'write-excel-file/node';
import type { Report } from '../model/report.js';
import { forTerminal } from '../lib/text.js';
import { CSV_COLUMNS, CSV_UNITS } from './csv.js';
import { accountName } from './format.js';
import type { Result } from './many.js';

type Unit = (typeof CSV_UNITS)[string] | undefined;

const FORMATS = { fraction: '0.0%', date: 'yyyy-mm-dd', time: 'yyyy-mm-dd hh:mm:ss' } as const;

/** One typed cell; text is made inert as in every format (no control character reaches the XML). */
function cell(value: unknown, unit?: Unit): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? { type: Number, value, ...(unit === 'fraction' ? { format: FORMATS.fraction } : {}) } : null;
  if (typeof value === 'boolean') return { type: Boolean, value };
  if (unit === 'date' || unit === 'time') {
    const ms = Date.parse(String(value));
    if (!Number.isNaN(ms)) return { type: Date, value: new Date(ms), format: FORMATS[unit] };
  }
  return { type: String, value: forTerminal(String(value), { lines: true }) };
}

const header = (names: readonly string[]): Row => names.map((value) => ({ type: String, value, fontWeight: 'bold' }));

/** A sheet: a bold header row that stays in view, then the rows. */
function sheet(name: string, names: readonly string[], rows: readonly Row[]): Sheet<never> {
  return { sheet: name, data: [header(names), ...rows], stickyRowsCount: 1 };
}

const nameOf = (r: Report): string => accountName(r.account, r.input.platform).name;

function summary(results: readonly Result[]): Row[] {
  return results.map((r) =>
    'report' in r
      ? CSV_COLUMNS.map(([name, get]) => cell(get(r.report), CSV_UNITS[name]))
      : CSV_COLUMNS.map(([name]) => cell(name === 'target' ? r.target : name === 'error' ? r.error.message : null)),
  );
}

/** The sheets after the summary, each with its columns and one row per item of each report. */
const SECTIONS: ReadonlyArray<{ name: string; columns: ReadonlyArray<[string, Unit?]>; rows: (r: Report) => unknown[][] }> = [
  {
    name: 'Audits',
    columns: [['account'], ['audit'], ['title'], ['category'], ['status'], ['score'], ['value'], ['advice']],
    rows: (r) => r.audits.map((a) => [nameOf(r), a.id, a.title, a.category, a.status, a.score, a.displayValue, a.advice]),
  },
  {
    name: 'Monthly',
    columns: [['account'], ['month'], ['posts'], ['original'], ['thread'], ['reply'], ['repost'], ['quote'], ['engagements'], ['engagement_rate', 'fraction']],
    rows: (r) => r.monthly.map((m) => [nameOf(r), m.month, m.posts, m.original, m.thread, m.reply, m.repost, m.quote, m.engagements, m.ratePerPostMean]),
  },
  {
    name: 'Top interactors',
    columns: [['account'], ['direction'], ['interactor'], ['count']],
    rows: (r) =>
      (['outbound', 'inbound', 'twoWay'] as const).flatMap((direction) => (r.topInteractors[direction] ?? []).map((i) => [nameOf(r), direction, i.account, i.count])),
  },
  {
    name: 'Next actions',
    columns: [['account'], ['list'], ['who'], ['link'], ['reason'], ['count'], ['at', 'time']],
    rows: (r) => (r.actions ?? []).flatMap((list) => list.items.map((i) => [nameOf(r), list.title, i.who, i.link ?? i.noLink, i.reason, i.count, i.at])),
  },
];

/** The workbook of every result: Summary (the CSV's columns, one row per target), then each section that has rows. */
export async function renderXlsx(results: readonly Result[]): Promise<Uint8Array> {
  const reports = results.flatMap((r) => ('report' in r ? [r.report] : []));
  const sheets = [sheet('Summary', CSV_COLUMNS.map(([name]) => name), summary(results))];
  for (const section of SECTIONS) {
    const rows = reports.flatMap((r) => section.rows(r).map((values) => values.map((v, i) => cell(v, section.columns[i]![1]))));
    if (rows.length > 0) sheets.push(sheet(section.name, section.columns.map(([name]) => name), rows));
  }
  return writeXlsxFile(sheets).toBuffer();
}
