/**
 * The HTML reporter: one self-contained page (inline CSS and SVG, no script, no external asset, no
 * network), with every piece of text from the input — post text, handles, names, warnings — escaped.
 */
import type { AuditStatus, Report } from '../model/report.js';
import { escapeHtml as esc } from '../lib/html.js';
import { engagementRateChart, layerRings, mixChart, postsPerMonthChart } from './charts.js';
import { accountName, accountTitle, asOfText, day, int, NA, windowStart } from './format.js';
import { outOf100, partialNote, reportView } from './view.js';
import { actionsHtml } from './sections/actions.js';
import { audienceQualityHtml } from './sections/audience-quality.js';

const STATUS_CLASS: Record<AuditStatus, string> = { pass: 'pass', warn: 'warn', fail: 'fail', 'n/a': 'na', error: 'fail' };

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f8fafc;color:#0f172a}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}
.sub{color:#475569;margin:0 0 16px}.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:16px;margin:12px 0}
.scores{display:flex;gap:12px;flex-wrap:wrap}.score{flex:1;min-width:120px;text-align:center}
.gauge{font-size:30px;font-weight:700}.g-good{color:#059669}.g-mid{color:#d97706}.g-bad{color:#dc2626}.g-na{color:#94a3b8}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;text-transform:uppercase}
.pass{background:#d1fae5;color:#065f46}.warn{background:#fef3c7;color:#92400e}.fail{background:#fee2e2;color:#991b1b}.na{background:#e2e8f0;color:#475569}
.grid{stroke:#e2e8f0}.axis{font-size:10px;fill:#475569}.ring{font-size:13px;font-weight:700;fill:#fff}
.row{display:flex;gap:16px;flex-wrap:wrap}.row>.card{flex:1;min-width:260px}.muted{color:#64748b;font-size:13px}
.warnbox{background:#fffbeb;border:1px solid #fcd34d;border-radius:8px;padding:10px 14px}
`;

function gauge(score: number | null): string {
  const cls = score === null ? 'g-na' : score >= 90 ? 'g-good' : score >= 50 ? 'g-mid' : 'g-bad';
  return `<div class="gauge ${cls}">${score === null ? NA : score}</div>`;
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
  const top = (list: Report['topInteractors']['outbound'] | null) =>
    list === null ? '<p class="muted">not available from this source</p>' : list.length === 0 ? '<p class="muted">none</p>' : `<ol>${list.map((t) => `<li>@${esc(t.account)} <span class="muted">(${t.count})</span></li>`).join('')}</ol>`;
  return `<main>
<h1>Engagement audit: ${esc(name)}${detail ? ` <span class="muted">(${esc(detail)})</span>` : ''}</h1>
<p class="sub">${esc(input.platform)} ${esc(input.source)} · ${esc(input.target)} · window ${esc(windowStart(report))} → ${esc(day(w.until))} (${w.days ?? NA} days, ${w.posts} posts) · ${esc(asOfText(report))}</p>
${view.interactions === null ? '' : `<p class="sub">${esc(view.interactions)}</p>`}${input.complete ? '' : `<p class="warnbox"><strong>Incomplete input.</strong> ${esc(input.warnings.join(' '))}</p>`}
<div class="card scores">
<div class="score">${gauge(view.overall)}<div>overall</div></div>
${view.categories.map(({ name, score }) => `<div class="score">${gauge(score)}<div>${name}</div></div>`).join('\n')}
</div>
<p class="coverage${view.overall === null ? ' warnbox' : ' muted'}">Overall ${outOf100(view.overall)} · ${esc(view.coverage)}</p>
<div class="card"><strong>Role: ${esc(report.role.label)}.</strong> ${esc(report.role.reason)}</div>
<h2>Key metrics</h2>
<div class="card"><table><thead><tr><th>Metric</th><th>Value</th><th>How</th></tr></thead><tbody>
${view.metrics
  .filter((row) => row.only !== 'markdown')
  .map(({ label, value, how }) => `<tr><td>${esc(label)}</td><td><strong>${esc(value)}</strong></td><td class="muted">${esc(how)}</td></tr>`)
  .join('\n')}
</tbody></table></div>
<h2>Posts per month</h2><div class="card">${postsPerMonthChart(report.monthly)}</div>
<h2>Engagement rate per month</h2><div class="card">${engagementRateChart(report.monthly)}</div>
<div class="row">
<div class="card"><h2>Mix</h2>${mixChart(m.mix)}</div>
<div class="card"><h2>Layers</h2>${layerRings(m.layers)}<p class="muted">L1 ${int(m.layers.l1)} · two-way ${m.layers.twoWay ?? NA} · L2 ${m.layers.l2 ?? NA} · L3 ${m.layers.l3 ?? NA}${m.layers.estimatedInbound !== null ? ` · estimated inbound ${m.layers.estimatedInbound}` : ''}${esc(partialNote(report, 'layers.l2'))}</p></div>
</div>
<h2>Audits</h2>
<div class="card"><table><thead><tr><th>Status</th><th>Audit</th><th>Value</th><th>Advice</th></tr></thead><tbody>
${report.audits.map((x) => `<tr><td><span class="badge ${STATUS_CLASS[x.status]}">${esc(x.status)}</span></td><td>${esc(x.title)}<div class="muted">${esc(x.methodology)}</div></td><td>${esc(x.displayValue)}</td><td>${esc(x.advice)}</td></tr>`).join('\n')}
</tbody></table></div>
${audienceQualityHtml(report)}
${actionsHtml(report)}<div class="row">
<div class="card"><h2>You talk with</h2>${top(report.topInteractors.outbound)}</div>
<div class="card"><h2>Who talks with you</h2>${top(report.topInteractors.inbound)}</div>
<div class="card"><h2>Both ways</h2>${top(report.topInteractors.twoWay)}</div>
</div>
${Object.keys(input.availability).length === 0 ? '' : `<h2>Not available from this source</h2><div class="card"><ul>${Object.entries(input.availability).map(([k, why]) => `<li><strong>${esc(k)}</strong>: ${esc(why)}</li>`).join('')}</ul></div>`}
${input.warnings.length === 0 ? '' : `<h2>Warnings</h2><div class="card"><ul>${input.warnings.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></div>`}
<p class="muted">engage-audit ${esc(report.tool.version)} · generated ${esc(report.generatedAt)} · every number is defined in docs/metrics.md</p>
</main>`;
}
