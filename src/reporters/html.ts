/**
 * The HTML reporter: one self-contained page (inline CSS and SVG, no script, no external asset, no
 * network), with every piece of text from the input — post text, handles, names, warnings — escaped.
 */
import type { AuditStatus, Report } from '../model/report.js';
import { escapeHtml as esc } from '../lib/html.js';
import { needTitle } from '../model/capabilities.js';
import { auditSummary, engagementChart, layerBars, mixChart, postsPerMonthChart } from './charts.js';
import { accountName, accountTitle, asOfText, day, HOMEPAGE, NA, sourceLabel, windowStart } from './format.js';
import { isoSeconds } from '../lib/dates.js';
import { outOf100, partialNote, reportView } from './view.js';
import { actionsHtml } from './sections/actions.js';
import { audienceQualityHtml } from './sections/audience-quality.js';

const STATUS_CLASS: Record<AuditStatus, string> = { pass: 'pass', warn: 'warn', fail: 'fail', 'n/a': 'na', error: 'fail' };


const CSS = `
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f8fafc;color:#0f172a}
main{max-width:980px;margin:0 auto;padding:24px;overflow-wrap:break-word}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}.card h2{margin-top:0}
.sub{color:#475569;margin:0 0 16px}.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:16px;margin:12px 0;min-width:0}
.scores{display:flex;gap:12px;flex-wrap:wrap}.score{flex:1;min-width:120px;text-align:center}
.gauge{font-size:30px;font-weight:700}.g-good{color:#059669}.g-mid{color:#d97706}.g-bad{color:#dc2626}.g-na{color:#94a3b8}
.score .badge{margin:0 2px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;text-transform:uppercase;white-space:nowrap}
.pass{background:#d1fae5;color:#065f46}.warn{background:#fef3c7;color:#92400e}.fail{background:#fee2e2;color:#991b1b}.na{background:#e2e8f0;color:#475569}
.row{display:flex;gap:16px;flex-wrap:wrap}.row>.card{flex:1;min-width:260px}.muted{color:#64748b;font-size:13px}
.warnbox{background:#fffbeb;border:1px solid #fcd34d;border-radius:8px;padding:10px 14px}
.chart,.stack,.hbars{margin:0;font-size:12px;color:#475569}
.plot{position:relative;height:180px;margin:8px 28px 0 64px}
.tick{position:absolute;left:0;right:0;border-top:1px solid #e2e8f0}
.tick span{position:absolute;right:100%;top:-9px;padding-right:6px;white-space:nowrap;line-height:18px}
.cols{position:absolute;inset:0;display:flex;align-items:stretch;gap:2px}
.col{flex:1;display:flex;flex-direction:column-reverse;min-width:0}.col i{display:block;width:76%;margin:0 12%}
.months{display:flex;margin:4px 28px 0 64px}.months span{flex:1 1 0;min-width:0;display:flex;justify-content:center;white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin-top:8px}.legend b,.keys b{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.bar{display:flex;height:28px;border-radius:6px;overflow:hidden;background:#f1f5f9}.bar i{display:block;height:100%}
.keys{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:10px 0 0;font-size:13px;color:#0f172a}
.hrow{display:flex;align-items:center;gap:8px;margin:6px 0;font-size:13px;color:#0f172a}.hname{flex:0 0 40%}
.htrack{flex:1;height:14px;background:#f1f5f9;border-radius:3px;min-width:40px}.htrack i{display:block;height:100%;border-radius:3px}.hval{flex:0 0 auto;min-width:3em;text-align:right}
.num{white-space:nowrap}
@media (max-width:600px){main{padding:12px}.months .minor{visibility:hidden}.row>.card{min-width:100%}.plot,.months{margin-left:52px;margin-right:20px}h1{font-size:20px}}
@media print{
@page{margin:12mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:11pt}main{max-width:none;padding:0}
.card,.score,tr,figure,.warnbox{break-inside:avoid}h2{break-after:avoid}
.scroll{overflow:visible}.row>.card{min-width:240px}
}
`;

/** What colours a score: the worse of its band and its worst graded audit (docs/reports.md "HTML report"). */
const RANK = { good: 0, mid: 1, bad: 2 } as const;
function gauge(score: number | null, audits: Report['audits']): string {
  if (score === null) return `<div class="gauge g-na">${NA}</div>`;
  const band = score >= 90 ? 'good' : score >= 50 ? 'mid' : 'bad';
  const worst = audits.some((a) => a.status === 'fail' || a.status === 'error') ? 'bad' : audits.some((a) => a.status === 'warn') ? 'mid' : 'good';
  return `<div class="gauge g-${RANK[worst] > RANK[band] ? worst : band}">${score}</div>`;
}

/** "1 warn 2 pass": the audits under a score, worst first, as badges. */
function statusBadges(audits: Report['audits']): string {
  return (['fail', 'error', 'warn', 'pass', 'n/a'] as const)
    .map((s) => [s, audits.filter((a) => a.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `<span class="badge ${STATUS_CLASS[s]}">${n} ${esc(s)}</span>`)
    .join('');
}

/** Numbers keep their unit on their line: the space before "%" becomes a non-breaking one (text and attributes alike). */
export function keepUnits(html: string): string {
  return html.replace(/(\d) (?=%)/g, '$1&nbsp;');
}

/** The sub-title's source: the platform and the kind of source, and a live target (never a local path). */
function sourceText(input: Report['input']): string {
  return input.source === 'api' ? `${sourceLabel(input)} of ${input.target}` : sourceLabel(input);
}


/** A whole page around one or more report bodies; `extra` adds CSS, and the hash of the one script the page may run. */
export function htmlPage(title: string, body: string, extra: { css?: string; scriptHash?: string } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${extra.scriptHash ? `; script-src '${extra.scriptHash}'` : ''}">
<title>${esc(title)}</title><style>${CSS}${extra.css ?? ''}</style></head>
<body>${body}</body></html>
`;
}

export function renderHtml(report: Report): string {
  return htmlPage(`Engagement audit: ${accountTitle(report.account, report.input.platform)}`, htmlBody(report));
}

/** The `<main>` of one report. */
export function htmlBody(report: Report): string {
  const { account: a, metrics: m, window: w, input } = report;
  const { name, detail } = accountName(a, input.platform);
  const view = reportView(report);
  const auditsOf = (category: string) => report.audits.filter((x) => x.category === category);
  const engagement = engagementChart(report);
  const top = (list: Report['topInteractors']['outbound'] | null) =>
    list === null ? '<p class="muted">not available from this source</p>' : list.length === 0 ? '<p class="muted">none</p>' : `<ol>${list.map((t) => `<li>@${esc(t.account)} <span class="muted">(${t.count})</span></li>`).join('')}</ol>`;
  return keepUnits(`<main>
<h1>Engagement audit: ${esc(name)}${detail ? ` <span class="muted">(${esc(detail)})</span>` : ''}</h1>
<p class="sub">${esc(sourceText(input))} · window ${esc(windowStart(report))} → ${esc(day(w.until))} (${w.days ?? NA} days, ${w.posts} posts) · ${esc(asOfText(report))}</p>
${view.interactions === null ? '' : `<p class="sub">${esc(view.interactions)}</p>`}${input.complete ? '' : `<p class="warnbox"><strong>Incomplete input.</strong> ${esc(input.warnings.join(' '))}</p>`}
<div class="card scores">
<div class="score">${gauge(view.overall, report.audits)}<div>overall</div>${statusBadges(report.audits)}</div>
${view.categories.map(({ name, score }) => `<div class="score">${gauge(score, auditsOf(name))}<div>${name}</div>${statusBadges(auditsOf(name))}</div>`).join('\n')}
</div>
<p class="coverage${view.overall === null ? ' warnbox' : ' muted'}">Overall ${outOf100(view.overall)} · ${esc(view.coverage)}</p>
<div class="card"><strong>Role: ${esc(report.role.label)}.</strong> ${esc(report.role.reason)}</div>
<h2>Key metrics</h2>
<div class="card scroll"><table><thead><tr><th>Metric</th><th>Value</th><th>How</th></tr></thead><tbody>
${view.metrics
  .filter((row) => row.only !== 'markdown')
  .map(({ label, value, how }) => `<tr><td>${esc(label)}</td><td><strong>${esc(value)}</strong></td><td class="muted">${esc(how)}</td></tr>`)
  .join('\n')}
</tbody></table></div>
<h2>Posts per month</h2><div class="card">${postsPerMonthChart(report.monthly)}</div>
<h2>${esc(engagement.title)}</h2><div class="card">${engagement.html}</div>
<div class="row">
<div class="card"><h2>Mix</h2>${mixChart(m.mix)}</div>
<div class="card"><h2>Layers</h2>${layerBars(m.layers)}${m.layers.estimatedInbound !== null ? '<p class="muted">Estimated inbound: replies, reposts and quotes received stand in for who interacted, which the source does not name.</p>' : ''}${partialNote(report, 'layers.l2') === '' ? '' : `<p class="muted">Counted${esc(partialNote(report, 'layers.l2'))}</p>`}</div>
</div>
<h2>Audits</h2>
<div class="card">${auditSummary(report.audits)}</div>
<div class="card scroll"><table><thead><tr><th>Status</th><th>Audit</th><th>Value</th><th>Advice</th></tr></thead><tbody>
${report.audits.map((x) => `<tr><td><span class="badge ${STATUS_CLASS[x.status]}">${esc(x.status)}</span></td><td>${esc(x.title)}<div class="muted">${esc(x.methodology)}</div></td><td>${esc(x.displayValue)}</td><td>${esc(x.advice)}</td></tr>`).join('\n')}
</tbody></table></div>
${audienceQualityHtml(report)}
${actionsHtml(report)}<div class="row">
<div class="card"><h2>You talk with</h2>${top(report.topInteractors.outbound)}</div>
<div class="card"><h2>Who talks with you</h2>${top(report.topInteractors.inbound)}</div>
<div class="card"><h2>Both ways</h2>${top(report.topInteractors.twoWay)}</div>
</div>
${Object.keys(input.availability).length === 0 ? '' : `<h2>Not available from this source</h2><div class="card"><ul>${Object.entries(input.availability).map(([k, why]) => `<li><strong>${esc(needTitle(k))}</strong>: ${esc(why)}</li>`).join('')}</ul></div>`}
${input.warnings.length === 0 ? '' : `<h2>Warnings</h2><div class="card"><ul>${input.warnings.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></div>`}
<p class="muted">${esc(report.tool.name)} ${esc(report.tool.version)} · generated ${esc(isoSeconds(report.generatedAt))} · ${esc(HOMEPAGE)}</p>
</main>`);
}
