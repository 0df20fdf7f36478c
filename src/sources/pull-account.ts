/**
 * One live pull of an account, the same for every platform: the client and its bounds (timeout,
 * deadline, Ctrl-C), the account's lookup, its posts page by page, then who interacted with every
 * post that received anything, up to the request budget (docs/metrics.md "Coverage"), what was fetched
 * when the pull stops part-way, and the dataset. A platform supplies only what differs: the lookup, a
 * page, the mapping of an item, the requests that name who interacted with a post, its default budget,
 * and what it declares it holds.
 */
import type { Account, Coverage, Dataset, Interaction, Platform, Post } from '../model/dataset.js';
import { DEFAULT_SOURCE_DATE } from '../model/names.js';
import type { Declaration } from '../model/capabilities.js';
import { EngageAuditError } from '../errors.js';
import { InterruptedError, type HttpClient, type HttpOptions } from './http.js';
import { STALE_PAGES, withPull, type PullState } from './api-common.js';
import { memoryDataset } from './memory.js';
import type { PullOptions } from './pull-options.js';
import { fetchInteractions, type PostRequests } from './pull-threads.js';
import { PLATFORM_NAMES } from '../lib/format.js';
import { noAudienceDeclaration, readAudience, type AudienceRead, type AudienceRequests } from './pull-audience.js';

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
  /** The account as the dataset names it, what its pages need of it (`self`), and the likes it gave where the profile counts them. */
  lookup(client: HttpClient): Promise<{ account: Account; self: Self; likesGiven?: number | null }>;
  /** The page after `cursor`, or the first. */
  fetchPage(client: HttpClient, self: Self, cursor: string | undefined): Promise<Page>;
  mapItem(item: unknown, self: Self): Post | null;
  /** Who interacted with a post, each kind asked only when the post's count says someone did; null when the platform names nobody. */
  threads: PostRequests | null;
  /** The default of `--budget`: the requests the platform's rate limit allows a pull after its pages. */
  budget: number;
  /**
   * How `--audience` reads the followers, after the threads; where the platform does not list them, why
   * not (said in one line, no request sent). Absent: the platform's API does not list followers.
   */
  audience?: AudienceRequests<Self> | string | undefined;
  /** What the dataset holds, once every page and thread is in. */
  declare(posts: Post[], interactions: Interaction[] | null): Declaration;
}

export async function pullAccount<Self>(p: AccountPull<Self>, target: string, options: PullOptions): Promise<Dataset> {
  return withPull(options, p.credentials, async (client, state) => {
    const { account, self, likesGiven } = await p.lookup(client);
    const posts = await pagePosts({
      fetchPage: (cursor) => p.fetchPage(client, self, cursor),
      map: (item) => p.mapItem(item, self),
      options,
      state,
      limit: p.limit,
      what: p.what,
    });
    const budget = options.budget ?? p.budget;
    const fetched =
      p.threads && budget > 0 ? await fetchInteractions({ client, requests: p.threads, posts, budget, concurrency: options.concurrency, state, onEvent: options.onEvent }) : null;
    const interactions: Interaction[] | null = fetched?.interactions ?? null;
    const coverage: Coverage | null = fetched?.coverage ?? null;
    if (posts.length === 0 && state.interrupted) throw new InterruptedError();
    if (posts.length === 0 && !state.complete) {
      throw new EngageAuditError('NETWORK', `${p.name}: no posts could be fetched. ${state.warnings.join(' ')}`);
    }
    const audience = await audienceOf(p, client, state, account, self, options);
    return memoryDataset({
      platform: p.platform,
      target,
      account,
      declaration: { ...p.declare(posts, interactions), ...audience?.declaration },
      coverage,
      ...(audience ? { audience: audience.audience, followerIds: audience.followerIds, followingIds: audience.followingIds } : {}),
      posts,
      interactions,
      likesGiven: likesGiven ?? null,
      asOf: options.now === undefined ? null : new Date(options.now).toISOString(),
      asOfSource: DEFAULT_SOURCE_DATE,
      source: 'api',
      complete: state.complete,
      warnings: [...state.warnings],
      interrupted: state.interrupted,
    });
  });
}

/** The followers `--audience` reads, when asked: the platform's audience part, or a note that it lists none (and the reason, declared). */
async function audienceOf<Self>(p: AccountPull<Self>, client: HttpClient, state: PullState, account: Account, self: Self, options: PullOptions): Promise<AudienceRead | null> {
  if (!options.audience) return null;
  if (typeof p.audience !== 'object') {
    const why = p.audience ?? `The ${PLATFORM_NAMES[p.platform] ?? p.platform} API does not list an account's followers.`;
    options.onEvent?.({ type: 'note', message: `--audience: ${why.replace(/\.$/, '')}; nothing was read.` });
    return { audience: null, followerIds: null, followingIds: null, declaration: noAudienceDeclaration(why) };
  }
  return readAudience({ client, requests: p.audience, self, counts: { followers: account.followers, following: account.following }, platform: PLATFORM_NAMES[p.platform] ?? p.platform, audience: options.audience, options, state });
}

export interface Page {
  items: unknown[];
  /** The cursor, token or URL of the next page; absent on the last page. */
  next: string | undefined;
}

/** A post limit of the platform's own, and how the warning names it. */
export interface PageLimit {
  max: number;
  warning: string;
}


/**
 * Reads an account's posts page by page, newest first, until the window start, the post limit, the
 * last page, an empty page, a repeated cursor or STALE_PAGES pages in a row with nothing new. A
 * failure keeps what was read (`state` says why).
 */
async function pagePosts(input: {
  fetchPage: (cursor: string | undefined) => Promise<Page>;
  map: (item: unknown) => Post | null;
  options: PullOptions;
  state: PullState;
  limit?: PageLimit | undefined;
  what: string;
}): Promise<Post[]> {
  const { options, state } = input;
  const max = input.limit?.max ?? options.maxPosts;
  const posts: Post[] = [];
  const seen = new Set<string>();
  const cursors = new Set<string>(); // a repeated one is a server bug that would loop forever
  let cursor: string | undefined;
  let pages = 0;
  let stale = 0;
  try {
    for (;;) {
      const page = await input.fetchPage(cursor);
      pages++;
      let reachedStart = false;
      let fresh = 0;
      for (const item of page.items) {
        const p = input.map(item);
        if (!p || seen.has(p.id)) continue;
        if (options.since !== undefined && Date.parse(p.createdAt) < options.since) {
          reachedStart = true;
          continue;
        }
        seen.add(p.id);
        fresh++;
        posts.push(p);
        if (posts.length >= max) break;
      }
      options.onEvent?.({ type: 'page', pages, posts: posts.length });
      if (posts.length >= max) {
        state.warn(input.limit?.warning ?? `Read the newest ${max} posts (--max-posts ${max}); older posts are not in this report.`);
        break;
      }
      if (reachedStart || page.items.length === 0 || !page.next) break;
      stale = fresh === 0 ? stale + 1 : 0;
      if (stale >= STALE_PAGES) {
        state.complete = false;
        state.warn(`${STALE_PAGES} pages in a row brought no post not seen before (after ${pages} pages), each with a new cursor: paging stopped to avoid a loop.`);
        break;
      }
      if (cursors.has(page.next)) {
        state.complete = false;
        state.warn(`The server sent the same next-page cursor twice (after ${pages} pages): paging stopped to avoid a loop.`);
        break;
      }
      cursors.add(page.next);
      cursor = page.next;
    }
  } catch (error) {
    state.fail(`reading ${input.what} (page ${pages + 1})`, error);
  }
  return posts;
}
