/** The paging of a pull: an account's posts, newest first, with the stops that keep it bounded. */
import type { Post } from '../model/dataset.js';
import type { PullState } from './api-common.js';
import type { PullOptions } from './pull-options.js';
import type { ThreadPipeline } from './pull-threads.js';

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

/** Pages in a row that bring no post not seen before, whatever their cursor: the server is looping. */
const STALE_PAGES = 3;

/**
 * Reads an account's posts page by page, newest first, until the window start, the post limit, the
 * last page, an empty page, a repeated cursor or STALE_PAGES pages in a row with nothing new. A
 * failure keeps what was read (`state` says why). Each new post is offered to the thread pipeline as
 * it arrives.
 */
export async function pagePosts(input: {
  fetchPage: (cursor: string | undefined) => Promise<Page>;
  map: (item: unknown) => Post | null;
  options: PullOptions;
  state: PullState;
  pipeline: ThreadPipeline | null;
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
        input.pipeline?.offer(p);
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
