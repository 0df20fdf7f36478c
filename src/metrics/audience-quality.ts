/**
 * Audience quality (docs/metrics.md "Audience quality"): each follower profile a live pull read with
 * `--audience` is put in one class against the report date, then counted. Pure: no I/O, no clock.
 *
 * Precedence, first that holds: self-declared bot, new and empty, inactive, mass-follower; real when
 * none holds and every fact they need is known. A test whose fact is unknown does not hold; when no
 * test holds and one of them was unknown, the profile is `unknown` — never real by default — and is
 * left out of the shares, its count stated. The bot test is the exception: on a platform with no bot
 * flag it is not measured, and the other tests class the profile (docs/metrics.md).
 */
import type { Audience, FollowerProfile } from '../model/dataset.js';
import type { AuditConfig } from '../model/config.js';
import type { AudienceQualityMetrics } from '../model/report.js';
import { AUDIENCE_CLASSES } from '../model/names.js';
import { dayIndex } from '../lib/dates.js';
import { clamp, ratio } from '../lib/stats.js';
import type { Need, NullContext } from './needs.js';

export type AudienceClass = (typeof AUDIENCE_CLASSES)[number] | 'unknown';
type Thresholds = AuditConfig['audience'];
/** A test's verdict: holds, does not, or cannot be told (a fact is unknown). */
type Verdict = boolean | null;

/** The z value of a two-sided 95 % interval. */
const Z95 = 1.96;

/** Whole UTC calendar days from the day of `iso` to the report day: the report's time of day does not count. */
const daysBefore = (iso: string, asOf: number): number => dayIndex(asOf) - dayIndex(Date.parse(iso));

const isNewEmpty = (p: FollowerProfile, asOf: number, t: Thresholds): Verdict => {
  const isNew = p.createdAt === null ? null : daysBefore(p.createdAt, asOf) <= t.newDays;
  const empty = p.posts === null ? null : p.posts < t.newMaxPosts;
  if (isNew === false || empty === false) return false;
  return isNew === null || empty === null ? null : true;
};

/** No post in `inactiveDays` days before the report date, or never posted (`lastPostAt` null with 0 posts, or 0 posts). */
const isInactive = (p: FollowerProfile, asOf: number, t: Thresholds): Verdict => {
  if (p.posts === 0) return true;
  if (p.lastPostAt === undefined || p.lastPostAt === null) return null;
  return daysBefore(p.lastPostAt, asOf) > t.inactiveDays;
};

const isMassFollower = (p: FollowerProfile, t: Thresholds): Verdict => (p.following === null ? null : p.following > t.massFollowing);

/**
 * One follower's class at the report date `asOf` (epoch ms). A platform with no bot flag (`bot` null)
 * cannot tell bots: the bot test does not hold and is not "unknown", so the profile is classed by the
 * other tests and is real when it passes them (BOTS_UNTOLD says so in the report).
 */
export function classifyFollower(p: FollowerProfile, asOf: number, t: Thresholds): AudienceClass {
  const tests: Array<[AudienceClass, Verdict]> = [
    ['bot', p.bot === true],
    ['newEmpty', isNewEmpty(p, asOf, t)],
    ['inactive', isInactive(p, asOf, t)],
    ['massFollower', isMassFollower(p, t)],
  ];
  const first = tests.find(([, v]) => v === true);
  if (first) return first[0];
  return tests.some(([, v]) => v === null) ? 'unknown' : 'real';
}

/**
 * The 95 % margin of error of a share p of n profiles drawn from N, with the finite-population
 * correction: the normal approximation (Wald), never below the rule of three, 3/n (at most 1) — the
 * 95 % bound on a class none (or all) of the n showed, where Wald gives 0; so a share near 0 or 1 is
 * never stated more surely than one of exactly 0 or 1.
 */
export function marginOfError(p: number, n: number, N: number): number {
  if (n <= 0) return Number.NaN;
  const fpc = N > 1 ? Math.sqrt(Math.max(0, N - n) / (N - 1)) : 0;
  const spread = Math.max(Math.min(1, 3 / n), Z95 * Math.sqrt((p * (1 - p)) / n));
  return spread * fpc;
}

/** The fewest profiles of known class a sample needs for the audit to grade its real share (docs/metrics.md "Audience quality"). */
export const MIN_GRADED_SAMPLE = 100;

/** The profiles of known class, when they are a sample too small to grade; null when the figures may be graded. */
export function tooFewToGrade(aq: AudienceQualityMetrics): number | null {
  if (aq.method !== 'sample' || aq.classified === null) return null;
  const known = aq.classified - (aq.counts.unknown ?? 0);
  return known < MIN_GRADED_SAMPLE ? known : null;
}

const each = <T>(f: (c: (typeof AUDIENCE_CLASSES)[number]) => T) => Object.fromEntries(AUDIENCE_CLASSES.map((c) => [c, f(c)])) as Record<(typeof AUDIENCE_CLASSES)[number], T>;

/** Every field null: no profile to classify (the needs layer says why). */
export function noAudienceQuality(): AudienceQualityMetrics {
  const none = each(() => null);
  return { method: null, partial: null, listed: null, classified: null, counts: { ...none, unknown: null }, shares: none, margins: none, realAudience: null, realAudienceLow: null, realAudienceHigh: null, ratePerRealFollower: null };
}

/**
 * The audience quality figures: counts and shares per class; for a sample each share's margin; the
 * real audience (followers × real share, with its range for a sample) and the engagement rate per
 * real follower (mean engagements per own post ÷ real audience, the counts of ratePerPostMean).
 */
export function audienceQuality(audience: Audience | null | undefined, asOf: number | null, followers: number | null, perPostMean: number | null, t: Thresholds): AudienceQualityMetrics {
  if (!audience || asOf === null || audience.profiles.length === 0) return noAudienceQuality();
  const tally = { ...each(() => 0), unknown: 0 };
  for (const p of audience.profiles) tally[classifyFollower(p, asOf, t)] += 1;
  // A platform with no bot flag cannot tell bots: that count is unknown, not 0.
  const counts: AudienceQualityMetrics['counts'] = { ...tally, bot: audience.profiles.some((p) => p.bot !== null) ? tally.bot : null };
  const known = audience.profiles.length - tally.unknown;
  const shares = each((c) => ratio(counts[c], known));
  const sample = audience.method === 'sample';
  const listed = Math.max(audience.listed, audience.profiles.length);
  const margins = each((c) => {
    const share = shares[c];
    return sample && share !== null && known > 0 ? marginOfError(share, known, listed) : null;
  });
  // The newest followers are not a sample of all of them: no real audience is drawn from them.
  const real = shares.real;
  const scaled = audience.method === 'newest' || followers === null || real === null ? null : (share: number) => followers * clamp(share, 0, 1);
  const realAudience = scaled === null ? null : Math.round(scaled(real!));
  const margin = margins.real;
  return {
    method: audience.method,
    partial: audience.method === 'newest' || audience.cut !== null,
    listed: audience.listed,
    classified: audience.profiles.length,
    counts,
    shares,
    margins,
    realAudience,
    realAudienceLow: scaled === null || margin === null ? null : Math.floor(scaled(real! - margin)),
    realAudienceHigh: scaled === null || margin === null ? null : Math.ceil(scaled(real! + margin)),
    ratePerRealFollower: realAudience === null || realAudience === 0 ? null : ratio(perPostMean, realAudience),
  };
}

/** What the needs layer is told of the audience read, to say why a held figure is null. */
export interface AudienceFacts {
  method: Audience['method'] | null;
  profiles: number;
  /** Profiles whose class is known. */
  known: number;
  /** Some profile carries a bot flag (the platform has one). */
  flagged: boolean;
}

export function audienceFacts(audience: Audience | null | undefined, asOf: number | null, t: Thresholds): AudienceFacts {
  const profiles = asOf === null ? [] : (audience?.profiles ?? []);
  return {
    method: audience?.method ?? null,
    profiles: profiles.length,
    known: profiles.filter((p) => classifyFollower(p, asOf!, t) !== 'unknown').length,
    flagged: profiles.some((p) => p.bot !== null),
  };
}

const NO_PROFILES = 'No follower profile was read.';
const ALL_UNKNOWN = 'No follower profile has every fact its class needs (all unknown).';
/** Said wherever the audience is classed on a platform with no bot flag (X): the report, the audit, every format. */
export const BOTS_UNTOLD = 'Self-declared bots cannot be told on this platform (no follower profile carries a bot flag): they are classed by the other tests, so one that passes them counts as real.';
const need = (otherwise: (a: AudienceFacts, ctx: NullContext) => string): Need => ({
  needs: { all: ['followerProfiles', 'date'] },
  otherwise: (ctx) => (ctx.audience === undefined || ctx.audience.profiles === 0 ? NO_PROFILES : otherwise(ctx.audience, ctx)),
});
const notSample = (a: AudienceFacts): string => `Not a sample (${a.method} followers classified): a margin applies to a sample only.`;
const noRealAudience = (a: AudienceFacts, ctx: NullContext): string =>
  a.method === 'newest'
    ? 'Only the newest followers were classified: they are not a sample of all, so no real audience is drawn from them.'
    : ctx.followers === null
      ? 'The follower count is unknown.'
      : ALL_UNKNOWN;
const byShare = (a: AudienceFacts): string => (a.known === 0 ? ALL_UNKNOWN : BOTS_UNTOLD);

/** The needs of each audience quality field (docs/metrics.md "What each number needs"). */
export const AUDIENCE_QUALITY_NEEDS = {
  method: need(() => NO_PROFILES),
  partial: need(() => NO_PROFILES),
  listed: need(() => NO_PROFILES),
  classified: need(() => NO_PROFILES),
  counts: need(() => BOTS_UNTOLD),
  shares: need(byShare),
  margins: need((a) => (a.method === 'sample' ? byShare(a) : notSample(a))),
  realAudience: need(noRealAudience),
  realAudienceLow: need((a, ctx) => (a.method === 'all' ? notSample(a) : noRealAudience(a, ctx))),
  realAudienceHigh: need((a, ctx) => (a.method === 'all' ? notSample(a) : noRealAudience(a, ctx))),
  ratePerRealFollower: need((a, ctx) => (a.method === 'newest' || ctx.followers === null || a.known === 0 ? noRealAudience(a, ctx) : ctx.ownPosts === 0 ? 'No own posts (originals or quotes) in the window.' : 'The real audience is 0.')),
} satisfies Record<keyof AudienceQualityMetrics, Need>;
