/**
 * `inspect <target>`: what a source holds — the format and files found, posts by kind, the date range,
 * follower data — and which metrics it can and cannot give, and why.
 */
import { accountTitle } from '../lib/format.js';
import { forTerminal, toJson } from '../lib/text.js';
import type { Post } from '../model/dataset.js';
import { POST_KINDS } from '../model/names.js';
import { loadDataset } from '../sources/index.js';
import type { Io } from './io.js';
import { parsePullOptions, type RawPullOptions } from './options.js';
import { loadOptions } from './run-audit.js';
import { untilSignal } from './until-signal.js';

/** Metric families and the availability keys each one needs (docs/metrics.md §7); `|` = either will do. */
const NEEDS: Array<[string, string[]]> = [
  ['follower/following ratio', ['followers', 'following']],
  ['follow-back and mutuals', ['followerIds', 'followingIds']],
  ['engagement rate', ['followers']],
  ['engagement by impressions', ['impressions']],
  ['conversation and sharing mix', []],
  ['give share (reciprocity)', []],
  ['responsiveness', ['inboundIdentities|replies']],
  ['layers L1 inbound, two-way, L2, L3, engaged audience', ['inboundIdentities']],
  ['automation (scheduler share)', ['clients']],
  ['cadence and freshness', []],
];

export async function runInspect(target: string, raw: RawPullOptions & { json?: boolean }, io: Io, version: string): Promise<number> {
  const settings = parsePullOptions(raw);
  const dataset = await loadDataset(target, loadOptions(settings, io, version, null));
  const kinds: Record<string, number> = Object.fromEntries(POST_KINDS.map((k) => [k, 0]));
  let first: string | null = null;
  let last: string | null = null;
  let counted = { likes: 0, replies: 0, reposts: 0, quotes: 0, impressions: 0 };
  try {
    for await (const batch of untilSignal(dataset, io.signal).posts) {
      for (const p of batch as Post[]) {
        kinds[p.kind] = (kinds[p.kind] ?? 0) + 1;
        if (first === null || p.createdAt < first) first = p.createdAt;
        if (last === null || p.createdAt > last) last = p.createdAt;
        for (const k of Object.keys(counted) as Array<keyof typeof counted>) if (p.metrics[k] !== null) counted = { ...counted, [k]: counted[k] + 1 };
      }
    }
  } finally {
    dataset.close?.();
  }
  const total = Object.values(kinds).reduce((a, b) => a + b, 0);
  const availability = dataset.availability;
  const metrics = NEEDS.map(([name, needs]) => {
    const missing = needs.filter((need) => need.split('|').every((k) => availability[k] !== undefined));
    const why = missing.map((need) => availability[need.split('|')[0]!]!).join(' ');
    return { metric: name, available: missing.length === 0, why: why || null };
  });
  const counts = (['likes', 'replies', 'reposts', 'quotes'] as const).filter((k) => availability[k] === undefined);
  const summary = {
    target,
    format: dataset.describe?.format ?? `${dataset.platform} ${dataset.source}`,
    platform: dataset.platform,
    source: dataset.source,
    files: dataset.describe?.files ?? [],
    account: dataset.account,
    posts: { total, byKind: kinds, first, last },
    followers: { count: dataset.account.followers, following: dataset.account.following, followerIds: dataset.followerIds?.length ?? null, followingIds: dataset.followingIds?.length ?? null },
    likesGiven: dataset.likesGiven,
    engagementCounts: counts,
    complete: dataset.state.complete,
    warnings: dataset.state.warnings,
    unavailable: availability,
    metrics,
  };
  if (raw.json) {
    io.stdout(`${toJson(summary, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  lines.push(`${summary.format}: ${target}`);
  if (summary.files.length > 0) lines.push(`Files: ${summary.files.slice(0, 12).join(', ')}${summary.files.length > 12 ? `, … (${summary.files.length} in all)` : ''}`);
  const a = dataset.account;
  lines.push(`Account: ${accountTitle(a, dataset.platform)}`);
  lines.push(`Posts: ${total} — ${POST_KINDS.map((k) => `${k} ${kinds[k]}`).join(', ')}`);
  lines.push(`Dates: ${first ? `${first.slice(0, 10)} → ${last!.slice(0, 10)}` : 'no posts'}`);
  lines.push(`Followers: ${a.followers ?? 'unknown'}, following: ${a.following ?? 'unknown'}${dataset.followerIds ? `, follower list ${dataset.followerIds.length}` : ''}${dataset.followingIds ? `, following list ${dataset.followingIds.length}` : ''}; likes given: ${dataset.likesGiven ?? 'unknown'}`);
  lines.push(`Engagement counts on posts: ${counts.length > 0 ? counts.join(', ') : 'none'}`);
  lines.push('', 'What this source can give:');
  for (const m of metrics) lines.push(`  ${m.available ? 'yes' : 'no '}  ${m.metric}${m.why ? ` — ${m.why}` : ''}`);
  const other = Object.entries(availability).filter(([k]) => ['likes', 'replies', 'reposts', 'quotes', 'likesGiven', 'account'].includes(k));
  if (other.length > 0) {
    lines.push('', 'Also missing:');
    for (const [k, why] of other) lines.push(`  ${k}: ${why}`);
  }
  if (summary.warnings.length > 0) lines.push('', 'Warnings:', ...summary.warnings.map((w) => `  ${w}`));
  // Every line through forTerminal: file names, handles, names and warnings come from the source.
  io.stdout(`${lines.map((l) => forTerminal(l)).join('\n')}\n`);
  return 0;
}
