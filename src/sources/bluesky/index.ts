/**
 * Bluesky through the public AppView, no auth (docs/formats.md `bluesky`): getProfile, getAuthorFeed
 * (posts_with_replies, 100 a page, cursor) back to the window start or --max-posts, then for every
 * post that received anything, up to --budget requests: getPostThread, getLikes and getRepostedBy
 * (every page), which name the people who interacted: layers L1/L2/L3, two-way, responsiveness,
 * engaged audience. With --audience, the followers and their profiles (audience.ts).
 */
import type { AccountRef, Interaction, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { HttpError } from '../http.js';
import { pullAccount } from '../pull-account.js';
import { EVERY_PULL, LISTS_BY_AUDIENCE, OptionalCount, threadsDeclaration } from '../pull-declaration.js';
import type { PullOptions } from '../pull-options.js';
import { interactionBy } from '../pull-threads.js';
import { blueskyAudience } from './audience.js';

import { arr, count as num, obj, str, type Json } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';

export const BLUESKY_DEFAULT_BASE = 'https://public.api.bsky.app';
/** The default `--budget`: the AppView allows about 3,000 requests in 5 minutes from one address. */
export const BLUESKY_BUDGET = 2500;

function didOfUri(uri: string | undefined): string | undefined {
  return uri?.match(/^at:\/\/(did:[^/]+)\//)?.[1];
}

function webUrl(uri: string, handle: string): string {
  const rkey = uri.split('/').pop() ?? '';
  return `https://bsky.app/profile/${handle}/post/${rkey}`;
}

function ref(did: string | undefined, handle: string | undefined): AccountRef {
  const r: AccountRef = {};
  if (did) r.id = did;
  if (handle) r.handle = handle.toLowerCase();
  return r;
}

/** Mentioned accounts from `#mention` facets, named by the `@handle` each facet covers (byte offsets in UTF-8). */
function mentionsOf(record: Json, selfDid: string): AccountRef[] {
  const text = Buffer.from(str(record['text']) ?? '', 'utf8');
  const out: AccountRef[] = [];
  const seen = new Set<string>();
  for (const facet of arr(record['facets'])) {
    const f = obj(facet);
    const index = obj(f?.['index']);
    for (const feature of arr(f?.['features'])) {
      const ft = obj(feature);
      if (str(ft?.['$type']) !== 'app.bsky.richtext.facet#mention') continue;
      const did = str(ft?.['did']);
      if (!did || did === selfDid || seen.has(did)) continue;
      seen.add(did);
      const start = num(index?.['byteStart']);
      const end = num(index?.['byteEnd']);
      const covered = start !== null && end !== null && end > start && end <= text.length ? text.subarray(start, end).toString('utf8') : '';
      const handle = /^@([A-Za-z0-9.-]+)$/.exec(covered.trim())?.[1];
      out.push(ref(did, handle));
    }
  }
  return out;
}

/** The quoted post's URI and author handle, when the post embeds another record. */
function quoteOf(post: Json): { uri: string; handle: string | undefined } | null {
  const embed = obj(obj(post['record'])?.['embed']);
  const type = str(embed?.['$type']);
  let uri: string | undefined;
  if (type === 'app.bsky.embed.record') uri = str(obj(embed?.['record'])?.['uri']);
  else if (type === 'app.bsky.embed.recordWithMedia') uri = str(obj(obj(embed?.['record'])?.['record'])?.['uri']);
  if (!uri || !uri.includes('/app.bsky.feed.post/')) return null;
  const view = obj(post['embed']);
  const viewRecord = str(view?.['$type'])?.startsWith('app.bsky.embed.recordWithMedia') ? obj(obj(view?.['record'])?.['record']) : obj(view?.['record']);
  return { uri, handle: str(obj(viewRecord?.['author'])?.['handle']) };
}

export function mapFeedItem(item: unknown, self: { did: string; handle: string }): Post | null {
  const it = obj(item);
  const post = obj(it?.['post']);
  const uri = str(post?.['uri']);
  if (!it || !post || !uri) return null;
  const reason = obj(it['reason']);
  const reasonType = str(reason?.['$type']);
  const author = obj(post['author']);
  if (reasonType === 'app.bsky.feed.defs#reasonRepost') {
    const time = isoUtc(str(reason?.['indexedAt']) ?? str(post['indexedAt']));
    if (time === null) return null;
    const target = ref(str(author?.['did']), str(author?.['handle']));
    return {
      id: str(reason?.['uri']) ?? `${uri}#repost`,
      createdAt: time,
      kind: 'repost',
      url: webUrl(uri, str(author?.['handle']) ?? str(author?.['did']) ?? ''),
      target,
      targetPostId: uri,
      mentions: [target],
      client: null,
      metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null },
    };
  }
  if (reasonType === 'app.bsky.feed.defs#reasonPin') return null;
  if (str(author?.['did']) !== self.did) return null;
  const record = obj(post['record']) ?? {};
  const time = isoUtc(str(post['indexedAt']) ?? str(record['createdAt']));
  if (time === null) return null;
  const result: Post = {
    id: uri,
    createdAt: time,
    kind: 'original',
    text: str(record['text']) ?? '',
    url: webUrl(uri, self.handle),
    mentions: mentionsOf(record, self.did),
    client: null,
    metrics: {
      likes: num(post['likeCount']),
      replies: num(post['replyCount']),
      reposts: num(post['repostCount']),
      quotes: num(post['quoteCount']),
      impressions: null,
    },
  };
  const reply = obj(record['reply']);
  if (reply) {
    const parentUri = str(obj(reply['parent'])?.['uri']);
    const parentView = obj(obj(it['reply'])?.['parent']);
    const parentAuthor = obj(parentView?.['author']);
    const parentDid = str(parentAuthor?.['did']) ?? didOfUri(parentUri);
    result.kind = parentDid === self.did ? 'thread' : 'reply';
    result.target = ref(parentDid, str(parentAuthor?.['handle']));
    if (parentUri) result.targetPostId = parentUri;
    return result;
  }
  const quote = quoteOf(post);
  if (quote && didOfUri(quote.uri) !== self.did) {
    result.kind = 'quote';
    result.target = ref(didOfUri(quote.uri), quote.handle);
    result.targetPostId = quote.uri;
  }
  return result;
}

/** An interaction by `author`, a profile view. */
function actorOf(author: Json | undefined, rest: Omit<Interaction, 'actor' | 'actorId'>): Interaction | null {
  return interactionBy(ref(str(author?.['did']), str(author?.['handle'])), rest);
}

/** Replies in a thread, depth 1 = answering the post itself. */
export function threadInteractions(thread: unknown, rootUri: string): Interaction[] {
  const out: Interaction[] = [];
  const walk = (node: Json, depth: number, guard: number): void => {
    if (guard > 1000) return;
    const parentUri = str(obj(node['post'])?.['uri']);
    for (const reply of arr(node['replies'])) {
      const r = obj(reply);
      const post = obj(r?.['post']);
      const uri = str(post?.['uri']);
      const interaction = r && uri ? actorOf(obj(post?.['author']), { postId: rootUri, id: uri, kind: 'reply', depth: Math.min(depth, 1000) }) : null;
      if (!r || !post || !interaction) continue; // notFoundPost, blockedPost
      if (parentUri) interaction.parentId = parentUri;
      const time = isoUtc(str(post['indexedAt']));
      if (time) interaction.createdAt = time;
      out.push(interaction);
      walk(r, depth + 1, guard + 1);
    }
  };
  const root = obj(obj(thread)?.['thread']);
  if (root) walk(root, 1, 0);
  return out;
}

export async function pullBluesky(actor: string, target: string, options: PullOptions) {
  const base = (options.apiBase ?? BLUESKY_DEFAULT_BASE).replace(/\/+$/, '');
  // A list parameter repeats its name (getProfiles: actors=a&actors=b).
  const xrpc = (nsid: string, params: Record<string, string | string[]>): string =>
    `${base}/xrpc/${nsid}?${new URLSearchParams(Object.entries(params).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x])))}`;
  // AppViews before mid-2024 (and some self-hosted ones) send no quoteCount at all.
  const quotes = new OptionalCount('quotes', (item) => obj(obj(item)?.['post'])?.['quoteCount'] !== undefined);
  return pullAccount<{ did: string; handle: string }>(
    {
      platform: 'bluesky',
      name: actor,
      what: 'the author feed',
      lookup: async (client) => {
        let profile: Json;
        try {
          profile = obj((await client.getJson(xrpc('app.bsky.actor.getProfile', { actor }))).body) ?? {};
        } catch (error) {
          if (error instanceof HttpError && (error.code === 'NOT_FOUND' || (error.status === 400 && /not ?found|InvalidRequest/i.test(`${error.apiError} ${error.message}`)))) {
            throw new EngageAuditError('NOT_FOUND', `Bluesky has no account ${actor} (${error.message})`);
          }
          throw error;
        }
        const did = str(profile['did']);
        const handle = str(profile['handle'])?.toLowerCase();
        if (!did || !handle) throw new EngageAuditError('NETWORK', `${base}: getProfile answered without a did and handle`);
        return {
          account: {
            id: did,
            handle,
            displayName: str(profile['displayName']) ?? null,
            followers: num(profile['followersCount']),
            following: num(profile['followsCount']),
            posts: num(profile['postsCount']),
          },
          self: { did, handle },
        };
      },
      fetchPage: async (client, self, cursor) => {
        const params: Record<string, string> = { actor: self.did, filter: 'posts_with_replies', limit: '100' };
        if (cursor) params['cursor'] = cursor;
        const page = obj((await client.getJson(xrpc('app.bsky.feed.getAuthorFeed', params), { urgent: true })).body);
        const items = arr(page?.['feed']);
        quotes.watch(items);
        return { items, next: str(page?.['cursor']) };
      },
      mapItem: mapFeedItem,
      budget: BLUESKY_BUDGET,
      audience: blueskyAudience(xrpc),
      threads: {
        pageSize: { likes: 100, reposts: 100 },
        replies: async (client, post) => ({
          interactions: threadInteractions((await client.getJson(xrpc('app.bsky.feed.getPostThread', { uri: post.id, depth: '10', parentHeight: '0' }))).body, post.id),
        }),
        likes: async (client, post, cursor) => {
          const page = obj((await client.getJson(xrpc('app.bsky.feed.getLikes', { uri: post.id, limit: '100', ...(cursor ? { cursor } : {}) }))).body);
          const interactions = arr(page?.['likes']).flatMap((l) => {
            const like = obj(l);
            const i = actorOf(obj(like?.['actor']), { postId: post.id, kind: 'like', depth: 1 });
            if (!i) return [];
            const t = str(like?.['createdAt']) ?? str(like?.['indexedAt']);
            if (t) i.createdAt = t;
            return [i];
          });
          return { interactions, next: str(page?.['cursor']) };
        },
        reposts: async (client, post, cursor) => {
          const page = obj((await client.getJson(xrpc('app.bsky.feed.getRepostedBy', { uri: post.id, limit: '100', ...(cursor ? { cursor } : {}) }))).body);
          const interactions = arr(page?.['repostedBy']).flatMap((p) => {
            const i = actorOf(obj(p), { postId: post.id, kind: 'repost', depth: 1 });
            return i ? [i] : [];
          });
          return { interactions, next: str(page?.['cursor']) };
        },
      },
      declare: (posts, interactions) => ({
        likes: true,
        replies: true,
        reposts: true,
        ...quotes.settle(posts, 'This server sends no quote counts (Bluesky AppViews before mid-2024 and some self-hosted ones).'),
        impressions: 'Bluesky does not publish view counts.',
        ...threadsDeclaration(interactions),
        ...EVERY_PULL,
        ...LISTS_BY_AUDIENCE,
        likesGiven: "Bluesky's public API does not list the likes an account gives.",
        clients: 'Bluesky posts do not record the app that sent them.',
      }),
    },
    target,
    options,
  );
}
