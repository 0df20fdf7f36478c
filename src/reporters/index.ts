/**
 * The reporter registry: drives `--format` choices and the help. Every reporter is pure: Report →
 * string. Renderers load on first use so `--help` and `--version` stay fast.
 */
import type { Report } from '../model/report.js';
import { toJson } from '../lib/text.js';

export interface RenderOptions {
  color: boolean;
  width?: number;
}

type Renderer = (report: Report, options: RenderOptions) => string;

export const REPORTERS = {
  table: {
    description: 'human-readable report for the terminal (colour only on a TTY)',
    load: async (): Promise<Renderer> => (await import('./table.js')).renderTable,
  },
  json: {
    description: 'the JSON report (schemaVersion 1) for pipes and CI',
    load: async (): Promise<Renderer> => (await import('./json.js')).renderJson,
  },
  ndjson: {
    description: 'one JSON report per line, for many targets',
    load: async (): Promise<Renderer> => (r) => `${toJson(r)}\n`,
  },
  csv: {
    description: 'one row per account under a stable header, for spreadsheets',
    load: async (): Promise<Renderer> => {
      const { renderCsv } = await import('./csv.js');
      return (r) => renderCsv(r);
    },
  },
  markdown: {
    description: 'summary, scores, audits and advice for pull requests and e-mails',
    load: async (): Promise<Renderer> => (await import('./markdown.js')).renderMarkdown,
  },
  html: {
    description: 'one self-contained page with charts',
    load: async (): Promise<Renderer> => (await import('./html.js')).renderHtml,
  },
} as const satisfies Record<string, { description: string; load: () => Promise<Renderer> }>;

/** Formats written as bytes, not text: to a file (`-o`), or to standard output that is not a terminal. */
export const BINARY_REPORTERS = {
  xlsx: { description: 'an Excel workbook: one sheet per section, typed cells (percent and date formats)' },
} as const;

export type TextFormat = keyof typeof REPORTERS;
export type Format = TextFormat | keyof typeof BINARY_REPORTERS;
export const TEXT_FORMATS = Object.keys(REPORTERS) as TextFormat[];
export const FORMATS = [...TEXT_FORMATS, ...Object.keys(BINARY_REPORTERS)] as Format[];
export const isBinaryFormat = (format: Format): format is keyof typeof BINARY_REPORTERS => format in BINARY_REPORTERS;
export const FORMAT_DESCRIPTIONS: Readonly<Record<Format, string>> = Object.fromEntries(
  Object.entries({ ...REPORTERS, ...BINARY_REPORTERS }).map(([format, r]) => [format, r.description]),
) as Record<Format, string>;

export async function render(report: Report, format: TextFormat, options: RenderOptions = { color: false }): Promise<string> {
  return (await REPORTERS[format].load())(report, options);
}
