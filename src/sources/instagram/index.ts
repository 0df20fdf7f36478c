/**
 * Instagram "Download your information", JSON (docs/formats.md `instagram`), old and new layouts: followers_N.json
 * and following.json, posts_N.json, the comments and likes you made. Every string gets the latin-1 →
 * UTF-8 repair; timestamps are Unix seconds. Posts carry no like or comment counts.
 */
import type { AccountRef, Dataset, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { arr, obj, str, type Json } from '../../lib/json.js';
import { repairMojibake } from '../../lib/text.js';
import { plausible } from '../../lib/dates.js';
import { type Container, readJsonEntry } from '../container/index.js';
import { memoryDataset, noReceivedCounts } from '../memory.js';
import { instagramSource } from './source.js';

/** Repairs every string in a parsed Meta export; nesting deeper than 64 levels is refused. */
export function repairAll(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return repairMojibake(value);
  if (depth > 64) throw new EngageAuditError('MALFORMED', 'values nested deeper than 64 levels: not an export Meta writes');
  if (Array.isArray(value)) return value.map((v) => repairAll(v, depth + 1));
  const o = obj(value);
  if (!o) return value;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, repairAll(v, depth + 1)]));
}

async function readMeta(container: Container, name: string): Promise<unknown> {
  const data = await readJsonEntry(container, name, 512 << 20);
  try {
    return repairAll(data);
  } catch (error) {
    if (error instanceof EngageAuditError) throw new EngageAuditError('MALFORMED', `${container.label}: ${name}: ${error.message}`);
    throw error;
  }
}

/** Usernames of a followers/following list: `value ?? title ?? href` of each entry. */
function usernames(items: unknown[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    const o = obj(item);
    const first = obj(arr(o?.['string_list_data'])[0]);
    const href = str(first?.['href']);
    const name = str(first?.['value']) || str(o?.['title']) || (href ? href.replace(/\/+$/, '').split('/').pop() : undefined);
    if (name) out.push(name.toLowerCase());
  }
  return out;
}

function seconds(value: unknown): number | null {
  if (typeof value !== 'number') return null;
  const ms = plausible(value * 1000);
  return Number.isNaN(ms) ? null : ms;
}

export function isInstagramExport(names: readonly string[]): boolean {
  return names.some((n) => /(^|\/)followers_and_following\//.test(n) || /(^|\/)content\/posts_\d+\.json$/.test(n) || /(^|\/)your_instagram_activity\//.test(n));
}

export async function loadInstagram(container: Container, options: { target: string }): Promise<Dataset> {
  const names = container.names;
  if (!isInstagramExport(names)) throw new EngageAuditError('UNKNOWN_FORMAT', `${container.label}: not an Instagram export`);
  const inFolder = (re: RegExp) => names.filter((n) => re.test(n)).sort();
  const followerFiles = inFolder(/(^|\/)followers_and_following\/followers(_\d+)?\.json$/);
  const followingFile = inFolder(/(^|\/)followers_and_following\/following\.json$/)[0];
  let followerIds: string[] | null = null;
  if (followerFiles.length > 0) {
    followerIds = [];
    for (const f of followerFiles) {
      const data = await readMeta(container, f);
      followerIds.push(...usernames(Array.isArray(data) ? data : arr(obj(data)?.['relationships_followers'])));
    }
  }
  let followingIds: string[] | null = null;
  if (followingFile) {
    const data = await readMeta(container, followingFile);
    followingIds = usernames(Array.isArray(data) ? data : arr(obj(data)?.['relationships_following']));
  }

  // The account: personal_information.json's Username (never the e-mail or anything else).
  let handle: string | null = null;
  let displayName: string | null = null;
  const personal = inFolder(/personal_information\.json$/)[0];
  if (personal) {
    const map = obj(obj(arr(obj(await readMeta(container, personal))?.['profile_user'])[0])?.['string_map_data']);
    handle = str(obj(map?.['Username'])?.['value'])?.toLowerCase() ?? null;
    displayName = str(obj(map?.['Name'])?.['value']) ?? null;
  }
  const isSelf = (name: string | undefined): boolean => handle !== null && name?.toLowerCase() === handle;

  const posts: Post[] = [];
  for (const file of inFolder(/(^|\/)posts_\d+\.json$/)) {
    const data = await readMeta(container, file);
    arr(Array.isArray(data) ? data : obj(data)?.['posts']).forEach((raw, i) => {
      const p = obj(raw);
      const media = arr(p?.['media']).map(obj).filter((m): m is Json => m !== undefined);
      const time = seconds(p?.['creation_timestamp']) ?? seconds(media[0]?.['creation_timestamp']);
      if (time === null) throw new EngageAuditError('MALFORMED', `${container.label}: ${file} post ${i + 1} has no creation_timestamp`);
      const text = str(p?.['title']) || str(media[0]?.['title']) || '';
      posts.push({
        id: str(media[0]?.['uri']) ?? `${file}#${i + 1}`,
        createdAt: new Date(time).toISOString(),
        kind: 'original',
        text,
        mentions: [...text.matchAll(/@([A-Za-z0-9._]{1,30})/g)].map((m) => m[1]!.toLowerCase().replace(/\.$/, '')).filter((h) => !isSelf(h)).map((h) => ({ handle: h })),
        client: null,
        metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null },
      });
    });
  }
  const commentFiles = inFolder(/(^|\/)(post_)?comments(_\d+)?\.json$/);
  const noComments = 'No comments file (post_comments_N.json) in the export: your comments are not counted.';
  for (const file of commentFiles) {
    const data = await readMeta(container, file);
    arr(Array.isArray(data) ? data : obj(data)?.['comments_media_comments']).forEach((raw, i) => {
      const map = obj(obj(raw)?.['string_map_data']);
      const time = seconds(obj(map?.['Time'])?.['timestamp']);
      if (time === null) throw new EngageAuditError('MALFORMED', `${container.label}: ${file} comment ${i + 1} has no Time`);
      const owner = str(obj(map?.['Media Owner'])?.['value'])?.toLowerCase();
      const target: AccountRef = owner ? { handle: owner } : {};
      posts.push({
        id: `${file}#${i + 1}`,
        createdAt: new Date(time).toISOString(),
        kind: isSelf(owner) ? 'thread' : 'reply',
        text: str(obj(map?.['Comment'])?.['value']) ?? '',
        target,
        mentions: [],
        client: null,
        metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null },
      });
    });
  }
  let likesGiven: number | null = null;
  const likedFile = inFolder(/(^|\/)liked_posts\.json$/)[0];
  if (likedFile) {
    const data = await readMeta(container, likedFile);
    likesGiven = (Array.isArray(data) ? data : arr(obj(data)?.['likes_media_likes'])).length;
  }
  return memoryDataset({
    platform: 'instagram',
    source: 'archive',
    target: options.target,
    account: { id: null, handle, displayName, followers: followerIds?.length ?? null, following: followingIds?.length ?? null, posts: posts.length },
    declaration: {
      ...noReceivedCounts('The Instagram export', 'Instagram keeps them in its own insights'),
      replyPosts: commentFiles.length > 0 ? true : noComments,
      repostPosts: 'The Instagram export is read for your posts and comments only: reposts are not read.',
      quotePosts: 'Instagram has no quote posts.',
      threadPosts: commentFiles.length === 0 ? noComments : handle === null ? 'personal_information.json was not found: comments under your own posts count as replies.' : true,
      outboundIdentities: true,
      followers: followerIds === null ? 'No followers_N.json in the export.' : true,
      followerIds: followerIds === null ? 'No followers_N.json in the export.' : true,
      following: followingIds === null ? 'No following.json in the export.' : true,
      followingIds: followingIds === null ? 'No following.json in the export.' : true,
      followerProfiles: 'The export lists followers by name only, without their profiles.',
      followerOrder: 'Not read from the export.',
      likesGiven: likesGiven === null ? 'No liked_posts.json in the export.' : true,
      clients: 'Instagram does not record the app that sent each post.',
      account: handle === null ? 'personal_information.json was not found: the account is unknown.' : true,
    },
    followerIds,
    followingIds,
    likesGiven,
    posts,
    format: instagramSource.format,
    files: [...names],
  });
}
