/**
 * The requests of a live pull after its pages (docs/metrics.md "Coverage"): who replied to, liked and
 * reposted the posts, planned by need and capped by `--budget`, and what was fetched of each kind.
 */
import type { AccountRef, Coverage, CoverageKind, Interaction, KindCoverage, Post } from '../model/dataset.js';
import { COVERAGE_KINDS } from '../model/names.js';
import { EngageAuditError } from '../errors.js';
import { isoUtc } from '../lib/dates.js';
import type { HttpClient } from './http.js';
import { cutOf, type PullEvent, type PullState } from './api-common.js';

/** One answer of the server: the interactions, the cursor of the next page, and whether it gave only part of what there is. */
export interface Fetched {
  interactions: Interaction[];
  next?: string | undefined;
  capped?: boolean;
  /** The requests this answer took when more than one (a thread read page by page in one call): spent from the budget too. */
  requests?: number;
}

/** How a platform fetches who interacted with a post. */
export interface PostRequests {
  pageSize: { likes: number; reposts: number };
  /** One request: the whole thread the server gives. */
  replies?: (client: HttpClient, post: Post) => Promise<Fetched>;
  likes?: (client: HttpClient, post: Post, cursor: string | undefined) => Promise<Fetched>;
  reposts?: (client: HttpClient, post: Post, cursor: string | undefined) => Promise<Fetched>;
  /** Why this post's kind cannot be fetched at all (e.g. X recent search covers 7 days), else null: counted as needed, not fetched, cut 'unreachable'. */
  unreachable?: (post: Post, kind: CoverageKind) => string | null;
  /** What would get the part a server holds back (a `capped` answer), for the warning. */
  cappedHint?: string | undefined;
}

type Cut = NonNullable<KindCoverage['cut']>;

/** One post's list of one kind, and the count that says it is not empty. */
export interface PlannedList {
  post: Post;
  kind: CoverageKind;
  count: number;
}

const received = (p: Post, kind: CoverageKind): number => p.metrics[kind] ?? 0;
const newestFirst = (a: Post, b: Post): number => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/**
 * The lists a pull fetches, in order, of the authored non-repost posts: the thread of every post with
 * replies, most replies first; then likers and reposters, the most engaged post first (ties: newest
 * first). A post that received nothing costs nothing, and a kind the platform never lists (no fetcher
 * in `requests`: Facebook names no reactor or sharer) is not planned, so it is not counted as missing.
 */
export function planLists(posts: readonly Post[], requests: PostRequests): PlannedList[] {
  const own = posts.filter((p) => p.kind !== 'repost');
  const total = (p: Post): number => received(p, 'likes') + received(p, 'reposts') + received(p, 'replies');
  const threads = own.filter((p) => received(p, 'replies') > 0).sort((a, b) => received(b, 'replies') - received(a, 'replies') || newestFirst(a, b));
  const people = own.filter((p) => received(p, 'likes') + received(p, 'reposts') > 0).sort((a, b) => total(b) - total(a) || newestFirst(a, b));
  return [
    ...threads.map((post): PlannedList => ({ post, kind: 'replies', count: received(post, 'replies') })),
    ...people.flatMap((post) => (['likes', 'reposts'] as const).filter((kind) => received(post, kind) > 0).map((kind): PlannedList => ({ post, kind, count: received(post, kind) }))),
  ].filter((list) => requests[list.kind] !== undefined);
}

/** The most pages of a list: a thread is one request; a list, its count's pages and one more (the count may have grown), never a loop. */
function maxPages(list: PlannedList, requests: PostRequests): number {
  return list.kind === 'replies' ? 1 : Math.ceil(list.count / Math.max(1, requests.pageSize[list.kind])) + 1;
}

/** What each kind's warning names: the lists, the posts that need them, and the metrics that count them. */
const WORDS: Record<CoverageKind, [lists: string, posts: string, metrics: string]> = {
  replies: ['Threads', 'posts with replies', 'responsiveness, layers and two-way'],
  likes: ['Likers', 'posts with likes', 'layers, two-way and the engaged audience'],
  reposts: ['Reposters', 'posts with reposts', 'layers, two-way and the engaged audience'],
};

export interface FetchInput {
  client: HttpClient;
  requests: PostRequests;
  posts: readonly Post[];
  /** The most requests to make. */
  budget: number;
  concurrency: number;
  state: PullState;
  onEvent?: ((event: PullEvent) => void) | undefined;
}

/**
 * Fetches the planned lists with `concurrency` requests at a time until the budget is spent, a rate
 * limit, the deadline or Ctrl-C stops the pull (what was fetched is kept), and says what it covered.
 * A list cut part-way keeps the pages it read but does not count as fetched.
 */
export async function fetchInteractions(input: FetchInput): Promise<{ interactions: Interaction[]; coverage: Coverage }> {
  const { client, requests, state } = input;
  const lists = planLists(input.posts, requests);
  const coverage = Object.fromEntries(COVERAGE_KINDS.map((k) => [k, { needed: lists.filter((l) => l.kind === k).length, fetched: 0, cut: null, capped: 0 }])) as Coverage;
  const reasons: Partial<Record<CoverageKind, string>> = {};
  const interactions: Interaction[] = [];
  const total = Math.min(input.budget, lists.reduce((n, l) => n + maxPages(l, requests) - (l.kind === 'replies' ? 0 : 1), 0));
  let left = input.budget;
  let done = 0;
  let failed = 0;
  let firstError: string | null = null;
  const cut = (kind: CoverageKind, why: Cut, reason?: string): void => {
    coverage[kind].cut ??= why;
    if (reason !== undefined) reasons[kind] ??= reason;
  };

  const fetchList = async (list: PlannedList): Promise<void> => {
    const { post, kind } = list;
    const unreachable = requests.unreachable?.(post, kind) ?? null;
    const fetch = kind === 'replies' ? requests.replies && ((c: HttpClient) => requests.replies!(c, post)) : requests[kind] && ((c: HttpClient, cursor: string | undefined) => requests[kind]!(c, post, cursor));
    if (unreachable !== null || !fetch) return cut(kind, 'unreachable', unreachable ?? `the platform does not list ${WORDS[kind][0].toLowerCase()}`);
    const cursors = new Set<string>();
    let cursor: string | undefined;
    let capped = false;
    for (let page = 0; page < maxPages(list, requests); page++) {
      if (state.stoppedBy) return cut(kind, state.stoppedBy);
      if (left <= 0) return cut(kind, 'budget');
      left--;
      let got: Fetched;
      try {
        got = await fetch(client, cursor);
      } catch (error) {
        const why = cutOf(error);
        // A refusal that makes the kind unreachable from now on (an access tier) is counted as such, not as a failure.
        const refused = requests.unreachable?.(post, kind) ?? null;
        if (why === 'error' && refused !== null) return cut(kind, 'unreachable', refused);
        if (why === 'error' && error instanceof EngageAuditError) {
          failed++;
          firstError ??= state.messageOf(error);
          return cut(kind, 'error');
        }
        if (!state.stoppedBy) state.fail('fetching who interacted with the posts', error); // rethrows a bug
        return cut(kind, why);
      }
      // A list read whole in one call (a search or comment thread of several pages) spends every request
      // it took: the budget stops new lists, so it may end a few requests over (docs/metrics.md "Coverage").
      const took = Math.max(1, got.requests ?? 1);
      left -= took - 1;
      done += took;
      input.onEvent?.({ type: 'threads', done, total: Math.max(total, done) });
      interactions.push(...got.interactions);
      capped ||= got.capped === true;
      if (got.next === undefined || cursors.has(got.next)) break;
      cursors.add(got.next);
      cursor = got.next;
    }
    coverage[kind].fetched++;
    if (capped) coverage[kind].capped++;
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < lists.length) await fetchList(lists[next++]!);
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(input.concurrency, lists.length)) }, worker));
  const bug = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (bug) throw bug.reason;

  if (failed > 0) state.warn(`${failed} of ${lists.length} lists of who interacted could not be fetched (first: ${firstError}).`);
  for (const kind of COVERAGE_KINDS) {
    const c = coverage[kind];
    if (c.fetched < c.needed) {
      state.complete = false;
      const [what, posts, metrics] = WORDS[kind];
      const counted = c.fetched === 0 ? `none was fetched, so what ${metrics} need of them is unknown` : `${metrics} count only the fetched ones`;
      state.warn(`${what} of ${c.needed - c.fetched} of ${c.needed} ${posts} were not fetched (${cutText(c.cut ?? 'error', `--budget ${input.budget}`, reasons[kind])}): ${counted}.`);
    }
    if (c.capped > 0) {
      // What the server held back is not counted: the figures describe part of the window.
      state.complete = false;
      state.warn(`The server gave only part of ${c.capped} of the ${WORDS[kind][0].toLowerCase()} it was asked for (it caps what it sends${requests.cappedHint ? `; ${requests.cappedHint}` : ''}): the rest are not counted.`);
    }
  }
  return { interactions, coverage };
}

/** Why a stage stopped short, as a warning's parenthesis says it; `limit` names the cap that a `budget` cut reached. */
export function cutText(cut: Cut, limit: string, reason?: string): string {
  switch (cut) {
    case 'budget':
      return `${limit} reached`;
    case 'rate-limit':
      return 'stopped by a rate limit';
    case 'deadline':
      return 'the --deadline passed';
    case 'interrupted':
      return 'interrupted';
    case 'error':
      return 'their requests failed';
    case 'unreachable':
      return reason?.replace(/\.$/, '') ?? 'out of reach'; // it stands in parentheses
  }
}

/**
 * An interaction by the account `ref` names: called by its handle (else its id), with its id, so that
 * the report counts it as the account the posts name (docs/metrics.md "One identity per account").
 */
export function interactionBy(ref: AccountRef, rest: Omit<Interaction, 'actor' | 'actorId'>): Interaction | null {
  const actor = ref.handle ?? ref.id?.toLowerCase();
  if (!actor) return null;
  const i: Interaction = { ...rest, actor };
  if (ref.id) i.actorId = ref.id;
  return i;
}

/**
 * Depths of replies from their parents: 1 when answering the root, the parent's depth + 1 below; a
 * reply whose parent was not given is at least depth 2. Walks iteratively (chains may be long, in
 * any order) and stops at a cycle.
 */
export function replyDepths(parentOf: ReadonlyMap<string, string | undefined>, rootId: string): (id: string) => number {
  const cache = new Map<string, number>();
  return (id) => {
    const chain: string[] = [];
    const seen = new Set<string>();
    let at: string | undefined = id;
    let base = 0;
    while (at !== undefined) {
      const cached = cache.get(at);
      if (cached !== undefined) {
        base = cached;
        break;
      }
      if (seen.has(at)) break;
      seen.add(at);
      chain.push(at);
      const parent = parentOf.get(at);
      if (parent === rootId || parent === undefined) break;
      at = parent; // a parent not given stands at depth 1, so its reply at depth 2 at least
    }
    for (let i = chain.length - 1, d = base + 1; i >= 0; i--, d++) cache.set(chain[i]!, d);
    return Math.min(cache.get(id)!, 1000);
  };
}

/** A reply of a flat list under `rootId` (id → parent id) as an interaction: its depth, parent and time. */
export function flatReply(ref: AccountRef, rootId: string, id: string, parentOf: ReadonlyMap<string, string | undefined>, depth: (id: string) => number, time: string | undefined): Interaction | null {
  const i = interactionBy(ref, { postId: rootId, id, kind: 'reply', depth: depth(id) });
  if (!i) return null;
  const parent = parentOf.get(id);
  if (parent) i.parentId = parent;
  const at = isoUtc(time);
  if (at) i.createdAt = at;
  return i;
}
