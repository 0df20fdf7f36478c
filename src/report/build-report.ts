/**
 * Builds the Report (METRICS.md §6) from a Dataset: resolves the window, folds the post and
 * interaction streams once, runs the audits and scores. No clock: `generatedAt` comes from the caller.
 */
import type { Dataset, Post } from '../model/dataset.js';
import type { AuditConfig } from '../model/config.js';
import { DEFAULT_CONFIG } from '../model/defaults.js';
import type { Report } from '../model/report.js';
import { MetricsFold } from '../metrics/fold.js';
import type { FoldContext, FoldWindow } from '../metrics/context.js';
import { AUDITS } from '../audits/index.js';
import { dayIndex, DAY_MS, toIso } from '../lib/dates.js';
import { computeScores } from './scores.js';

export interface ReportOptions {
  /** Epoch ms bounds, inclusive; see docs/metrics.md §7 "Window and days". */
  since?: number | undefined;
  until?: number | undefined;
  asOf?: number | undefined;
  days?: number | undefined;
  config?: AuditConfig | undefined;
  generatedAt: string;
  tool: { name: string; version: string };
  /** Called with each window post (for `--posts-csv`). */
  onPost?: ((post: Post, engagements: number | null) => void) | undefined;
}

function daysSince(asOf: number, days: number): number {
  return (dayIndex(asOf) - (days - 1)) * DAY_MS;
}

function foldContext(dataset: Dataset, window: FoldWindow, config: AuditConfig, onPost?: ReportOptions['onPost']): FoldContext {
  return {
    onPost,
    platform: dataset.platform,
    account: dataset.account,
    followerIds: dataset.followerIds,
    followingIds: dataset.followingIds,
    likesGiven: dataset.likesGiven,
    availability: dataset.availability,
    capabilities: dataset.capabilities,
    window,
    config,
  };
}

/** Reads the dataset's streams into a fold. With `--days` and no fixed end, only a tail of posts is held. */
async function fold(dataset: Dataset, options: ReportOptions, config: AuditConfig) {
  // The report date: --as-of, else --until, else when the source was made, else the newest post.
  const sourceAsOf = dataset.asOf ? Date.parse(dataset.asOf) : Number.NaN;
  const asOf = options.asOf ?? options.until ?? (Number.isNaN(sourceAsOf) ? null : sourceAsOf);
  const until = options.until ?? asOf;
  let since = options.since ?? null;
  if (options.days !== undefined && asOf !== null) since = daysSince(asOf, options.days);

  if (options.days === undefined || asOf !== null) {
    const f = new MetricsFold(foldContext(dataset, { since, until: until ?? null, asOf }, config, options.onPost));
    for await (const batch of dataset.posts) for (const post of batch) f.addPost(post);
    if (dataset.interactions) for await (const batch of dataset.interactions) for (const i of batch) f.addInteraction(i);
    return f.finish();
  }

  // `--days N` ending at the newest post: keep only posts within N days of the newest seen so far.
  const spanMs = options.days * DAY_MS;
  let newest = Number.NEGATIVE_INFINITY;
  let tail: Array<{ post: Post; time: number }> = [];
  let limit = 1024;
  for await (const batch of dataset.posts) {
    for (const post of batch) {
      const time = Date.parse(post.createdAt);
      if (Number.isNaN(time)) continue;
      if (time > newest) newest = time;
      if (time >= newest - spanMs) tail.push({ post, time });
    }
    if (tail.length > limit) {
      tail = tail.filter((t) => t.time >= newest - spanMs);
      limit = Math.max(1024, tail.length * 2);
    }
  }
  const end = Number.isFinite(newest) ? newest : null;
  const start = end === null ? null : daysSince(end, options.days);
  const f = new MetricsFold(foldContext(dataset, { since: start, until: end, asOf: end }, config, options.onPost));
  for (const { post } of tail) f.addPost(post);
  if (dataset.interactions) for await (const batch of dataset.interactions) for (const i of batch) f.addInteraction(i);
  return f.finish();
}

export async function buildReport(dataset: Dataset, options: ReportOptions): Promise<Report> {
  const config = options.config ?? DEFAULT_CONFIG;
  const result = await fold(dataset, options, config);
  const audits = AUDITS.map((audit) => audit.run({ metrics: result.metrics, platform: dataset.platform, config, availability: dataset.availability }));
  const iso = (ms: number | null): string | null => (ms === null ? null : toIso(ms));
  return {
    schemaVersion: 1,
    tool: options.tool,
    generatedAt: options.generatedAt,
    input: {
      platform: dataset.platform,
      source: dataset.source,
      target: dataset.target,
      complete: dataset.state.complete,
      availability: { ...dataset.availability },
      warnings: [...dataset.state.warnings, ...(result.read === 0 ? ['No posts were found in the input: every post metric is empty.'] : [])],
    },
    account: { ...dataset.account },
    window: {
      since: iso(result.window.since),
      until: iso(result.window.until),
      asOf: iso(result.window.asOf),
      days: result.window.days,
      posts: result.window.posts,
    },
    metrics: result.metrics,
    role: result.role,
    scores: computeScores(audits, config.categoryWeights),
    audits,
    topInteractors: result.topInteractors,
    monthly: result.monthly,
  };
}
