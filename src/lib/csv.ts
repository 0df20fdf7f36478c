/** CSV writing (RFC 4180) that spreadsheets and terminals cannot be tricked by. */
import { forTerminal } from './text.js';

/**
 * One cell: quoted when it holds a comma, quote, CR or LF; a cell that starts with `= + - @`, a tab
 * or a CR gets a leading `'` so a spreadsheet shows it as text instead of running it as a formula
 * (OWASP "CSV injection"). Text is made inert for a terminal first (forTerminal, keeping tabs and
 * line breaks: a CSV is often printed). Numbers are written as numbers, null as an empty cell.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let s = forTerminal(String(value), { lines: true });
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
