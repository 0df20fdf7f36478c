/**
 * `inspect <target>`: what a source holds — the format and files found, posts by kind, the date range,
 * follower data — and which metrics it can and cannot give, and why.
 */
import { accountTitle } from '../lib/format.js';
import { parseCliDate } from '../lib/dates.js';
import { EngageAuditError } from '../errors.js';
import { forTerminal, toJson } from '../lib/text.js';
import type { Post } from '../model/dataset.js';
import { POST_KINDS } from '../model/names.js';
import { loadDataset } from '../sources/index.js';
import type { Availability } from '../model/dataset.js';
import { CAPABILITY_KEYS, CAPABILITY_TITLES, missingFacts, unmet, type CapabilityKey, type Requirement } from '../model/capabilities.js';
import { DEFAULT_CONFIG } from '../model/defaults.js';
import { AUDITS } from '../audits/index.js';
import { LAYER_SCORE_NEEDS, METRIC_NEEDS, metricAvailability, ROLE_NEEDS } from '../metrics/needs.js';
import type { Io } from './io.js';
import { parsePullOptions, type RawPullOptions } from './options.js';
import { loadOptions } from './run-audit.js';
import { untilSignal } from './until-signal.js';

/**
 * What a source can give, read off the same tables the report reads (docs/metrics.md "What each number
 * needs"): each capability key, each audit, the layer score, the role and each metric group, `true` or
 * why not. The report's n/a for an unmet need quotes the same reason, so the two cannot disagree.
 */

export function whatItGives(availability: Availability) {
  const why = (requirement: Requirement): true | string => unmet(requirement, availability) ?? true;
  return {
    capabilities: Object.fromEntries(CAPABILITY_KEYS.map((key) => [key, availability[key] ?? true])) as Record<CapabilityKey, true | string>,
    audits: Object.fromEntries(AUDITS.map((audit) => [audit.meta.id, why(audit.meta.needs)])),
    layerScore: why(LAYER_SCORE_NEEDS),
    role: why(ROLE_NEEDS),
    metrics: metricAvailability(availability),
  };
}

export async function runInspect(target: string, raw: RawPullOptions & { json?: boolean; asOf?: string }, io: Io, version: string): Promise<number> {
  const settings = parsePullOptions(raw);
  if (raw.asOf !== undefined && Number.isNaN(parseCliDate(raw.asOf, true))) throw new EngageAuditError('USAGE', `--as-of ${JSON.stringify(raw.asOf)}: give a date as YYYY-MM-DD or ISO-8601`);
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
  // Judged as a report with the same --as-of and the default benchmarks would be (docs/metrics.md "What each number needs").
  const gives = whatItGives({ ...availability, ...missingFacts({ dated: raw.asOf !== undefined || Boolean(dataset.asOf), platform: dataset.platform, benchmarks: DEFAULT_CONFIG.benchmarks, followers: dataset.account.followers }) });
  // A kind the report cannot count (its mix field's needs, docs/metrics.md "What each number needs") is not counted as none.
  const byKind: Record<string, number | null> = Object.fromEntries(POST_KINDS.map((k) => [k, unmet(METRIC_NEEDS.mix[k].needs, availability) !== null ? null : kinds[k]!]));
  const counts = (['likes', 'replies', 'reposts', 'quotes'] as const).filter((k) => availability[k] === undefined);
  const summary = {
    target,
    format: dataset.describe?.format ?? `${dataset.platform} ${dataset.source}`,
    platform: dataset.platform,
    source: dataset.source,
    files: dataset.describe?.files ?? [],
    account: dataset.account,
    posts: { total, byKind, first, last },
    followers: { count: dataset.account.followers, following: dataset.account.following, followerIds: dataset.followerIds?.length ?? null, followingIds: dataset.followingIds?.length ?? null },
    likesGiven: dataset.likesGiven,
    engagementCounts: counts,
    complete: dataset.state.complete,
    warnings: dataset.state.warnings,
    ...gives,
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
  lines.push(`Posts: ${total} — ${POST_KINDS.map((k) => `${k} ${byKind[k] ?? 'n/a'}`).join(', ')}`);
  lines.push(`Dates: ${first ? `${first.slice(0, 10)} → ${last!.slice(0, 10)}` : 'no posts'}`);
  lines.push(`Followers: ${a.followers ?? 'unknown'}, following: ${a.following ?? 'unknown'}${dataset.followerIds ? `, follower list ${dataset.followerIds.length}` : ''}${dataset.followingIds ? `, following list ${dataset.followingIds.length}` : ''}; likes given: ${dataset.likesGiven ?? 'unknown'}`);
  lines.push(`Engagement counts on posts: ${counts.length > 0 ? counts.join(', ') : 'none'}`);
  const verdict = (ok: true | string, name: string): string => `  ${ok === true ? 'yes' : 'no '}  ${name}${ok === true ? '' : ` — ${ok}`}`;
  lines.push('', 'What this source can give:');
  for (const audit of AUDITS) lines.push(verdict(gives.audits[audit.meta.id]!, `audit ${audit.meta.id}`));
  lines.push(verdict(gives.layerScore, 'layer score'), verdict(gives.role, 'role'));
  for (const [group, fields] of Object.entries(gives.metrics)) {
    if (fields === true) lines.push(verdict(true, `${group} metrics`));
    else for (const [field, why] of Object.entries(fields)) lines.push(verdict(why, `${group}.${field}`));
  }
  const missing = CAPABILITY_KEYS.filter((key) => gives.capabilities[key] !== true);
  if (missing.length > 0) {
    lines.push('', 'What the source does not hold:');
    for (const key of missing) lines.push(`  ${key} (${CAPABILITY_TITLES[key]}): ${gives.capabilities[key] as string}`);
  }
  if (summary.warnings.length > 0) lines.push('', 'Warnings:', ...summary.warnings.map((w) => `  ${w}`));
  // Every line through forTerminal: file names, handles, names and warnings come from the source.
  io.stdout(`${lines.map((l) => forTerminal(l)).join('\n')}\n`);
  return 0;
}
