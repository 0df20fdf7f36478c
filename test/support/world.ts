/**
 * A generated world for live-pull tests: one account's 240 posts over 80 days, the replies, likes and
 * reposts they received (with the account's own answers), and a real HTTP server on 127.0.0.1 that
 * serves it as Bluesky's AppView, a Mastodon instance or the X API v2 would, counting every request
 * by its URL.
 * The world keeps its own list of who did what, so tests can compute the expected figures from it.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blueskyAudienceAnswer, mastodonAudienceAnswer, xAudienceAnswer, type WorldAudience } from './audience-world.js';

export interface WorldPost {
  id: string;
  time: number;
  /** 'original' for the 240 posts; 'answer' for the account's replies to a reply. */
  kind: 'original' | 'answer';
  /** Answers: the reply answered, its author and its thread's root post. */
  parentId?: string;
  target?: string;
  rootId?: string;
}

/** A reply in a thread, by someone else (`actor`) or by the account (`actor` = the account). */
export interface WorldReply {
  id: string;
  rootId: string;
  parentId: string;
  actor: string;
  depth: number;
  time: number;
}

export interface World {
  self: string;
  posts: WorldPost[];
  /** Every reply under the posts, the account's answers included, in time order. */
  replies: WorldReply[];
  likes: Array<{ postId: string; actor: string }>;
  reposts: Array<{ postId: string; actor: string }>;
  start: number;
  end: number;
  /** The account's followers and following, served to `--audience` (audience-world.ts). */
  audience?: WorldAudience;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * 240 originals, one every 8 hours over 80 days; 84 direct replies by others (62 under one post, the
 * rest spread over the window), a few deeper replies by others, answers by the account to every third
 * direct reply; likes on most posts (three with over 100 likers), reposts on every ninth post.
 */
export function makeWorld(self: string, name: (i: number) => string): World {
  const start = Date.UTC(2025, 0, 1);
  const posts: WorldPost[] = [];
  for (let i = 0; i < 240; i++) posts.push({ id: `p${String(i).padStart(3, '0')}`, time: start + i * 8 * HOUR, kind: 'original' });
  const replies: WorldReply[] = [];
  const big = posts[100]!;
  const onPost: Array<WorldPost> = [];
  for (let k = 0; k < 62; k++) onPost.push(big);
  for (let k = 0; k < 22; k++) onPost.push(posts[(k * 11 + 3) % 240]!); // 22 posts spread over the window
  onPost.forEach((post, k) => {
    const id = `r${k}`;
    replies.push({ id, rootId: post.id, parentId: post.id, actor: name(k % 30), depth: 1, time: post.time + (k + 1) * 60_000 });
    if (k % 3 === 0) replies.push({ id: `a${k}`, rootId: post.id, parentId: id, actor: self, depth: 2, time: post.time + (k + 1) * 60_000 + (k % 5 + 1) * 30 * 60_000 });
    if (k % 7 === 1) {
      replies.push({ id: `d${k}`, rootId: post.id, parentId: id, actor: name(60 + (k % 8)), depth: 2, time: post.time + (k + 1) * 60_000 + 2 * HOUR });
      if (k % 14 === 1) replies.push({ id: `e${k}`, rootId: post.id, parentId: `d${k}`, actor: name(70 + (k % 5)), depth: 3, time: post.time + (k + 1) * 60_000 + 3 * HOUR });
    }
  });
  replies.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
  for (const r of replies) if (r.actor === self) posts.push({ id: r.id, time: r.time, kind: 'answer', parentId: r.parentId, target: replies.find((x) => x.id === r.parentId)!.actor, rootId: r.rootId });
  posts.sort((a, b) => b.time - a.time);
  const likes: World['likes'] = [];
  const reposts: World['reposts'] = [];
  for (const [i, p] of posts.filter((x) => x.kind === 'original').entries()) {
    const n = i === 20 || i === 120 || i === 230 ? 150 + i / 10 : i % 4 === 0 ? 0 : 1 + (i % 6);
    for (let j = 0; j < n; j++) likes.push({ postId: p.id, actor: name(j < 50 ? (i + j) % 50 : 100 + j) });
    if (i % 9 === 0) for (let j = 0; j < 1 + (i % 3); j++) reposts.push({ postId: p.id, actor: name(45 + ((i + j) % 10)) });
  }
  return { self, posts, replies, likes, reposts, start, end: start + 80 * DAY };
}

/** How many direct replies by others, likes and reposts a post received. */
export function countsOf(world: World, postId: string): { replies: number; likes: number; reposts: number } {
  return {
    replies: world.replies.filter((r) => r.rootId === postId && r.depth === 1).length,
    likes: world.likes.filter((l) => l.postId === postId).length,
    reposts: world.reposts.filter((l) => l.postId === postId).length,
  };
}

/**
 * The world with replies of the account to other people's posts (`o0`, `o1`, … by `targets[k]`), one
 * hour after its posts `p000`, `p001`, …: whom it engages with, whether or not they interact.
 */
export function withOutbound(world: World, targets: readonly string[]): World {
  const replies = targets.map((target, k): WorldPost => ({ id: `q${k}`, time: world.start + k * 8 * HOUR + HOUR, kind: 'answer', parentId: `o${k}`, target, rootId: `o${k}` }));
  return { ...world, posts: [...world.posts, ...replies].sort((a, b) => b.time - a.time) };
}

export interface WorldServer {
  url: string;
  /** How many times each path + query was asked. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

/** The most descendants the fake Mastodon context gives, as an instance does for a visitor. */
export const CONTEXT_CAP = 60;

/** How the fake X API answers: its time, its bearer token, and whether the token's tier has full-archive search. */
export interface XTier {
  now: number;
  token: string;
  archive: boolean;
}

/** Serves the world as `platform` does, in pages of the size asked; X as the tier `x` allows. */
export async function serveWorld(world: World, platform: 'bluesky' | 'mastodon'): Promise<WorldServer>;
export async function serveWorld(world: World, platform: 'x', x: XTier): Promise<WorldServer>;
export async function serveWorld(world: World, platform: 'bluesky' | 'mastodon' | 'x', tier?: XTier): Promise<WorldServer> {
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = `${url.pathname}${url.search}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const body =
      audienceOf(world, platform, url, `http://${req.headers.host}`) ??
      (platform === 'bluesky'
        ? bluesky(world, url)
        : platform === 'mastodon'
          ? mastodon(world, url, `http://${req.headers.host}`)
          : req.headers.authorization !== `Bearer ${tier!.token}`
            ? { status: 401, json: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } }
            : x(world, url, tier!));
    send(res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Answer = { status?: number; json: unknown; link?: string; headers?: Record<string, string> } | null;

/** The followers and following lists (and Bluesky's profiles and followers' feeds), when the world has an audience. */
function audienceOf(world: World, platform: 'bluesky' | 'mastodon' | 'x', url: URL, origin: string): Answer {
  if (!world.audience) return null;
  if (platform === 'bluesky') return blueskyAudienceAnswer(world.audience, url, DID(world.self));
  return platform === 'mastodon' ? mastodonAudienceAnswer(world.audience, url, origin, 'self-id') : xAudienceAnswer(world.audience, url, X_SELF_ID, X_NOT_ENROLLED);
}

function send(res: ServerResponse, answer: Answer): void {
  if (!answer) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"NotFound"}');
    return;
  }
  res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...(answer.link ? { link: answer.link } : {}), ...answer.headers }).end(JSON.stringify(answer.json));
}

/** The items from `offset`, `size` of them, and the offset after them when there are more. */
function slice<T>(items: readonly T[], offset: number, size: number): { items: T[]; next: number | null } {
  const page = items.slice(offset, offset + size);
  return { items: page, next: offset + size < items.length ? offset + size : null };
}

const DID = (actor: string): string => `did:plc:${actor.replace(/[^a-z0-9]/g, '')}`;
const AT = (world: World, id: string): string => `at://${DID(world.self)}/app.bsky.feed.post/${id}`;
const idOfAt = (uri: string): string => uri.split('/').pop()!;
const iso = (ms: number): string => new Date(ms).toISOString();

function bluesky(world: World, url: URL): Answer {
  const q = url.searchParams;
  const author = (actor: string) => ({ did: DID(actor), handle: actor });
  switch (url.pathname) {
    case '/xrpc/app.bsky.actor.getProfile':
      return { json: { did: DID(world.self), handle: world.self, displayName: 'World', followersCount: 500, followsCount: 100, postsCount: world.posts.length } };
    case '/xrpc/app.bsky.feed.getAuthorFeed': {
      const page = slice(world.posts, Number(q.get('cursor') ?? 0), Number(q.get('limit') ?? 50));
      const feed = page.items.map((p) => {
        const c = countsOf(world, p.id);
        const post = {
          uri: AT(world, p.id),
          author: author(world.self),
          record: { text: p.id, createdAt: iso(p.time), ...(p.kind === 'answer' ? { reply: { root: { uri: AT(world, p.rootId!) }, parent: { uri: `at://${DID(p.target!)}/app.bsky.feed.post/${p.parentId}` } } } : {}) },
          indexedAt: iso(p.time),
          likeCount: c.likes,
          replyCount: c.replies,
          repostCount: c.reposts,
          quoteCount: 0,
        };
        return p.kind === 'answer' ? { post, reply: { parent: { uri: post.record.reply!.parent.uri, author: author(p.target!) } } } : { post };
      });
      return { json: { feed, ...(page.next !== null ? { cursor: String(page.next) } : {}) } };
    }
    case '/xrpc/app.bsky.feed.getPostThread': {
      const rootId = idOfAt(q.get('uri')!);
      const node = (parentId: string): unknown[] =>
        world.replies
          .filter((r) => r.rootId === rootId && r.parentId === parentId)
          .map((r) => ({ post: { uri: r.actor === world.self ? AT(world, r.id) : `at://${DID(r.actor)}/app.bsky.feed.post/${r.id}`, author: author(r.actor), indexedAt: iso(r.time) }, replies: node(r.id) }));
      return { json: { thread: { post: { uri: q.get('uri') }, replies: node(rootId) } } };
    }
    case '/xrpc/app.bsky.feed.getLikes':
    case '/xrpc/app.bsky.feed.getRepostedBy': {
      const likes = url.pathname.endsWith('getLikes');
      const postId = idOfAt(q.get('uri')!);
      const who = (likes ? world.likes : world.reposts).filter((l) => l.postId === postId).map((l) => l.actor);
      const page = slice(who, Number(q.get('cursor') ?? 0), Number(q.get('limit') ?? 50));
      const list = likes ? page.items.map((a) => ({ actor: author(a), createdAt: iso(world.end) })) : page.items.map(author);
      return { json: { [likes ? 'likes' : 'repostedBy']: list, ...(page.next !== null ? { cursor: String(page.next) } : {}) } };
    }
  }
  return null;
}

function mastodon(world: World, url: URL, origin: string): Answer {
  const q = url.searchParams;
  const account = (actor: string) => ({ id: actor === world.self ? 'self-id' : `id-${actor}`, acct: actor });
  const next = (n: number | null): string | undefined => {
    if (n === null) return undefined;
    const u = new URL(url.pathname + url.search, origin);
    u.searchParams.set('offset', String(n));
    return `<${u.toString()}>; rel="next"`;
  };
  const offset = Number(q.get('offset') ?? 0);
  if (url.pathname === '/api/v1/accounts/lookup') return { json: { id: 'self-id', acct: world.self, display_name: 'World', followers_count: 500, following_count: 100, statuses_count: world.posts.length } };
  if (url.pathname === '/api/v1/accounts/self-id/statuses') {
    const page = slice(world.posts, offset, Number(q.get('limit') ?? 20));
    const json = page.items.map((p) => {
      const c = countsOf(world, p.id);
      return {
        id: p.id,
        created_at: iso(p.time),
        content: `<p>${p.id}</p>`,
        url: `${origin}/@world/${p.id}`,
        replies_count: c.replies,
        favourites_count: c.likes,
        reblogs_count: c.reposts,
        quotes_count: 0,
        in_reply_to_id: p.parentId ?? null,
        in_reply_to_account_id: p.target ? `id-${p.target}` : null,
        mentions: p.target ? [account(p.target)] : [],
        account: account(world.self),
      };
    });
    const link = next(page.next);
    return { json, ...(link ? { link } : {}) };
  }
  const m = /^\/api\/v1\/statuses\/([^/]+)\/(context|favourited_by|reblogged_by)$/.exec(url.pathname);
  if (!m) return null;
  const [, postId, what] = m as unknown as [string, string, string];
  if (what === 'context') {
    const descendants = world.replies
      .filter((r) => r.rootId === postId)
      .slice(0, CONTEXT_CAP)
      .map((r) => ({ id: r.id, in_reply_to_id: r.parentId, account: account(r.actor), created_at: iso(r.time) }));
    return { json: { ancestors: [], descendants } };
  }
  const who = (what === 'favourited_by' ? world.likes : world.reposts).filter((l) => l.postId === postId).map((l) => account(l.actor));
  const page = slice(who, offset, Number(q.get('limit') ?? 40));
  const link = next(page.next);
  return { json: page.items, ...(link ? { link } : {}) };
}

/** X's problem body when the token's tier cannot call an endpoint (the 403 of search/all below Pro). */
export const X_NOT_ENROLLED = {
  client_id: '29136730',
  detail: 'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
  registration_url: 'https://developer.twitter.com/en/docs/projects/overview',
  title: 'Client Forbidden',
  required_enrollment: 'Appropriate Level of API Access',
  reason: 'client-not-enrolled',
  type: 'https://api.twitter.com/2/problems/client-forbidden',
};

const X_SELF_ID = '1000';
const xId = (world: World, actor: string): string => (actor === world.self ? X_SELF_ID : `id-${actor}`);

/** X's pages: `max_results` items from the offset a `t<offset>` token names, and `meta` with the next token when there are more. */
function xPage<T>(items: readonly T[], q: URLSearchParams, token: string): { items: T[]; meta: Record<string, unknown> } {
  const page = slice(items, Number(q.get(token)?.slice(1) ?? 0), Number(q.get('max_results') ?? 10));
  return { items: page.items, meta: { result_count: page.items.length, ...(page.next !== null ? { next_token: `t${page.next}` } : {}) } };
}

function x(world: World, url: URL, tier: XTier): Answer {
  const q = url.searchParams;
  const user = (actor: string) => ({ id: xId(world, actor), username: actor, name: actor });
  const path = url.pathname;
  if (path === `/2/users/by/username/${world.self}`) {
    return { json: { data: { ...user(world.self), public_metrics: { followers_count: 500, following_count: 100, tweet_count: world.posts.length, like_count: 0 } } } };
  }
  if (path === `/2/users/${X_SELF_ID}/tweets`) {
    const page = xPage(world.posts, q, 'pagination_token');
    const data = page.items.map((p) => {
      const c = countsOf(world, p.id);
      return {
        id: p.id,
        text: p.id,
        created_at: iso(p.time),
        author_id: X_SELF_ID,
        conversation_id: p.rootId ?? p.id,
        public_metrics: { retweet_count: c.reposts, reply_count: c.replies, like_count: c.likes, quote_count: 0, impression_count: 1000 },
        ...(p.kind === 'answer' ? { in_reply_to_user_id: xId(world, p.target!), referenced_tweets: [{ type: 'replied_to', id: p.parentId }] } : {}),
      };
    });
    const targets = [...new Set(page.items.flatMap((p) => p.target ?? []))];
    return { json: { ...(data.length ? { data } : {}), ...(targets.length ? { includes: { users: targets.map(user) } } : {}), meta: page.meta } };
  }
  if (path === '/2/tweets/search/recent' || path === '/2/tweets/search/all') {
    // Recent search: the 7 days before now. Full-archive search: from start_time, else 30 days back.
    const all = path.endsWith('/all');
    if (all && !tier.archive) return { status: 403, json: X_NOT_ENROLLED };
    const from = all ? (q.has('start_time') ? Date.parse(q.get('start_time')!) : tier.now - 30 * DAY) : tier.now - 7 * DAY;
    const rootId = /^conversation_id:(\S+)$/.exec(q.get('query') ?? '')?.[1];
    const found = world.replies.filter((r) => r.rootId === rootId && r.time >= from && r.time <= tier.now).sort((a, b) => b.time - a.time);
    const page = xPage(found, q, 'next_token');
    if (page.items.length === 0) return { json: { meta: { result_count: 0 } } };
    const data = page.items.map((r) => ({ id: r.id, text: r.id, author_id: xId(world, r.actor), created_at: iso(r.time), conversation_id: r.rootId, referenced_tweets: [{ type: 'replied_to', id: r.parentId }] }));
    return { json: { data, includes: { users: [...new Set(page.items.map((r) => r.actor))].map(user) }, meta: { newest_id: data[0]!.id, oldest_id: data.at(-1)!.id, ...page.meta } } };
  }
  const m = /^\/2\/tweets\/([^/]+)\/(liking_users|retweeted_by)$/.exec(path);
  if (!m) return null;
  const who = (m[2] === 'liking_users' ? world.likes : world.reposts).filter((l) => l.postId === m[1]).map((l) => user(l.actor));
  const page = xPage(who, q, 'pagination_token');
  return { json: { ...(page.items.length ? { data: page.items } : {}), meta: page.meta } };
}
