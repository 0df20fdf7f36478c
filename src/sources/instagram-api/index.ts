/**
 * Instagram professional accounts through the Graph API with a Facebook User token from
 * INSTAGRAM_TOKEN (docs/formats.md `instagram`). `/me/accounts` finds the Instagram accounts linked to
 * the token's Pages. The token's own account (`ig:me`, or its username) is read whole: profile counts,
 * media page by page with the views of each (insights), then, up to --budget requests, the comments
 * under each media with their replies (who commented, and the account's answers). Any other Business
 * or Creator account is read through Business Discovery: profile and media counts only.
 */
import type { AccountRef, Interaction, Post } from '../../model/dataset.js';
import type { Declaration } from '../../model/capabilities.js';
import { EngageAuditError } from '../../errors.js';
import { arr, count as num, obj, str, type Json } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';
import { HttpError, type HttpClient } from '../http.js';
import { envToken, missingToken } from '../env-token.js';
import { pullAccount, type Page } from '../pull-account.js';
import { threadsDeclaration } from '../pull-declaration.js';
import type { PullOptions } from '../pull-options.js';
import { interactionBy, type PostRequests } from '../pull-threads.js';
import { cutOf } from '../api-common.js';
import { GraphPacer } from './usage.js';

export const GRAPH_DEFAULT_BASE = 'https://graph.facebook.com';
/** Pinned: the version the field names and answers were checked against (Graph versions live about two years). */
export const GRAPH_VERSION = 'v23.0';
/**
 * The default `--budget`: comment requests after the pages. The platform limit of a user token is
 * 200 calls an hour per app user, shared with the profile, the media pages and their views.
 */
export const INSTAGRAM_BUDGET = 150;
const PAGE_SIZE = '50';
/** Comment and reply pages read for one media before its thread counts as capped. */
const MAX_THREAD_PAGES = 40;

const MEDIA_FIELDS = 'id,caption,timestamp,media_type,media_product_type,permalink,like_count,comments_count';
const REPLY_FIELDS = 'id,text,timestamp,username,from,parent_id';
const COMMENT_FIELDS = `id,text,timestamp,username,from,replies.limit(${PAGE_SIZE}){${REPLY_FIELDS}}`;
const PROFILE_FIELDS = 'username,name,followers_count,follows_count,media_count';

export const TOKEN_HINT =
  'Create a Facebook User token with Facebook Login for Business (permissions instagram_basic, instagram_manage_comments, instagram_manage_insights, pages_show_list, pages_read_engagement), then: export INSTAGRAM_TOKEN=… (read from the environment only).';
const PROFESSIONAL_HINT = 'Check the username. A personal or private account cannot be read through the API: ask its owner to switch to a Business or Creator account, or to send their "Download your information" export.';

type Self =
  | { own: true; id: string; handle: string }
  | { own: false; callerId: string; handle: string; first: Json | undefined };

/** The `after` cursor of a Graph page that has a next one (the own account's edges: a `next` URL says so). */
function nextCursor(paging: Json | undefined): string | undefined {
  return str(paging?.['next']) ? str(obj(paging?.['cursors'])?.['after']) : undefined;
}

function refOf(c: Json): AccountRef {
  const r: AccountRef = {};
  const from = obj(c['from']);
  const handle = (str(c['username']) ?? str(from?.['username']))?.toLowerCase();
  const id = str(from?.['id']);
  if (id) r.id = id;
  if (handle) r.handle = handle;
  return r;
}

/** A comment (depth 1) or a reply under one (depth 2: Instagram has one reply level). */
function commentOf(c: Json, postId: string, parentId: string | undefined): Interaction | null {
  const id = str(c['id']);
  const i = id ? interactionBy(refOf(c), { postId, id, kind: 'reply', depth: parentId ? 2 : 1 }) : null;
  if (!i) return null;
  if (parentId) i.parentId = parentId;
  const t = isoUtc(str(c['timestamp']));
  if (t) i.createdAt = t;
  return i;
}

export function mapMedia(item: unknown, views: ReadonlyMap<string, number>): Post | null {
  const m = obj(item);
  const id = str(m?.['id']);
  const createdAt = isoUtc(str(m?.['timestamp']));
  if (!m || !id || createdAt === null) return null;
  const post: Post = {
    id,
    createdAt,
    kind: 'original',
    text: str(m['caption']) ?? '',
    mentions: [],
    client: null,
    metrics: { likes: num(m['like_count']), replies: num(m['comments_count']), reposts: null, quotes: null, impressions: views.get(id) ?? null },
  };
  const url = str(m['permalink']);
  if (url) post.url = url;
  return post;
}

/** What a refused token means (Graph code 190), said once for every request that may meet it. */
function explained(error: unknown): unknown {
  if (!(error instanceof HttpError) || error.code !== 'AUTH') return error;
  return new EngageAuditError('AUTH', `Instagram refused INSTAGRAM_TOKEN (expired, revoked or not a token): renew it (${error.message})`, { hint: TOKEN_HINT });
}

function instagramLogin(): EngageAuditError {
  return new EngageAuditError('AUTH', 'INSTAGRAM_TOKEN is an Instagram Login token (graph.instagram.com): it cannot read comments of other accounts or use Business Discovery', {
    hint: `A Facebook User token from Facebook Login for Business is needed. ${TOKEN_HINT}`,
  });
}

export async function pullInstagram(username: string, target: string, options: PullOptions) {
  const token = envToken(options, 'INSTAGRAM_TOKEN');
  if (!token) {
    throw new EngageAuditError('AUTH', `The Instagram Graph API needs a token, and INSTAGRAM_TOKEN is ${missingToken(options, 'INSTAGRAM_TOKEN')}`, { hint: TOKEN_HINT });
  }
  // Instagram Login tokens (`IGAA…`, `IGQV…`) are for graph.instagram.com, which has no Business Discovery.
  if (/^IG/.test(token)) throw instagramLogin();
  const base = (options.apiBase ?? GRAPH_DEFAULT_BASE).replace(/\/+$/, '');
  const api = (path: string, params: Record<string, string>): string => `${base}/${GRAPH_VERSION}/${path}?${new URLSearchParams(params)}`;
  const pacer = new GraphPacer();
  const get = async (client: HttpClient, url: string, urgent = false): Promise<Json> => {
    try {
      return obj((await pacer.get(client, url, { urgent })).body) ?? {};
    } catch (error) {
      throw explained(error);
    }
  };

  /** Views of each media, where the token may read insights; why not, once it may not. */
  const views = new Map<string, number>();
  let insightsRefused: string | null = null;
  /** Media whose views were not read because a rate limit, the deadline or Ctrl-C stopped the requests. */
  let viewsCut = 0;
  let viewsFailed: { count: number; first?: string } = { count: 0 };
  const readViews = async (client: HttpClient, ids: string[]): Promise<void> => {
    await Promise.all(
      ids.map(async (id) => {
        if (insightsRefused !== null) return;
        if (viewsCut > 0) {
          viewsCut++;
          return;
        }
        try {
          const body = await get(client, api(`${id}/insights`, { metric: 'views' }));
          const metric = arr(body['data']).map(obj).find((d) => str(d?.['name']) === 'views');
          const value = num(obj(arr(metric?.['values'])[0])?.['value']);
          // An empty answer (media under 48 hours old, or not measured) is unknown, not 0.
          if (value !== null) views.set(id, value);
        } catch (error) {
          if (error instanceof HttpError && (error.apiError === '10' || error.apiError === '200' || error.status === 403)) {
            insightsRefused ??= `INSTAGRAM_TOKEN may not read insights (instagram_manage_insights is missing: ${error.message}): views are unknown.`;
            return;
          }
          if (!(error instanceof EngageAuditError)) throw error;
          // One media's views that cannot be read leave them unknown; a stop keeps this page's media, and
          // the next request meets the same stop and ends the pull there.
          if (cutOf(error) === 'error') viewsFailed = { count: viewsFailed.count + 1, first: viewsFailed.first ?? error.message };
          else viewsCut++;
        }
      }),
    );
  };
  let hiddenLikes = 0;

  const threads: PostRequests = {
    pageSize: { likes: 1, reposts: 1 },
    cappedHint: `a media with more than ${MAX_THREAD_PAGES} pages of comments and replies is read in part`,
    replies: async (client, post) => {
      const interactions: Interaction[] = [];
      let requests = 0;
      /** Reads an edge page by page (the comments of a media, or the replies under one), from its embedded first page if given. */
      const edge = async (first: Json | undefined, path: string, fields: string, take: (item: Json) => void): Promise<boolean> => {
        let page = first;
        let after: string | undefined;
        const seen = new Set<string>();
        for (;;) {
          if (page === undefined) {
            if (requests >= MAX_THREAD_PAGES) return true;
            requests++;
            page = await get(client, api(path, { fields, limit: PAGE_SIZE, ...(after ? { after } : {}) }));
          }
          for (const item of arr(page['data'])) {
            const o = obj(item);
            if (o) take(o);
          }
          after = nextCursor(obj(page['paging']));
          if (after === undefined) return false;
          if (seen.has(after)) return true; // a repeated cursor: the server is looping
          seen.add(after);
          page = undefined;
        }
      };
      const nested: Array<{ id: string; replies: Json }> = [];
      let capped = await edge(undefined, `${post.id}/comments`, COMMENT_FIELDS, (c) => {
        const i = commentOf(c, post.id, undefined);
        if (!i) return;
        interactions.push(i);
        const replies = obj(c['replies']);
        if (replies) nested.push({ id: i.id!, replies });
      });
      // The replies edge embedded in a comment is paged too: an answer may be on its second page.
      for (const n of nested) {
        const more = await edge(n.replies, `${n.id}/replies`, REPLY_FIELDS, (r) => {
          const reply = commentOf(r, post.id, n.id);
          if (reply) interactions.push(reply);
        });
        capped ||= more;
      }
      return { interactions, requests, capped };
    },
  };

  /** The Instagram professional accounts linked to the Pages the token was granted. */
  const linkedAccounts = async (client: HttpClient): Promise<Array<{ id: string; handle: string }>> => {
    const out: Array<{ id: string; handle: string }> = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const body = await get(client, api('me/accounts', { fields: 'id,name,instagram_business_account{id,username}', limit: '100', ...(after ? { after } : {}) }));
      // An Instagram Login token on graph.instagram.com answers /me with an Instagram account, not Pages.
      if (!Array.isArray(body['data'])) throw instagramLogin();
      for (const p of arr(body['data'])) {
        const ig = obj(obj(p)?.['instagram_business_account']);
        const id = str(ig?.['id']);
        const handle = str(ig?.['username'])?.toLowerCase();
        if (id && handle) out.push({ id, handle });
      }
      after = nextCursor(obj(body['paging']));
      if (after === undefined) break;
    }
    return out;
  };
  const discoveryUrl = (callerId: string, after: string | undefined): string =>
    api(callerId, { fields: `business_discovery.username(${username}){${PROFILE_FIELDS},media${after ? `.after(${after})` : ''}.limit(${PAGE_SIZE}){${MEDIA_FIELDS}}}` });

  let ownPull = false;
  return pullAccount<Self>(
    {
      platform: 'instagram',
      name: `ig:@${username}`,
      credentials: { origin: base, headers: { authorization: `Bearer ${token}` } },
      what: 'media',
      lookup: async (client) => {
        const linked = await linkedAccounts(client);
        if (linked.length === 0) {
          throw new EngageAuditError('AUTH', 'INSTAGRAM_TOKEN reaches no Instagram professional account: no Facebook Page it was granted has one linked', {
            hint: 'Link the Instagram Business or Creator account to a Facebook Page, then create the token again, granting that Page (pages_show_list) and instagram_basic.',
          });
        }
        const own = username === 'me' ? linked : linked.filter((a) => a.handle === username);
        if (own.length > 1) {
          throw new EngageAuditError('USAGE', `INSTAGRAM_TOKEN reaches ${own.length} Instagram accounts (${own.map((a) => a.handle).join(', ')}): ig:me cannot tell which`, {
            hint: `Name one, as ig:@${own[0]!.handle}.`,
          });
        }
        if (own[0]) {
          const { id } = own[0];
          const user = await get(client, api(id, { fields: `id,${PROFILE_FIELDS}` }));
          const handle = str(user['username'])?.toLowerCase() ?? own[0].handle;
          ownPull = true;
          return { account: accountOf(id, handle, user), self: { own: true, id, handle } };
        }
        const callerId = linked[0]!.id;
        let answer: Json;
        try {
          answer = await get(client, discoveryUrl(callerId, undefined));
        } catch (error) {
          if (error instanceof HttpError && error.apiError === '110') {
            throw new EngageAuditError('NOT_FOUND', `Instagram: @${username} is not a professional account, or no such user: only Business and Creator accounts can be read (${error.message})`, {
              hint: PROFESSIONAL_HINT,
            });
          }
          throw error;
        }
        const found = obj(answer['business_discovery']);
        const id = str(found?.['id']);
        if (!found || !id) throw new EngageAuditError('NETWORK', `Instagram: Business Discovery answered without the account @${username}`);
        const handle = str(found['username'])?.toLowerCase() ?? username;
        return { account: accountOf(id, handle, found), self: { own: false, callerId, handle, first: found } };
      },
      fetchPage: async (client, self, cursor): Promise<Page> => {
        if (!self.own) {
          const found = cursor === undefined ? self.first : obj((await get(client, discoveryUrl(self.callerId, cursor), true))['business_discovery']);
          const media = obj(found?.['media']);
          const items = arr(media?.['data']);
          // Business Discovery pages by cursor only (no `next` URL): the last page has no `after`.
          return { items, next: items.length > 0 ? str(obj(obj(media?.['paging'])?.['cursors'])?.['after']) : undefined };
        }
        const body = await get(client, api(`${self.id}/media`, { fields: MEDIA_FIELDS, limit: PAGE_SIZE, ...(cursor ? { after: cursor } : {}) }), true);
        const items = arr(body['data']);
        const since = options.since;
        const inWindow = items.map(obj).filter((m) => m !== undefined && (since === undefined || Date.parse(isoUtc(str(m['timestamp'])) ?? '') >= since));
        await readViews(client, inWindow.flatMap((m) => str(m!['id']) ?? []));
        return { items, next: nextCursor(obj(body['paging'])) };
      },
      mapItem: (item, self) => {
        const post = mapMedia(item, views);
        // Business Discovery reports a hidden like count as 0: it is kept as 0, and a warning says so.
        if (post && !self.own && post.metrics.likes === 0 && (post.metrics.replies ?? 0) > 0) hiddenLikes++;
        return post;
      },
      budget: INSTAGRAM_BUDGET,
      // Read after the lookup: only the token's own account has comments to read.
      get threads() {
        return ownPull ? threads : null;
      },
      declare: (posts, interactions) => (ownPull ? ownDeclaration(posts, interactions, insightsRefused) : DISCOVERY),
    },
    target,
    options,
  ).then((dataset) => {
    if (viewsCut > 0) {
      dataset.state.complete = false;
      dataset.state.warnings.push(`Views of ${viewsCut} media were not read (the pull was stopped): rateByImpressions counts only the media whose views were read.`);
    }
    if (viewsFailed.count > 0) {
      dataset.state.warnings.push(`Views of ${viewsFailed.count} media could not be read (first: ${viewsFailed.first}): they are unknown, and rateByImpressions leaves those media out.`);
    }
    if (hiddenLikes > 0) {
      dataset.state.warnings.push(
        `${hiddenLikes} media show 0 likes with comments: their owner probably hid like counts, which Business Discovery reports as 0. They are counted as 0, so likes and rates are undercounted.`,
      );
    }
    return dataset;
  });
}

function accountOf(id: string, handle: string, user: Json) {
  return { id, handle, displayName: str(user['name']) ?? null, followers: num(user['followers_count']), following: num(user['follows_count']), posts: num(user['media_count']) };
}

/** What no Instagram pull holds: the API shows the account's own media only, never what it does elsewhere. */
const NEVER = {
  reposts: 'The Instagram API gives no repost count of a media (shares are sends, not reposts).',
  quotes: 'Instagram has no quote posts.',
  replyPosts: "The Instagram API does not list the account's comments on other accounts' media.",
  repostPosts: "The Instagram API does not list the account's reposts.",
  quotePosts: 'Instagram has no quote posts.',
  threadPosts: "The Instagram API lists media only: the account's answers are comments under them, not posts.",
  outboundIdentities: 'The Instagram API does not say whom the account comments on, reposts or mentions.',
  followers: true,
  following: true,
  followerIds: 'The Instagram API gives follower and following counts, not lists.',
  followingIds: 'The Instagram API gives follower and following counts, not lists.',
  followerProfiles: 'The Instagram API (Business Discovery included) does not list followers.',
  followerOrder: 'The Instagram API does not list followers.',
  likesGiven: 'The Instagram API does not list the likes an account gives.',
  clients: 'Instagram does not say which app published a media.',
  account: true,
  likes: true,
  replies: true,
} as const satisfies Partial<Declaration>;

const DISCOVERY: Declaration = {
  ...NEVER,
  impressions: "Business Discovery gives no insights of another account: views are read for the token's own account only.",
  inboundIdentities: 'Business Discovery gives counts only: who commented on or liked another account’s media is unknowable.',
  replyThreads: 'Business Discovery gives no comments of another account: its answers cannot be seen.',
};

function ownDeclaration(posts: readonly Post[], interactions: Interaction[] | null, insightsRefused: string | null): Declaration {
  const viewed = posts.some((p) => p.metrics.impressions !== null);
  return {
    ...NEVER,
    impressions: viewed ? true : (insightsRefused ?? 'Instagram gave no views for these media (insights are empty for media under 48 hours old).'),
    ...threadsDeclaration(interactions),
  };
}
