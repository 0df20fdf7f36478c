/**
 * Builds the Report (docs/metrics.md §6) from a Dataset: resolves the window, folds the post and
 * interaction streams once, runs the audits and scores. No clock: `generatedAt` comes from the caller.
 */
import type { Availability, Coverage, CoverageKind, Dataset, Post } from '../model/dataset.js';
import { COVERAGE_KINDS, DEFAULT_SOURCE_DATE } from '../model/names.js';
import { missingFacts } from '../model/capabilities.js';
import { chooseBenchmark } from '../model/benchmark-band.js';
import type { AuditConfig } from '../model/config.js';
import { DEFAULT_CONFIG } from '../model/defaults.js';
import type { AsOfSource, Metrics, Report } from '../model/report.js';
import { EngageAuditError } from '../errors.js';
import { MetricsFold, type FoldResult } from '../metrics/fold.js';
import { LAYER_SCORE_NEEDS, METRIC_NEEDS, type Always, type Need } from '../metrics/needs.js';
import type { FoldContext, FoldWindow } from '../metrics/context.js';
import { AUDITS } from '../audits/index.js';
import { dayIndex, dayKey, DAY_MS, toIso } from '../lib/dates.js';
import { computeScores } from './scores.js';
import { ActionsCollector, type ActionsInput } from './actions.js';

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
  /** Next actions (docs/reports.md "Next actions"): the most items per list (0 leaves them out; default config `actions.max`), and `--previous`. */
  actions?: { max?: number | undefined; previous?: ActionsInput['previous'] | undefined } | undefined;
}

function daysSince(asOf: number, days: number): number {
  return (dayIndex(asOf) - (days - 1)) * DAY_MS;
}

function foldContext(dataset: Dataset, availability: Availability, window: FoldWindow, config: AuditConfig, onPost?: ReportOptions['onPost'], actions?: ActionsCollector | null): FoldContext {
  return {
    onPost: actions ? (post, engagements) => (actions.addPost(post), onPost?.(post, engagements)) : onPost,
    onInteraction: actions ? (interaction, self) => actions.addInteraction(interaction, self) : undefined,
    platform: dataset.platform,
    account: dataset.account,
    followerIds: dataset.followerIds,
    followingIds: dataset.followingIds,
    likesGiven: dataset.likesGiven,
    audience: dataset.audience,
    availability,
    window,
    config,
  };
}

/** The report date (docs/metrics.md "The report date"): --as-of, else --until, else the time the source records, else none. */
function reportDate(dataset: Dataset, options: ReportOptions): { asOf: number | null; source: AsOfSource } {
  if (options.asOf !== undefined) return { asOf: options.asOf, source: '--as-of' };
  if (options.until !== undefined) return { asOf: options.until, source: '--until' };
  const recorded = dataset.asOf ? Date.parse(dataset.asOf) : Number.NaN;
  return Number.isNaN(recorded) ? { asOf: null, source: 'none' } : { asOf: recorded, source: dataset.asOfSource ?? DEFAULT_SOURCE_DATE };
}

/** A window given by --since or --until that misses every post: a usage error naming the data's dates. */
function checkWindowMeetsData(options: ReportOptions, data: { first: number; last: number } | null): void {
  if (data === null) return;
  const since = options.since !== undefined && options.since > data.last ? `starts ${dayKey(dayIndex(options.since))}, after` : null;
  const until = options.until !== undefined && options.until < data.first ? `ends ${dayKey(dayIndex(options.until))}, before` : null;
  const miss = since ?? until;
  if (miss === null) return;
  throw new EngageAuditError('USAGE', `the window ${miss} the data: its posts run from ${dayKey(dayIndex(data.first))} to ${dayKey(dayIndex(data.last))}`, {
    hint: 'Give --since and --until within those dates, or leave them out for the whole history.',
  });
}

/** Reads the dataset's streams into a fold. With `--days` and no fixed end, only a tail of posts is held. */
async function fold(dataset: Dataset, missing: Availability, options: ReportOptions, config: AuditConfig, asOf: number | null, actions: ActionsCollector | null) {
  const until = options.until ?? asOf;
  let since = options.since ?? null;
  if (options.days !== undefined && asOf !== null) since = daysSince(asOf, options.days);

  if (options.days === undefined || asOf !== null) {
    const f = new MetricsFold(foldContext(dataset, missing, { since, until: until ?? null, asOf }, config, options.onPost, actions));
    for await (const batch of dataset.posts) for (const post of batch) f.addPost(post);
    checkWindowMeetsData(options, f.data);
    if (dataset.interactions) for await (const batch of dataset.interactions) for (const i of batch) f.addInteraction(i);
    return f.finish();
  }

  // No report date: `--days N` ends at the newest post, as if it were today. Keep only posts within N days of the newest seen so far.
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
  const f = new MetricsFold(foldContext(dataset, missing, { since: start, until: end, asOf: null }, config, options.onPost, actions));
  for (const { post } of tail) f.addPost(post);
  if (dataset.interactions) for await (const batch of dataset.interactions) for (const i of batch) f.addInteraction(i);
  return f.finish();
}

function postWarnings(result: FoldResult): string[] {
  if (result.read === 0) return ['No posts were found in the input: every post metric is empty.'];
  if (result.window.posts > 0 || result.data === null) return [];
  const day = (ms: number) => dayKey(dayIndex(ms));
  return [`No posts in the window: every post metric is empty and there is no overall score (the posts run from ${day(result.data.first)} to ${day(result.data.last)}).`];
}

/** The metric paths counted from who interacted (docs/metrics.md "Coverage"): from the threads alone (`replyThreads`), or from every kind (`inboundIdentities`). */
function inboundPaths(): { threads: string[]; identities: string[] } {
  const out = { threads: [] as string[], identities: ['topInteractors.inbound', 'topInteractors.twoWay'] };
  for (const [group, fields] of Object.entries(METRIC_NEEDS) as Array<[keyof Metrics, Record<string, Need | Always>]>) {
    for (const [field, { needs }] of Object.entries(fields)) {
      const all: readonly string[] = ('all' in needs ? needs.all : undefined) ?? [];
      // Any need of who interacted (the layers' L1 counts both directions) makes the figure partial with them.
      if (needs === LAYER_SCORE_NEEDS || JSON.stringify(needs).includes('"inboundIdentities"')) out.identities.push(`${group}.${field}`);
      else if (all.includes('replyThreads')) out.threads.push(`${group}.${field}`);
    }
  }
  return out;
}

/**
 * What a pull was cut off before it fetched any of (docs/metrics.md "Coverage"): no thread fetched of the
 * posts that had replies leaves the replies under the posts unknown, no list of any kind leaves who
 * interacted unknown — n/a with the reason, never a 0 that was not counted.
 */
function unfetched(coverage: Coverage | null, availability: Availability): Partial<Record<'replyThreads' | 'inboundIdentities', string>> {
  if (!coverage) return {};
  // Without reply counts no post says it has replies, so no thread is asked: what is under the posts is unknown, not none.
  if (availability.replies !== undefined && coverage.replies.needed === 0) {
    return { replyThreads: `No post says how many replies it has (${availability.replies.replace(/\.$/, '')}), so no thread was asked for.` };
  }
  const none = (k: CoverageKind): boolean => coverage[k].needed > 0 && coverage[k].fetched === 0;
  const why = (k: CoverageKind): string => `${coverage[k].needed} needed, none fetched (${coverage[k].cut ?? 'error'})`;
  const out: Partial<Record<'replyThreads' | 'inboundIdentities', string>> = {};
  if (none('replies')) out.replyThreads = `No thread under the posts was fetched: ${why('replies')}.`;
  const needed = COVERAGE_KINDS.filter((k) => coverage[k].needed > 0);
  if (needed.length > 0 && needed.every(none)) out.inboundIdentities = `Nobody who interacted was fetched: ${needed.map((k) => `${k} ${why(k)}`).join('; ')}.`;
  return out;
}

/** The report's coverage: the pull's, whether every kind was fetched whole, and the metrics that count only part. */
export function reportCoverage(coverage: Coverage): NonNullable<Report['input']['coverage']> {
  const short = COVERAGE_KINDS.filter((k) => coverage[k].fetched < coverage[k].needed || coverage[k].capped > 0);
  const paths = inboundPaths();
  const partialMetrics = short.length === 0 ? [] : [...(short.includes('replies') ? paths.threads : []), ...paths.identities];
  return { replies: { ...coverage.replies }, likes: { ...coverage.likes }, reposts: { ...coverage.reposts }, complete: short.length === 0, partialMetrics };
}

export async function buildReport(dataset: Dataset, options: ReportOptions): Promise<Report> {
  const config = options.config ?? DEFAULT_CONFIG;
  const date = reportDate(dataset, options);
  // What metrics and audits need is looked up in the source's missing keys and the report's missing facts.
  const missing = { ...unfetched(dataset.coverage ?? null, dataset.availability), ...dataset.availability, ...missingFacts({ dated: date.asOf !== null, platform: dataset.platform, benchmarks: config.benchmarks, followers: dataset.account.followers }) };
  const max = options.actions?.max ?? config.actions.max;
  const actions = max > 0 ? new ActionsCollector(actionsInput(dataset, missing, max, options.actions?.previous ?? null)) : null;
  const result = await fold(dataset, missing, options, config, date.asOf, actions);
  const iso = (ms: number | null): string | null => (ms === null ? null : toIso(ms));
  const asOf = iso(result.window.asOf);
  const coverage = dataset.coverage ? reportCoverage(dataset.coverage) : null;
  const audits = AUDITS.map((audit) => {
    const graded = audit.run({ metrics: result.metrics, platform: dataset.platform, config, availability: missing, asOf, unavailable: result.unavailable });
    // Graded from part of who interacted: every format says so beside the value (docs/metrics.md "Coverage").
    if (graded.status !== 'n/a' && audit.meta.reads.some((path) => coverage?.partialMetrics.includes(path))) graded.displayValue += ' (partial: from what the pull fetched)';
    return graded;
  });
  const scores = computeScores(audits, config.categoryWeights, config.minCoverage);
  const emptyWindow = result.read > 0 && result.window.posts === 0;
  // No overall score from nothing: an empty window scores only what needs no posts (docs/metrics.md "Empty windows").
  if (emptyWindow) {
    scores.overall = null;
    scores.partial = null;
  }
  return {
    schemaVersion: 1,
    tool: options.tool,
    generatedAt: options.generatedAt,
    input: {
      platform: dataset.platform,
      source: dataset.source,
      target: dataset.target,
      complete: dataset.state.complete && (coverage?.complete ?? true),
      availability: { ...dataset.availability },
      warnings: [...dataset.state.warnings, ...postWarnings(result)],
      ...(coverage ? { coverage } : {}),
    },
    account: { ...dataset.account },
    window: {
      since: iso(result.window.since),
      until: iso(result.window.until),
      asOf,
      asOfSource: date.source,
      days: result.window.days,
      posts: result.window.posts,
    },
    metrics: result.metrics,
    unavailable: result.unavailable,
    role: result.role,
    scores,
    audits,
    benchmark: chooseBenchmark(dataset.platform, result.metrics.audience.followers, config.benchmarks[dataset.platform]),
    topInteractors: result.topInteractors,
    monthly: result.monthly,
    ...(actions ? { actions: actions.finish() } : {}),
  };
}

function actionsInput(dataset: Dataset, missing: Availability, max: number, previous: ActionsInput['previous']): ActionsInput {
  const { platform, target, account, source, followerIds, followingIds } = dataset;
  return { platform, target, account, source, missing, followerIds, followingIds, audience: dataset.audience ?? null, previous, coverage: dataset.coverage ?? null, max };
}
