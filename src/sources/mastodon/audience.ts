/**
 * `--audience` on Mastodon and servers with its API (docs/formats.md `mastodon`): accounts/:id/followers
 * and /following (80 a page, `Link` rel="next", newest follow first), whose Account items carry every
 * detail a profile needs, so every follower read is classified and no other request is made. A server
 * that hides the account's collections answers an empty list (or refuses): said, never 0 followers.
 */
import type { FollowerProfile } from '../../model/dataset.js';
import type { HttpClient } from '../http.js';
import type { AudienceRequests, ListItem } from '../pull-audience.js';
import { arr, count as num, obj, str } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';

/** 100 requests a list at 80 a page, within 300 paging requests in 15 minutes without a token. */
export const MASTODON_AUDIENCE_CAP = 8000;

/**
 * An Account as a listed follower with its profile. `last_status_at` is a date (`2024-05-01`) on
 * Mastodon 3.1+, a full time on older servers and some others; null with no statuses: never posted;
 * null with statuses (a remote account whose posts the server never saw): not known.
 */
export function mastodonFollower(raw: unknown, handleOf: (acct: string) => string): ListItem | null {
  const a = obj(raw);
  const id = str(a?.['id']);
  if (!a || !id) return null;
  const acct = str(a['acct']);
  const url = str(a['url']);
  const account: ListItem['account'] = { id, ...(acct ? { handle: handleOf(acct) } : {}), ...(url ? { url } : {}) };
  const posts = num(a['statuses_count']);
  const last = isoUtc(str(a['last_status_at']));
  const profile: FollowerProfile = {
    ...account,
    createdAt: isoUtc(str(a['created_at'])),
    posts,
    followers: num(a['followers_count']),
    following: num(a['following_count']),
    bot: typeof a['bot'] === 'boolean' ? a['bot'] : null,
  };
  if (last !== null) profile.lastPostAt = last;
  else if (posts === 0) profile.lastPostAt = null;
  return { account, profile };
}

/** `api(path, params)` builds an instance URL; `handleOf` names an `acct` as the pull does. */
export function mastodonAudience(api: (path: string, params?: Record<string, string>) => string, nextLink: (link: string | string[] | undefined) => string | undefined, handleOf: (acct: string) => string): AudienceRequests<{ id: string }> {
  const list = (which: string) => async (client: HttpClient, self: { id: string }, next: string | undefined) => {
    const res = await client.getJson(next ?? api(`accounts/${encodeURIComponent(self.id)}/${which}`, { limit: '80' }));
    return { items: arr(res.body), next: nextLink(res.headers['link']) };
  };
  return {
    order: 'newest-first',
    cap: MASTODON_AUDIENCE_CAP,
    followers: list('followers'),
    following: list('following'),
    item: (raw) => mastodonFollower(raw, handleOf),
  };
}
