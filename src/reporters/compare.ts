/**
 * `compare` for people (docs/reports.md "compare"): the comparison in the report's words and units —
 * the key metrics' labels, percents and rates as the report prints them, changes of a percent in
 * points, scores out of 100, minutes and days — as terminal text or Markdown. Follower ids are shown
 * by the handle the inputs name them with, else as the id marked "(id)". Every line is made inert
 * (forTerminal); Markdown cells are escaped.
 */
import type { Change, Comparison, Unit } from '../report/compare.js';
import { coveragePercent } from '../report/scores.js';
import { forTerminal } from '../lib/text.js';
import { dec, int, NA, pct, rate } from './format.js';
import { md } from './markdown.js';
import { KEY_METRIC_LABELS as L, outOf100 } from './view.js';

/** The label of each figure a comparison holds; the key metrics' are the report's own. */
const LABELS: Readonly<Record<string, string>> = {
  followers: 'Followers',
  following: 'Following',
  followRatio: 'Followers ÷ following',
  followBackRate: L.followBack,
  posts: 'Posts',
  'engagement.ratePerPostMean': L.engagementRate,
  'engagement.perPostMedian': 'Engagements a post (median)',
  'engagement.rateByImpressions': L.byImpressions,
  'mix.replyShare': L.replyShare,
  'mix.broadcastShare': 'Broadcast share',
  'reciprocity.giveShare': L.giveShare,
  'responsiveness.responseRate': L.responsiveness,
  'responsiveness.medianResponseMinutes': 'Median first answer',
  'layers.l1': 'L1 (talked with)',
  'layers.twoWay': 'Two-way',
  'layers.score': L.layerScore,
  'cadence.postsPerDay': L.postsPerDay,
  'cadence.schedulerShare': 'Scheduled',
  'cadence.daysSinceLastPost': 'Since the last post',
  overall: 'Overall score',
  partial: 'Partial score',
  coverage: 'Measured',
};

const label = (c: Change): string => LABELS[c.name] ?? c.name;

const days = (n: number): string => `${dec(n, 1)} day${n === 1 ? '' : 's'}`;

/** A value as the report prints it. */
function value(c: Change, v: number | string | null): string {
  if (v === null) return NA;
  if (typeof v === 'string') return v;
  if (c.name === 'coverage') return coveragePercent(v);
  const as: Record<Unit, (x: number) => string> = {
    share: (x) => pct(x),
    rate: (x) => rate(x),
    count: (x) => int(x),
    ratio: (x) => dec(x),
    'per-day': (x) => dec(x),
    minutes: (x) => `${dec(x, 0)} min`,
    days,
    score: outOf100,
  };
  return as[c.unit](v);
}

/** A change: "+4.2 pts" for a percent, in the rate's own precision for a rate, "+12" for a count, "±0" for none. */
function delta(c: Change): string {
  if (c.delta === null) return '';
  const d = c.delta;
  const size = Math.abs(d);
  const pts = (digits: number) => `${(size * 100).toFixed(digits)} pts`;
  const shown =
    c.name === 'coverage'
      ? pts(0)
      : { share: () => pts(1), rate: () => pts(size * 100 >= 1 ? 2 : 3), count: () => int(size), ratio: () => dec(size), 'per-day': () => dec(size), minutes: () => `${dec(size, 0)} min`, days: () => days(size), score: () => String(size) }[c.unit]();
  // A change too small for the digits shown reads as none, signed by its direction.
  return `${d > 0 ? '+' : d < 0 ? '-' : '±'}${shown}`;
}

/** "@handle" where the inputs name the id with a handle, else "<id> (id)". */
function who(id: string, handles: Readonly<Record<string, string>>): string {
  const handle = handles[id];
  return handle !== undefined ? `@${handle}` : `${id} (id)`;
}

const SHOWN = 50;
function names(ids: readonly string[], handles: Readonly<Record<string, string>>): string {
  return `${ids.slice(0, SHOWN).map((id) => who(id, handles)).join(', ')}${ids.length > SHOWN ? `, … (${ids.length - SHOWN} more)` : ''}`;
}

interface Section {
  title: string;
  rows: Array<[label: string, old: string, now: string, change: string]>;
}

/** The comparison as sections of rows, for either layout. */
function sections(c: Comparison): Section[] {
  const rows = (list: readonly Change[]) => list.map((x): Section['rows'][number] => [label(x), value(x, x.old), value(x, x.new), delta(x)]);
  return [
    { title: 'Scores', rows: [...rows(c.scores), ...(c.role.old !== c.role.new ? [['Role', c.role.old, c.role.new, ''] as Section['rows'][number]] : [])] },
    { title: 'Key metrics', rows: rows(c.metrics) },
    { title: 'Audits that changed status', rows: c.audits.map((a) => [a.title, a.old ?? 'absent', a.new ?? 'absent', '']) },
  ];
}

function followLines(c: Comparison): string[] {
  const out: string[] = [];
  if (c.followers) {
    out.push(`Followers: ${c.followers.gained.length} new, ${c.followers.lost.length} left`);
    if (c.followers.gained.length > 0) out.push(`  new: ${names(c.followers.gained, c.handles)}`);
    if (c.followers.lost.length > 0) out.push(`  left: ${names(c.followers.lost, c.handles)}`);
  } else out.push('Who followed and who left needs follower lists on both sides (datasets or exports, not reports).');
  if (c.following) out.push(`Following: ${c.following.added.length} added, ${c.following.removed.length} removed`);
  return out;
}

const heading = (c: Comparison): string =>
  `${c.old.target} (as of ${c.old.asOf?.slice(0, 10) ?? NA}) → ${c.new.target} (as of ${c.new.asOf?.slice(0, 10) ?? NA})`;

function renderText(c: Comparison): string {
  const out: string[] = [`engage-audit compare: ${heading(c)}`, ''];
  if (c.warnings.length > 0) out.push(...c.warnings.map((w) => `Warning: ${w}`), '');
  for (const s of sections(c)) {
    if (s.rows.length === 0) {
      out.push('No audit changed status.', '');
      continue;
    }
    out.push(s.title);
    const width = Math.max(...s.rows.map((r) => r[0].length));
    for (const [name, old, now, change] of s.rows) out.push(`  ${name.padEnd(width)}  ${old.padStart(12)} → ${change ? `${now.padEnd(12)} ${change}` : now}`);
    out.push('');
  }
  out.push(...followLines(c));
  // Targets, roles, audit titles, handles and ids come from the inputs: every line goes through forTerminal.
  return `${out.map((l) => forTerminal(l)).join('\n')}\n`;
}

function renderMarkdown(c: Comparison): string {
  const out: string[] = ['## Compared', '', md(heading(c)), ''];
  if (c.warnings.length > 0) out.push(...c.warnings.map((w) => `> **Warning:** ${md(w)}`), '');
  for (const s of sections(c)) {
    if (s.rows.length === 0) {
      out.push('No audit changed status.', '');
      continue;
    }
    out.push(`### ${md(s.title)}`, '', '| | Before | After | Change |', '| --- | ---: | ---: | ---: |');
    for (const row of s.rows) out.push(`| ${row.map(md).join(' | ')} |`);
    out.push('');
  }
  out.push(...followLines(c).map((l) => (l.startsWith('  ') ? `- ${md(l.trim())}` : md(l))), '');
  return out.join('\n');
}

/** The comparison as the terminal's text or as Markdown. */
export function renderComparison(c: Comparison, format: 'table' | 'markdown' = 'table'): string {
  return format === 'markdown' ? renderMarkdown(c) : renderText(c);
}
