/**
 * What a source can tell, declared once (docs/metrics.md "What each source can tell"). Every source
 * declares every key: `true` when it holds that fact, else the reason it cannot give it. The reasons
 * become `input.availability` (present only for what is missing). Every metric and audit declares the
 * keys it needs as a `Requirement`; `unmet` says why a requirement fails for a source, so the report,
 * `inspect` and every reporter read the one model.
 *
 * Kept free of the schema library: the audit path reads it at run time.
 */
import { chooseBenchmark, noBenchmark, type BenchmarkSetting } from './benchmark-band.js';

export const CAPABILITY_KEYS = [
  // Counts of what the account's posts received.
  'likes',
  'replies',
  'reposts',
  'quotes',
  'impressions',
  // Who interacted with the account's posts (named replies, reposts, likes).
  'inboundIdentities',
  // The replies under the account's posts with what each answers, so answered replies can be told.
  'replyThreads',
  // The kinds of the account's own posts the source can see besides originals.
  'replyPosts',
  'repostPosts',
  'quotePosts',
  'threadPosts',
  // Whom the account's replies, reposts, quotes and mentions name.
  'outboundIdentities',
  // The audience: counts and lists.
  'followers',
  'following',
  'followerIds',
  'followingIds',
  // Who the followers are: their public profiles (audience quality), and the order they followed in.
  'followerProfiles',
  'followerOrder',
  'likesGiven',
  // The app that sent each post.
  'clients',
  // The account's own id or handle.
  'account',
] as const;
export type CapabilityKey = (typeof CAPABILITY_KEYS)[number];

/** One line per key, for `inspect`, the help and docs/metrics.md. */
export const CAPABILITY_TITLES: Record<CapabilityKey, string> = {
  likes: 'likes received per post',
  replies: 'replies received per post',
  reposts: 'reposts received per post',
  quotes: 'quotes received per post',
  impressions: 'views per post',
  inboundIdentities: 'who replied to, reposted or liked the posts',
  replyThreads: 'the replies under the posts, and which were answered',
  replyPosts: 'replies to other accounts',
  repostPosts: 'reposts',
  quotePosts: 'quotes',
  threadPosts: 'self-replies (threads)',
  outboundIdentities: 'whom the replies, reposts, quotes and mentions name',
  followers: 'follower count',
  following: 'following count',
  followerIds: 'follower list',
  followingIds: 'following list',
  followerProfiles: "the followers' public profiles (audience quality)",
  followerOrder: 'the order the followers followed in (new followers)',
  likesGiven: 'likes given',
  clients: 'the app that sent each post',
  account: "the account's own id or handle",
};

/**
 * Facts of the report rather than of the source, needed the same way: a report date (`--as-of`, else
 * the date the source records) and an engagement benchmark for the platform (config `benchmarks`).
 */
export const REPORT_FACTS = ['date', 'benchmark'] as const;
export type ReportFact = (typeof REPORT_FACTS)[number];
/** One line per report fact, as CAPABILITY_TITLES for the source's keys. */
export const REPORT_FACT_TITLES: Record<ReportFact, string> = { date: 'a report date', benchmark: 'an engagement benchmark for the platform' };

/** Human words for a key of `input.availability` (a capability or a report fact); an unknown key is shown as given. */
export function needTitle(key: string): string {
  const table = [CAPABILITY_TITLES, REPORT_FACT_TITLES].find((t) => Object.hasOwn(t, key)) as Record<string, string> | undefined;
  const title = table?.[key];
  return title === undefined ? key : title.charAt(0).toUpperCase() + title.slice(1);
}
/** What a requirement may name: a capability of the source or a fact of the report. */
export type NeedKey = CapabilityKey | ReportFact;

/** The report facts that are missing, with why, in the form of a source's missing keys. */
export function missingFacts(facts: { dated: boolean; platform: string; benchmarks: Record<string, BenchmarkSetting>; followers?: number | null }): Record<string, string> {
  const out: Record<string, string> = {};
  if (!facts.dated) out['date'] = 'The source records no date to count from: give --as-of YYYY-MM-DD.';
  if (chooseBenchmark(facts.platform, facts.followers ?? null, facts.benchmarks[facts.platform]) === null) out['benchmark'] = noBenchmark(facts.platform, facts.benchmarks[facts.platform]);
  return out;
}

/** A source's declaration: every key, `true` when held, else why not. Omitting a key does not compile. */
export type Declaration = Record<CapabilityKey, true | string>;

/** Part of a declaration, for helpers that sources spread into a full one. */
export type PartialDeclaration = Partial<Declaration>;

/** What a source cannot give, and why: the missing keys of a declaration (`input.availability`). */
export type Missing = Partial<Record<string, string>>;

/** The reasons of a declaration, keyed by what is missing. */
export function missingOf(declaration: Declaration): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of CAPABILITY_KEYS) {
    const value = declaration[key];
    if (value !== true) out[key] = value;
  }
  return out;
}

/**
 * What a metric or audit needs: every key of `all`, and at least one of the alternatives in `any`
 * (each alternative a list of keys that must all be there). `{}` needs nothing from the source.
 */
export interface Requirement {
  all?: readonly NeedKey[];
  any?: ReadonlyArray<readonly NeedKey[]>;
}

export const NEEDS_NOTHING: Requirement = {};

/** Whether the source holds `key` (no reason recorded against it). */
export function holds(missing: Missing, key: NeedKey): boolean {
  return missing[key] === undefined;
}

/**
 * Why `requirement` is not met by a source with these missing keys, or null when it is: the source's
 * reason for the first missing key of `all`, else, when no alternative of `any` is complete, the
 * reasons of each alternative's first missing key, each said once.
 */
export function unmet(requirement: Requirement, missing: Missing): string | null {
  for (const key of requirement.all ?? []) {
    const why = missing[key];
    if (why !== undefined) return why;
  }
  const any = requirement.any;
  if (any === undefined || any.length === 0) return null;
  const reasons = new Set<string>();
  for (const alternative of any) {
    const gap = alternative.find((key) => missing[key] !== undefined);
    if (gap === undefined) return null;
    reasons.add(missing[gap]!);
  }
  return [...reasons].join(' ');
}
