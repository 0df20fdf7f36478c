/**
 * A Facebook Page through the Graph API with a token from FACEBOOK_TOKEN (docs/formats.md `facebook`):
 * the Page (followers_count, the people who follow it), its posts page by page (`paging.next`, time
 * based) with their reaction, comment (every level) and share counts, then the comments of every post
 * that has some, up to --budget requests, for who commented and which comments the Page answered.
 * The token travels in the Authorization header to the Graph host only, never in a URL.
 */
import type { Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { HttpError } from '../http.js';
import { envToken, missingToken } from '../env-token.js';
import { pullAccount } from '../pull-account.js';
import { EVERY_PULL, OptionalCount } from '../pull-declaration.js';
import type { PullOptions } from '../pull-options.js';
import { arr, count as num, obj, str } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';
import { CommentAccess, facebookComments, summaryCount } from './comments.js';
import { GraphUsage, graphNext, graphRoot } from './graph.js';

/**
 * The default `--budget`: a user token may make 200 calls an hour for each of its users, and a Page
 * token shares the Page's business use case limit with the Page's own tools; 150 leaves room for them.
 */
export const FACEBOOK_BUDGET = 150;
const POSTS_PAGE = 100;
const POST_FIELDS = 'id,created_time,message,permalink_url,status_type,shares,reactions.limit(0).summary(total_count),comments.filter(stream).limit(0).summary(true)';

export const TOKEN_HINT =
  'Give a Page access token (or a user token with pages_read_engagement and pages_read_user_content for the Page) in the environment: export FACEBOOK_TOKEN=… (it is read from there only).';
const RENEW_HINT = 'Renew it: get a new Page access token (Graph API Explorer, or your app\'s Facebook Login) and export FACEBOOK_TOKEN=…; a long-lived Page token does not expire.';

/** The Graph codes that say a Page id or name names nothing this token can read: unknown alias, unknown or unreadable object. */
const NO_SUCH_PAGE = new Set(['803', '100']);

/** A Page post as a post: every one original, likes = reactions of every type, replies = comments of every level, reposts = shares (absent = none). */
export function mapPagePost(item: unknown): Post | null {
  const p = obj(item);
  const id = str(p?.['id']);
  const createdAt = isoUtc(str(p?.['created_time']));
  if (!p || !id || createdAt === null) return null;
  const post: Post = {
    id,
    createdAt,
    kind: 'original',
    text: str(p['message']) ?? '',
    mentions: [],
    client: null,
    metrics: {
      likes: summaryCount(p['reactions']),
      replies: summaryCount(p['comments']),
      // Graph leaves `shares` out of a post nobody shared: the post is there, so its shares are 0.
      reposts: p['shares'] === undefined ? 0 : num(obj(p['shares'])?.['count']),
      quotes: null,
      impressions: null,
    },
  };
  const url = str(p['permalink_url']);
  if (url) post.url = url;
  return post;
}

/** What an error of the Page lookup means to the user: a token to renew, a Page that is not there. */
function lookupError(error: unknown, page: string): unknown {
  if (!(error instanceof HttpError)) return error;
  if (error.apiError === '190') {
    // "Cannot parse access token" is a value that was never a token; a session that expired says so.
    const what = /cannot parse/i.test(error.message) ? 'it is not a valid token (check what FACEBOOK_TOKEN holds)' : 'it has expired or was revoked, renew it';
    return new EngageAuditError('AUTH', `Facebook refused FACEBOOK_TOKEN: ${what} (${error.message})`, { hint: RENEW_HINT });
  }
  if (error.apiError === '10' || /^2\d\d$/.test(error.apiError ?? '')) {
    return new EngageAuditError('AUTH', `FACEBOOK_TOKEN may not read the Page "${page}" (${error.message})`, {
      hint: 'Use a Page access token, or give the token pages_read_engagement (and pages_read_user_content to name the commenters) for this Page.',
    });
  }
  if (error.code === 'NOT_FOUND' || NO_SUCH_PAGE.has(error.apiError ?? '')) {
    return new EngageAuditError('NOT_FOUND', `Facebook has no Page "${page}" that this token can read (${error.message})`, {
      hint: "Give the Page's username or numeric id as in its address (facebook.com/NAME or profile.php?id=N). Only Pages can be audited, not personal profiles or groups; an unpublished or restricted Page needs a token of someone with a role on it.",
    });
  }
  return error;
}

export async function pullFacebookPage(page: string, target: string, options: PullOptions) {
  const token = envToken(options, 'FACEBOOK_TOKEN');
  if (!token) throw new EngageAuditError('AUTH', `The Facebook Graph API needs a token, and FACEBOOK_TOKEN is ${missingToken(options, 'FACEBOOK_TOKEN')}`, { hint: TOKEN_HINT });
  const root = graphRoot(options.apiBase);
  const usage = new GraphUsage();
  const access = new CommentAccess();
  const likes = new OptionalCount('likes', (item) => summaryCount(obj(item)?.['reactions']) !== null);
  const replies = new OptionalCount('replies', (item) => summaryCount(obj(item)?.['comments']) !== null);
  let followers: true | string = true;
  return pullAccount<{ id: string }>(
    {
      platform: 'facebook',
      name: `fb:${page}`,
      credentials: { origin: new URL(root).origin, headers: { authorization: `Bearer ${token}` } },
      what: "the Page's posts",
      lookup: async (client) => {
        let body: unknown;
        try {
          body = await usage.get(client, `${root}/${encodeURIComponent(page)}?fields=id,name,username,followers_count,fan_count,link`);
        } catch (error) {
          throw lookupError(error, page);
        }
        const p = obj(body);
        const id = str(p?.['id']);
        if (!p || !id) throw new EngageAuditError('NETWORK', `${root}: the Page lookup answered without an id`);
        const count = num(p['followers_count']);
        if (count === null) followers = "Facebook sent no followers_count for this Page (fan_count, its likes, is not its followers).";
        return {
          account: { id, handle: (str(p['username']) ?? id).toLowerCase(), displayName: str(p['name']) ?? null, followers: count, following: null, posts: null },
          self: { id },
        };
      },
      fetchPage: async (client, self, next) => {
        const first = `${root}/${encodeURIComponent(self.id)}/posts?${new URLSearchParams({ fields: POST_FIELDS, limit: String(POSTS_PAGE) })}`;
        const body = obj(await usage.get(client, next ?? first, true));
        const items = arr(body?.['data']);
        likes.watch(items);
        replies.watch(items);
        return { items, next: graphNext(root, obj(body?.['paging'])?.['next']) };
      },
      mapItem: (item) => mapPagePost(item),
      budget: FACEBOOK_BUDGET,
      threads: facebookComments(root, usage, access),
      declare: (posts, interactions) => ({
        ...likes.settle(posts, 'Facebook sent no reaction counts for these posts.'),
        ...replies.settle(posts, 'Facebook sent no comment counts for these posts.'),
        reposts: true,
        quotes: 'Facebook does not count quotes: a share with a comment is counted as a share.',
        impressions: 'Views of Page posts are Page Insights (read_insights), which this pull does not read.',
        ...access.declare(interactions),
        ...EVERY_PULL,
        replyPosts: "The Graph API lists a Page's own posts, not its comments on other posts.",
        repostPosts: "Facebook does not say which Page posts share another account's post: every post counts as original.",
        quotePosts: "Facebook does not say which Page posts share another account's post: every post counts as original.",
        threadPosts: 'A Page post cannot answer another: Pages have no threads.',
        outboundIdentities: "The Graph API does not say whom a Page's posts tag or share.",
        followers,
        following: 'A Facebook Page has no following count.',
        followerProfiles: 'The Graph API does not list the people who follow a Page.',
        followerOrder: 'The Graph API does not list the people who follow a Page.',
        likesGiven: 'The Graph API does not count the reactions a Page gives.',
        clients: 'The Graph API does not say which app published a Page post.',
      }),
    },
    target,
    options,
  );
}
