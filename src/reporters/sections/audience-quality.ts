/**
 * The "Audience quality" section of every format (docs/reports.md): the classes with their counts and
 * shares (± the margin of a sample), the real audience and the rate per real follower, or why there
 * are none. One view, rendered as text lines, Markdown, HTML and CSV columns.
 */
import type { Report } from '../../model/report.js';
import { AUDIENCE_CLASSES } from '../../model/names.js';
import { audienceBasis } from '../../audits/audience-quality.js';
import { BOTS_UNTOLD } from '../../metrics/audience-quality.js';
import { escapeHtml as esc } from '../../lib/html.js';
import { int, NA, pct, pctWithin, rate } from '../format.js';

const NAMES: Record<(typeof AUDIENCE_CLASSES)[number] | 'unknown', string> = {
  real: 'Real',
  inactive: 'Inactive',
  massFollower: 'Mass-follower',
  newEmpty: 'New and empty',
  bot: 'Self-declared bot',
  unknown: 'Unknown (left out)',
};
const ORDER = ['real', 'inactive', 'massFollower', 'newEmpty', 'bot'] as const;
const COLOURS: Record<(typeof ORDER)[number], string> = { real: '#059669', inactive: '#94a3b8', massFollower: '#d97706', newEmpty: '#a855f7', bot: '#dc2626' };

interface Row {
  name: string;
  count: string;
  share: string;
}
/** `note`: how the classes were told where the platform could not tell some (no bot flag), else null. */
type View = { unavailable: string } | { rows: Row[]; summary: string; note: string | null };

function view(report: Report): View {
  const aq = report.metrics.audienceQuality;
  if (!aq || aq.method === null) return { unavailable: report.unavailable['audienceQuality.method'] ?? 'No follower profile was read.' };
  const rows = ORDER.map((c) => ({ name: NAMES[c], count: int(aq.counts[c]), share: pctWithin(aq.shares[c], aq.margins[c]) }));
  if (aq.counts.unknown) rows.push({ name: NAMES.unknown, count: int(aq.counts.unknown), share: NA });
  const range = aq.realAudienceLow === null ? '' : ` (${int(aq.realAudienceLow)}–${int(aq.realAudienceHigh)})`;
  const real = aq.realAudience === null ? `real audience ${NA}: ${report.unavailable['audienceQuality.realAudience'] ?? ''}` : `real audience ${int(aq.realAudience)}${range} of ${int(report.metrics.audience.followers)} followers`;
  const partial = aq.partial ? ' (partial)' : '';
  return { rows, summary: `Of ${audienceBasis(aq)}${partial}: ${real} · engagement rate per real follower ${rate(aq.ratePerRealFollower)}`, note: aq.counts.bot === null ? BOTS_UNTOLD : null };
}

/** Plain text lines (the table reporter wraps and styles them). */
export function audienceQualityLines(report: Report): string[] {
  const v = view(report);
  if ('unavailable' in v) return [`Audience quality: ${NA} — ${v.unavailable}`];
  return ['Audience quality', `  ${v.summary}`, ...v.rows.map((r) => `  ${r.name.padEnd(20)} ${r.count.padStart(7)}  ${r.share}`), ...(v.note ? [`  ${v.note}`] : [])];
}

/** Markdown lines; `md` escapes a cell. */
export function audienceQualityMarkdown(report: Report, md: (s: unknown) => string): string[] {
  const v = view(report);
  if ('unavailable' in v) return ['## Audience quality', '', `${NA}: ${md(v.unavailable)}`, ''];
  return ['## Audience quality', '', md(v.summary), '', '| Class | Followers | Share |', '| --- | --- | --- |', ...v.rows.map((r) => `| ${md(r.name)} | ${md(r.count)} | ${md(r.share)} |`), '', ...(v.note ? [md(v.note), ''] : [])];
}

/** An HTML card: one stacked bar of the shares and the table beside it; every text escaped. */
export function audienceQualityHtml(report: Report): string {
  const v = view(report);
  if ('unavailable' in v) return `<h2>Audience quality</h2><div class="card"><p class="muted">${NA}: ${esc(v.unavailable)}</p></div>`;
  const shares = report.metrics.audienceQuality.shares;
  const bar = ORDER.filter((c) => (shares[c] ?? 0) > 0)
    .map((c) => `<div title="${esc(NAMES[c])} ${esc(pct(shares[c]))}" style="width:${(shares[c]! * 100).toFixed(2)}%;background:${COLOURS[c]}"></div>`)
    .join('');
  const key = (name: string) => {
    const c = ORDER.find((k) => NAMES[k] === name);
    return c === undefined ? '' : `<span style="display:inline-block;width:10px;height:10px;background:${COLOURS[c]};margin-right:6px"></span>`;
  };
  return `<h2>Audience quality</h2><div class="card"><p><strong>${esc(v.summary)}</strong></p>
<div role="img" aria-label="Shares of the followers by class" style="display:flex;height:18px;border-radius:4px;overflow:hidden;margin:8px 0">${bar}</div>
<table><thead><tr><th>Class</th><th>Followers</th><th>Share</th></tr></thead><tbody>
${v.rows.map((r) => `<tr><td>${key(r.name)}${esc(r.name)}</td><td>${esc(r.count)}</td><td>${esc(r.share)}</td></tr>`).join('\n')}
</tbody></table>${v.note ? `<p class="muted">${esc(v.note)}</p>` : ''}</div>`;
}

/** The CSV columns, appended after the others (docs/reports.md): counts, shares, the real share's margin, the real audience. */
export const AUDIENCE_QUALITY_COLUMNS: ReadonlyArray<[string, (r: Report) => unknown]> = [
  ['audience_method', (r) => r.metrics.audienceQuality.method],
  ['audience_classified', (r) => r.metrics.audienceQuality.classified],
  ...[...ORDER, 'unknown' as const].map((c): [string, (r: Report) => unknown] => [`audience_${snake(c)}`, (r) => r.metrics.audienceQuality.counts[c]]),
  ...ORDER.map((c): [string, (r: Report) => unknown] => [`audience_${snake(c)}_share`, (r) => r.metrics.audienceQuality.shares[c]]),
  ['audience_real_share_margin', (r) => r.metrics.audienceQuality.margins.real],
  ['real_audience', (r) => r.metrics.audienceQuality.realAudience],
  ['real_audience_low', (r) => r.metrics.audienceQuality.realAudienceLow],
  ['real_audience_high', (r) => r.metrics.audienceQuality.realAudienceHigh],
  ['rate_per_real_follower', (r) => r.metrics.audienceQuality.ratePerRealFollower],
];

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}
