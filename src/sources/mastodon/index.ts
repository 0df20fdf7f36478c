/**
 * Mastodon through an instance's public REST API (docs/formats.md `mastodon`; MASTODON_TOKEN optional):
 * accounts/lookup, accounts/:id/statuses (40 a page, `Link` rel="next") back to the window start or
 * --max-posts, then for every post that received anything, up to --budget requests:
 * statuses/:id/context (descendants with depth and author), favourited_by and reblogged_by (every
 * page) for inbound identities.
 * Unauthenticated paging requests have a stricter limit (300 / 15 min); the client slows down on
 * X-RateLimit-Remaining. The token is sent only to the instance MASTODON_INSTANCE names.
 */
import type { AccountRef, Interaction, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { handleKey } from '../../lib/accounts.js';
import { stripTags } from '../../lib/text.js';
import { isoUtc } from '../../lib/dates.js';
import { HttpError, type HttpClient } from '../http.js';
import { envToken } from '../env-token.js';
import { pullAccount } from '../pull-account.js';
import { EVERY_PULL, OptionalCount, threadsDeclaration } from '../pull-declaration.js';
import type { PullOptions } from '../pull-options.js';
import { interactionBy, type Fetched } from '../pull-threads.js';

import { arr, count as num, obj, str, type Json } from '../../lib/json.js';

/** The default `--budget`: an instance allows 300 requests in 5 minutes from one address without a token. */
export const MASTODON_BUDGET = 250;
/** The most descendants a status's context holds for a visitor, and for a signed-in user: a thread this long may hold more. */
const PUBLIC_CONTEXT = 60;
const SIGNED_IN_CONTEXT = 4096;

/** `user@domain`, lower-cased; a local `acct` gets the instance's domain. */
export function normalizeAcct(acct: string, instance: string): string {
  const a = handleKey(acct);
  return a.includes('@') ? a : `${a}@${instance.toLowerCase()}`;
}

/** The `rel="next"` URL of an RFC 8288 Link header. */
export function nextLink(link: string | string[] | undefined): string | undefined {
  const value = Array.isArray(link) ? link.join(', ') : link;
  if (!value) return undefined;
  for (const part of value.split(/,\s*(?=<)/)) {
    const m = /^<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (m && /rel="?next"?/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

function accountRef(account: Json | undefined, instance: string): AccountRef {
  const r: AccountRef = {};
  const id = str(account?.['id']);
  const acct = str(account?.['acct']);
  if (id) r.id = id;
  if (acct) r.handle = normalizeAcct(acct, instance);
  return r;
}

export function mapStatus(status: unknown, self: { id: string; handle: string }, instance: string): Post | null {
  const s = obj(status);
  const id = str(s?.['id']);
  const created = str(s?.['created_at']);
  const createdAt = isoUtc(created);
  if (!s || !id || createdAt === null) return null;
  const client = str(obj(s['application'])?.['name']) ?? null;
  const url = str(s['url']) ?? str(s['uri']);
  const reblog = obj(s['reblog']);
  if (reblog) {
    const target = accountRef(obj(reblog['account']), instance);
    const post: Post = {
      id,
      createdAt,
      kind: 'repost',
      target,
      mentions: [target],
      client,
      metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null },
    };
    const original = str(reblog['id']);
    if (original) post.targetPostId = original;
    if (url) post.url = url;
    return post;
  }
  const mentions = arr(s['mentions'])
    .map((m) => accountRef(obj(m), instance))
    .filter((m) => m.id !== self.id && m.handle !== self.handle && (m.id || m.handle));
  const post: Post = {
    id,
    createdAt,
    kind: 'original',
    text: stripTags(str(s['content']) ?? ''),
    mentions,
    client,
    metrics: {
      likes: num(s['favourites_count']),
      replies: num(s['replies_count']),
      reposts: num(s['reblogs_count']),
      quotes: num(s['quotes_count']),
      impressions: null,
    },
  };
  if (url) post.url = url;
  const replyAccount = str(s['in_reply_to_account_id']);
  const replyId = str(s['in_reply_to_id']);
  if (replyAccount || replyId) {
    post.kind = replyAccount === self.id ? 'thread' : 'reply';
    const mentioned = arr(s['mentions']).map(obj).find((m) => str(m?.['id']) === replyAccount);
    post.target = mentioned ? accountRef(mentioned, instance) : replyAccount ? { id: replyAccount } : {};
    if (replyId) post.targetPostId = replyId;
    return post;
  }
  const quote = obj(s['quote']);
  const quoted = obj(quote?.['quoted_status']);
  if (quote && quoted && (str(quote['state']) ?? 'accepted') === 'accepted') {
    const target = accountRef(obj(quoted['account']), instance);
    if (target.id !== self.id && target.handle !== self.handle) {
      post.kind = 'quote';
      post.target = target;
      const qid = str(quoted['id']);
      if (qid) post.targetPostId = qid;
    }
  }
  return post;
}

/** Descendants of a status with their depth: 1 when answering the status, the parent's depth + 1 below. */
export function contextInteractions(context: unknown, rootId: string, instance: string): Interaction[] {
  const descendants = arr(obj(context)?.['descendants']).map(obj).filter((d): d is Json => d !== undefined);
  const parentOf = new Map<string, string | undefined>();
  for (const d of descendants) {
    const id = str(d['id']);
    if (id) parentOf.set(id, str(d['in_reply_to_id']));
  }
  // Depth by walking up the reply chain (iteratively: chains can be thousands long, in any order).
  const depthCache = new Map<string, number>();
  const depthOf = (id: string): number => {
    const chain: string[] = [];
    const seen = new Set<string>();
    let at: string | undefined = id;
    let base = 0;
    while (at !== undefined) {
      const cached = depthCache.get(at);
      if (cached !== undefined) {
        base = cached;
        break;
      }
      if (seen.has(at)) break; // a cycle: count from here
      seen.add(at);
      chain.push(at);
      const parent = parentOf.get(at);
      if (parent === rootId || parent === undefined) break;
      if (!parentOf.has(parent)) {
        base = 1; // its parent is a reply we were not given: at least depth 2
        break;
      }
      at = parent;
    }
    for (let i = chain.length - 1, d = base + 1; i >= 0; i--, d++) depthCache.set(chain[i]!, d);
    return depthCache.get(id)!;
  };
  const out: Interaction[] = [];
  for (const d of descendants) {
    const id = str(d['id']);
    const i = id ? interactionBy(accountRef(obj(d['account']), instance), { postId: rootId, id, kind: 'reply', depth: Math.min(depthOf(id), 1000) }) : null;
    if (!i) continue;
    const parent = str(d['in_reply_to_id']);
    if (parent) i.parentId = parent;
    const t = isoUtc(str(d['created_at']));
    if (t) i.createdAt = t;
    out.push(i);
  }
  return out;
}

/** The host a MASTODON_INSTANCE value names (`social.example`, `https://Social.Example/`), lower-cased. */
function instanceHost(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/[/?#].*$/, '').replace(/\.$/, '');
  return v ? v : undefined;
}

/** Why no token is sent (none is set; it is for another instance, or for none named), or null when it is. */
type TokenHeld = 'unset' | 'elsewhere' | null;

/**
 * MASTODON_TOKEN belongs to one instance, the one MASTODON_INSTANCE names: it is sent (to that
 * instance, or to --api-base when the user points the pull there) only when the target is on it.
 */
function mastodonToken(instance: string, options: PullOptions): { token: string | undefined; held: TokenHeld } {
  if (!options.env['MASTODON_TOKEN']?.trim()) return { token: undefined, held: 'unset' };
  const tokenInstance = instanceHost(options.env['MASTODON_INSTANCE']);
  const token = tokenInstance === instance.toLowerCase() ? envToken(options, 'MASTODON_TOKEN') : undefined;
  if (token) return { token, held: null };
  if (tokenInstance === undefined) {
    options.onEvent?.({ type: 'note', message: 'MASTODON_TOKEN is set but not MASTODON_INSTANCE, the instance it is for: it is not sent.' });
  }
  return { token: undefined, held: 'elsewhere' };
}

/** What to do when an instance wants a signed-in user. */
function loginHint(instance: string, held: TokenHeld): string {
  if (held === 'elsewhere') return `MASTODON_TOKEN is sent only to the instance MASTODON_INSTANCE names: if the token is for ${instance}, set MASTODON_INSTANCE=${instance}.`;
  if (held === null) return `${instance} refused MASTODON_TOKEN: check it, or create a new one (Preferences → Development).`;
  return `Create an access token on ${instance} (Preferences → Development) and set MASTODON_TOKEN, and MASTODON_INSTANCE=${instance}, in the environment.`;
}

export async function pullMastodon(user: string, instance: string, target: string, options: PullOptions) {
  const base = (options.apiBase ?? `https://${instance}`).replace(/\/+$/, '');
  const { token, held } = mastodonToken(instance, options);
  const api = (path: string, params: Record<string, string> = {}): string => {
    const q = new URLSearchParams(params).toString();
    return `${base}/api/v1/${path}${q ? `?${q}` : ''}`;
  };
  /** A page of the accounts that favourited or reblogged a status: the first, or the one a `Link` header named. */
  const people = (list: string, kind: 'like' | 'repost') => async (client: HttpClient, post: Post, next: string | undefined): Promise<Fetched> => {
    const res = await client.getJson(next ?? api(`statuses/${encodeURIComponent(post.id)}/${list}`, { limit: '80' }));
    const interactions = arr(res.body).flatMap((a) => {
      const i = interactionBy(accountRef(obj(a), instance), { postId: post.id, kind, depth: 1 });
      return i ? [i] : [];
    });
    return { interactions, next: nextLink(res.headers['link']) };
  };
  const quotes = new OptionalCount('quotes', (status) => obj(status)?.['quotes_count'] !== undefined);
  return pullAccount<{ id: string; handle: string }>(
    {
      platform: 'mastodon',
      name: `@${user}@${instance}`,
      credentials: token ? { origin: base, headers: { authorization: `Bearer ${token}` } } : undefined,
      what: 'statuses',
      lookup: async (client) => {
        let account: Json;
        try {
          account = obj((await client.getJson(api('accounts/lookup', { acct: user }))).body) ?? {};
        } catch (error) {
          if (error instanceof HttpError && error.status === 404) throw new EngageAuditError('NOT_FOUND', `${instance} knows no account @${user} (${error.message})`);
          if (error instanceof HttpError && error.status === 401) {
            throw new EngageAuditError('AUTH', `${instance} requires a signed-in user for its API (${error.message})`, {
              hint: loginHint(instance, held),
            });
          }
          throw error;
        }
        const id = str(account['id']);
        if (!id) throw new EngageAuditError('NETWORK', `${instance}: accounts/lookup answered without an id`);
        const handle = normalizeAcct(str(account['acct']) ?? user, instance);
        return {
          account: {
            id,
            handle,
            displayName: str(account['display_name']) || null,
            followers: num(account['followers_count']),
            following: num(account['following_count']),
            posts: num(account['statuses_count']),
          },
          self: { id, handle },
        };
      },
      fetchPage: async (client, self, next) => {
        const res = await client.getJson(next ?? api(`accounts/${encodeURIComponent(self.id)}/statuses`, { limit: '40' }), { urgent: true });
        const items = arr(res.body);
        quotes.watch(items);
        return { items, next: nextLink(res.headers['link']) };
      },
      mapItem: (status, self) => mapStatus(status, self, instance),
      budget: MASTODON_BUDGET,
      threads: {
        pageSize: { likes: 80, reposts: 80 },
        replies: async (client, post) => {
          const context = (await client.getJson(api(`statuses/${encodeURIComponent(post.id)}/context`))).body;
          return { interactions: contextInteractions(context, post.id, instance), capped: arr(obj(context)?.['descendants']).length >= (token ? SIGNED_IN_CONTEXT : PUBLIC_CONTEXT) };
        },
        likes: people('favourited_by', 'like'),
        reposts: people('reblogged_by', 'repost'),
      },
      declare: (posts, interactions) => ({
        likes: true,
        replies: true,
        reposts: true,
        ...quotes.settle(posts, 'This server sends no quote counts (Mastodon before 4.5).'),
        impressions: 'Mastodon does not count views.',
        ...threadsDeclaration(interactions),
        ...EVERY_PULL,
        likesGiven: "Mastodon's public API does not list the favourites an account gives.",
        clients: true,
      }),
    },
    target,
    options,
  );
}
