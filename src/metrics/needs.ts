/**
 * What each number needs (docs/metrics.md "What each number needs"): one table over every field of
 * every metric group, with the capability keys it needs and why it is null when those are there but
 * nothing could be counted. After the fold, `applyNeeds` nulls each field whose needs the source does
 * not meet and records why every null field is null. The layer score and the role read the same
 * table, and `inspect` reads it too, so the report and `inspect` cannot disagree.
 */
import { NEEDS_NOTHING, unmet, type Missing, type Requirement } from '../model/capabilities.js';
import type { Metrics } from '../model/report.js';
import { AUDIENCE_QUALITY_NEEDS, type AudienceFacts } from './audience-quality.js';

/** What explains a null that the source's capabilities do not: the report date, for freshness. */
export interface NullContext {
  /** Own posts (originals and quotes) in the window, and the follower count. */
  ownPosts: number;
  followers: number | null;
  /** The followers classified (audience quality), when read. */
  audience?: AudienceFacts;
}

/** A field that can be null: what it needs, and why it is null when its needs are met. */
export interface Need {
  needs: Requirement;
  otherwise: string | ((ctx: NullContext) => string);
}

/** A field that is always counted: it needs nothing and is never null. */
export interface Always {
  needs: Record<never, never>;
  always: true;
}

/** Fields that hold numbers (or a small record of numbers) that may be null. */
type Nullable<T> = null extends T
  ? true
  : T extends readonly unknown[]
    ? false
    : T extends Record<string, number | null>
      ? string extends keyof T
        ? false
        : null extends T[keyof T]
          ? true
          : false
      : false;

/** Every field of every group must be declared: adding a metric without its needs does not compile. */
export type MetricNeeds = { [G in keyof Metrics]: { [F in keyof Metrics[G]]-?: Nullable<Metrics[G][F]> extends true ? Need : Always } };

const ALWAYS: Always = { needs: {}, always: true };
const NO_POSTS = 'No posts in the window.';
const NO_OWN_POSTS = 'No own posts (originals or quotes) in the window.';
/** Why a rate by followers is null when its counts are there: no own posts, or no followers to divide by. */
const noRate = ({ ownPosts, followers }: NullContext): string => (ownPosts > 0 && followers === 0 ? 'The follower count is 0: there is no rate by followers.' : NO_OWN_POSTS);
const COUNTS: Requirement['any'] = [['likes'], ['replies'], ['reposts'], ['quotes']];
const INBOUND_COUNTS: Requirement['any'] = [['replies'], ['reposts'], ['quotes']];
/** Replies to others can be counted only where self-replies (threads) can be told from them. */
const REPLIES = ['replyPosts', 'threadPosts'] as const;
const OUTBOUND_KINDS = [...REPLIES, 'repostPosts', 'quotePosts'] as const;
/** What the account receives, weighed against what it gives: who interacted, or both reply and repost counts. */
const RECEIVED: Requirement['any'] = [['inboundIdentities'], ['replies', 'reposts']];

/** Who the account talked with, and who talked back (by name or by count): what the layer score weighs. */
export const LAYER_SCORE_NEEDS: Requirement = { all: ['outboundIdentities'], any: [['inboundIdentities'], ...INBOUND_COUNTS] };

/** Both directions: the outbound kinds, and who answered or how much was received. */
export const ROLE_NEEDS: Requirement = { all: [...OUTBOUND_KINDS], any: RECEIVED };

export const METRIC_NEEDS: MetricNeeds = {
  audience: {
    followers: { needs: { all: ['followers'] }, otherwise: 'The follower count is unknown.' },
    following: { needs: { all: ['following'] }, otherwise: 'The following count is unknown.' },
    followRatio: { needs: { all: ['followers', 'following'] }, otherwise: 'The account follows nobody: no ratio.' },
    mutuals: { needs: { all: ['followerIds', 'followingIds'] }, otherwise: 'The follower or following list is unknown.' },
    followBackRate: { needs: { all: ['followerIds', 'followingIds'] }, otherwise: 'The account follows nobody.' },
    reciprocationRate: { needs: { all: ['followerIds', 'followingIds'] }, otherwise: 'The account has no followers.' },
  },
  mix: {
    original: ALWAYS,
    thread: { needs: { all: ['threadPosts'] }, otherwise: NO_POSTS },
    reply: { needs: { all: [...REPLIES] }, otherwise: NO_POSTS },
    repost: { needs: { all: ['repostPosts'] }, otherwise: NO_POSTS },
    quote: { needs: { all: ['quotePosts'] }, otherwise: NO_POSTS },
    total: ALWAYS,
    broadcastShare: { needs: { all: [...OUTBOUND_KINDS] }, otherwise: NO_POSTS },
    replyShare: { needs: { all: [...REPLIES] }, otherwise: NO_POSTS },
    repostShare: { needs: { all: ['repostPosts'] }, otherwise: NO_POSTS },
    quoteShare: { needs: { all: ['quotePosts'] }, otherwise: NO_POSTS },
    replyToBroadcast: { needs: { all: [...OUTBOUND_KINDS] }, otherwise: 'No originals or threads in the window.' },
  },
  engagement: {
    posts: ALWAYS,
    counted: ALWAYS,
    likes: { needs: { all: ['likes'] }, otherwise: 'No own post in the window carries a like count.' },
    replies: { needs: { all: ['replies'] }, otherwise: 'No own post in the window carries a reply count.' },
    reposts: { needs: { all: ['reposts'] }, otherwise: 'No own post in the window carries a repost count.' },
    quotes: { needs: { all: ['quotes'] }, otherwise: 'No own post in the window carries a quote count.' },
    total: { needs: { any: COUNTS }, otherwise: NO_OWN_POSTS },
    perPostMean: { needs: { any: COUNTS }, otherwise: NO_OWN_POSTS },
    perPostMedian: { needs: { any: COUNTS }, otherwise: NO_OWN_POSTS },
    ratePerPostMean: { needs: { all: ['followers'], any: COUNTS }, otherwise: noRate },
    ratePerPostMedian: { needs: { all: ['followers'], any: COUNTS }, otherwise: noRate },
    impressions: { needs: { all: ['impressions'] }, otherwise: 'No own post in the window carries a view count.' },
    rateByImpressions: { needs: { all: ['impressions'], any: COUNTS }, otherwise: 'No own post in the window carries a view count.' },
    conversationRate: { needs: { all: ['replies', 'followers'] }, otherwise: noRate },
    amplificationRate: { needs: { all: ['followers'], any: [['reposts'], ['quotes']] }, otherwise: noRate },
    applauseRate: { needs: { all: ['likes', 'followers'] }, otherwise: noRate },
    engagedAudience: { needs: { all: ['inboundIdentities'] }, otherwise: 'The follower count is unknown or 0.' },
  },
  reciprocity: {
    outbound: { needs: { all: [...OUTBOUND_KINDS] }, otherwise: NO_POSTS },
    inbound: { needs: { any: RECEIVED }, otherwise: NO_POSTS },
    giveShare: { needs: { all: [...OUTBOUND_KINDS], any: RECEIVED }, otherwise: 'Nothing given or received in the window.' },
    responseRatio: { needs: { all: [...REPLIES, 'replies'] }, otherwise: 'No replies received in the window.' },
    likesGiven: { needs: { all: ['likesGiven'] }, otherwise: 'The likes given are unknown.' },
  },
  responsiveness: {
    inboundReplies: { needs: { all: ['replyThreads'] }, otherwise: 'The replies under the posts were not fetched.' },
    answered: { needs: { all: ['replyThreads'] }, otherwise: 'The replies under the posts were not fetched.' },
    responseRate: { needs: { all: ['replyThreads'] }, otherwise: 'No replies from others under the posts in the window.' },
    medianResponseMinutes: { needs: { all: ['replyThreads'] }, otherwise: 'No answered reply with known times.' },
    answeredWithin24h: { needs: { all: ['replyThreads'] }, otherwise: 'No answered reply with known times.' },
  },
  layers: {
    windowDays: ALWAYS,
    since: { needs: NEEDS_NOTHING, otherwise: 'No report date and no --since: the layer period has no start.' },
    until: { needs: NEEDS_NOTHING, otherwise: 'No report date: the layer period ends with the window.' },
    l1Outbound: { needs: { all: ['outboundIdentities'] }, otherwise: NO_POSTS },
    l1Inbound: { needs: { all: ['inboundIdentities'] }, otherwise: NO_POSTS },
    l1: { needs: { all: ['outboundIdentities'] }, otherwise: NO_POSTS },
    twoWay: { needs: { all: ['outboundIdentities', 'inboundIdentities'] }, otherwise: NO_POSTS },
    l2: { needs: { all: ['inboundIdentities'] }, otherwise: NO_POSTS },
    l3: { needs: { all: ['inboundIdentities'] }, otherwise: NO_POSTS },
    estimatedInbound: { needs: { any: INBOUND_COUNTS }, otherwise: 'Inbound accounts are named, so nothing is estimated from counts.' },
    estimated: ALWAYS,
    weighted: { needs: LAYER_SCORE_NEEDS, otherwise: NO_POSTS },
    score: { needs: LAYER_SCORE_NEEDS, otherwise: 'No posts in the layer period: nobody to weigh.' },
    ledger: ALWAYS,
  },
  cadence: {
    days: { needs: NEEDS_NOTHING, otherwise: NO_POSTS },
    postsPerDay: { needs: NEEDS_NOTHING, otherwise: NO_POSTS },
    maxPerDay: { needs: NEEDS_NOTHING, otherwise: NO_POSTS },
    busiestDay: { needs: NEEDS_NOTHING, otherwise: NO_POSTS },
    burstDays: ALWAYS,
    clients: ALWAYS,
    schedulerShare: { needs: { all: ['clients'] }, otherwise: 'No post in the window says which app sent it.' },
    daysSinceLastPost: { needs: { all: ['date'] }, otherwise: NO_POSTS },
  },
  audienceQuality: AUDIENCE_QUALITY_NEEDS,
};

const isNeed = (entry: Need | Always): entry is Need => !('always' in entry);

/** The value of a field whose needs are unmet: null, or a record of nulls (engagedAudience). */
function blank(value: unknown): unknown {
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.keys(value).map((k) => [k, null]));
  return null;
}

/** The null leaves of a field's value: `''` for the field itself, else the null keys of its record. */
function nullsOf(value: unknown): string[] {
  if (value === null) return [''];
  if (typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as object).filter(([, v]) => v === null).map(([k]) => `.${k}`);
}

/** Whether each metric group is available: `true`, or why each of its fields that need something cannot be given. */
export function metricAvailability(missing: Missing): Record<keyof Metrics, true | Record<string, string>> {
  const out = {} as Record<keyof Metrics, true | Record<string, string>>;
  for (const [group, fields] of Object.entries(METRIC_NEEDS) as Array<[keyof Metrics, Record<string, Need | Always>]>) {
    const gaps: Record<string, string> = {};
    for (const [field, entry] of Object.entries(fields)) {
      const why = isNeed(entry) ? unmet(entry.needs, missing) : null;
      if (why !== null) gaps[field] = why;
    }
    out[group] = Object.keys(gaps).length === 0 ? true : gaps;
  }
  return out;
}

/**
 * Nulls every metric field whose needs the source does not meet, and says why every null field is
 * null: the source's reason for an unmet need, else the field's own reason. Keys are `group.field`.
 */
export function applyNeeds(metrics: Metrics, missing: Missing, ctx: NullContext): { metrics: Metrics; unavailable: Record<string, string> } {
  const out: Record<string, Record<string, unknown>> = {};
  const unavailable: Record<string, string> = {};
  for (const [group, fields] of Object.entries(METRIC_NEEDS) as Array<[keyof Metrics, Record<string, Need | Always>]>) {
    const values: Record<string, unknown> = { ...(metrics[group] as Record<string, unknown>) };
    for (const [field, entry] of Object.entries(fields)) {
      if (!isNeed(entry)) continue;
      const why = unmet(entry.needs, missing);
      if (why !== null) values[field] = blank(values[field]);
      const reason = why ?? (typeof entry.otherwise === 'string' ? entry.otherwise : entry.otherwise(ctx));
      for (const leaf of nullsOf(values[field])) unavailable[`${group}.${field}${leaf}`] = reason;
    }
    out[group] = values;
  }
  return { metrics: out as unknown as Metrics, unavailable };
}
