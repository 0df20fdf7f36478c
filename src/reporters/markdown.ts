/** The Markdown reporter, for pull-request comments and client e-mails: summary, scores, audits, advice. */
import type { AuditStatus, Report } from '../model/report.js';
import { forTerminal } from '../lib/text.js';
import { accountName, asOfText, day, HOMEPAGE, NA, windowStart } from './format.js';
import { isoSeconds } from '../lib/dates.js';
import { outOf100, reportView } from './view.js';
import { actionsMarkdown } from './sections/actions.js';
import { audienceQualityMarkdown } from './sections/audience-quality.js';

const ICON: Record<AuditStatus, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', 'n/a': '➖ n/a', error: '💥 error' };

/** Text for a Markdown table cell or line: no pipes, no HTML, nothing a terminal acts on, one line (forTerminal). */
export function md(value: unknown): string {
  return forTerminal(String(value ?? ''))
    .replace(/\\/g, '\\\\')
    .replace(/([|*_`[\]<>#])/g, '\\$1');
}

export function renderMarkdown(report: Report): string {
  const { account: a, window: w, input } = report;
  const { name, detail } = accountName(a, input.platform);
  const out: string[] = [];
  out.push(`# Engagement audit: ${md(name)}${detail ? ` (${md(detail)})` : ''}`, '');
  out.push(`${md(input.platform)} ${md(input.source)} · window ${windowStart(report)} → ${day(w.until)} (${w.days ?? NA} days, ${w.posts} posts) · ${asOfText(report)}`, '');
  const view = reportView(report);
  if (view.interactions !== null) out.push(md(view.interactions), '');
  if (!input.complete) out.push(`> **Incomplete input:** ${md(input.warnings.join(' '))}`, '');
  out.push(`**Overall score: ${outOf100(view.overall)}** · ${md(view.coverage)} · role **${md(report.role.label)}**: ${md(report.role.reason)}`, '');
  out.push('| Category | Score |', '| --- | --- |');
  for (const { name, score } of view.categories) out.push(`| ${name} | ${score ?? NA} |`);
  out.push('', '## Key metrics', '', '| Metric | Value | How |', '| --- | --- | --- |');
  for (const row of view.metrics) if (row.only !== 'html') out.push(`| ${md(row.label)} | ${md(row.value)} | ${md(row.how)} |`);
  out.push('', '## Audits', '', '| Status | Audit | Value | Advice |', '| --- | --- | --- | --- |');
  for (const audit of report.audits) out.push(`| ${ICON[audit.status]} | ${md(audit.title)} | ${md(audit.displayValue)} | ${md(audit.advice)} |`);
  out.push(...actionsMarkdown(report, md));
  out.push('', ...audienceQualityMarkdown(report, md));
  const unavailable = Object.entries(input.availability);
  if (unavailable.length > 0) {
    out.push('', '## Not available from this source', '');
    for (const [k, why] of unavailable) out.push(`- **${md(k)}**: ${md(why)}`);
  }
  if (input.warnings.length > 0) {
    out.push('', '## Warnings', '');
    for (const wng of input.warnings) out.push(`- ${md(wng)}`);
  }
  out.push('', `<sub>engage-audit ${md(report.tool.version)} · generated ${md(isoSeconds(report.generatedAt))} · ${HOMEPAGE}</sub>`, '');
  return out.join('\n');
}
