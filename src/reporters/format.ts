/** Formatting for the human reporters (table, Markdown, HTML): dates, sparklines, wrapping. */
import { NA } from '../lib/format.js';
import type { Report } from '../model/report.js';

export { NA, pct, rate, int, dec, accountName, accountTitle, PLATFORM_NAMES } from '../lib/format.js';

export function day(iso: string | null): string {
  return iso === null ? NA : iso.slice(0, 10);
}

export function countsLabel(counted: readonly string[]): string {
  return counted.length === 0 ? 'no engagement counts' : counted.join(' + ');
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A sparkline of values; null values show as a space. */
export function sparkline(values: ReadonlyArray<number | null>): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const max = Math.max(...known);
  const min = Math.min(0, ...known);
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (max === min) return SPARKS[0];
      return SPARKS[Math.min(SPARKS.length - 1, Math.floor(((v - min) / (max - min)) * (SPARKS.length - 1) + 0.5))];
    })
    .join('');
}

/**
 * Wraps plain text to `width` columns at spaces; continuation lines start with `indent` spaces.
 * A word longer than a line is left whole.
 */
export function wrap(text: string, width: number, indent = 0): string {
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(' ');
  const lines: string[] = [];
  let line = lead;
  for (const word of words) {
    const fresh = line === '' || (lines.length === 0 && line === lead);
    const candidate = fresh ? `${line}${word}` : `${line} ${word}`;
    const limit = lines.length === 0 ? width : width - indent;
    if (visibleLength(candidate) > limit && !fresh) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${' '.repeat(indent)}${l}`)).join('\n');
}

/** Length as shown: ANSI colour codes take no columns. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** "2025-02-03 (first post)" when the window is the whole history, from the cadence figures. */
export function windowStart(report: Report): string {
  if (report.window.since) return day(report.window.since);
  const { days, daysSinceLastPost } = report.metrics.cadence;
  if (days === null || daysSinceLastPost === null || report.window.asOf === null) return 'whole history';
  const asOfDay = Math.floor(Date.parse(report.window.asOf) / 86_400_000);
  const first = asOfDay - daysSinceLastPost - (days - 1);
  return `${new Date(first * 86_400_000).toISOString().slice(0, 10)} (first post)`;
}

