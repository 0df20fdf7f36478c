/**
 * A fake YouTube Data API v3 on 127.0.0.1 serving fixtures/api/youtube/<channel>/ the way the API
 * pages it (fixtures/api/youtube/README.md): `nextPageToken` / `pageToken`, videos.list by ids (unknown
 * ids left out), 403 `commentsDisabled` for a video without a comment count, an unknown handle as a
 * 200 without `items`. It accepts only the key sent as the X-Goog-Api-Key header (never one in the
 * URL). Latency and faults as in api-server.ts, whose server it runs on.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers.js';
import { startApiServer, type ApiServer, type Fault } from './api-server.js';

export const YT_ROOT = path.join(FIXTURES, 'api/youtube');
export const YT_KEY = 'AIzaTestKey-0123456789abcdefghijklmnopq';

export interface YouTubeServerOptions {
  /** fixtures/api/youtube/<channel>; default evan. */
  channel?: string;
  key?: string;
  latencyMs?: number;
  faults?: Fault[];
}

interface Answer {
  status: number;
  body: unknown;
}

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

/** One of fixtures/api/youtube/errors/, with its status. */
export function ytError(name: string): { status: number; body: string } {
  const meta = readJson(path.join(YT_ROOT, 'errors', `${name}.meta.json`)) as { status: number };
  return { status: meta.status, body: readFileSync(path.join(YT_ROOT, 'errors', `${name}.json`), 'utf8') };
}

const errorAnswer = (name: string): Answer => {
  const e = ytError(name);
  return { status: e.status, body: JSON.parse(e.body) };
};

/** A list's page: the first keyed by its object, a later one by the token it was asked with. */
function page(root: string, dir: string, first: string, token: string | null): Answer | null {
  const file = path.join(root, dir, `${token ?? first}.json`);
  return existsSync(file) ? { status: 200, body: readJson(file) } : null;
}

const badToken = (): Answer => ({ status: 400, body: { error: { code: 400, message: 'Invalid value for pageToken', errors: [{ message: 'Invalid value for pageToken', domain: 'global', reason: 'invalidPageToken' }] } } });

function answer(root: string, p: string, q: URLSearchParams): Answer {
  const channel = readJson(path.join(root, 'channels.json')) as { items: Array<{ id: string; snippet: { customUrl: string }; contentDetails: { relatedPlaylists: { uploads: string } } }> };
  const me = channel.items[0]!;
  const videos = readJson(path.join(root, 'videos.json')) as { items: Array<{ id: string; statistics: Record<string, unknown> }> };
  const token = q.get('pageToken');
  switch (p) {
    case '/channels': {
      const handle = q.get('forHandle')?.replace(/^@/, '').toLowerCase();
      const known = handle !== undefined ? `@${handle}` === me.snippet.customUrl.toLowerCase() : q.get('id') === me.id;
      return known ? { status: 200, body: channel } : errorAnswer('channel-not-found');
    }
    case '/playlistItems':
      if (q.get('playlistId') !== me.contentDetails.relatedPlaylists.uploads) return { status: 404, body: { error: { code: 404, message: 'playlistNotFound', errors: [{ reason: 'playlistNotFound' }] } } };
      return page(root, 'playlistItems', 'first', token) ?? badToken();
    case '/videos': {
      const ids = (q.get('id') ?? '').split(',').filter(Boolean);
      if (ids.length > 50) return { status: 400, body: { error: { code: 400, message: 'too many ids', errors: [{ reason: 'badRequest' }] } } };
      const items = ids.flatMap((id) => videos.items.filter((v) => v.id === id));
      return { status: 200, body: { kind: 'youtube#videoListResponse', items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } } };
    }
    case '/commentThreads': {
      const videoId = q.get('videoId') ?? '';
      const found = page(root, 'commentThreads', videoId, token);
      if (found) return found;
      if (token) return badToken();
      const video = videos.items.find((v) => v.id === videoId);
      return video && video.statistics['commentCount'] === undefined ? errorAnswer('comments-disabled') : errorAnswer('video-not-found');
    }
    case '/comments':
      return page(root, 'comments', q.get('parentId') ?? '', token) ?? (token ? badToken() : { status: 200, body: { kind: 'youtube#commentListResponse', items: [] } });
    default:
      return { status: 404, body: { error: { code: 404, message: 'Not Found' } } };
  }
}

/**
 * The fake API as the last fault of api-server.ts's server (which gives the latency, the faults before
 * it, the request log and the closing): the key check, then the fixture's answer.
 */
export function startYouTubeServer(options: YouTubeServerOptions = {}): Promise<ApiServer> {
  const root = path.join(YT_ROOT, options.channel ?? 'evan');
  const key = options.key ?? YT_KEY;
  const youtube: Fault = (req) => {
    // The API reads a key from the header or the URL; this server accepts only the header.
    if (req.query.has('key') || req.headers['x-goog-api-key'] === undefined) return ytError('key-missing');
    if (req.headers['x-goog-api-key'] !== key) return ytError('key-invalid');
    const a = answer(root, req.path, req.query);
    return { status: a.status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(a.body) };
  };
  return startApiServer({ ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}), faults: [...(options.faults ?? []), youtube] });
}
