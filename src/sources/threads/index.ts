/**
 * The Threads API (graph.threads.net) with the token owner's access token from THREADS_TOKEN
 * (docs/formats.md `threads`): /me, the follower count from the user's insights, the account's posts
 * (/threads) and then its replies (/replies), each post's counts from its own insights, and the
 * replies under each post that received any from its conversation (all depths, flattened). The API
 * reads only the token owner's account.
 */
import type { Declaration } from '../../model/capabilities.js';
import type { AccountRef, Interaction, Post, PostMetrics } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { HttpError, type HttpClient } from '../http.js';
import { envToken, missingToken } from '../env-token.js';
import { pullAccount, type Page } from '../pull-account.js';
import { EVERY_PULL, threadsDeclaration } from '../pull-declaration.js';
import type { PostRequests } from '../pull-threads.js';
import { flatReply, replyDepths } from '../pull-threads.js';
import type { PullOptions } from '../pull-options.js';
import { arr, count as num, obj, str, type Json } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';

export const THREADS_DEFAULT_BASE = 'https://graph.threads.net/v1.0';
const PAGE = 100;
/** Pages of one conversation (10,000 replies) before it is cut, with `capped`. */
const MAX_CONVERSATION_PAGES = 100;

export const TOKEN_HINT =
  'Create a Threads app in the Meta developer dashboard with threads_basic, threads_read_replies and threads_manage_insights, sign in as the account to audit, then: export THREADS_TOKEN=… (the token is read from the environment only).';
const RENEW_HINT = 'Threads tokens last 1 hour (short-lived) or 60 days (long-lived): sign in again to get a new one, or refresh a long-lived token before it expires, then export THREADS_TOKEN=….';

const POST_FIELDS = 'id,media_product_type,media_type,permalink,username,text,timestamp,shortcode,is_quote_post,quoted_post,reposted_post,has_replies';
const REPLY_FIELDS = `${POST_FIELDS},root_post,replied_to,is_reply,is_reply_owned_by_me`;
const CONVERSATION_FIELDS = 'id,text,username,permalink,timestamp,media_type,has_replies,root_post,replied_to,is_reply,is_reply_owned_by_me,hide_status';
const COUNTS = ['views', 'likes', 'replies', 'reposts', 'quotes'] as const;
const NO_COUNTS: PostMetrics = { likes: null, replies: null, reposts: null, quotes: null, impressions: null };

/** Graph codes of a permission the token lacks (10, and the 200–299 range). */
const isPermission = (error: unknown): error is HttpError => error instanceof HttpError && error.apiError !== null && /^(10|2\d\d)$/.test(error.apiError);

/** Usernames a text mentions (Threads names are Instagram names: letters, digits, `.` and `_`). */
const mentionsIn = (text: string, self: string): AccountRef[] => [
  ...new Set([...text.matchAll(/(?<![\w.])@([A-Za-z0-9._]{1,30})/g)].map((m) => m[1]!.toLowerCase().replace(/\.+$/, '')).filter((h) => h !== '' && h !== self)),
].map((handle) => ({ handle }));

/** What a pull has learned of the account as its pages arrive. */
interface Self {
  id: string;
  handle: string;
  /** The ids of every item read: the account's own posts and replies. */
  own: Set<string>;
  /** A reply's parent and root, by the reply's id (the kind is settled once every page is in). */
  replyOf: Map<string, { parent: string | undefined; root: string | undefined }>;
  /** Why the insights (followers and every count) cannot be read, once the API refused them. */
  insightsRefused: string | null;
  /** Posts whose insights failed alone (a deleted post, a server error), and the first failure. */
  countsFailed: number;
  firstFailure?: string;
}

/** One page of a list of the account's items. */
function pageOf(body: unknown): { items: Json[]; after: string | undefined } {
  const page = obj(body);
  const items = arr(page?.['data']).map(obj).filter((d): d is Json => d !== undefined);
  const paging = obj(page?.['paging']);
  // A next page exists only when `next` is given; its URL repeats the token, so only its cursor is used.
  const after = str(paging?.['next']) ? str(obj(paging?.['cursors'])?.['after']) : undefined;
  return { items, after: after || undefined };
}

function refusal(error: HttpError): string {
  return `The token lacks the threads_manage_insights permission, so followers and the counts of each post (views, likes, replies, reposts, quotes) cannot be read (${error.message}); grant it and create a new token.`;
}

/** A post's counts from its insights; every count null when the API gives none (reposts answer []). */
async function countsOf(client: HttpClient, base: string, self: Self, id: string): Promise<PostMetrics> {
  if (self.insightsRefused !== null) return { ...NO_COUNTS };
  let body: unknown;
  try {
    body = (await client.getJson(`${base}/${encodeURIComponent(id)}/insights?metric=${COUNTS.join(',')}`)).body;
  } catch (error) {
    if (isPermission(error)) {
      self.insightsRefused ??= refusal(error);
      return { ...NO_COUNTS };
    }
    // One post's failure leaves its counts unknown; a rate limit, a refused token or the deadline stop the pull.
    if (!(error instanceof HttpError) || (error.code !== 'NETWORK' && error.code !== 'NOT_FOUND')) throw error;
    self.countsFailed++;
    self.firstFailure ??= error.message;
    return { ...NO_COUNTS };
  }
  const values = new Map<string, number | null>();
  for (const d of arr(obj(body)?.['data'])) {
    const name = str(obj(d)?.['name']);
    if (name) values.set(name, num(obj(arr(obj(d)?.['values'])[0])?.['value']) ?? num(obj(obj(d)?.['total_value'])?.['value']));
  }
  if (values.size === 0) return { ...NO_COUNTS };
  const v = (name: string): number | null => values.get(name) ?? null;
  return { likes: v('likes'), replies: v('replies'), reposts: v('reposts'), quotes: v('quotes'), impressions: v('views') };
}

/** An item of /threads or /replies as a post; a reply's kind and target are settled once every page is in (`settle`). */
export function mapThreadsItem(item: unknown, self: Self): Post | null {
  const { m, metrics } = item as { m: Json; metrics: PostMetrics };
  const id = str(m['id']);
  const createdAt = isoUtc(str(m['timestamp']));
  if (!id || createdAt === null) return null;
  const text = str(m['text']) ?? '';
  const post: Post = { id, createdAt, kind: 'original', text, mentions: [], client: null, metrics };
  const url = str(m['permalink']);
  if (url) post.url = url;
  self.own.add(id);
  if (str(m['media_type']) === 'REPOST_FACADE') {
    // Whose post it was is not given: the id alone.
    post.kind = 'repost';
    post.metrics = { ...NO_COUNTS };
    const reposted = str(obj(m['reposted_post'])?.['id']);
    if (reposted) post.targetPostId = reposted;
    return post;
  }
  post.mentions = mentionsIn(text, self.handle);
  const parent = str(obj(m['replied_to'])?.['id']);
  if (m['is_reply'] === true || parent) {
    post.kind = 'reply';
    if (parent) post.targetPostId = parent;
    self.replyOf.set(id, { parent, root: str(obj(m['root_post'])?.['id']) });
    return post;
  }
  const quoted = str(obj(m['quoted_post'])?.['id']);
  if (m['is_quote_post'] === true) {
    post.kind = 'quote';
    if (quoted) post.targetPostId = quoted;
  }
  return post;
}

/**
 * The kinds and targets that need every page and conversation: a reply to one of the account's own
 * items is a thread; a reply to someone else names them when the conversation did (an answer to a
 * commenter), else only the post it answers is known.
 */
function settle(posts: Post[], interactions: readonly Interaction[] | null, self: Self): void {
  const authorOf = new Map<string, AccountRef>();
  for (const i of interactions ?? []) if (i.id !== undefined) authorOf.set(i.id, i.actorId ? { id: i.actorId, handle: i.actor } : { handle: i.actor });
  for (const post of posts) {
    if (self.insightsRefused !== null) post.metrics = { ...NO_COUNTS };
    if (post.kind === 'reply' && post.targetPostId !== undefined && self.own.has(post.targetPostId)) {
      post.kind = 'thread';
      post.target = { id: self.id, handle: self.handle };
      continue;
    }
    const author = post.targetPostId === undefined ? undefined : authorOf.get(post.targetPostId);
    if (post.kind === 'reply' && author) post.target = author;
  }
}

/** The replies under the account's posts, from each root post's conversation, as interactions on it. */
export function conversationInteractions(items: readonly Json[], rootId: string): Interaction[] {
  const parentOf = new Map<string, string | undefined>();
  for (const r of items) {
    const id = str(r['id']);
    if (id && id !== rootId) parentOf.set(id, str(obj(r['replied_to'])?.['id']));
  }
  const depth = replyDepths(parentOf, rootId);
  const out: Interaction[] = [];
  for (const r of items) {
    const id = str(r['id']);
    if (!id || !parentOf.has(id)) continue;
    // A private replier comes without a username: the reply names nobody and is left out.
    const i = flatReply({ handle: str(r['username'])?.toLowerCase() }, rootId, id, parentOf, depth, str(r['timestamp']));
    if (i) out.push(i);
  }
  return out;
}

function threadsRequests(base: string, selfOf: () => Self): PostRequests {
  return {
    pageSize: { likes: PAGE, reposts: PAGE },
    replies: async (client, post) => {
      const self = selfOf();
      const where = self.replyOf.get(post.id);
      // A reply under the account's own post is in that post's conversation already.
      if (where?.root !== undefined && self.own.has(where.root)) return { interactions: [] };
      // The conversation endpoint is for root posts; under a reply elsewhere, its direct replies.
      const edge = where ? 'replies' : 'conversation';
      const items: Json[] = [];
      const cursors = new Set<string>();
      let after: string | undefined;
      for (let pages = 0; ; pages++) {
        if (pages >= MAX_CONVERSATION_PAGES) return { interactions: conversationInteractions(items, post.id), capped: true, requests: pages };
        const params = new URLSearchParams({ fields: CONVERSATION_FIELDS, reverse: 'false', limit: String(PAGE) });
        if (after) params.set('after', after);
        const page = pageOf((await client.getJson(`${base}/${encodeURIComponent(post.id)}/${edge}?${params}`)).body);
        items.push(...page.items);
        if (!page.after || cursors.has(page.after)) break;
        cursors.add(page.after);
        after = page.after;
      }
      return { interactions: conversationInteractions(items, post.id), requests: cursors.size + 1 };
    },
  };
}

export async function pullThreads(username: string, target: string, options: PullOptions) {
  const token = envToken(options, 'THREADS_TOKEN');
  if (!token) {
    throw new EngageAuditError('AUTH', `The Threads API needs the account's access token, and THREADS_TOKEN is ${missingToken(options, 'THREADS_TOKEN')}`, { hint: TOKEN_HINT });
  }
  const base = (options.apiBase ?? THREADS_DEFAULT_BASE).replace(/\/+$/, '');
  const since = options.since;
  let self: Self | undefined;

  /** One page of /threads or /replies, each item with its counts. */
  const list = async (client: HttpClient, s: Self, edge: 'threads' | 'replies', after: string | undefined) => {
    const params = new URLSearchParams({ fields: edge === 'threads' ? POST_FIELDS : REPLY_FIELDS, limit: String(PAGE) });
    if (since !== undefined) params.set('since', String(Math.floor(since / 1000)));
    if (after) params.set('after', after);
    const page = pageOf((await client.getJson(`${base}/${encodeURIComponent(s.id)}/${edge}?${params}`, { urgent: true })).body);
    // Before the window start: the rest of this list is older (newest first).
    const inWindow = since === undefined ? page.items : page.items.filter((m) => Date.parse(isoUtc(str(m['timestamp'])) ?? '') >= since);
    const items = await Promise.all(
      inWindow.map(async (m) => ({ m, metrics: str(m['media_type']) === 'REPOST_FACADE' || !str(m['id']) ? { ...NO_COUNTS } : await countsOf(client, base, s, str(m['id'])!) })),
    );
    return { items, after: inWindow.length < page.items.length ? undefined : page.after };
  };

  const dataset = await pullAccount<Self>(
    {
      platform: 'threads',
      name: `threads:@${username}`,
      credentials: { origin: base, headers: { authorization: `Bearer ${token}` } },
      what: 'posts and replies',
      lookup: async (client) => {
        let me: Json | undefined;
        try {
          me = obj((await client.getJson(`${base}/me?fields=id,username,name`)).body);
        } catch (error) {
          if (error instanceof HttpError && error.apiError === '190') {
            throw new EngageAuditError('AUTH', `Threads refused THREADS_TOKEN: it has expired or is not a Threads token (${error.message}). Renew it`, { hint: RENEW_HINT });
          }
          throw error;
        }
        const id = str(me?.['id']);
        const handle = str(me?.['username'])?.toLowerCase();
        if (!id || !handle) throw new EngageAuditError('NETWORK', `${base}: /me answered without an id or username`);
        if (handle !== username.toLowerCase()) {
          throw new EngageAuditError('AUTH', `The Threads API reads only the token owner's account: THREADS_TOKEN belongs to @${handle}, not @${username}`, {
            hint: `Sign in to Threads as @${username} and create a token for that account (export THREADS_TOKEN=…), or audit threads:@${handle}.`,
          });
        }
        self = { id, handle, own: new Set(), replyOf: new Map(), insightsRefused: null, countsFailed: 0 };
        let followers: number | null = null;
        try {
          const body = obj((await client.getJson(`${base}/${encodeURIComponent(id)}/threads_insights?metric=followers_count`)).body);
          const entry = arr(body?.['data']).map(obj).find((d) => str(d?.['name']) === 'followers_count');
          followers = num(obj(entry?.['total_value'])?.['value']);
        } catch (error) {
          if (!isPermission(error)) throw error;
          self.insightsRefused = refusal(error);
        }
        return {
          account: { id, handle, displayName: str(me?.['name']) ?? null, followers, following: null, posts: null },
          self,
        };
      },
      // Cursors: `threads:<after>` pages /threads, `replies:<after>` /replies (read once /threads ends).
      fetchPage: async (client, s, cursor): Promise<Page> => {
        const [edge, after] = cursor === undefined ? ['threads' as const, undefined] : [cursor.startsWith('replies:') ? ('replies' as const) : ('threads' as const), cursor.slice(cursor.indexOf(':') + 1) || undefined];
        const page = await list(client, s, edge, after);
        if (page.after !== undefined) return { items: page.items, next: `${edge}:${page.after}` };
        if (edge === 'replies') return { items: page.items, next: undefined };
        // /threads ended: its last page goes with the first of /replies, so that an empty one does not end the paging.
        const replies = await list(client, s, 'replies', undefined);
        return { items: [...page.items, ...replies.items], next: replies.after === undefined ? undefined : `replies:${replies.after}` };
      },
      mapItem: mapThreadsItem,
      budget: 100,
      threads: threadsRequests(base, () => self!),
      declare: (posts, interactions): Declaration => {
        const s = self!;
        settle(posts, interactions, s);
        const counts: true | string = s.insightsRefused ?? true;
        const conversations = s.insightsRefused !== null && interactions !== null ? `${s.insightsRefused} The conversations are fetched for the posts whose reply count says they have replies, so none was.` : null;
        return {
          likes: counts,
          replies: counts,
          reposts: counts,
          quotes: counts,
          impressions: counts,
          ...(conversations === null ? threadsDeclaration(interactions) : { inboundIdentities: conversations, replyThreads: conversations }),
          ...EVERY_PULL,
          followers: counts,
          following: 'The Threads API gives no following count.',
          followerProfiles: 'The Threads API does not list followers.',
          followerOrder: 'The Threads API does not list followers.',
          likesGiven: 'The Threads API does not say what the account liked.',
          clients: 'The Threads API does not say which app sent a post.',
        };
      },
    },
    target,
    options,
  );
  if (self !== undefined && self.countsFailed > 0) {
    dataset.state.complete = false;
    dataset.state.warnings.push(`The insights of ${self.countsFailed} post${self.countsFailed === 1 ? '' : 's'} could not be read (first: ${self.firstFailure}): their counts are unknown and engagement counts them as nothing received.`);
  }
  return dataset;
}
