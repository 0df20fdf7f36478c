/** What a pull declares it holds (docs/metrics.md): alike for every platform, or watched as pages arrive. */
import type { Interaction, Post } from '../model/dataset.js';
import type { Declaration, PartialDeclaration } from '../model/capabilities.js';

/**
 * What every pull declares alike: the account's own posts of every kind with whom they name (the
 * account's id is known, so self-replies are told from replies), the profile's follower and following
 * counts, and no follower or following lists.
 */
export const EVERY_PULL = {
  replyPosts: true,
  repostPosts: true,
  quotePosts: true,
  threadPosts: true,
  outboundIdentities: true,
  followers: true,
  following: true,
  followerIds: 'Follower lists are not pulled (the counts come from the profile).',
  followingIds: 'Following lists are not pulled (the counts come from the profile).',
  followerProfiles: 'The followers were not read (--audience reads them where the platform lists them).',
  followerOrder: 'The followers were not read (--audience reads them where the platform lists them).',
  account: true,
} as const satisfies PartialDeclaration;

/** The follower and following lists of a platform that lists them (Bluesky, Mastodon, X): read with `--audience`, which then says what it read. */
export const LISTS_BY_AUDIENCE = {
  followerIds: 'Follower lists are read only with --audience (the counts come from the profile).',
  followingIds: 'Following lists are read only with --audience (the counts come from the profile).',
} as const satisfies PartialDeclaration;

/** Who interacted and the replies under the posts: held once threads were fetched, else `--budget 0` says why. */
export function threadsDeclaration(interactions: readonly Interaction[] | null): Pick<Declaration, 'inboundIdentities' | 'replyThreads'> {
  const why = interactions === null ? 'Threads were not fetched (--budget 0).' : true;
  return { inboundIdentities: why, replyThreads: why };
}

/**
 * A count some servers do not send at all (older versions): watched page by page. When no item of any
 * page carried it, every post's value is null (not sent, not 0) and the availability says why.
 */
export class OptionalCount<M extends keyof Post['metrics']> {
  private seen = false;
  constructor(
    private readonly metric: M,
    private readonly carries: (item: unknown) => boolean,
  ) {}

  watch(items: readonly unknown[]): void {
    if (!this.seen && items.some(this.carries)) this.seen = true;
  }

  /** Nulls the count on every post when it was never sent; the count declared held, or why not. */
  settle(posts: readonly Post[], reason: string): Pick<Declaration, M> {
    const held: true | string = this.seen || reason;
    if (!this.seen) for (const p of posts) p.metrics[this.metric] = null;
    return { [this.metric]: held } as Pick<Declaration, M>;
  }
}
