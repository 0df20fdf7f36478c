/**
 * `compare <old> <new>`: what changed between two reports of the same account — key metrics and
 * scores, audits whose status moved, and (when both sides hold follower lists) who followed and who
 * left. Pure: reports and id lists in, a comparison out.
 */
import { CATEGORY_ORDER } from '../model/names.js';
import type { Report } from '../model/report.js';

/** How a figure is measured, for a reader to format it: a share (0–1), an engagement rate (0–1), a count, a ratio, posts a day, minutes, days, a score out of 100. */
export type Unit = 'share' | 'rate' | 'count' | 'ratio' | 'per-day' | 'minutes' | 'days' | 'score';

export interface Change {
  name: string;
  unit: Unit;
  old: number | string | null;
  new: number | string | null;
  /** new − old for numbers known on both sides. */
  delta: number | null;
}

export interface Comparison {
  old: { target: string; asOf: string | null; generatedAt: string };
  new: { target: string; asOf: string | null; generatedAt: string };
  metrics: Change[];
  scores: Change[];
  audits: Array<{ id: string; title: string; old: string | null; new: string | null }>;
  role: { old: string; new: string };
  followers: { gained: string[]; lost: string[] } | null;
  following: { added: string[]; removed: string[] } | null;
  /** The handle the inputs name for an id of those lists (the newer input's where both do); an id the inputs never name with a handle is left out. */
  handles: Record<string, string>;
  /** Why the changes may not be changes: two platforms, two accounts, an input read in part. */
  warnings: string[];
}

/** What makes two reports unlike: another platform, another account, or one read only in part. */
export function comparisonWarnings(a: Report, b: Report): string[] {
  const out: string[] = [];
  if (a.input.platform !== b.input.platform) out.push(`The reports are of two platforms (${a.input.platform} and ${b.input.platform}): their figures are not measured alike.`);
  const who = (r: Report): string | null => (r.account.id ?? r.account.handle?.toLowerCase() ?? null);
  const [wa, wb] = [who(a), who(b)];
  const sameKind = (a.account.id !== null) === (b.account.id !== null);
  if (a.input.platform === b.input.platform && wa !== null && wb !== null && sameKind && wa !== wb) {
    out.push(`The reports are of two accounts (${a.account.handle ?? wa} and ${b.account.handle ?? wb}): the changes are differences between them.`);
  }
  for (const [side, r] of [['old', a], ['new', b]] as const) {
    if (!r.input.complete) out.push(`The ${side} report's input is incomplete (${r.input.target}): a change may be what was not read.`);
  }
  return out;
}

const KEY_METRICS: Array<[string, Unit, (r: Report) => number | null]> = [
  ['followers', 'count', (r) => r.metrics.audience.followers],
  ['following', 'count', (r) => r.metrics.audience.following],
  ['followRatio', 'ratio', (r) => r.metrics.audience.followRatio],
  ['followBackRate', 'share', (r) => r.metrics.audience.followBackRate],
  ['posts', 'count', (r) => r.window.posts],
  ['engagement.ratePerPostMean', 'rate', (r) => r.metrics.engagement.ratePerPostMean],
  ['engagement.perPostMedian', 'ratio', (r) => r.metrics.engagement.perPostMedian],
  ['engagement.rateByImpressions', 'rate', (r) => r.metrics.engagement.rateByImpressions],
  ['mix.replyShare', 'share', (r) => r.metrics.mix.replyShare],
  ['mix.broadcastShare', 'share', (r) => r.metrics.mix.broadcastShare],
  ['reciprocity.giveShare', 'share', (r) => r.metrics.reciprocity.giveShare],
  ['responsiveness.responseRate', 'share', (r) => r.metrics.responsiveness.responseRate],
  ['responsiveness.medianResponseMinutes', 'minutes', (r) => r.metrics.responsiveness.medianResponseMinutes],
  ['layers.l1', 'count', (r) => r.metrics.layers.l1],
  ['layers.twoWay', 'count', (r) => r.metrics.layers.twoWay],
  ['layers.score', 'score', (r) => r.metrics.layers.score],
  ['cadence.postsPerDay', 'per-day', (r) => r.metrics.cadence.postsPerDay],
  ['cadence.schedulerShare', 'share', (r) => r.metrics.cadence.schedulerShare],
  ['cadence.daysSinceLastPost', 'days', (r) => r.metrics.cadence.daysSinceLastPost],
];

function change(name: string, unit: Unit, a: number | null, b: number | null): Change {
  return { name, unit, old: a, new: b, delta: a === null || b === null ? null : b - a };
}

function diff(a: readonly string[] | null, b: readonly string[] | null): { plus: string[]; minus: string[] } | null {
  if (a === null || b === null) return null;
  const before = new Set(a);
  const after = new Set(b);
  return { plus: [...after].filter((x) => !before.has(x)).sort(), minus: [...before].filter((x) => !after.has(x)).sort() };
}

export function compareReports(
  a: Report,
  b: Report,
  lists: {
    oldFollowers?: readonly string[] | null;
    newFollowers?: readonly string[] | null;
    oldFollowing?: readonly string[] | null;
    newFollowing?: readonly string[] | null;
    /** Handles the inputs name for account ids (the newer input's where both do). */
    handles?: ReadonlyMap<string, string>;
  } = {},
): Comparison {
  const side = (r: Report) => ({ target: r.input.target, asOf: r.window.asOf, generatedAt: r.generatedAt });
  const followers = diff(lists.oldFollowers ?? null, lists.newFollowers ?? null);
  const following = diff(lists.oldFollowing ?? null, lists.newFollowing ?? null);
  const ids = [...new Set([...a.audits.map((x) => x.id), ...b.audits.map((x) => x.id)])];
  return {
    warnings: comparisonWarnings(a, b),
    old: side(a),
    new: side(b),
    metrics: KEY_METRICS.map(([name, unit, get]) => change(name, unit, get(a), get(b))),
    scores: [
      change('overall', 'score', a.scores.overall, b.scores.overall),
      change('partial', 'score', a.scores.partial, b.scores.partial),
      change('coverage', 'share', a.scores.coverage, b.scores.coverage),
      ...CATEGORY_ORDER.map((k) => change(k, 'score', a.scores.categories[k], b.scores.categories[k])),
    ],
    audits: ids
      .map((id) => {
        const [x, y] = [a.audits.find((r) => r.id === id), b.audits.find((r) => r.id === id)];
        return { id, title: (y ?? x)!.title, old: x?.status ?? null, new: y?.status ?? null };
      })
      .filter((x) => x.old !== x.new),
    role: { old: a.role.label, new: b.role.label },
    followers: followers && { gained: followers.plus, lost: followers.minus },
    following: following && { added: following.plus, removed: following.minus },
    handles: Object.fromEntries(
      [...(followers ? [...followers.plus, ...followers.minus] : []), ...(following ? [...following.plus, ...following.minus] : [])]
        .filter((id) => lists.handles?.has(id))
        .sort()
        .map((id) => [id, lists.handles!.get(id)!]),
    ),
  };
}
