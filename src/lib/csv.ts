/** CSV writing (RFC 4180) that spreadsheets and terminals cannot be tricked by. */
import { isoSeconds } from './dates.js';
import { forTerminal } from './text.js';

/**
 * One cell: quoted when it holds a comma, quote, CR or LF; a cell that starts with `= + - @`, a tab
 * or a CR gets a leading `'` so a spreadsheet shows it as text instead of running it as a formula
 * (OWASP "CSV injection"). Text is made inert for a terminal first (forTerminal, keeping tabs and
 * line breaks: a CSV is often printed). Numbers are written as numbers with at most 6 decimals
 * (csvNumber), null as an empty cell.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return csvNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let s = forTerminal(String(value), { lines: true });
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** Decimals a CSV number keeps (docs/reports.md "CSV columns"). */
const DECIMALS = 6;

/** A number as a CSV writes it: whole numbers as they are, others rounded to 6 decimals; not finite: empty. */
export function csvNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  // String() of a number rounded to 6 decimals never takes the exponent form (that starts below 1e-6).
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(DECIMALS)));
}

/** The UTF-8 byte-order mark `--csv-bom` puts first, by which Excel reads the file as UTF-8. */
export const BOM = '\ufeff';

/** An ISO time's UTC day, `YYYY-MM-DD`, for a date-only column; null stays null. */
export function csvDate(iso: string | null | undefined): string | null {
  return iso === null || iso === undefined ? null : isoSeconds(iso).slice(0, 10);
}

/** An ISO time in UTC to the second, `2026-01-01T00:00:00Z` (spreadsheets read it as a time); null stays null. */
export function csvTime(iso: string | null | undefined): string | null {
  return iso === null || iso === undefined ? null : isoSeconds(iso);
}

