/**
 * X API v2 with a bearer token from X_BEARER_TOKEN (docs/formats.md `x`): users/by/username with
 * public_metrics, then users/:id/tweets (100 a page, pagination_token) up to the 3,200 the API serves,
 * --max-posts or the window start. Retweet rows carry the original's counts: recorded as null and
 * left out of engagement. Impressions feed rateByImpressions. Who replied (recent search for the last 7
 * days, full-archive search before), liked and reposted each post, where the token's access tier
 * allows (threads.ts). With --audience, the follower and following lists (audience.ts).
 */
import type { AccountRef, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { HttpError } from '../http.js';
import { envToken, missingToken } from '../env-token.js';
import { pullAccount } from '../pull-account.js';
import { XThreadAccess, xPostRequests } from './threads.js';
import { EVERY_PULL, LISTS_BY_AUDIENCE } from '../pull-declaration.js';
import { xAudience } from './audience.js';
import type { PullOptions } from '../pull-options.js';

import { arr, count as num, obj, str, type Json } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';

export const X_DEFAULT_BASE = 'https://api.x.com';
const API_LIMIT = 3200;

export const TOKEN_HINT = 'Create a project and app in the X developer portal, then: export X_BEARER_TOKEN=… (the token is read from the environment only).';

interface Includes {
  users: Map<string, string>;
  tweets: Map<string, string>;
}

function includesOf(page: Json): Includes {
  const inc = obj(page['includes']);
  const users = new Map<string, string>();
  for (const u of arr(inc?.['users'])) {
    const id = str(obj(u)?.['id']);
    const name = str(obj(u)?.['username']);
    if (id && name) users.set(id, name.toLowerCase());
  }
  const tweets = new Map<string, string>();
  for (const t of arr(inc?.['tweets'])) {
    const id = str(obj(t)?.['id']);
    const author = str(obj(t)?.['author_id']);
    if (id && author) tweets.set(id, author);
  }
  return { users, tweets };
}

function ref(id: string | undefined, inc: Includes): AccountRef {
  const r: AccountRef = {};
  if (id) {
    r.id = id;
    const name = inc.users.get(id);
    if (name) r.handle = name;
  }
  return r;
}

export function mapTweetV2(tweet: unknown, self: { id: string; handle: string }, inc: Includes): Post | null {
  const t = obj(tweet);
  const id = str(t?.['id']);
  const created = str(t?.['created_at']);
  const createdAt = isoUtc(created);
  if (!t || !id || createdAt === null) return null;
  const refs = arr(t['referenced_tweets']).map(obj).filter((r): r is Json => r !== undefined);
  const byType = (type: string): string | undefined => str(refs.find((r) => str(r['type']) === type)?.['id']);
  const pm = obj(t['public_metrics']);
  const post: Post = {
    id,
    createdAt,
    kind: 'original',
    text: str(t['text']) ?? '',
    url: `https://x.com/${self.handle}/status/${id}`,
    mentions: [],
    client: null,
    metrics: {
      likes: num(pm?.['like_count']),
      replies: num(pm?.['reply_count']),
      reposts: num(pm?.['retweet_count']),
      quotes: num(pm?.['quote_count']),
      impressions: num(pm?.['impression_count']),
    },
  };
  const retweeted = byType('retweeted');
  if (retweeted) {
    const author = inc.tweets.get(retweeted);
    post.kind = 'repost';
    post.target = author ? ref(author, inc) : { handle: /^RT @([A-Za-z0-9_]{1,15})/.exec(post.text ?? '')?.[1]?.toLowerCase() ?? '' };
    post.targetPostId = retweeted;
    post.mentions = [post.target];
    post.metrics = { likes: null, replies: null, reposts: null, quotes: null, impressions: null };
    return post;
  }
  const seen = new Set<string>();
  for (const m of arr(obj(t['entities'])?.['mentions'])) {
    const mention = obj(m);
    const name = str(mention?.['username'])?.toLowerCase();
    const mid = str(mention?.['id']);
    if (!name || name === self.handle || mid === self.id || seen.has(name)) continue;
    seen.add(name);
    post.mentions.push(mid ? { id: mid, handle: name } : { handle: name });
  }
  const repliedTo = byType('replied_to');
  const replyUser = str(t['in_reply_to_user_id']);
  if (repliedTo || replyUser) {
    const user = replyUser ?? (repliedTo ? inc.tweets.get(repliedTo) : undefined);
    post.kind = user === self.id ? 'thread' : 'reply';
    post.target = ref(user, inc);
    if (repliedTo) post.targetPostId = repliedTo;
    return post;
  }
  const quoted = byType('quoted');
  if (quoted) {
    const author = inc.tweets.get(quoted);
    if (author !== self.id) {
      post.kind = 'quote';
      post.target = ref(author, inc);
      post.targetPostId = quoted;
    }
  }
  return post;
}

export async function pullX(username: string, target: string, options: PullOptions) {
  const token = envToken(options, 'X_BEARER_TOKEN');
  if (!token) {
    throw new EngageAuditError('AUTH', `X API v2 needs a bearer token, and X_BEARER_TOKEN is ${missingToken(options, 'X_BEARER_TOKEN')}`, { hint: TOKEN_HINT });
  }
  const base = (options.apiBase ?? X_DEFAULT_BASE).replace(/\/+$/, '');
  const access = new XThreadAccess(options.now ?? Date.now());
  return pullAccount<{ id: string; handle: string }>(
    {
      platform: 'x',
      name: `x:@${username}`,
      credentials: { origin: base, headers: { authorization: `Bearer ${token}` } },
      what: 'posts',
      limit: options.maxPosts >= API_LIMIT ? { max: API_LIMIT, warning: `The X API serves only the ${API_LIMIT} most recent posts.` } : undefined,
      lookup: async (client) => {
        let user: Json | undefined;
        try {
          const res = obj((await client.getJson(`${base}/2/users/by/username/${encodeURIComponent(username)}?user.fields=public_metrics,created_at,description`)).body);
          user = obj(res?.['data']);
          if (!user) {
            const err = obj(arr(res?.['errors'])[0]);
            throw new EngageAuditError('NOT_FOUND', `X has no account @${username}${err ? ` (${str(err['detail']) ?? str(err['title']) ?? 'not found'})` : ''}`);
          }
        } catch (error) {
          if (error instanceof HttpError && error.code === 'NOT_FOUND') throw new EngageAuditError('NOT_FOUND', `X has no account @${username} (${error.message})`);
          if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
            throw new EngageAuditError('AUTH', `X refused the bearer token (${error.message})`, { hint: TOKEN_HINT });
          }
          throw error;
        }
        const id = str(user['id']);
        const handle = str(user['username'])?.toLowerCase();
        if (!id || !handle) throw new EngageAuditError('NETWORK', `${base}: users/by/username answered without an id`);
        const metrics = obj(user['public_metrics']);
        return {
          account: {
            id,
            handle,
            displayName: str(user['name']) ?? null,
            followers: num(metrics?.['followers_count']),
            following: num(metrics?.['following_count']),
            posts: num(metrics?.['tweet_count']),
          },
          self: { id, handle },
          likesGiven: num(metrics?.['like_count']),
        };
      },
      fetchPage: async (client, self, paginationToken) => {
        const params = new URLSearchParams({
          max_results: '100',
          'tweet.fields': 'created_at,public_metrics,referenced_tweets,in_reply_to_user_id,entities,conversation_id',
          expansions: 'referenced_tweets.id,referenced_tweets.id.author_id,in_reply_to_user_id',
          'user.fields': 'username',
        });
        if (options.since !== undefined) params.set('start_time', new Date(options.since).toISOString());
        if (paginationToken) params.set('pagination_token', paginationToken);
        const page = obj((await client.getJson(`${base}/2/users/${encodeURIComponent(self.id)}/tweets?${params}`, { urgent: true })).body) ?? {};
        const inc = includesOf(page);
        return { items: arr(page['data']).map((t) => ({ t, inc })), next: str(obj(page['meta'])?.['next_token']) };
      },
      mapItem: (item, self) => {
        const { t, inc } = item as { t: unknown; inc: Includes };
        return mapTweetV2(t, self, inc);
      },
      budget: 150,
      audience: xAudience(base),
      threads: xPostRequests(base, access),
      declare: (_, interactions) => ({
        likes: true,
        replies: true,
        reposts: true,
        quotes: true,
        impressions: true,
        ...access.declare(interactions),
        ...EVERY_PULL,
        ...LISTS_BY_AUDIENCE,
        likesGiven: true,
        clients: 'The X API no longer says which app sent a post.',
      }),
    },
    target,
    options,
  );
}
