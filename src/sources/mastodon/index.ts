/**
 * Mastodon through an instance's public REST API (docs/formats.md `mastodon`; MASTODON_TOKEN optional):
 * accounts/lookup, accounts/:id/statuses (40 a page, `Link` rel="next", or `max_id` = the page's last
 * id on servers that send no Link) back to the window start or --max-posts, then for every post that
 * received anything, up to --budget requests: statuses/:id/context (descendants with depth and
 * author), favourited_by and reblogged_by (every page) for inbound identities. With --audience, the
 * follower and following lists (audience.ts).
 * Unauthenticated paging requests have a stricter limit (300 / 15 min); the client slows down on
 * X-RateLimit-Remaining. The token is sent only to the instance MASTODON_INSTANCE names.
 * Pleroma, Akkoma, GoToSocial and Misskey-family servers answer the same requests in their own shapes
 * (opaque string ids, no Link, counts missing or hidden, quotes as a plain status): a count a server
 * does not send is null with the reason, never 0.
 */
import type { AccountRef, Interaction, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { handleKey } from '../../lib/accounts.js';
import { stripTags } from '../../lib/text.js';
import { isoUtc } from '../../lib/dates.js';
import { HttpError, type HttpClient } from '../http.js';
import { envToken } from '../env-token.js';
import { pullAccount } from '../pull-account.js';
import { EVERY_PULL, LISTS_BY_AUDIENCE, OptionalCount, threadsDeclaration } from '../pull-declaration.js';
import type { PullOptions } from '../pull-options.js';
import { flatReply, interactionBy, replyDepths, type Fetched } from '../pull-threads.js';

import { arr, count as num, obj, str, type Json } from '../../lib/json.js';
import type { PartialDeclaration } from '../../model/capabilities.js';
import { mastodonAudience } from './audience.js';

/** The default `--budget`: an instance allows 300 requests in 5 minutes from one address without a token. */
export const MASTODON_BUDGET = 250;
/** The most descendants a status's context holds for a visitor, and for a signed-in user: a thread this long may hold more. */
const PUBLIC_CONTEXT = 60;
const SIGNED_IN_CONTEXT = 4096;

/** `user@domain`, lower-cased; a local `acct` gets the instance's domain; `@user@domain` loses its `@`. */
export function normalizeAcct(acct: string, instance: string): string {
  const a = handleKey(acct.trim());
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
  const pleroma = obj(s['pleroma']);
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
      quotes: num(s['quotes_count'] ?? pleroma?.['quotes_count']),
      impressions: null,
    },
  };
  if (url) post.url = url;
  const replyAccount = str(s['in_reply_to_account_id']);
  const replyId = str(s['in_reply_to_id']);
  if (replyAccount || replyId) {
    post.kind = replyAccount === self.id ? 'thread' : 'reply';
    const mentioned = arr(s['mentions']).map(obj).find((m) => str(m?.['id']) === replyAccount);
    // Misskey-family servers may send no account id (a parent they do not know): the reply names no one.
    post.target = mentioned ? accountRef(mentioned, instance) : replyAccount ? { id: replyAccount } : {};
    if (replyId) post.targetPostId = replyId;
    return post;
  }
  // Mastodon 4.4+: `quote {state, quoted_status}`; Pleroma, Akkoma and Misskey-family servers: the quoted status itself.
  const quote = obj(s['quote']) ?? obj(pleroma?.['quote']);
  const quoted = obj(quote?.['quoted_status']) ?? (obj(quote?.['account']) ? quote : undefined);
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
  const depth = replyDepths(parentOf, rootId);
  const out: Interaction[] = [];
  for (const d of descendants) {
    const id = str(d['id']);
    const i = id ? flatReply(accountRef(obj(d['account']), instance), rootId, id, parentOf, depth, str(d['created_at'])) : null;
    if (i) out.push(i);
  }
  return out;
}

/**
 * A profile count, or null with why: Pleroma and Akkoma send 0 in place of a count the account hides
 * (`pleroma.hide_followers_count`, `hide_follows_count`); a server may send none at all.
 */
function profileCount(account: Json, field: string, hideFlag: string, what: string): { value: number | null; held: true | string } {
  const value = num(account[field]);
  if (obj(account['pleroma'])?.[hideFlag] === true && !value) {
    return { value: null, held: `The account hides its ${what} count (Pleroma/Akkoma \`${hideFlag}\`): the server sends 0 in its place.` };
  }
  return value === null ? { value, held: `The server sent no ${what} count.` } : { value, held: true };
}

/**
 * The software behind an account's answer, where its shape says so: Akkoma and Pleroma add their
 * extension objects; ids are ULIDs on GoToSocial and short lower-case ones (`aid`) on Misskey-family
 * servers, digits on Mastodon. Null for Mastodon and servers that look like it.
 */
export function serverKind(account: Json): string | null {
  const id = str(account['id']) ?? '';
  if (obj(account['akkoma'])) return 'Akkoma';
  if (obj(account['pleroma'])) return 'Pleroma';
  if (/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return 'GoToSocial';
  return /^(?=.*[a-z])[0-9a-z]{10,16}$/.test(id) ? 'Misskey-family' : null;
}

/** Whether a status carries a count, at the top or in Pleroma's extension object. */
const carries = (field: string) => (status: unknown) => {
  const s = obj(status);
  return s?.[field] !== undefined || obj(s?.['pleroma'])?.[field] !== undefined;
};

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
  const counts = {
    likes: new OptionalCount('likes', carries('favourites_count')),
    replies: new OptionalCount('replies', carries('replies_count')),
    reposts: new OptionalCount('reposts', carries('reblogs_count')),
    quotes: new OptionalCount('quotes', carries('quotes_count')),
  };
  let profile: Pick<PartialDeclaration, 'followers' | 'following'> = {};
  let kind: string | null = null;
  /** Whether any page came with a `Link` header: a server that never sends one is paged by `max_id`. */
  let linked = false;
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
          if (error instanceof HttpError && error.code === 'NOT_FOUND') throw new EngageAuditError('NOT_FOUND', `${instance} knows no account @${user} (${error.message})`);
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
        const followers = profileCount(account, 'followers_count', 'hide_followers_count', 'follower');
        const following = profileCount(account, 'following_count', 'hide_follows_count', 'following');
        profile = { followers: followers.held, following: following.held };
        kind = serverKind(account);
        return {
          account: {
            id,
            handle,
            displayName: str(account['display_name']) || null,
            followers: followers.value,
            following: following.value,
            posts: num(account['statuses_count']),
          },
          self: { id, handle },
        };
      },
      fetchPage: async (client, self, next) => {
        const page = (params: Record<string, string> = {}) => api(`accounts/${encodeURIComponent(self.id)}/statuses`, { limit: '40', ...params });
        const res = await client.getJson(next ?? page(), { urgent: true });
        const items = arr(res.body);
        for (const c of Object.values(counts)) c.watch(items);
        const link = nextLink(res.headers['link']);
        if (link) linked = true;
        // Without Link (some Misskey-family servers): older than the last status of this page; an empty page ends.
        const last = str(obj(items[items.length - 1])?.['id']);
        return { items, next: link ?? (!linked && last ? page({ max_id: last }) : undefined) };
      },
      mapItem: (status, self) => mapStatus(status, self, instance),
      budget: MASTODON_BUDGET,
      audience: mastodonAudience(api, nextLink, (acct) => normalizeAcct(acct, instance)),
      threads: {
        pageSize: { likes: 80, reposts: 80 },
        cappedHint: token ? undefined : `with MASTODON_TOKEN a Mastodon server sends up to ${SIGNED_IN_CONTEXT} replies a thread instead of ${PUBLIC_CONTEXT}`,
        replies: async (client, post) => {
          const context = (await client.getJson(api(`statuses/${encodeURIComponent(post.id)}/context`))).body;
          return { interactions: contextInteractions(context, post.id, instance), capped: arr(obj(context)?.['descendants']).length >= (token ? SIGNED_IN_CONTEXT : PUBLIC_CONTEXT) };
        },
        likes: people('favourited_by', 'like'),
        reposts: people('reblogged_by', 'repost'),
      },
      declare: (posts, interactions) => {
        const server = kind ? `This ${kind} server` : 'This server';
        return {
          ...counts.likes.settle(posts, `${server} sends no favourite counts.`),
          ...counts.replies.settle(posts, `${server} sends no reply counts.`),
          ...counts.reposts.settle(posts, `${server} sends no boost counts.`),
          ...counts.quotes.settle(posts, kind ? `${server} sends no quote counts.` : 'This server sends no quote counts (Mastodon before 4.5).'),
          impressions: 'Mastodon does not count views.',
          ...threadsDeclaration(interactions),
          ...EVERY_PULL,
          ...LISTS_BY_AUDIENCE,
          ...profile,
          likesGiven: "Mastodon's public API does not list the favourites an account gives.",
          clients: true,
        };
      },
    },
    target,
    options,
  );
}
