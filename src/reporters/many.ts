/**
 * Output for several targets at once: every format holds each report, or the error of a target that
 * could not be audited, and the human formats add a side-by-side summary of the accounts.
 */
import type { Report } from '../model/report.js';
import { forTerminal, oneLine, toJson } from '../lib/text.js';
import { csvErrorRow, csvHeader, renderCsv } from './csv.js';
import { TEXT_COLUMNS } from './summary.js';
import { REPORTERS, type TextFormat, type RenderOptions } from './index.js';

export interface TargetError {
  target: string;
  error: { code: string; exitCode: number; message: string; hint: string };
}

export type Result = { report: Report } | TargetError;

export const isReport = (r: Result): r is { report: Report } => 'report' in r;

const SUMMARY_HEAD = TEXT_COLUMNS.map((c) => c.short);

/** The summary's cells, each inert (forTerminal): accounts, targets and errors come from the input. */
function summaryRows(results: readonly Result[]): string[][] {
  return results.map((r) => summaryRow(r).map((cell) => forTerminal(cell)));
}

/** "target: message" of a target that could not be audited. */
export function errorText(r: TargetError): string {
  // The message names its target as the error made it: raw, or made inert on one line.
  const message = [r.target, oneLine(r.target)].reduce((m, t) => m.replace(`${t}: `, ''), r.error.message);
  return `${r.target}: ${message}`;
}

function summaryRow(r: Result): string[] {
  if (!isReport(r)) return TEXT_COLUMNS.map((c, i) => (i === 0 ? errorText(r) : c.key === 'role' ? 'error' : ''));
  return TEXT_COLUMNS.map((c) => c.text(r.report));
}

function markdownSummary(results: readonly Result[]): string {
  const cell = (v: string) => v.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [`| ${SUMMARY_HEAD.join(' | ')} |`, `| ${SUMMARY_HEAD.map(() => '---').join(' | ')} |`, ...summaryRows(results).map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export async function renderMany(results: readonly Result[], format: TextFormat, options: RenderOptions): Promise<string> {
  const errorJson = (r: TargetError) => ({ target: r.target, error: r.error });
  switch (format) {
    case 'json':
      if (results.length === 1 && isReport(results[0]!)) return `${toJson(results[0].report, 2)}\n`;
      return `${toJson(results.map((r) => (isReport(r) ? r.report : errorJson(r))), 2)}\n`;
    case 'ndjson':
      return results.map((r) => `${toJson(isReport(r) ? r.report : errorJson(r))}\n`).join('');
    case 'csv':
      return csvHeader() + results.map((r) => (isReport(r) ? renderCsv(r.report, { header: false }) : csvErrorRow(r.target, r.error.message))).join('');
    case 'html': {
      const reports = results.filter(isReport);
      if (results.length === 1 && reports.length === 1) return (await REPORTERS.html.load())(reports[0]!.report, options);
      return (await import('./summary-html.js')).renderSummaryPage(results);
    }
    default: {
      const render = await REPORTERS[format].load();
      const parts = results.filter(isReport).map((r) => render(r.report, options));
      if (results.length > 1) {
        parts.push(
          format === 'markdown'
            ? `## Summary\n\n${markdownSummary(results)}\n`
            : (await import('./table.js')).renderSummaryTable(SUMMARY_HEAD, summaryRows(results), options.color),
        );
      }
      return parts.join('\n');
    }
  }
}

