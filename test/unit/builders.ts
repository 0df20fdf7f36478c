/**
 * Builders for the unit tests: hand-made posts, interactions, fold contexts, full Metrics literals,
 * audit results and in-memory datasets. Nothing here computes an expected value: the tests do that
 * by hand from docs/metrics.md.
 */
import type { Account, Availability, Capabilities, Dataset, Interaction, Post, PostKind, PostMetrics } from '../../src/model/dataset.js';
import { DEFAULT_CONFIG, type AuditConfig } from '../../src/model/config.js';
import type { AuditResult, Category, Metrics, Report } from '../../src/model/report.js';
import type { FoldContext, FoldWindow } from '../../src/metrics/context.js';
import { MetricsFold, type FoldResult } from '../../src/metrics/fold.js';
import { noAudienceQuality } from '../../src/metrics/audience-quality.js';

export const ME: Account = {
  id: '100',
  handle: 'me',
  displayName: 'Me',
  followers: 1000,
  following: 500,
  posts: null,
};

export const NO_COUNTS: PostMetrics = { likes: null, replies: null, reposts: null, quotes: null, impressions: null };

export interface PostSpec {
  id?: string;
  at: string;
  kind?: PostKind;
  /** Handle of the account replied to / reposted / quoted. */
  target?: string;
  mentions?: string[];
  client?: string | null;
  metrics?: Partial<PostMetrics>;
}

let autoId = 0;

export function post(spec: PostSpec): Post {
  autoId += 1;
  const kind = spec.kind ?? 'original';
  const p: Post = {
    id: spec.id ?? `auto${autoId}`,
    createdAt: spec.at,
    kind,
    mentions: (spec.mentions ?? []).map((handle) => ({ handle })),
    client: spec.client ?? null,
    metrics: { likes: 0, replies: 0, reposts: 0, quotes: 0, impressions: null, ...spec.metrics },
  };
  if (spec.target !== undefined) p.target = { handle: spec.target };
  return p;
}

/** `n` posts of the same shape, one minute apart from `start`. */
export function posts(n: number, start: string, spec: Omit<PostSpec, 'at'> = {}): Post[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) => post({ ...spec, at: new Date(t0 + i * 60_000).toISOString() }));
}

export interface CtxOptions {
  account?: Partial<Account>;
  followerIds?: string[] | null;
  followingIds?: string[] | null;
  likesGiven?: number | null;
  availability?: Availability;
  /** Whether the source names who interacted and holds the replies under the posts (`threads`: `replyThreads`); both not, unless said. */
  capabilities?: Partial<Capabilities>;
  window?: Partial<Record<keyof FoldWindow, string | null>>;
  config?: AuditConfig;
}

const ms = (iso: string | null | undefined): number | null => (iso === null || iso === undefined ? null : Date.parse(iso));

/** The availability lines of what `capabilities` says a test source does not hold. */
function unheld(capabilities: Partial<Capabilities> = {}): Availability {
  return {
    ...(capabilities.inboundIdentities ? {} : { inboundIdentities: 'Not named in this test.' }),
    ...(capabilities.threads ? {} : { replyThreads: 'No threads in this test.' }),
  };
}

export function context(o: CtxOptions = {}): FoldContext {
  return {
    platform: 'x',
    account: { ...ME, ...o.account },
    followerIds: o.followerIds ?? null,
    followingIds: o.followingIds ?? null,
    likesGiven: o.likesGiven ?? null,
    availability: { ...unheld(o.capabilities), ...o.availability },
    window: { since: ms(o.window?.since), until: ms(o.window?.until), asOf: ms(o.window?.asOf) },
    config: o.config ?? DEFAULT_CONFIG,
  };
}

export function runFold(postList: readonly Post[], o: CtxOptions = {}, interactions: readonly Interaction[] = []): FoldResult {
  const f = new MetricsFold(context(o));
  for (const p of postList) f.addPost(p);
  for (const i of interactions) f.addInteraction(i);
  return f.finish();
}

/** A complete Metrics object: every value null or zero, so each test sets only what its audit reads. */
export function baseMetrics(): Metrics {
  return {
    audience: { followers: null, following: null, followRatio: null, mutuals: null, followBackRate: null, reciprocationRate: null },
    mix: {
      original: 0, thread: 0, reply: 0, repost: 0, quote: 0, total: 0,
      broadcastShare: null, replyShare: null, repostShare: null, quoteShare: null, replyToBroadcast: null,
    },
    engagement: {
      posts: 0, counted: [], likes: null, replies: null, reposts: null, quotes: null, total: null,
      perPostMean: null, perPostMedian: null, ratePerPostMean: null, ratePerPostMedian: null,
      impressions: null, rateByImpressions: null, conversationRate: null, amplificationRate: null,
      applauseRate: null, engagedAudience: { accounts: null, share: null },
    },
    reciprocity: { outbound: 0, inbound: null, giveShare: null, responseRatio: null, likesGiven: null },
    responsiveness: { inboundReplies: null, answered: null, responseRate: null, medianResponseMinutes: null, answeredWithin24h: null },
    layers: {
      windowDays: 90, since: null, until: null, l1Outbound: 0, l1Inbound: null, l1: 0, twoWay: null,
      l2: null, l3: null, estimatedInbound: null, estimated: true, weighted: 0, score: 1, ledger: [],
    },
    cadence: {
      days: null, postsPerDay: null, maxPerDay: null, busiestDay: null, burstDays: 0, clients: {},
      schedulerShare: null, daysSinceLastPost: null,
    },
    audienceQuality: noAudienceQuality(),
  };
}

type DeepPartialMetrics = { [K in keyof Metrics]?: Partial<Metrics[K]> };

export function metricsWith(over: DeepPartialMetrics): Metrics {
  const m = baseMetrics();
  return {
    audience: { ...m.audience, ...over.audience },
    mix: { ...m.mix, ...over.mix },
    engagement: { ...m.engagement, ...over.engagement },
    reciprocity: { ...m.reciprocity, ...over.reciprocity },
    responsiveness: { ...m.responsiveness, ...over.responsiveness },
    layers: { ...m.layers, ...over.layers },
    cadence: { ...m.cadence, ...over.cadence },
    audienceQuality: { ...m.audienceQuality, ...over.audienceQuality },
  };
}

export function auditResult(id: string, category: Category, score: number | null, status?: AuditResult['status']): AuditResult {
  return {
    id,
    title: id,
    category,
    status: status ?? (score === null ? 'n/a' : score >= 1 ? 'pass' : score <= 0 ? 'fail' : 'warn'),
    score,
    value: score,
    displayValue: String(score),
    thresholds: { pass: 1, fail: 0 },
    advice: '',
    methodology: '',
  };
}

export function reportWith(overall: number | null, audits: AuditResult[]): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'engage-audit', version: '0.0.0-test' },
    generatedAt: '2025-01-01T00:00:00.000Z',
    input: { platform: 'x', source: 'dataset', target: 'test', complete: true, availability: {}, warnings: [] },
    account: { id: '100', handle: 'me', displayName: 'Me', followers: 1000, following: 500, posts: 0 },
    window: { since: null, until: null, asOf: null, asOfSource: 'none', days: null, posts: 0 },
    metrics: baseMetrics(),
    unavailable: {},
    role: { label: 'Undetermined', reason: '' },
    // A fully measured score when there is one; none measured otherwise.
    scores: {
      overall,
      partial: overall,
      coverage: overall === null ? 0 : 1,
      minCoverage: 0.5,
      leftOut: overall === null ? ['audience', 'engagement', 'conversation', 'amplification', 'habits'] : [],
      notMeasured: [],
      categories: { audience: null, engagement: null, conversation: null, amplification: null, habits: null },
    },
    audits,
    topInteractors: { outbound: [], inbound: null, twoWay: null },
    monthly: [],
  };
}

async function* batches<T>(groups: readonly (readonly T[])[]): AsyncIterable<readonly T[]> {
  for (const g of groups) yield g;
}

export function dataset(postBatches: readonly (readonly Post[])[], o: Partial<Omit<Dataset, 'posts' | 'interactions'>> & { interactions?: readonly Interaction[] } = {}): Dataset {
  const { interactions, ...rest } = o;
  return {
    platform: 'x',
    source: 'dataset',
    target: 'in-memory',
    account: ME,
    availability: unheld(),
    followerIds: null,
    followingIds: null,
    likesGiven: null,
    state: { complete: true, warnings: [] },
    ...rest,
    posts: batches(postBatches),
    interactions: interactions === undefined ? null : batches([interactions]),
  };
}
