/**
 * The charts of the HTML report, drawn with HTML and CSS (no script, no external asset): text stays at
 * the page's font size at any width, where an SVG scaled to a narrow screen shrinks its labels. Every
 * label goes through escapeHtml. Pure: report in, markup out (docs/reports.md "HTML report").
 */
import type { AuditStatus, MonthlyRow, Report } from '../model/report.js';
import { escapeHtml as esc } from '../lib/html.js';
import { dec, int, NA, pct } from './format.js';

const KIND_COLORS = { original: '#2563eb', thread: '#7c3aed', reply: '#059669', repost: '#d97706', quote: '#db2777' } as const;
const KINDS = ['original', 'thread', 'reply', 'repost', 'quote'] as const;

/** Ticks from 0 past `max` at a round step (1, 2, 2.5 or 5 × 10^k), with enough decimals to tell them apart; none for no data. */
export function niceTicks(max: number, count = 4, whole = false): { ticks: number[]; decimals: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { ticks: [], decimals: 0 };
  // Counts (`whole`) step by whole numbers: 1, 2, 5 × 10^k, never 2.5 or under 1.
  const rough = whole ? Math.max(1, max / count) : max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = (whole ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]).map((m) => m * power).find((s) => s >= rough - 1e-12)!;
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (String(step / power).includes('.') ? 1 : 0));
  return { ticks: Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(decimals + 2))), decimals };
}

interface Segment {
  value: number;
  color: string;
  title: string;
}

/** A month's column: stacked segments from the bottom, or nothing (null: no value that month). */
interface Column {
  month: string;
  segments: Segment[] | null;
  title: string;
}

/**
 * Columns over months with a y-axis of nice ticks (`unit` after each tick) and month labels: every
 * k-th month on a wide screen, fewer on a narrow one (the others carry `minor`, hidden by the CSS).
 */
function columnChart(label: string, columns: readonly Column[], unit: string, legend = '', whole = false): string {
  const max = Math.max(0, ...columns.map((c) => (c.segments ?? []).reduce((s, x) => s + x.value, 0)));
  const { ticks, decimals } = niceTicks(max, 4, whole);
  const top = ticks.at(-1) ?? 1;
  const axis = ticks.map((t) => `<div class="tick" style="bottom:${((t / top) * 100).toFixed(2)}%"><span>${esc(t.toFixed(decimals))}${unit}</span></div>`).join('');
  const cols = columns
    .map((c) => {
      const segs = (c.segments ?? []).filter((s) => s.value > 0).map((s) => `<i style="height:${((s.value / top) * 100).toFixed(2)}%;background:${s.color}" title="${esc(s.title)}"></i>`);
      return `<div class="col" title="${esc(c.title)}">${segs.join('')}</div>`;
    })
    .join('');
  const wide = Math.ceil(columns.length / 12);
  const narrow = Math.ceil(columns.length / 3);
  const months = columns.map((c, i) => `<span${i % narrow === 0 ? '' : ' class="minor"'}>${i % wide === 0 ? esc(c.month) : ''}</span>`).join('');
  return `<figure class="chart" role="img" aria-label="${esc(label)}"><div class="plot">${axis}<div class="cols">${cols}</div></div><div class="months">${months}</div>${legend}</figure>`;
}

function legendHtml(items: ReadonlyArray<[label: string, color: string]>): string {
  return `<div class="legend">${items.map(([l, c]) => `<span><b style="background:${c}"></b>${esc(l)}</span>`).join('')}</div>`;
}

/** Posts per month, stacked by kind (a kind the source cannot see draws nothing). */
export function postsPerMonthChart(rows: readonly MonthlyRow[]): string {
  if (rows.length === 0) return '<p class="muted">No posts in the window.</p>';
  const columns = rows.map((r) => ({
    month: r.month,
    title: `${r.month}: ${r.posts} posts`,
    segments: KINDS.map((k) => ({ value: r[k] ?? 0, color: KIND_COLORS[k], title: `${r.month}: ${r[k] ?? 0} ${k}` })),
  }));
  return columnChart('Posts per month by kind', columns, '', legendHtml(KINDS.map((k) => [k, KIND_COLORS[k]])), true);
}

/** Own posts (originals and quotes) of a month: what engagements are counted on. */
const ownPosts = (r: MonthlyRow): number => r.original + (r.quote ?? 0);

/**
 * Engagement over time: the rate per month (mean engagements per own post ÷ followers) when the
 * source gives it; else, when the counts are there but the rate is not (no follower count), the
 * engagements per own post, labelled as such with why there is no rate; else why there is nothing.
 */
export function engagementChart(report: Report): { title: string; html: string } {
  const rows = report.monthly;
  const why = report.unavailable['engagement.ratePerPostMean'];
  if (rows.some((r) => r.ratePerPostMean !== null)) {
    const columns = rows.map((r) => {
      const v = r.ratePerPostMean;
      const title = `${r.month}: ${v === null ? `${NA} (no own posts)` : `${(v * 100).toFixed(3)} %`}`;
      return { month: r.month, title, segments: v === null ? null : [{ value: v * 100, color: '#2563eb', title }] };
    });
    return { title: 'Engagement rate per month', html: `${columnChart('Engagement rate per month', columns, ' %')}<p class="muted">Mean engagements per own post ÷ followers; a month without own posts has no bar.</p>` };
  }
  if (rows.some((r) => r.engagements !== null && ownPosts(r) > 0)) {
    const columns = rows.map((r) => {
      const own = ownPosts(r);
      const v = r.engagements === null || own === 0 ? null : r.engagements / own;
      const title = `${r.month}: ${v === null ? `${NA} (no own posts)` : `${dec(v)} engagements per own post (${int(r.engagements)} on ${own})`}`;
      return { month: r.month, title, segments: v === null ? null : [{ value: v, color: '#0891b2', title }] };
    });
    const note = `No engagement rate: it divides by the follower count${why ? `, and ${why.charAt(0).toLowerCase()}${why.slice(1)}` : '.'} The engagement counts are there, so this chart shows engagements (${report.metrics.engagement.counted.join(' + ')}) per own post instead.`;
    return { title: 'Engagements per own post, per month', html: `${columnChart('Engagements per own post, per month', columns, '')}<p class="muted">${esc(note)}</p>` };
  }
  return { title: 'Engagement rate per month', html: `<p class="muted">${esc(`No engagement over time: ${why ?? (rows.length === 0 ? 'no posts in the window.' : 'no engagement counts in this source.')}`)}</p>` };
}

/** One horizontal stacked bar, and under it each part's label, count and share (a part the source cannot see: n/a). */
function stackedBar(label: string, parts: ReadonlyArray<{ name: string; value: number | null; color: string }>, total: number): string {
  const bar = parts
    .filter((p) => p.value !== null && p.value > 0 && total > 0)
    .map((p) => `<i style="width:${((p.value! / total) * 100).toFixed(2)}%;background:${p.color}" title="${esc(`${p.name}: ${p.value} (${pct(p.value! / total)})`)}"></i>`)
    .join('');
  const keys = parts
    .map((p) => `<li><b style="background:${p.color}"></b>${esc(p.name)} <strong>${p.value === null ? NA : int(p.value)}</strong> <span class="muted">${p.value === null || total === 0 ? '' : esc(pct(p.value / total))}</span></li>`)
    .join('');
  return `<figure class="stack" role="img" aria-label="${esc(label)}"><div class="bar">${bar}</div><ul class="keys">${keys}</ul></figure>`;
}

/** The mix of posts: broadcast (original + thread), replies, reposts, quotes, with counts and shares. */
export function mixChart(mix: Report['metrics']['mix']): string {
  return stackedBar(
    'Mix of posts',
    [
      { name: 'Broadcast', value: mix.original + (mix.thread ?? 0), color: KIND_COLORS.original },
      { name: 'Replies', value: mix.reply, color: KIND_COLORS.reply },
      { name: 'Reposts', value: mix.repost, color: KIND_COLORS.repost },
      { name: 'Quotes', value: mix.quote, color: KIND_COLORS.quote },
    ],
    mix.total,
  );
}

/**
 * The layers as bars, one a layer, each with its number: lengths on a square-root scale of the largest,
 * so that a layer of a few people stays visible beside one of hundreds; a layer the source cannot
 * count says n/a.
 */
export function layerBars(layers: Report['metrics']['layers']): string {
  const rows: Array<[string, number | null, string]> = [
    ['L1: talked with', layers.l1, '#4f46e5'],
    ['Two-way', layers.twoWay, '#7c3aed'],
    ['L2: depth 2 in the threads', layers.l2, '#818cf8'],
    ['L3: deeper in the threads', layers.l3, '#c7d2fe'],
    ...(layers.estimatedInbound === null ? [] : [['Estimated inbound', layers.estimatedInbound, '#94a3b8'] as [string, number, string]]),
  ];
  const max = Math.max(1, ...rows.map(([, v]) => v ?? 0));
  const body = rows
    .map(([name, v, color]) => {
      const width = v === null || v === 0 ? 0 : Math.max(2, Math.sqrt(v / max) * 100);
      return `<div class="hrow"><span class="hname">${esc(name)}</span><span class="htrack"><i style="width:${width.toFixed(2)}%;background:${color}"></i></span><strong class="hval">${v === null ? NA : int(v)}</strong></div>`;
    })
    .join('');
  return `<figure class="hbars" role="img" aria-label="Interaction layers">${body}<figcaption class="muted">Bar lengths on a square-root scale, so a small layer stays visible.</figcaption></figure>`;
}

const STATUS_ORDER: ReadonlyArray<[AuditStatus, string, string]> = [
  ['pass', 'pass', '#10b981'],
  ['warn', 'warn', '#f59e0b'],
  ['fail', 'fail', '#ef4444'],
  ['error', 'error', '#7f1d1d'],
  ['n/a', 'n/a', '#cbd5e1'],
];

/** The audits at a glance: one bar of n pass / warn / fail / n/a (error when any). */
export function auditSummary(audits: Report['audits']): string {
  const parts = STATUS_ORDER.filter(([s]) => s !== 'error' || audits.some((a) => a.status === 'error')).map(([s, name, color]) => ({ name, value: audits.filter((a) => a.status === s).length, color }));
  return stackedBar('Audits by status', parts, audits.length);
}
