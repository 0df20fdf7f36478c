/**
 * The YouTube Data API v3 with an API key from YOUTUBE_API_KEY (docs/formats.md `youtube`), sent only
 * as the X-Goog-Api-Key header to the API's origin, never in a URL: channels (by handle or id) for the
 * profile and the uploads playlist, the playlist 50 videos a page with videos.list for their counts
 * (strings; a hidden like count or disabled comments leave the count null), then the comment threads
 * of every video with comments, and all the replies of a thread whose embedded replies are fewer than
 * its reply count. Each list call costs 1 unit of the key's daily quota (10,000 by default); the API
 * sends no usage headers, so the pull counts its requests (--budget).
 */
import type { AccountRef, Interaction, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { isoUtc } from '../../lib/dates.js';
import { arr, count, obj, str, type Json } from '../../lib/json.js';
import { HttpError, type HttpClient } from '../http.js';
import { envToken, missingToken } from '../env-token.js';
import { pullAccount } from '../pull-account.js';
import { EVERY_PULL, threadsDeclaration } from '../pull-declaration.js';
import type { PullOptions } from '../pull-options.js';
import { interactionBy, type Fetched } from '../pull-threads.js';

export const YOUTUBE_DEFAULT_BASE = 'https://www.googleapis.com/youtube/v3';
/**
 * The default `--budget`: 2,000 requests (units) for the comments, a fifth of the 10,000 units a key
 * gets a day, so several audits fit in a day besides the pages (1 + 2 per 50 videos).
 */
export const YOUTUBE_BUDGET = 2000;
/** The most requests one video's comments take (100 comment threads or replies a request): beyond, the rest is not read. */
const VIDEO_REQUESTS = 100;

const KEY_HINT = 'Create an API key in the Google Cloud console (APIs & Services → Credentials) for a project with the YouTube Data API v3 enabled, then: export YOUTUBE_API_KEY=… (the key is read from the environment only).';

/** A count as YouTube's statistics send it: a decimal string (sometimes a number); absent or junk → null. */
export function statCount(value: unknown): number | null {
  if (typeof value === 'string' && /^\d{1,10}$/.test(value)) return count(Number(value));
  return count(value);
}

/** A commenter: its channel id, and its handle when the display name is one (`@name`). */
function authorOf(snippet: Json | undefined): AccountRef {
  const r: AccountRef = {};
  const id = str(obj(snippet?.['authorChannelId'])?.['value']);
  const name = str(snippet?.['authorDisplayName'])?.trim();
  if (id) r.id = id;
  if (name?.startsWith('@') && name.length > 1) r.handle = name.slice(1).toLowerCase();
  return r;
}

/** One comment as an interaction on `videoId`: a top-level comment is depth 1, a reply (one level on YouTube) depth 2. */
function commentInteraction(comment: unknown, videoId: string, parentId: string | undefined): Interaction | null {
  const c = obj(comment);
  const snippet = obj(c?.['snippet']);
  const id = str(c?.['id']);
  if (!id) return null;
  const i = interactionBy(authorOf(snippet), { postId: videoId, id, kind: 'reply', depth: parentId === undefined ? 1 : 2 });
  if (!i) return null;
  if (parentId !== undefined) i.parentId = str(snippet?.['parentId']) ?? parentId;
  const t = isoUtc(str(snippet?.['publishedAt']));
  if (t) i.createdAt = t;
  return i;
}

/** A video of videos.list, with the time the playlist gives, as a post. */
export function mapVideo(item: unknown): Post | null {
  const { video, publishedAt } = (obj(item) ?? {}) as { video?: unknown; publishedAt?: string };
  const v = obj(video);
  const id = str(v?.['id']);
  const snippet = obj(v?.['snippet']);
  const createdAt = isoUtc(publishedAt ?? str(snippet?.['publishedAt']));
  if (!v || !id || createdAt === null) return null;
  const stats = obj(v['statistics']);
  return {
    id,
    createdAt,
    kind: 'original',
    text: str(snippet?.['title']) ?? '',
    url: `https://www.youtube.com/watch?v=${encodeURIComponent(id)}`,
    mentions: [],
    client: null,
    metrics: {
      likes: statCount(stats?.['likeCount']),
      replies: statCount(stats?.['commentCount']),
      reposts: null,
      quotes: null,
      impressions: statCount(stats?.['viewCount']),
    },
  };
}

/** A refusal of the key itself (expired, not valid, API not enabled): an authentication failure that says what to do. */
function keyRefusal(error: unknown): EngageAuditError | null {
  if (!(error instanceof HttpError)) return null;
  if (error.status === 400 && /API key expired/i.test(error.message)) {
    return new EngageAuditError('AUTH', `YouTube refused YOUTUBE_API_KEY: the key has expired (${error.message})`, { hint: `Renew the key (or create a new one) in the Google Cloud console, then set YOUTUBE_API_KEY again. ${KEY_HINT}` });
  }
  if (error.status === 400 && /API key not valid/i.test(error.message)) {
    return new EngageAuditError('AUTH', `YouTube refused YOUTUBE_API_KEY: the key is not valid (${error.message})`, { hint: KEY_HINT });
  }
  if (error.apiError === 'accessNotConfigured') {
    return new EngageAuditError('AUTH', `YouTube refused YOUTUBE_API_KEY: its project has not enabled the YouTube Data API v3`, {
      hint: 'Enable "YouTube Data API v3" for the key\'s project in the Google Cloud console (APIs & Services → Library), wait a few minutes, then run again.',
    });
  }
  return null;
}

export async function pullYouTube(channel: string, target: string, options: PullOptions) {
  const key = envToken(options, 'YOUTUBE_API_KEY');
  if (!key) {
    throw new EngageAuditError('AUTH', `The YouTube Data API needs an API key, and YOUTUBE_API_KEY is ${missingToken(options, 'YOUTUBE_API_KEY')}`, { hint: KEY_HINT });
  }
  const base = (options.apiBase ?? YOUTUBE_DEFAULT_BASE).replace(/\/+$/, '');
  const api = (path: string, params: Record<string, string>): string => `${base}/${path}?${new URLSearchParams(params)}`;
  /** A request whose refusal of the key says so, wherever in the pull it comes. */
  const get = async (client: HttpClient, url: string, urgent = false): Promise<Json> => {
    try {
      return obj((await client.getJson(url, { urgent })).body) ?? {};
    } catch (error) {
      throw keyRefusal(error) ?? error;
    }
  };
  const name = channel.startsWith('@') ? channel : `channel ${channel}`;
  /** Videos whose comments the API refused as turned off. */
  const disabled = new Set<string>();
  let subscribers: true | string = true;

  /** Every page of a list (comment threads of a video, replies of a comment), while the video's requests (`spent`) stay within VIDEO_REQUESTS. */
  const pages = async (client: HttpClient, path: string, params: Record<string, string>, spent: { requests: number }): Promise<{ items: unknown[]; capped: boolean }> => {
    const items: unknown[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    for (;;) {
      if (spent.requests >= VIDEO_REQUESTS) return { items, capped: true };
      spent.requests++;
      const page = await get(client, api(path, { ...params, ...(token ? { pageToken: token } : {}) }));
      items.push(...arr(page['items']));
      token = str(page['nextPageToken']);
      if (!token || tokens.has(token)) return { items, capped: false };
      tokens.add(token);
    }
  };

  /** Who commented on a video: every thread, and every reply of a thread that embeds only some. */
  const comments = async (client: HttpClient, post: Post): Promise<Fetched> => {
    const spent = { requests: 0 };
    let threads: { items: unknown[]; capped: boolean };
    try {
      threads = await pages(client, 'commentThreads', { part: 'snippet,replies', videoId: post.id, maxResults: '100', textFormat: 'plainText' }, spent);
    } catch (error) {
      if (error instanceof HttpError && error.apiError === 'commentsDisabled') disabled.add(post.id);
      throw error;
    }
    let capped = threads.capped;
    const interactions: Interaction[] = [];
    const add = (i: Interaction | null): void => {
      if (i) interactions.push(i);
    };
    for (const thread of threads.items) {
      const snippet = obj(obj(thread)?.['snippet']);
      const top = obj(snippet?.['topLevelComment']);
      const topId = str(top?.['id']);
      if (!topId) continue;
      add(commentInteraction(top, post.id, undefined));
      const embedded = arr(obj(obj(thread)?.['replies'])?.['comments']);
      const total = count(snippet?.['totalReplyCount']) ?? embedded.length;
      let replies = embedded;
      if (embedded.length < total) {
        const all = await pages(client, 'comments', { part: 'snippet', parentId: topId, maxResults: '100', textFormat: 'plainText' }, spent);
        capped ||= all.capped;
        replies = all.items;
      }
      for (const reply of replies) add(commentInteraction(reply, post.id, topId));
    }
    return { interactions, capped, requests: spent.requests };
  };

  return pullAccount<{ id: string; uploads: string }>(
    {
      platform: 'youtube',
      name: `yt:${channel}`,
      credentials: { origin: base, headers: { 'x-goog-api-key': key } },
      what: 'the uploads playlist',
      lookup: async (client) => {
        const by: Record<string, string> = channel.startsWith('@') ? { forHandle: channel } : { id: channel };
        const res = await get(client, api('channels', { part: 'snippet,statistics,contentDetails', ...by }));
        const item = obj(arr(res['items'])[0]);
        if (!item) {
          throw new EngageAuditError('NOT_FOUND', `YouTube has no channel ${name}`, {
            hint: "Check the handle on the channel's page (youtube.com/@handle), or give its channel id: yt:UC… (from youtube.com/channel/UC…).",
          });
        }
        const id = str(item['id']);
        const uploads = str(obj(obj(item['contentDetails'])?.['relatedPlaylists'])?.['uploads']);
        if (!id || !uploads) throw new EngageAuditError('NETWORK', `${base}: channels answered without a channel id or an uploads playlist`);
        const snippet = obj(item['snippet']);
        const stats = obj(item['statistics']);
        const hidden = stats?.['hiddenSubscriberCount'] === true;
        const followers = hidden ? null : statCount(stats?.['subscriberCount']);
        subscribers = hidden ? 'The channel hides its subscriber count.' : followers === null ? 'YouTube sent no subscriber count.' : true;
        const custom = str(snippet?.['customUrl'])?.replace(/^@/, '').toLowerCase();
        return {
          account: {
            id,
            handle: custom || (channel.startsWith('@') ? channel.slice(1) : null),
            displayName: str(snippet?.['title']) || null,
            followers,
            following: null,
            posts: statCount(stats?.['videoCount']),
          },
          self: { id, uploads },
        };
      },
      fetchPage: async (client, self, pageToken) => {
        const page = await get(client, api('playlistItems', { part: 'snippet,contentDetails', playlistId: self.uploads, maxResults: '50', ...(pageToken ? { pageToken } : {}) }), true);
        const entries = arr(page['items']).flatMap((i) => {
          const details = obj(obj(i)?.['contentDetails']);
          const videoId = str(details?.['videoId']) ?? str(obj(obj(obj(i)?.['snippet'])?.['resourceId'])?.['videoId']);
          return videoId ? [{ videoId, publishedAt: str(details?.['videoPublishedAt']) }] : [];
        });
        const next = str(page['nextPageToken']);
        if (entries.length === 0) return { items: [], next };
        // videos.list leaves out private and deleted videos: they are not posts.
        const videos = new Map<string, unknown>();
        const answer = await get(client, api('videos', { part: 'snippet,statistics', id: entries.map((e) => e.videoId).join(',') }), true);
        for (const v of arr(answer['items'])) {
          const id = str(obj(v)?.['id']);
          if (id) videos.set(id, v);
        }
        // An empty page would end the paging: a page of only private videos keeps a marker that maps to no post.
        const items = entries.map((e) => (videos.has(e.videoId) ? { video: videos.get(e.videoId), publishedAt: e.publishedAt } : {}));
        return { items, next };
      },
      mapItem: (item) => mapVideo(item),
      budget: YOUTUBE_BUDGET,
      threads: {
        pageSize: { likes: 1, reposts: 1 },
        replies: comments,
        unreachable: (post, kind) =>
          kind === 'likes' ? 'YouTube does not say who liked a video' : kind === 'replies' && disabled.has(post.id) ? 'comments are turned off on the video' : null,
        cappedHint: `a video's comments are read up to ${VIDEO_REQUESTS} requests (${VIDEO_REQUESTS * 100} comments)`,
      },
      declare: (_, interactions) => ({
        likes: true,
        replies: true,
        reposts: 'YouTube has no reposts.',
        quotes: 'YouTube has no quotes.',
        impressions: true,
        ...threadsDeclaration(interactions),
        ...EVERY_PULL,
        // A channel's own comments (its answers included) are not videos: what it gives others is not in its uploads.
        replyPosts: "A channel's comments on other videos are not listed by the API (its answers under its own videos count for responsiveness only).",
        repostPosts: 'YouTube has no reposts.',
        quotePosts: 'YouTube has no quotes.',
        threadPosts: 'A video cannot answer another: YouTube has no threads.',
        outboundIdentities: 'The API does not say whom a channel talks with on other channels.',
        followers: subscribers,
        following: 'YouTube does not say how many channels a channel subscribes to (subscriptions are usually private).',
        followerProfiles: "YouTube lists a channel's subscribers only to its owner, and not all of them.",
        followerOrder: "YouTube lists a channel's subscribers only to its owner, and not all of them.",
        likesGiven: 'YouTube does not list the videos a channel liked.',
        clients: 'YouTube does not say how a video was uploaded.',
      }),
    },
    target,
    options,
  );
}
