/**
 * The fixed vocabularies of the model, without their schemas: the audit path reads these at run time
 * and so does not load the schema library (start-up time); dataset.ts and report.ts build their
 * schemas from them.
 */
import type { SourceDateKind } from './dataset.js';

export const PLATFORMS = ['x', 'bluesky', 'mastodon', 'linkedin', 'instagram', 'facebook', 'threads', 'youtube', 'tiktok', 'other'] as const;
export const SOURCE_KINDS = ['archive', 'api', 'csv', 'dataset'] as const;
export const POST_KINDS = ['original', 'thread', 'reply', 'repost', 'quote'] as const;
export const CATEGORIES = ['audience', 'engagement', 'conversation', 'amplification', 'habits'] as const;
/**
 * The same categories in the order people read them: the human reports, `compare` and the config's
 * weights, heaviest default weight first. CATEGORIES keeps the order of the JSON report.
 */
export const CATEGORY_ORDER = ['engagement', 'conversation', 'amplification', 'audience', 'habits'] as const satisfies readonly (typeof CATEGORIES)[number][];
/** The kind of a source's date given without its kind (a saved dataset writes only the others). */
export const DEFAULT_SOURCE_DATE = 'pull' satisfies SourceDateKind;
export const COUNT_NAMES = ['likes', 'replies', 'reposts', 'quotes'] as const;

/** The kinds of interaction a live pull fetches per post, and why it may not have fetched them all (docs/metrics.md "Coverage"). */
export const COVERAGE_KINDS = ['replies', 'likes', 'reposts'] as const;
/** The lists of next actions, in report order (docs/reports.md "Next actions"). */
export const ACTION_IDS = ['unanswered-replies', 'unanswered-engagers', 'one-way', 'new-followers'] as const;
export const COVERAGE_CUTS = ['budget', 'rate-limit', 'deadline', 'interrupted', 'error', 'unreachable'] as const;

/** The classes of a follower (docs/metrics.md "Audience quality"), in precedence order, real last. */
export const AUDIENCE_CLASSES = ['bot', 'newEmpty', 'inactive', 'massFollower', 'real'] as const;
