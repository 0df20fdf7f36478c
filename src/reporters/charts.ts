/**
 * Inline SVG charts for the HTML report: no script, no external asset. Every label goes through
 * escapeHtml. Pure: data in, markup out.
 */
import type { MonthlyRow, Report } from '../model/report.js';
import { escapeHtml as esc } from '../lib/html.js';

export const KIND_COLORS = { original: '#2563eb', thread: '#7c3aed', reply: '#059669', repost: '#d97706', quote: '#db2777' } as const;
const KINDS = ['original', 'thread', 'reply', 'repost', 'quote'] as const;

/** Posts per month, stacked by kind. */
export function postsPerMonthChart(rows: readonly MonthlyRow[], width = 640, height = 236): string {
  const pad = { l: 36, r: 8, t: 26, b: 34 };
  const max = Math.max(1, ...rows.map((r) => r.posts));
  const w = (width - pad.l - pad.r) / Math.max(1, rows.length);
  const y = (v: number) => pad.t + (height - pad.t - pad.b) * (1 - v / max);
  const bars = rows
    .map((r, i) => {
      let acc = 0;
      const x = pad.l + i * w + w * 0.12;
      const segs = KINDS.map((k) => {
        const v = r[k];
        if (v === null || v === 0) return '';
        const top = y(acc + v);
        const h = y(acc) - top;
        acc += v;
        return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(w * 0.76).toFixed(1)}" height="${h.toFixed(1)}" fill="${KIND_COLORS[k]}"><title>${esc(`${r.month}: ${v} ${k}`)}</title></rect>`;
      }).join('');
      const label = rows.length <= 18 || i % Math.ceil(rows.length / 18) === 0 ? `<text x="${(x + w * 0.38).toFixed(1)}" y="${height - pad.b + 14}" text-anchor="middle" class="axis">${esc(r.month)}</text>` : '';
      return segs + label;
    })
    .join('');
  return svg(width, height, 'Posts per month by kind', `${axis(pad, width, max, y)}${bars}${legend(width)}`);
}

/** Engagement rate per month (mean per own post, by followers). */
export function engagementRateChart(rows: readonly MonthlyRow[], width = 640, height = 200): string {
  // Room on the right for the last month's label, centred under its point.
  const pad = { l: 52, r: 28, t: 10, b: 34 };
  const values = rows.map((r) => r.ratePerPostMean);
  const max = Math.max(1e-9, ...values.filter((v): v is number => v !== null));
  const step = (width - pad.l - pad.r) / Math.max(1, rows.length - 1 || 1);
  const x = (i: number) => pad.l + (rows.length === 1 ? (width - pad.l - pad.r) / 2 : i * step);
  const y = (v: number) => pad.t + (height - pad.t - pad.b) * (1 - v / max);
  // A month without own posts has no rate: the line breaks there instead of bridging the gap.
  const segments: string[][] = [[]];
  const dots: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (segments[segments.length - 1]!.length > 0) segments.push([]);
      return;
    }
    segments[segments.length - 1]!.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    dots.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="#2563eb"><title>${esc(`${rows[i]!.month}: ${(v * 100).toFixed(3)} %`)}</title></circle>`);
  });
  const labels = rows
    .map((r, i) => (rows.length <= 18 || i % Math.ceil(rows.length / 18) === 0 ? `<text x="${x(i).toFixed(1)}" y="${height - pad.b + 14}" text-anchor="middle" class="axis">${esc(r.month)}</text>` : ''))
    .join('');
  const line = segments
    .filter((seg) => seg.length > 1)
    .map((seg) => `<polyline fill="none" stroke="#2563eb" stroke-width="2" points="${seg.join(' ')}"/>`)
    .join('');
  const body = dots.length === 0 ? `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="axis">no engagement counts in this source</text>` : `${line}${dots.join('')}`;
  return svg(width, height, 'Engagement rate per month', `${axis(pad, width, max, y, (v) => `${(v * 100).toFixed(2)} %`)}${body}${labels}`);
}

/** The mix of posts: broadcast (original + thread), replies, reposts, quotes, as one stacked bar. */
export function mixChart(mix: Report['metrics']['mix'], width = 640, height = 70): string {
  const parts: Array<[string, number, string]> = [
    // A kind the source cannot see (null) draws nothing.
    ['broadcast', mix.original + (mix.thread ?? 0), KIND_COLORS.original],
    ['replies', mix.reply ?? 0, KIND_COLORS.reply],
    ['reposts', mix.repost ?? 0, KIND_COLORS.repost],
    ['quotes', mix.quote ?? 0, KIND_COLORS.quote],
  ];
  const total = Math.max(1, mix.total);
  let x = 0;
  const bars = parts
    .map(([label, v, color]) => {
      const w = (width * v) / total;
      const rect = v === 0 ? '' : `<rect x="${x.toFixed(1)}" y="8" width="${w.toFixed(1)}" height="30" fill="${color}"><title>${esc(`${label}: ${v} (${((v / total) * 100).toFixed(1)} %)`)}</title></rect>`;
      const text = w > 60 ? `<text x="${(x + w / 2).toFixed(1)}" y="58" text-anchor="middle" class="axis">${esc(`${label} ${((v / total) * 100).toFixed(0)} %`)}</text>` : '';
      x += w;
      return rect + text;
    })
    .join('');
  return svg(width, height, 'Mix of posts', bars);
}

/** Layer rings: L1 inside, L2 and L3 around it; each ring's area grows with its count. */
export function layerRings(layers: Report['metrics']['layers'], size = 260): string {
  const c = size / 2;
  const rings: Array<[string, number | null, string]> = [
    ['L3', layers.l3, '#e0e7ff'],
    ['L2', layers.l2, '#c7d2fe'],
    ['L1', layers.l1, '#6366f1'],
  ];
  const cumulative = [(layers.l1 ?? 0) + (layers.l2 ?? 0) + (layers.l3 ?? 0), (layers.l1 ?? 0) + (layers.l2 ?? 0), layers.l1 ?? 0];
  const maxR = c - 6;
  const total = Math.max(1, cumulative[0]!);
  const body = rings
    .map(([label, count, color], i) => {
      const r = Math.max(i === 2 ? 14 : 0, maxR * Math.sqrt(cumulative[i]! / total));
      return `<circle cx="${c}" cy="${c}" r="${r.toFixed(1)}" fill="${color}"><title>${esc(`${label}: ${count ?? 'n/a'} people`)}</title></circle>`;
    })
    .join('');
  const label = `<text x="${c}" y="${c + 5}" text-anchor="middle" class="ring">${esc(`L1 ${layers.l1}`)}</text>`;
  return svg(size, size, 'Interaction layers', body + label);
}

function axis(pad: { l: number; r: number; t: number; b: number }, width: number, max: number, y: (v: number) => number, fmt: (v: number) => string = (v) => String(Math.round(v))): string {
  const ticks = [0, max / 2, max];
  return ticks
    .map((t) => `<line x1="${pad.l}" x2="${width - pad.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/><text x="${pad.l - 4}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="axis">${esc(fmt(t))}</text>`)
    .join('');
}

function legend(width: number): string {
  return KINDS.map((k, i) => `<rect x="${width - 5 * 78 + i * 78}" y="0" width="10" height="10" fill="${KIND_COLORS[k]}"/><text x="${width - 5 * 78 + i * 78 + 14}" y="9" class="axis">${k}</text>`).join('');
}

function svg(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;
}
