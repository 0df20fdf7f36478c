/**
 * `--audience` on X (docs/formats.md `x`): users/:id/followers and /following (1,000 a page,
 * pagination_token) with the user fields a profile needs, so every follower read is classified and no
 * other request is made. The last post's time is read from the id of `most_recent_tweet_id`. X does
 * not document the order of these lists, and an access tier without them answers 403: the audience is
 * then unavailable, with the reason, and the rest of the pull is kept.
 */
import type { FollowerProfile } from '../../model/dataset.js';
import { HttpError, type HttpClient } from '../http.js';
import type { AudienceRequests, ListItem } from '../pull-audience.js';
import { arr, count as num, obj, str } from '../../lib/json.js';
import { isoOf, isoUtc } from '../../lib/dates.js';

/** 15 requests a list at 1,000 a page: X may bill every account read. */
export const X_AUDIENCE_CAP = 15_000;
/** X's ids are snowflakes: milliseconds since this epoch in their upper bits. */
const TWITTER_EPOCH = 1_288_834_974_657n;

/** The time a post id was made, from its snowflake; null for an id that is not one. */
export function snowflakeTime(id: string | undefined): string | null {
  if (!id || !/^\d{1,20}$/.test(id)) return null;
  return isoOf(Number((BigInt(id) >> 22n) + TWITTER_EPOCH));
}

export function xFollower(raw: unknown): ListItem | null {
  const u = obj(raw);
  const id = str(u?.['id']);
  if (!u || !id) return null;
  const username = str(u['username'])?.toLowerCase();
  const account: ListItem['account'] = { id, ...(username ? { handle: username, url: `https://x.com/${username}` } : {}) };
  const metrics = obj(u['public_metrics']);
  const posts = num(metrics?.['tweet_count']);
  const profile: FollowerProfile = {
    ...account,
    createdAt: isoUtc(str(u['created_at'])),
    posts,
    followers: num(metrics?.['followers_count']),
    following: num(metrics?.['following_count']),
    bot: null, // the API has no flag for automated accounts
  };
  const last = snowflakeTime(str(u['most_recent_tweet_id']));
  if (last !== null) profile.lastPostAt = last;
  else if (posts === 0) profile.lastPostAt = null;
  return { account, profile };
}

const FIELDS = 'created_at,public_metrics,most_recent_tweet_id';

export function xAudience(base: string): AudienceRequests<{ id: string }> {
  const list = (which: string) => async (client: HttpClient, self: { id: string }, token: string | undefined) => {
    const params = new URLSearchParams({ max_results: '1000', 'user.fields': FIELDS });
    if (token) params.set('pagination_token', token);
    const page = obj((await client.getJson(`${base}/2/users/${encodeURIComponent(self.id)}/${which}?${params}`)).body);
    return { items: arr(page?.['data']), next: str(obj(page?.['meta'])?.['next_token']) };
  };
  return {
    order: 'unknown',
    cap: X_AUDIENCE_CAP,
    followers: list('followers'),
    following: list('following'),
    item: xFollower,
    refused: (error) =>
      error instanceof HttpError && (error.status === 403 || error.status === 401)
        ? `X does not list followers to this token's access tier (${error.message.replace(/\.$/, '')}).`
        : null,
  };
}
