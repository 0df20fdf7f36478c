/** The Markdown reporter, for pull-request comments and client e-mails: summary, scores, audits, advice. */
import type { AuditStatus, Report } from '../model/report.js';
import { forTerminal } from '../lib/text.js';
import { coverageText } from '../report/scores.js';
import { accountName, asOfText, countsLabel, layerScoreHow, layerScoreText, day, dec, int, NA, pct, rate, windowStart } from './format.js';

const ICON: Record<AuditStatus, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', 'n/a': '➖ n/a', error: '💥 error' };

/** Text for a Markdown table cell or line: no pipes, no HTML, nothing a terminal acts on, one line (forTerminal). */
function md(value: unknown): string {
  return forTerminal(String(value ?? ''))
    .replace(/\\/g, '\\\\')
    .replace(/([|*_`[\]<>#])/g, '\\$1');
}

export function renderMarkdown(report: Report): string {
  const { account: a, metrics: m, window: w, input } = report;
  const { name, detail } = accountName(a, input.platform);
  const out: string[] = [];
  out.push(`# Engagement audit: ${md(name)}${detail ? ` (${md(detail)})` : ''}`, '');
  out.push(`${md(input.platform)} ${md(input.source)} · window ${windowStart(report)} → ${day(w.until)} (${w.days ?? NA} days, ${w.posts} posts) · ${asOfText(report)}`, '');
  if (!input.complete) out.push(`> **Incomplete input:** ${md(input.warnings.join(' '))}`, '');
  const c = report.scores.categories;
  const overall = report.scores.overall === null ? NA : `${report.scores.overall}/100`;
  out.push(`**Overall score: ${overall}** · ${md(coverageText(report.scores))} · role **${md(report.role.label)}**: ${md(report.role.reason)}`, '');
  out.push('| Category | Score |', '| --- | --- |');
  for (const k of ['engagement', 'conversation', 'amplification', 'audience', 'habits'] as const) out.push(`| ${k} | ${c[k] ?? NA} |`);
  out.push('', '## Key metrics', '', '| Metric | Value | How |', '| --- | --- | --- |');
  const e = m.engagement;
  out.push(`| Followers / following | ${int(m.audience.followers)} / ${int(m.audience.following)} | ratio ${dec(m.audience.followRatio)} |`);
  out.push(`| Engagement rate | ${rate(e.ratePerPostMean)} | per post, by followers, n = ${e.posts} own posts, ${md(countsLabel(e.counted))} |`);
  out.push(`| Reply share | ${pct(m.mix.replyShare)} | replies to others ÷ all posts |`);
  out.push(`| Reposts + quotes | ${pct(m.mix.repostShare === null || m.mix.quoteShare === null ? null : m.mix.repostShare + m.mix.quoteShare)} | sharing others' posts |`);
  out.push(`| Give share | ${pct(m.reciprocity.giveShare)} | outbound ${int(m.reciprocity.outbound)} ÷ (outbound + inbound ${int(m.reciprocity.inbound)}) |`);
  out.push(`| Responsiveness | ${pct(m.responsiveness.responseRate)} | ${m.responsiveness.inboundReplies === null ? 'needs fetched threads' : `${m.responsiveness.answered} of ${m.responsiveness.inboundReplies} replies answered`} |`);
  out.push(`| Layer score | ${md(layerScoreText(report))} | ${layerScoreHow(report)} |`);
  out.push(`| Posts a day | ${dec(m.cadence.postsPerDay)} | ${pct(m.cadence.schedulerShare)} scheduled, ${int(m.cadence.daysSinceLastPost)} days since the last post |`);
  out.push('', '## Audits', '', '| Status | Audit | Value | Advice |', '| --- | --- | --- | --- |');
  for (const audit of report.audits) out.push(`| ${ICON[audit.status]} | ${md(audit.title)} | ${md(audit.displayValue)} | ${md(audit.advice)} |`);
  const unavailable = Object.entries(input.availability);
  if (unavailable.length > 0) {
    out.push('', '## Not available from this source', '');
    for (const [k, why] of unavailable) out.push(`- **${md(k)}**: ${md(why)}`);
  }
  if (input.warnings.length > 0) {
    out.push('', '## Warnings', '');
    for (const wng of input.warnings) out.push(`- ${md(wng)}`);
  }
  out.push('', `<sub>engage-audit ${md(report.tool.version)} · metrics defined in docs/metrics.md</sub>`, '');
  return out.join('\n');
}
