/**
 * One live pull of an account, the same for every platform: the client and its bounds (timeout,
 * deadline, Ctrl-C), the account's lookup, its posts page by page, the threads of the newest posts
 * while the pages come, what was fetched when the pull stops part-way, and the dataset. A platform
 * supplies only what differs: the lookup, a page, the mapping of an item, a thread, and what it
 * declares it holds.
 */
import type { Account, Dataset, Interaction, Platform, Post } from '../model/dataset.js';
import type { Declaration } from '../model/capabilities.js';
import { EngageAuditError } from '../errors.js';
import { InterruptedError, type HttpClient, type HttpOptions } from './http.js';
import { withPull } from './api-common.js';
import { memoryDataset } from './memory.js';
import { pagePosts, type Page, type PageLimit } from './pull-pages.js';
import { ThreadPipeline, type ThreadCandidate } from './pull-threads.js';
import type { PullOptions } from './pull-options.js';

/** What the lookup found: the account as the dataset names it, and what its pages and threads need of it (`Self`). */
export interface Found<Self> {
  account: Account;
  self: Self;
  /** The likes the account gave, where the profile counts them. */
  likesGiven?: number | null;
}

/** What a platform supplies to a pull. */
export interface AccountPull<Self> {
  platform: Platform;
  /** How the "no posts could be fetched" error names the account. */
  name: string;
  /** Sent only to their origin (SECURITY.md). */
  credentials?: HttpOptions['credentials'] | undefined;
  /** What the pages are, for a warning: "the author feed", "statuses". */
  what: string;
  /** A post limit of the platform's own, below --max-posts. */
  limit?: PageLimit | undefined;
  lookup(client: HttpClient): Promise<Found<Self>>;
  /** The page after `cursor`, or the first. */
  fetchPage(client: HttpClient, self: Self, cursor: string | undefined): Promise<Page>;
  mapItem(item: unknown, self: Self): Post | null;
  /**
   * Who interacted with a post (by its id), each kind asked only when the post's count says someone
   * did; null when the platform names nobody.
   */
  threads: Record<(typeof KINDS)[number], (client: HttpClient, postId: string) => Promise<Interaction[]>> | null;
  /** What the dataset holds, once every page and thread is in. */
  declare(posts: Post[], interactions: Interaction[] | null): Declaration;
}

const KINDS = ['replies', 'likes', 'reposts'] as const;

export async function pullAccount<Self>(p: AccountPull<Self>, target: string, options: PullOptions): Promise<Dataset> {
  return withPull(options, p.credentials, async (client, state) => {
    const { account, self, likesGiven } = await p.lookup(client);
    const threads = options.threads > 0 ? p.threads : null;
    const fetchOne = threads && (async (c: ThreadCandidate) => (await Promise.all(KINDS.filter((k) => c[k] > 0).map((k) => threads[k](client, c.post.id)))).flat());
    const pipeline = fetchOne ? new ThreadPipeline(options.threads, fetchOne, state, options.onEvent) : null;
    const posts = await pagePosts({
      fetchPage: (cursor) => p.fetchPage(client, self, cursor),
      map: (item) => p.mapItem(item, self),
      options,
      state,
      pipeline,
      limit: p.limit,
      what: p.what,
    });
    const interactions = pipeline ? await pipeline.finish(posts) : null;
    if (posts.length === 0 && state.interrupted) throw new InterruptedError();
    if (posts.length === 0 && !state.complete) {
      throw new EngageAuditError('NETWORK', `${p.name}: no posts could be fetched. ${state.warnings.join(' ')}`);
    }
    return memoryDataset({
      platform: p.platform,
      target,
      account,
      declaration: p.declare(posts, interactions),
      posts,
      interactions,
      likesGiven: likesGiven ?? null,
      asOf: options.now === undefined ? null : new Date(options.now).toISOString(),
      asOfSource: 'pull',
      source: 'api',
      complete: state.complete,
      warnings: [...state.warnings],
      interrupted: state.interrupted,
    });
  });
}
