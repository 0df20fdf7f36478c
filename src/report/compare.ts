/**
 * `compare <old> <new>`: what changed between two reports of the same account — key metrics and
 * scores, audits whose status moved, and (when both sides hold follower lists) who followed and who
 * left. Pure: reports and id lists in, a comparison out.
 */
import { CATEGORY_ORDER } from '../model/names.js';
import type { Report } from '../model/report.js';

export interface Change {
  name: string;
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
  audits: Array<{ id: string; old: string | null; new: string | null }>;
  role: { old: string; new: string };
  followers: { gained: string[]; lost: string[] } | null;
  following: { added: string[]; removed: string[] } | null;
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

const KEY_METRICS: Array<[string, (r: Report) => number | null]> = [
  ['followers', (r) => r.metrics.audience.followers],
  ['following', (r) => r.metrics.audience.following],
  ['followRatio', (r) => r.metrics.audience.followRatio],
  ['followBackRate', (r) => r.metrics.audience.followBackRate],
  ['posts', (r) => r.window.posts],
  ['engagement.ratePerPostMean', (r) => r.metrics.engagement.ratePerPostMean],
  ['engagement.perPostMedian', (r) => r.metrics.engagement.perPostMedian],
  ['engagement.rateByImpressions', (r) => r.metrics.engagement.rateByImpressions],
  ['mix.replyShare', (r) => r.metrics.mix.replyShare],
  ['mix.broadcastShare', (r) => r.metrics.mix.broadcastShare],
  ['reciprocity.giveShare', (r) => r.metrics.reciprocity.giveShare],
  ['responsiveness.responseRate', (r) => r.metrics.responsiveness.responseRate],
  ['layers.l1', (r) => r.metrics.layers.l1],
  ['layers.twoWay', (r) => r.metrics.layers.twoWay],
  ['layers.score', (r) => r.metrics.layers.score],
  ['cadence.postsPerDay', (r) => r.metrics.cadence.postsPerDay],
  ['cadence.schedulerShare', (r) => r.metrics.cadence.schedulerShare],
];

function change(name: string, a: number | null, b: number | null): Change {
  return { name, old: a, new: b, delta: a === null || b === null ? null : b - a };
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
  lists: { oldFollowers?: readonly string[] | null; newFollowers?: readonly string[] | null; oldFollowing?: readonly string[] | null; newFollowing?: readonly string[] | null } = {},
): Comparison {
  const side = (r: Report) => ({ target: r.input.target, asOf: r.window.asOf, generatedAt: r.generatedAt });
  const followers = diff(lists.oldFollowers ?? null, lists.newFollowers ?? null);
  const following = diff(lists.oldFollowing ?? null, lists.newFollowing ?? null);
  const ids = [...new Set([...a.audits.map((x) => x.id), ...b.audits.map((x) => x.id)])];
  return {
    warnings: comparisonWarnings(a, b),
    old: side(a),
    new: side(b),
    metrics: KEY_METRICS.map(([name, get]) => change(name, get(a), get(b))),
    scores: [
      change('overall', a.scores.overall, b.scores.overall),
      change('partial', a.scores.partial, b.scores.partial),
      change('coverage', a.scores.coverage, b.scores.coverage),
      ...CATEGORY_ORDER.map((k) => change(k, a.scores.categories[k], b.scores.categories[k])),
    ],
    audits: ids
      .map((id) => ({ id, old: a.audits.find((x) => x.id === id)?.status ?? null, new: b.audits.find((x) => x.id === id)?.status ?? null }))
      .filter((x) => x.old !== x.new),
    role: { old: a.role.label, new: b.role.label },
    followers: followers && { gained: followers.plus, lost: followers.minus },
    following: following && { added: following.plus, removed: following.minus },
  };
}
