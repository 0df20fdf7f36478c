/**
 * Output for several targets at once: every format holds each report, or the error of a target that
 * could not be audited, and the human formats add a side-by-side summary of the accounts.
 */
import { coveragePercent } from '../report/scores.js';
import type { Report } from '../model/report.js';
import { escapeHtml as esc } from '../lib/html.js';
import { forTerminal, oneLine, toJson } from '../lib/text.js';
import { csvErrorRow, csvHeader, renderCsv } from './csv.js';
import { accountName, NA, pct, rate } from './format.js';
import { REPORTERS, type TextFormat, type RenderOptions } from './index.js';

export interface TargetError {
  target: string;
  error: { code: string; exitCode: number; message: string; hint: string };
}

export type Result = { report: Report } | TargetError;

const isReport = (r: Result): r is { report: Report } => 'report' in r;

const SUMMARY_HEAD = ['Account', 'Posts', 'ER/post', 'Replies', 'Give', 'Role', 'Score', 'Measured'];

/** The summary's cells, each inert (forTerminal): accounts, targets and errors come from the input. */
function summaryRows(results: readonly Result[]): string[][] {
  return results.map((r) => summaryRow(r).map((cell) => forTerminal(cell)));
}

function summaryRow(r: Result): string[] {
  if (!isReport(r)) {
    // The message names its target as the error made it: raw, or made inert on one line.
    const message = [r.target, oneLine(r.target)].reduce((m, t) => m.replace(`${t}: `, ''), r.error.message);
    return [`${r.target}: ${message}`, '', '', '', '', 'error', '', ''];
  }
  const { report: x } = r;
  return [
    accountName(x.account, x.input.platform).name,
    String(x.window.posts),
    rate(x.metrics.engagement.ratePerPostMean),
    pct(x.metrics.mix.replyShare),
    pct(x.metrics.reciprocity.giveShare),
    x.role.label,
    // A score from too little of the weight is no score: its partial value is shown as such.
    x.scores.overall !== null ? String(x.scores.overall) : x.scores.partial !== null ? `${NA} (partial ${x.scores.partial})` : NA,
    coveragePercent(x.scores.coverage),
  ];
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
      const { htmlBody, htmlPage } = await import('./html.js');
      const reports = results.filter(isReport);
      if (results.length === 1 && reports.length === 1) return (await REPORTERS.html.load())(reports[0]!.report, options);
      const rows = summaryRows(results)
        .map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
        .join('');
      const summary = `<main><h1>Engagement audit of ${results.length} accounts</h1><div class="card"><table><thead><tr>${SUMMARY_HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div></main>`;
      return htmlPage(`Engagement audit of ${results.length} accounts`, summary + reports.map((r) => htmlBody(r.report)).join('\n'));
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

