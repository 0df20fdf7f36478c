/**
 * `--audience` on Bluesky (docs/formats.md `bluesky`): getFollowers and getFollows (100 a page, newest
 * follow first), whose profile views carry no counts; then getProfiles (25 actors a request) for the
 * sampled followers' counts, creation date and self-labels, and getAuthorFeed (limit 1) for the last
 * post of each sampled follower with posts.
 */
import type { FollowerProfile } from '../../model/dataset.js';
import type { HttpClient } from '../http.js';
import type { AudienceRequests, ListItem } from '../pull-audience.js';
import { arr, count as num, obj, str, type Json } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';

/** About 500 requests a list at 100 a page, within the AppView's 3,000 requests in 5 minutes. */
export const BLUESKY_AUDIENCE_CAP = 50_000;
/** getProfiles takes at most 25 actors. */
const PROFILES_BATCH = 25;

type Xrpc = (nsid: string, params: Record<string, string | string[]>) => string;

function listed(view: Json | undefined): ListItem['account'] | null {
  const did = str(view?.['did']);
  if (!did) return null;
  const handle = str(view?.['handle'])?.toLowerCase();
  // `handle.invalid` names no one: the profile is addressed by its DID.
  const named = handle && handle !== 'handle.invalid' ? handle : undefined;
  return { id: did, ...(named ? { handle: named } : {}), url: `https://bsky.app/profile/${named ?? did}` };
}

/** A self-declared automated account: a `bot` label the account put on itself (its `src` is its own DID). */
function selfLabelledBot(view: Json, did: string): boolean {
  return arr(view['labels']).some((l) => str(obj(l)?.['val']) === 'bot' && str(obj(l)?.['src']) === did);
}

/** A detailed profile view (getProfiles) as a follower's profile. */
export function blueskyProfile(view: unknown): FollowerProfile | null {
  const v = obj(view);
  const account = listed(v);
  if (!v || !account) return null;
  return {
    ...account,
    createdAt: isoUtc(str(v['createdAt'])),
    posts: num(v['postsCount']),
    followers: num(v['followersCount']),
    following: num(v['followsCount']),
    bot: selfLabelledBot(v, account.id),
  };
}

/** The time of the newest post or repost of an author feed page: a pinned post is skipped (it may be old), a repost counts when it was made. */
function newestActivity(feed: unknown[]): string | null | undefined {
  for (const item of feed) {
    const it = obj(item);
    const reason = obj(it?.['reason']);
    const type = str(reason?.['$type']);
    if (type === 'app.bsky.feed.defs#reasonPin') continue;
    const post = obj(it?.['post']);
    const time = type === 'app.bsky.feed.defs#reasonRepost' ? str(reason?.['indexedAt']) : (str(post?.['indexedAt']) ?? str(obj(post?.['record'])?.['createdAt']));
    return isoUtc(time);
  }
  return undefined; // only a pinned post: look further
}

export function blueskyAudience(xrpc: Xrpc): AudienceRequests<{ did: string }> {
  const list = (nsid: string, key: string) => async (client: HttpClient, self: { did: string }, cursor: string | undefined) => {
    const page = obj((await client.getJson(xrpc(nsid, { actor: self.did, limit: '100', ...(cursor ? { cursor } : {}) }))).body);
    return { items: arr(page?.[key]), next: str(page?.['cursor']) };
  };
  return {
    order: 'newest-first',
    cap: BLUESKY_AUDIENCE_CAP,
    followers: list('app.bsky.graph.getFollowers', 'followers'),
    following: list('app.bsky.graph.getFollows', 'follows'),
    item: (raw) => {
      const account = listed(obj(raw));
      return account ? { account, profile: null } : null;
    },
    details: {
      batch: PROFILES_BATCH,
      fetch: async (client, ids) => {
        const body = obj((await client.getJson(xrpc('app.bsky.actor.getProfiles', { actors: [...ids] }))).body);
        return arr(body?.['profiles']).flatMap((p) => blueskyProfile(p) ?? []);
      },
    },
    lastPost: async (client, profile) => {
      let cursor: string | undefined;
      // Two pages at most: the first may hold only the pinned post.
      for (let page = 0; page < 2; page++) {
        const body = obj((await client.getJson(xrpc('app.bsky.feed.getAuthorFeed', { actor: profile.id!, limit: '1', ...(cursor ? { cursor } : {}) }))).body);
        const found = newestActivity(arr(body?.['feed']));
        if (found !== undefined) return found;
        cursor = str(body?.['cursor']);
        if (!cursor) break;
      }
      return null; // the feed shows no post (deleted, or hidden from visitors)
    },
  };
}
