/**
 * The followers a live pull reads when asked (`--audience`, docs/metrics.md "Coverage"): the follower
 * and following lists paged to their end within a cap, through the pull's client (pacing, rate-limit
 * waits, Ctrl-C), and the followers' public profiles: every follower read where the list carries them,
 * else a seeded uniform sample of the whole list, fetched in detail. A platform supplies only what
 * differs: the pages, the mapping of an item, and where the list lacks details, their fetch.
 */
import type { Audience, FollowerProfile, ListedAccount } from '../model/dataset.js';
import type { Declaration } from '../model/capabilities.js';
import { EngageAuditError } from '../errors.js';
import type { HttpClient } from './http.js';
import { HttpError } from './http.js';
import { cutOf, STALE_PAGES, type PullState } from './api-common.js';
import type { PullOptions } from './pull-options.js';
import { cutText } from './pull-threads.js';

type Cut = NonNullable<Audience['cut']>;

/** One page of a list: its raw items and the cursor, token or URL of the next page (absent on the last). */
export interface ListPage {
  items: unknown[];
  next: string | undefined;
}

/** An account a list names, with its profile when the list itself carries the details. */
export interface ListItem {
  account: ListedAccount & { id: string };
  profile: FollowerProfile | null;
}

/** How a platform reads an account's followers and following. */
export interface AudienceRequests<Self> {
  /** 'newest-first' only where the platform documents that its lists are. */
  order: Audience['order'];
  /** The default of `--audience-cap`: the most accounts of each list read, fitting the platform's rate limit. */
  cap: number;
  followers(client: HttpClient, self: Self, cursor: string | undefined): Promise<ListPage>;
  following(client: HttpClient, self: Self, cursor: string | undefined): Promise<ListPage>;
  item(raw: unknown): ListItem | null;
  /** Where the list lacks counts: the profiles of up to `batch` ids a request (ids it does not answer are left out). */
  details?: { batch: number; fetch(client: HttpClient, ids: readonly string[]): Promise<FollowerProfile[]> };
  /** Where the profile lacks it: the time of the account's newest post or repost, null when it has none. */
  lastPost?(client: HttpClient, profile: FollowerProfile): Promise<string | null>;
  /** Why an error answering a list's first page means the platform will not list it (an access tier), else null. */
  refused?(error: unknown): string | null;
}

/** The settings of `--audience`, `--sample`, `--seed` and `--audience-cap`. */
export interface AudienceOptions {
  sample: number;
  seed: number;
  /** The most accounts of each list read; absent: the platform's default. */
  cap?: number | undefined;
}

export const DEFAULT_SAMPLE = 1000;
export const DEFAULT_SEED = 1;
/** The newest followers the audience names (new followers to thank), when the order is known. */
const NEWEST = 100;

/** mulberry32: a small seeded generator of numbers in [0, 1), the same sequence for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` items drawn uniformly without replacement (a partial Fisher–Yates shuffle seeded by `seed`), in
 * the order drawn: any prefix of the result is itself a uniform sample. Fewer than `n` items: all of
 * them, as listed.
 */
export function seededSample<T>(items: readonly T[], n: number, seed: number): T[] {
  if (items.length <= n) return [...items];
  const pool = [...items];
  const random = mulberry32(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/** One list as read: its accounts in the platform's order, why it stopped short, or why it cannot be read at all. */
interface ReadList {
  items: ListItem[];
  cut: Cut | null;
  unavailable: string | null;
}

type ListName = 'followers' | 'following';

/** What the pull holds of the audience once read, for the dataset and its declaration. */
export interface AudienceRead {
  audience: Audience | null;
  followerIds: string[] | null;
  followingIds: string[] | null;
  declaration: Pick<Declaration, 'followerIds' | 'followingIds' | 'followerProfiles' | 'followerOrder'>;
}

export interface AudienceInput<Self> {
  client: HttpClient;
  requests: AudienceRequests<Self>;
  self: Self;
  /** The profile's follower and following counts, when it gives them. */
  counts: { followers: number | null; following: number | null };
  platform: string;
  audience: AudienceOptions;
  options: PullOptions;
  state: PullState;
}

/**
 * Reads the follower and following lists and the followers' profiles. A rate limit, the deadline or
 * Ctrl-C keeps what was read: the lists read in part are not held (the audience says what was read,
 * `cut`, and the profiles are the newest read), and the input is marked incomplete with a warning.
 */
export async function readAudience<Self>(input: AudienceInput<Self>): Promise<AudienceRead> {
  const { requests, audience: settings } = input;
  const cap = settings.cap ?? requests.cap;
  const followers = await readList(input, 'followers', cap);
  const following = await readList(input, 'following', cap);
  const ids = (list: ReadList): string[] | null => (list.cut === null && list.unavailable === null ? list.items.map((i) => i.account.id) : null);
  const whyNot = (list: ReadList, name: ListName): string | true => {
    if (list.unavailable !== null) return list.unavailable;
    if (list.cut !== null) return `The ${name} list was read only in part (${list.items.length} accounts; ${capText(list.cut, cap)}).`;
    return true;
  };
  const declaration: AudienceRead['declaration'] = { followerIds: whyNot(followers, 'followers'), followingIds: whyNot(following, 'following'), followerProfiles: true, followerOrder: true };
  if (followers.unavailable !== null) {
    declaration.followerProfiles = declaration.followerOrder = followers.unavailable;
    return { audience: null, followerIds: null, followingIds: ids(following), declaration };
  }
  const whole = followers.cut === null;
  const profiles = await readProfiles(input, followers.items, whole);
  const audience: Audience = {
    order: requests.order,
    total: input.counts.followers,
    listed: followers.items.length,
    cut: followers.cut,
    newest: requests.order === 'newest-first' ? followers.items.slice(0, NEWEST).map((i) => i.account) : [],
    method: profiles.method,
    seed: profiles.method === 'sample' ? settings.seed : null,
    profiles: profiles.profiles,
  };
  // A list read in part keeps its newest followers' profiles and order (`method: newest`, `cut`, the input incomplete).
  if (profiles.profiles.length === 0 && followers.items.length > 0) {
    // Why none: the pull stopped (a rate limit, the deadline, Ctrl-C) before the first profile, or their requests failed.
    const stopped = input.state.stoppedBy ?? followers.cut;
    declaration.followerProfiles = `No follower profile was fetched${stopped ? ` (${capText(stopped, cap)})` : ': their requests failed'}.`;
  }
  declaration.followerOrder = requests.order !== 'newest-first' ? `${input.platform} does not say in which order it lists followers.` : followers.items.length > 0 || whole ? true : declaration.followerIds;
  return { audience, followerIds: ids(followers), followingIds: ids(following), declaration };
}

/** Pages a list to its end, within the cap; stops at a repeated cursor or stale pages, keeps what was read on a failure. */
async function readList<Self>(input: AudienceInput<Self>, name: ListName, cap: number): Promise<ReadList> {
  const { client, requests, state } = input;
  const items: ListItem[] = [];
  const seen = new Set<string>();
  const cursors = new Set<string>();
  const expected = input.counts[name];
  let cursor: string | undefined;
  let pages = 0;
  let stale = 0;
  const stop = (cut: Cut, warning?: string): ReadList => {
    state.complete = false;
    if (warning) state.warn(warning);
    state.warn(`Read ${items.length}${expected !== null ? ` of ${expected}` : ''} accounts of the ${name} list (${capText(cut, cap)}): the list is not held${name === 'followers' ? ', and the profiles are those of the newest followers read, not a sample of all' : ''}.`);
    return { items, cut, unavailable: null };
  };
  for (;;) {
    if (state.stoppedBy) return stop(state.stoppedBy);
    let page: ListPage;
    try {
      page = await (name === 'followers' ? requests.followers : requests.following)(client, input.self, cursor);
    } catch (error) {
      const refused = pages === 0 ? (requests.refused?.(error) ?? refusedList(error, input.platform, name)) : null;
      if (refused !== null) {
        state.warn(`${refused} --audience read nothing of it; the rest of the report is kept.`);
        return { items, cut: null, unavailable: refused };
      }
      state.fail(`reading the ${name} list (page ${pages + 1})`, error); // rethrows a bug
      return stop(cutOf(error));
    }
    pages++;
    let fresh = 0;
    for (const raw of page.items) {
      const item = requests.item(raw);
      if (!item || seen.has(item.account.id)) continue;
      seen.add(item.account.id);
      items.push(item);
      fresh++;
    }
    input.options.onEvent?.({ type: 'audience', stage: name, done: items.length, total: expected });
    if (pages === 1 && items.length === 0 && !page.next && expected !== null && expected > 0) {
      const why = `${input.platform} answered an empty ${name} list though the profile counts ${expected}: the account hides it (or the server does not list it).`;
      state.warn(`${why} --audience read nothing of it.`);
      return { items, cut: null, unavailable: why };
    }
    const next = page.items.length === 0 ? undefined : page.next;
    // At most the cap is kept, whether or not there is a next page; a list of exactly the cap that ends here is whole.
    if (items.length > cap || (items.length === cap && next)) {
      items.length = cap;
      return stop('budget');
    }
    if (!next) {
      if (expected !== null) warnMismatch(state, name, items.length, expected);
      return { items, cut: null, unavailable: null };
    }
    stale = fresh === 0 ? stale + 1 : 0;
    if (stale >= STALE_PAGES || cursors.has(next)) {
      return stop('error', `The server ${stale >= STALE_PAGES ? `sent ${STALE_PAGES} pages in a row with no account not seen before` : 'sent the same next-page cursor twice'} (${name} list, after ${pages} pages): paging stopped to avoid a loop.`);
    }
    cursors.add(next);
    cursor = next;
  }
}

/**
 * A whole list may name fewer accounts than the profile counts (deleted, suspended or hidden accounts),
 * or more (the profile's count lags behind the list): said beyond a tolerance, not guessed at.
 */
function warnMismatch(state: PullState, name: ListName, listed: number, expected: number): void {
  if (Math.abs(expected - listed) <= Math.max(10, expected * 0.1)) return;
  state.warn(
    listed < expected
      ? `The ${name} list names ${listed} of the ${expected} accounts the profile counts (the platform leaves some out: deleted, suspended or hidden accounts); the figures are of those listed.`
      : `The ${name} list names ${listed} accounts, more than the ${expected} the profile counts (the profile's count lags behind the list); the figures are of those listed.`,
  );
}

/** A refusal of the first page (401, 403, 404: hidden collections, a tier without the endpoint) as the reason the list cannot be read. */
function refusedList(error: unknown, platform: string, name: ListName): string | null {
  if (!(error instanceof HttpError) || error.status === null || ![401, 403, 404].includes(error.status)) return null;
  return `${platform} refused to list the account's ${name} (${error.message.replace(/\.$/, '')}).`;
}

/**
 * The profiles classified: every follower read when the list carries them; else the whole list
 * sampled (`--sample`, `--seed`) when it was read whole, or the newest read, then fetched in detail.
 */
async function readProfiles<Self>(input: AudienceInput<Self>, items: readonly ListItem[], whole: boolean): Promise<{ profiles: FollowerProfile[]; method: Audience['method'] }> {
  const { requests, state, audience: settings } = input;
  if (items.every((i) => i.profile !== null)) return { profiles: items.map((i) => i.profile!), method: whole ? 'all' : 'newest' };
  const chosen = whole ? seededSample(items, settings.sample, settings.seed) : items.slice(0, settings.sample);
  let method: Audience['method'] = !whole ? 'newest' : chosen.length < items.length ? 'sample' : 'all';
  const wanted = chosen.filter((i) => i.profile === null).map((i) => i.account.id);
  const details = requests.details;
  const byId = new Map<string, FollowerProfile>();
  let stopped = false;
  if (details) {
    for (let at = 0; at < wanted.length; at += details.batch) {
      if (state.stoppedBy) {
        stopped = true;
        break;
      }
      try {
        for (const p of await details.fetch(input.client, wanted.slice(at, at + details.batch))) if (p.id !== undefined) byId.set(p.id, p);
      } catch (error) {
        state.fail("fetching the followers' profiles", error);
        stopped = true;
        break;
      }
      input.options.onEvent?.({ type: 'audience', stage: 'profiles', done: Math.min(at + details.batch, wanted.length), total: wanted.length });
    }
  }
  // In the order drawn, so that the profiles fetched before a stop are still a uniform sample.
  const profiles = chosen.flatMap((i): FollowerProfile[] => {
    const p = i.profile ?? byId.get(i.account.id);
    return p ? [{ ...i.account, ...p }] : [];
  });
  if (requests.lastPost) await lastPosts(input, profiles);
  if (profiles.length < chosen.length) {
    state.complete = false;
    if (method === 'all') method = 'newest'; // a prefix of the list as listed: the newest
    state.warn(`The profiles of ${profiles.length} of ${chosen.length} followers chosen were fetched${stopped ? ' before the pull stopped' : ''}: audience quality counts only those.`);
  }
  return { profiles, method };
}

/** Fills `lastPostAt` of every profile with posts (one request each, `concurrency` at a time); a profile with 0 posts never posted. */
async function lastPosts<Self>(input: AudienceInput<Self>, profiles: FollowerProfile[]): Promise<void> {
  const { state } = input;
  const todo = profiles.filter((p) => {
    if (p.posts === 0) p.lastPostAt = null;
    return p.posts !== 0 && p.lastPostAt === undefined;
  });
  let next = 0;
  let done = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length && !state.stoppedBy) {
      const p = todo[next++]!;
      try {
        p.lastPostAt = await input.requests.lastPost!(input.client, p);
      } catch (error) {
        if (!(error instanceof EngageAuditError)) throw error;
        if (cutOf(error) !== 'error') state.fail("fetching the followers' last posts", error);
        else failed++;
      }
      input.options.onEvent?.({ type: 'audience', stage: 'last posts', done: ++done, total: todo.length });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.options.concurrency, todo.length)) }, worker));
  const unknown = todo.filter((p) => p.lastPostAt === undefined).length;
  if (unknown > 0) {
    state.complete = false;
    state.warn(`The last post of ${unknown} of ${todo.length} sampled followers with posts is not known (${failed > 0 ? `${failed} requests failed` : 'the pull stopped first'}): their activity is not counted.`);
  }
}

const capText = (cut: Cut, cap: number): string => cutText(cut, `--audience-cap ${cap}`);

/** The capability keys of an audience pull asked of a platform that does not list followers: the reason, for every key. */
export function noAudienceDeclaration(why: string): AudienceRead['declaration'] {
  return { followerIds: why, followingIds: why, followerProfiles: why, followerOrder: why };
}
