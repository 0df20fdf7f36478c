/**
 * The followers of a world's account, for `--audience` tests: a hand-made list whose every profile's
 * class is known, or a generated one of any size (seeded, deterministic), served as Bluesky
 * (getFollowers, getFollows, getProfiles, getAuthorFeed), Mastodon (followers, following with Link
 * headers) and X v2 (followers, following) answer, with each platform's quirks.
 */

export type FollowerClass = 'bot' | 'inactive' | 'never-posted' | 'mass-follower' | 'new-empty' | 'real';

export interface WorldFollower {
  name: string;
  cls: FollowerClass;
  createdAt: number;
  posts: number;
  followers: number;
  following: number;
  /** The newest post or repost; null: never posted. */
  lastPostAt: number | null;
  bot: boolean;
  /** Bluesky: the author feed starts with an old pinned post. */
  pinned?: boolean;
  /** Bluesky: the newest activity is a repost of an old post (the repost's time counts). */
  reposted?: boolean;
  /** Mastodon: the server sends `last_status_at` as a full time (older servers), not a date. */
  fullTime?: boolean;
}

export interface WorldAudience {
  /** Newest follow first. */
  followers: WorldFollower[];
  /** Newest follow first. */
  following: string[];
  /** Mastodon: the owner hides the collections (an empty list), or the server refuses (Pleroma-like 403). X: 'forbidden' = the tier refuses. */
  hidden?: 'empty' | 'forbidden';
  /** A 429 with a long Retry-After on every followers page from this page index on. */
  rateLimitFromPage?: number;
}

const DAY = 86_400_000;

export const didOf = (name: string): string => `did:plc:${name.replace(/[^a-z0-9]/g, '')}`;
export const mastodonIdOf = (name: string): string => `m-${name}`;
export const xIdOf = (name: string): string => String((name.startsWith('g') ? 8_000_000_000 : 7_000_000_000) + Number(name.replace(/\D/g, '') || 0));
/** An X post id made at `ms` (a snowflake: the time in its upper bits). */
export const snowflakeAt = (ms: number): string => ((BigInt(ms) - 1_288_834_974_657n) << 22n).toString();

/** A follower of class `cls`, number `i`, as of `now`. */
function follower(cls: FollowerClass, i: number, now: number): WorldFollower {
  const name = `f${String(i).padStart(5, '0')}`;
  const base = { name, cls, createdAt: now - (400 + (i % 300)) * DAY, posts: 40 + (i % 200), followers: 50 + (i % 400), following: 80 + (i % 300), lastPostAt: now - (1 + (i % 20)) * DAY, bot: false };
  switch (cls) {
    case 'bot':
      return { ...base, bot: true, posts: 5000 + i };
    case 'inactive':
      return { ...base, lastPostAt: now - (400 + (i % 100)) * DAY };
    case 'never-posted':
      return { ...base, posts: 0, lastPostAt: null };
    case 'mass-follower':
      return { ...base, following: 1600 + (i % 5000) };
    case 'new-empty':
      return { ...base, createdAt: now - (2 + (i % 10)) * DAY, posts: 0, lastPostAt: null, followers: i % 3, following: 20 + (i % 40) };
    case 'real':
      return base;
  }
}

const CLASSES: FollowerClass[] = ['bot', 'inactive', 'never-posted', 'mass-follower', 'new-empty', 'real'];

/** 36 followers, six of each class, newest follow first, with every platform's quirks on some of them. */
export function handMadeAudience(now: number): WorldAudience {
  const followers = Array.from({ length: 36 }, (_, i) => {
    const f = follower(CLASSES[i % 6]!, i, now);
    if (f.cls === 'real' && i % 12 === 5) f.pinned = true;
    if (f.cls === 'real' && i % 12 === 11) f.reposted = true;
    if (f.cls === 'inactive' && i % 12 === 1) f.fullTime = true;
    return f;
  });
  return { followers, following: Array.from({ length: 12 }, (_, i) => `g${String(i).padStart(5, '0')}`) };
}

/** `n` followers whose classes are drawn by a seeded generator (bots 10%, inactive 20%, never posted 10%, mass-followers 5%, new and empty 5%, real 50%). */
export function generatedAudience(n: number, seed: number, now: number): WorldAudience {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0; // an LCG, another route than the pull's sampler
    return state / 4_294_967_296;
  };
  const followers = Array.from({ length: n }, (_, i) => {
    const r = next();
    const cls: FollowerClass = r < 0.1 ? 'bot' : r < 0.3 ? 'inactive' : r < 0.4 ? 'never-posted' : r < 0.45 ? 'mass-follower' : r < 0.5 ? 'new-empty' : 'real';
    return follower(cls, i, now);
  });
  return { followers, following: Array.from({ length: 150 }, (_, i) => `g${String(i).padStart(5, '0')}`) };
}

type Answer = { status?: number; json: unknown; link?: string; headers?: Record<string, string> } | null;

const iso = (ms: number): string => new Date(ms).toISOString();

function page<T>(items: readonly T[], offset: number, size: number): { items: T[]; next: number | null } {
  const slice = items.slice(offset, offset + size);
  return { items: slice, next: offset + size < items.length ? offset + size : null };
}

const TOO_MANY: Answer = { status: 429, json: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, headers: { 'retry-after': '3600' } };

/** Whether this followers page is past `rateLimitFromPage`. */
function limited(aud: WorldAudience, offset: number, size: number): boolean {
  return aud.rateLimitFromPage !== undefined && offset >= aud.rateLimitFromPage * size;
}

const indexes = new WeakMap<WorldAudience, Map<string, WorldFollower>>();
/** The followers by DID, made once per audience (a large one is asked thousands of times). */
function indexOf(aud: WorldAudience): Map<string, WorldFollower> {
  let index = indexes.get(aud);
  if (!index) indexes.set(aud, (index = new Map(aud.followers.map((f) => [didOf(f.name), f]))));
  return index;
}

/** Bluesky: the lists, the detailed profiles and the followers' author feeds; null for any other request. */
export function blueskyAudienceAnswer(aud: WorldAudience, url: URL, selfDid: string): Answer {
  const q = url.searchParams;
  const byDid = indexOf(aud);
  const labels = (f: WorldFollower, i: number) => [
    ...(f.bot ? [{ src: didOf(f.name), uri: `at://${didOf(f.name)}/app.bsky.actor.profile/self`, cid: 'bafyself', val: 'bot', cts: iso(f.createdAt) }] : []),
    // A label that is not a bot declaration, and a `bot` label put by a labeler (not self-declared).
    ...(i % 5 === 0 ? [{ src: didOf(f.name), uri: `at://${didOf(f.name)}/app.bsky.actor.profile/self`, cid: 'bafyself', val: '!no-unauthenticated', cts: iso(f.createdAt) }] : []),
    ...(f.cls === 'real' && i % 7 === 0 ? [{ src: 'did:plc:somelabeler', uri: didOf(f.name), val: 'bot', cts: iso(f.createdAt) }] : []),
  ];
  const view = (f: WorldFollower, i: number) => ({ did: didOf(f.name), handle: `${f.name}.bsky.social`, displayName: f.name, createdAt: iso(f.createdAt), indexedAt: iso(f.createdAt), labels: labels(f, i) });
  switch (url.pathname) {
    case '/xrpc/app.bsky.graph.getFollowers':
    case '/xrpc/app.bsky.graph.getFollows': {
      if (q.get('actor') !== selfDid) return null;
      const followers = url.pathname.endsWith('getFollowers');
      const offset = Number(q.get('cursor') ?? 0);
      const size = Math.min(100, Number(q.get('limit') ?? 50));
      if (followers && limited(aud, offset, size)) return TOO_MANY;
      const p = followers ? page(aud.followers, offset, size) : page(aud.following, offset, size);
      const items = followers ? (p.items as WorldFollower[]).map((f, i) => view(f, offset + i)) : (p.items as string[]).map((name) => ({ did: didOf(name), handle: `${name}.bsky.social`, labels: [] }));
      return { json: { subject: { did: selfDid, handle: 'self' }, [followers ? 'followers' : 'follows']: items, ...(p.next !== null ? { cursor: String(p.next) } : {}) } };
    }
    case '/xrpc/app.bsky.actor.getProfiles': {
      const actors = q.getAll('actors');
      if (actors.length > 25) return { status: 400, json: { error: 'InvalidRequest', message: 'Array too long' } };
      const profiles = actors.flatMap((did) => {
        const f = byDid.get(did);
        if (!f) return [];
        return [{ ...view(f, Number(f.name.slice(1))), followersCount: f.followers, followsCount: f.following, postsCount: f.posts }];
      });
      return { json: { profiles } };
    }
    case '/xrpc/app.bsky.feed.getAuthorFeed': {
      const f = byDid.get(q.get('actor') ?? '');
      if (!f) return null; // the account's own feed
      const author = { did: didOf(f.name), handle: `${f.name}.bsky.social` };
      const post = (rkey: string, at: number) => ({ uri: `at://${author.did}/app.bsky.feed.post/${rkey}`, cid: 'bafy', author, record: { text: rkey, createdAt: iso(at) }, indexedAt: iso(at) });
      const feed: unknown[] = [];
      if (f.lastPostAt !== null) {
        if (f.pinned) feed.push({ post: post('pinned', f.createdAt + DAY), reason: { $type: 'app.bsky.feed.defs#reasonPin' } });
        if (f.reposted) {
          const other = { did: 'did:plc:other', handle: 'other.bsky.social' };
          feed.push({ post: { ...post('old', f.lastPostAt - 400 * DAY), author: other }, reason: { $type: 'app.bsky.feed.defs#reasonRepost', by: author, indexedAt: iso(f.lastPostAt) } });
        } else feed.push({ post: post('newest', f.lastPostAt) });
      }
      const p = page(feed, Number(q.get('cursor') ?? 0), Number(q.get('limit') ?? 50));
      return { json: { feed: p.items, ...(p.next !== null ? { cursor: String(p.next) } : {}) } };
    }
  }
  return null;
}

/** A Mastodon Account of a follower: `created_at` rounded to midnight, `last_status_at` a date (or a full time on older servers). */
export function mastodonAccount(f: WorldFollower, origin: string) {
  const day = (ms: number): string => iso(ms).slice(0, 10);
  return {
    id: mastodonIdOf(f.name),
    username: f.name,
    acct: `${f.name}@remote.example`,
    url: `https://remote.example/@${f.name}`,
    display_name: f.name,
    bot: f.bot,
    created_at: `${day(f.createdAt)}T00:00:00.000Z`,
    last_status_at: f.lastPostAt === null ? null : f.fullTime ? iso(f.lastPostAt) : day(f.lastPostAt),
    statuses_count: f.posts,
    followers_count: f.followers,
    following_count: f.following,
    note: `<p>${origin}</p>`,
  };
}

/** Mastodon: followers and following of `selfId` (80 a page at most, Link headers); null for any other request. */
export function mastodonAudienceAnswer(aud: WorldAudience, url: URL, origin: string, selfId: string): Answer {
  const m = new RegExp(`^/api/v1/accounts/${selfId}/(followers|following)$`).exec(url.pathname);
  if (!m) return null;
  if (aud.hidden === 'forbidden') return { status: 403, json: { error: 'This action is not allowed' } };
  if (aud.hidden === 'empty') return { json: [] };
  const followers = m[1] === 'followers';
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const size = Math.min(80, Number(url.searchParams.get('limit') ?? 40));
  if (followers && limited(aud, offset, size)) return { ...TOO_MANY, json: { error: 'Too many requests' } };
  const list: unknown[] = followers ? aud.followers.map((f) => mastodonAccount(f, origin)) : aud.following.map((name) => ({ id: mastodonIdOf(name), acct: name, url: `${origin}/@${name}` }));
  const p = page(list, offset, size);
  if (p.next === null) return { json: p.items };
  const next = new URL(url.pathname + url.search, origin);
  next.searchParams.set('offset', String(p.next));
  return { json: p.items, link: `<${next.toString()}>; rel="next", <${origin}${url.pathname}?since_id=1>; rel="prev"` };
}

/** X: followers and following of `selfId` (`max_results` a page, `t<offset>` tokens); null for any other request. */
export function xAudienceAnswer(aud: WorldAudience, url: URL, selfId: string, notEnrolled: unknown): Answer {
  const m = new RegExp(`^/2/users/${selfId}/(followers|following)$`).exec(url.pathname);
  if (!m) return null;
  if (aud.hidden === 'forbidden') return { status: 403, json: notEnrolled };
  const followers = m[1] === 'followers';
  const q = url.searchParams;
  const offset = Number(q.get('pagination_token')?.slice(1) ?? 0);
  const size = Number(q.get('max_results') ?? 100);
  if (followers && limited(aud, offset, size)) return { status: 429, json: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 3600), 'retry-after': '3600' } };
  const fields = new Set((q.get('user.fields') ?? '').split(','));
  const user = (f: WorldFollower) => ({
    id: xIdOf(f.name),
    username: f.name,
    name: f.name,
    ...(fields.has('created_at') ? { created_at: iso(f.createdAt) } : {}),
    ...(fields.has('public_metrics') ? { public_metrics: { followers_count: f.followers, following_count: f.following, tweet_count: f.posts, listed_count: 0, like_count: 3 } } : {}),
    // Absent when the account never posted.
    ...(fields.has('most_recent_tweet_id') && f.lastPostAt !== null ? { most_recent_tweet_id: snowflakeAt(f.lastPostAt) } : {}),
  });
  const list: unknown[] = followers ? aud.followers.map(user) : aud.following.map((name) => ({ id: xIdOf(name), username: name, name }));
  const p = page(list, offset, size);
  return { json: { ...(p.items.length ? { data: p.items } : {}), meta: { result_count: p.items.length, ...(p.next !== null ? { next_token: `t${p.next}` } : {}) } } };
}
