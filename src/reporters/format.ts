/** Formatting for the human reporters (table, Markdown, HTML): dates, sparklines, wrapping. */
import { dec, NA, PLATFORM_NAMES } from '../lib/format.js';
import type { Report } from '../model/report.js';

export { NA, pct, pctWithin, rate, int, dec, accountName, accountTitle, PLATFORM_NAMES } from '../lib/format.js';

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

/** "2025-02-03 (first post)" when the window is the whole history: `days` days back from its end. */
export function windowStart(report: Report): string {
  const first = windowFirstDay(report);
  return first === null ? 'whole history' : report.window.since ? first : `${first} (first post)`;
}

/** The window's first UTC day, `YYYY-MM-DD`: `since`, else `days` days back from its end; null when neither is known. */
export function windowFirstDay(report: Report): string | null {
  const { since, until, days } = report.window;
  if (since) return day(since);
  if (days === null || until === null) return null;
  const first = Math.floor(Date.parse(until) / 86_400_000) - (days - 1);
  return new Date(first * 86_400_000).toISOString().slice(0, 10);
}

const SOURCE_LABELS: Record<Report['input']['source'], string> = { archive: 'archive', api: 'live pull', csv: 'CSV export', dataset: 'saved dataset' };

/** "X archive", "Bluesky live pull", "CSV export": the platform as people write it and the kind of source. */
export function sourceLabel(input: Pick<Report['input'], 'platform' | 'source'>): string {
  const platform = input.platform === 'other' ? '' : (PLATFORM_NAMES[input.platform] ?? input.platform);
  return `${platform} ${SOURCE_LABELS[input.source] ?? input.source}`.trim();
}

const AS_OF_LABELS: Record<Report['window']['asOfSource'], string> = {
  '--as-of': 'given by --as-of',
  '--until': 'the --until date',
  pull: 'time of the pull',
  'generation-date': "the archive's generation date",
  'entry-times': 'newest file time in the archive',
  none: 'the source records no date: give --as-of',
};

/** "as of 2025-06-02 (the archive's generation date)": the report date and where it came from. */
export function asOfText(report: Report): string {
  return `as of ${day(report.window.asOf)} (${AS_OF_LABELS[report.window.asOfSource]})`;
}


/** "24/100", or "n/a (why)" when the source cannot name who was talked with (report.unavailable). */
export function layerScoreText(report: Report): string {
  const { score } = report.metrics.layers;
  if (score !== null) return `${score}/100`;
  const why = report.unavailable['layers.score'];
  return why === undefined ? NA : `${NA} (${why})`;
}

/**
 * The days the layers were counted over: the period from `since` to `until` (the last `windowDays`
 * days, clipped to the report's window), else the configured length.
 */
export function layerDays(report: Report): number {
  const l = report.metrics.layers;
  if (l.since === null || l.until === null) return l.windowDays;
  return Math.round((Date.parse(l.until) + 1 - Date.parse(l.since)) / 86_400_000);
}

/** How the layer score was weighed, for its line: weighted people, and whether inbound was estimated. */
export function layerScoreHow(report: Report): string {
  const l = report.metrics.layers;
  if (l.score === null) return `nobody to weigh over ${layerDays(report)} days`;
  return `${dec(l.weighted)} weighted people over ${layerDays(report)} days${l.estimated ? ', inbound estimated from counts' : ''}`;
}

/** A score's colour band, as the report shows it: good from 90, mid from 50, else bad; n/a without a score. */
export function scoreBand(score: number | null): 'good' | 'mid' | 'bad' | 'na' {
  return score === null ? 'na' : score >= 90 ? 'good' : score >= 50 ? 'mid' : 'bad';
}

/** The package's home page, in the HTML and Markdown footers: the one package.json names (test/html-client.test.ts checks they agree). */
export const HOMEPAGE = 'https://github.com/engage-audit/engage-audit#readme';
