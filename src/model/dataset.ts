/**
 * The normalized model every source produces (docs/metrics.md §1): an account, a stream of posts, optional
 * follower/following id lists, likes given, and inbound interactions. The zod schemas describe the
 * saved form of a dataset (`engage-audit pull -o`), where the streams are plain arrays.
 */
import { z } from 'zod';
import { COVERAGE_CUTS, COVERAGE_KINDS, PLATFORMS, POST_KINDS, SOURCE_KINDS } from './names.js';

export { PLATFORMS, POST_KINDS, SOURCE_KINDS };
export const PlatformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof PlatformSchema>;

export const SourceKindSchema = z.enum(SOURCE_KINDS);
export type SourceKind = z.infer<typeof SourceKindSchema>;

export const PostKindSchema = z.enum(POST_KINDS);
export type PostKind = z.infer<typeof PostKindSchema>;

const count = z.number().int().nonnegative().nullable();

/** Another account as a post names it. Handles are lower-cased, without `@`. */
export const AccountRefSchema = z.object({
  id: z.string().optional(),
  handle: z.string().optional(),
});
export type AccountRef = z.infer<typeof AccountRefSchema>;

export const PostMetricsSchema = z.object({
  likes: count,
  replies: count,
  reposts: count,
  quotes: count,
  impressions: count,
});
export type PostMetrics = z.infer<typeof PostMetricsSchema>;

/** An ISO-8601 time with its zone, of a plausible post (1990–2200). */
const IsoTime = z.iso.datetime({ offset: true }).refine((v) => {
  const t = Date.parse(v);
  return t >= Date.UTC(1990, 0, 1) && t < Date.UTC(2200, 0, 1);
}, 'a time between 1990 and 2200');

export const PostSchema = z.object({
  id: z.string(),
  /** ISO-8601 UTC. */
  createdAt: IsoTime,
  kind: PostKindSchema,
  text: z.string().optional(),
  url: z.string().optional(),
  /** The account this post answers (reply/thread), reposts (repost) or quotes (quote). */
  target: AccountRefSchema.optional(),
  targetPostId: z.string().optional(),
  /** Other accounts this post mentions (never the account itself). */
  mentions: z.array(AccountRefSchema),
  client: z.string().nullable(),
  metrics: PostMetricsSchema,
});
export type Post = z.infer<typeof PostSchema>;

export const INTERACTION_KINDS = ['reply', 'repost', 'quote', 'like', 'mention'] as const;
export const InteractionSchema = z.object({
  /** The account's post the interaction belongs to (the thread root for deeper replies). */
  postId: z.string(),
  /** The reply's own id, and the id of the post it answers (threads only). */
  id: z.string().optional(),
  parentId: z.string().optional(),
  /** Who interacted: the handle (lower-cased), else whatever name the source gives. */
  actor: z.string(),
  /** The same account's id (a DID, a numeric id) when the source gives it. */
  actorId: z.string().optional(),
  kind: z.enum(INTERACTION_KINDS),
  depth: z.number().int().positive().max(1000),
  createdAt: IsoTime.optional(),
  parentActor: z.string().optional(),
});
export type Interaction = z.infer<typeof InteractionSchema>;

export const AccountSchema = z.object({
  id: z.string().nullable(),
  handle: z.string().nullable(),
  displayName: z.string().nullable(),
  followers: z.number().int().nonnegative().nullable(),
  following: z.number().int().nonnegative().nullable(),
  posts: z.number().int().nonnegative().nullable(),
});
export type Account = z.infer<typeof AccountSchema>;

/** What a source could not give, and why: `missingOf` of its declaration (src/model/capabilities.ts, docs/metrics.md "What each source can tell"). */
export const AvailabilitySchema = z.record(z.string(), z.string());
export type Availability = z.infer<typeof AvailabilitySchema>;

/**
 * The saved form's older summary of two capability keys, still written (derived from the declaration)
 * so that older versions read newer files: `inboundIdentities`, and `threads` for `replyThreads`.
 */
export const CapabilitiesSchema = z.object({
  inboundIdentities: z.boolean(),
  /** Threads were fetched, so answered/unanswered replies can be told (responsiveness). */
  threads: z.boolean(),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

/** Why a kind of interaction was not fetched for every post that needed it (docs/metrics.md "Coverage"). */
export { COVERAGE_CUTS, COVERAGE_KINDS };
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

/** One kind's coverage: posts whose count says someone interacted, the posts whose list was fetched whole, why the rest were not, and the posts the server answered only in part. */
export const KindCoverageSchema = z.object({
  needed: z.number().int().nonnegative(),
  fetched: z.number().int().nonnegative(),
  cut: z.enum(COVERAGE_CUTS).nullable(),
  capped: z.number().int().nonnegative(),
});
export type KindCoverage = z.infer<typeof KindCoverageSchema>;

/** What a live pull fetched of who interacted with the posts; null for exports and pulls that fetch nobody. */
export const CoverageSchema = z.object({ replies: KindCoverageSchema, likes: KindCoverageSchema, reposts: KindCoverageSchema });
export type Coverage = z.infer<typeof CoverageSchema>;

/** Another account as a list names it, with the address of its profile when the platform has one. */
export const ListedAccountSchema = z.object({
  id: z.string().optional(),
  handle: z.string().optional(),
  url: z.string().optional(),
});
export type ListedAccount = z.infer<typeof ListedAccountSchema>;

/**
 * One follower's public profile as a live pull read it (docs/metrics.md "Audience quality"). A count
 * or date the platform does not give is null; `lastPostAt` null with `posts` 0 means never posted,
 * absent means not known.
 */
export const FollowerProfileSchema = ListedAccountSchema.extend({
  createdAt: IsoTime.nullable(),
  lastPostAt: IsoTime.nullable().optional(),
  posts: count,
  followers: count,
  following: count,
  /** Self-declared automated account (Mastodon `bot`, a Bluesky `bot` label); null where the platform has no such flag. */
  bot: z.boolean().nullable(),
});
export type FollowerProfile = z.infer<typeof FollowerProfileSchema>;

/** How the classified profiles were chosen: every follower, a seeded uniform sample of the whole list, or the newest of a list read only in part. */
export const AUDIENCE_METHODS = ['all', 'sample', 'newest'] as const;

/** The followers a live pull read (`--audience`): the list as the platform orders it, and the profiles classified. */
export const AudienceSchema = z.object({
  /** `newest-first` when the platform lists followers newest first (new followers can be told). */
  order: z.enum(['newest-first', 'unknown']),
  /** Followers on the profile when read, and followers read from the list. */
  total: z.number().int().nonnegative().nullable(),
  listed: z.number().int().nonnegative(),
  /** Why the list was not read to its end (null: read whole). */
  cut: z.enum(COVERAGE_CUTS).nullable(),
  /** The newest followers as listed (new followers to thank), when the order is known. */
  newest: z.array(ListedAccountSchema),
  method: z.enum(AUDIENCE_METHODS),
  /** The seed of a sample (repeatable), else null. */
  seed: z.number().int().nullable(),
  profiles: z.array(FollowerProfileSchema),
});
export type Audience = z.infer<typeof AudienceSchema>;

/** Facts about the input, settled once the post stream has been read to its end. */
export interface InputState {
  complete: boolean;
  warnings: string[];
  /** A signal (Ctrl-C, SIGTERM) stopped the pull or the reading; what came before is kept. */
  interrupted?: boolean;
}

/** Where a source's own date comes from: the time of a live pull, an archive's recorded generation date, the newest entry time inside a downloaded zip or tar.gz. */
export const SOURCE_DATE_KINDS = ['pull', 'generation-date', 'entry-times'] as const;
export type SourceDateKind = (typeof SOURCE_DATE_KINDS)[number];

/** A source's output: the account is known up front, posts arrive as a stream of batches. */
export interface Dataset {
  platform: Platform;
  source: SourceKind;
  target: string;
  account: Account;
  /** The source's missing capability keys and why (`missingOf` of its declaration); a key not here is held. */
  availability: Availability;
  followerIds: readonly string[] | null;
  followingIds: readonly string[] | null;
  likesGiven: number | null;
  /** Batches of posts, in any order. Reading it may add warnings or mark the input incomplete. */
  posts: AsyncIterable<readonly Post[]>;
  interactions: AsyncIterable<readonly Interaction[]> | null;
  state: InputState;
  /** Releases what the source holds open (a zip file); safe to call twice. */
  close?: () => void;
  /** For `inspect`: the format found and the files read. */
  describe?: { format: string; files: string[] };
  /**
   * When the source was made — the pull's time, the archive's generation date — ISO-8601; the report's
   * default `asOf` (docs/metrics.md §7), so freshness counts to it rather than to the newest post.
   */
  asOf?: string | null;
  /** What `asOf` was read from (docs/metrics.md "The report date"); absent with no `asOf`. */
  asOfSource?: SourceDateKind | undefined;
  /** What a live pull fetched of who interacted with the posts; null when unknown (exports, older saved files). */
  coverage?: Coverage | null;
  /** The followers a live pull read with their profiles (`--audience`); null when not read. */
  audience?: Audience | null;
}

export const SavedDatasetSchema = z.object({
  kind: z.literal('engage-audit-dataset'),
  schemaVersion: z.literal(1),
  platform: PlatformSchema,
  source: SourceKindSchema,
  target: z.string(),
  complete: z.boolean(),
  warnings: z.array(z.string()),
  account: AccountSchema,
  capabilities: CapabilitiesSchema,
  availability: AvailabilitySchema,
  /** The capability keys `availability` was declared over (every key the writing version knew); older files: none. */
  declared: z.array(z.string()).optional(),
  /** When the source was made (the pull's time); the report's default as-of. */
  asOf: IsoTime.nullable().optional(),
  /** What `asOf` was read from; older files without it: `pull`. */
  asOfSource: z.enum(SOURCE_DATE_KINDS).optional(),
  /** What the pull fetched of who interacted with the posts; older files: unknown. */
  coverage: CoverageSchema.nullable().optional(),
  /** The followers read with their profiles; older files and pulls without --audience: none. */
  audience: AudienceSchema.nullable().optional(),
  followerIds: z.array(z.string()).nullable(),
  followingIds: z.array(z.string()).nullable(),
  likesGiven: z.number().int().nonnegative().nullable(),
  posts: z.array(PostSchema),
  interactions: z.array(InteractionSchema).nullable(),
});
export type SavedDataset = z.infer<typeof SavedDatasetSchema>;
