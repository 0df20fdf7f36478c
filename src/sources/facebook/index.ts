/**
 * Facebook "Download your information": `your_posts…_N.json` (docs/formats.md `facebook`), the same latin-1 →
 * UTF-8 repair as Instagram; originals only, no counts. Page exports are CSV (the `meta` preset).
 */
import type { Dataset, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { arr, obj, str } from '../../lib/json.js';
import { isoOf } from '../../lib/dates.js';
import { accountNameOf, type Container, readJsonEntry } from '../container/index.js';
import { memoryDataset, noReceivedCounts } from '../memory.js';
import { repairAll } from '../instagram/index.js';
import { facebookSource } from './source.js';

export const FACEBOOK_POSTS = /(^|\/)your_posts[^/]*\.json$/;
const PROFILE = /(^|\/)profile_information\.json$/;

/** The account's name: `name.full_name` of profile_information.json (`profile_v2`, older `profile`); no other field is read. */
async function profileName(container: Container, warnings: string[]): Promise<string | null> {
  const file = container.names.filter((n) => PROFILE.test(n)).sort()[0];
  if (file === undefined) return null;
  return accountNameOf(async () => {
    const data = obj(repairAll(await readJsonEntry(container, file, 16 << 20)));
    const profile = obj(data?.['profile_v2']) ?? obj(data?.['profile']);
    return str(obj(profile?.['name'])?.['full_name'])?.trim() || null;
  }, warnings);
}

export async function loadFacebookPosts(container: Container, options: { target: string }): Promise<Dataset> {
  const files = container.names.filter((n) => FACEBOOK_POSTS.test(n)).sort();
  if (files.length === 0) throw new EngageAuditError('UNKNOWN_FORMAT', `${container.label}: no your_posts….json: not a Facebook export`);
  const posts: Post[] = [];
  for (const file of files) {
    let data: unknown;
    try {
      data = repairAll(await readJsonEntry(container, file, 512 << 20));
    } catch (error) {
      if (error instanceof EngageAuditError && !error.message.startsWith(container.label)) throw new EngageAuditError('MALFORMED', `${container.label}: ${file}: ${error.message}`);
      throw error;
    }
    arr(data).forEach((raw, i) => {
      const p = obj(raw);
      const ts = p?.['timestamp'];
      const createdAt = typeof ts === 'number' ? isoOf(ts * 1000) : null;
      if (createdAt === null) throw new EngageAuditError('MALFORMED', `${container.label}: ${file} item ${i + 1} has no timestamp (or an impossible one)`);
      const text = arr(p?.['data']).map((d) => str(obj(d)?.['post'])).filter((t): t is string => t !== undefined).join('\n');
      posts.push({
        id: `${file}#${i + 1}`,
        createdAt,
        kind: 'original',
        text,
        mentions: [],
        client: null,
        metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null },
      });
    });
  }
  const warnings: string[] = [];
  const displayName = await profileName(container, warnings);
  const why = 'The Facebook personal export holds no follower or friend list that this tool reads.';
  return memoryDataset({
    platform: 'facebook',
    source: 'archive',
    target: options.target,
    account: { id: null, handle: null, displayName, followers: null, following: null, posts: posts.length },
    declaration: {
      ...noReceivedCounts('The Facebook export', 'a Page export from Meta Business Suite has them'),
      replyPosts: "The Facebook posts file holds your own posts only; your comments on others' posts are not read.",
      repostPosts: 'The Facebook posts file does not tell a share from an original post: every item counts as an original.',
      quotePosts: 'The Facebook posts file does not tell a share with your words from an original post: every item counts as an original.',
      threadPosts: 'The Facebook posts file holds your own posts only; your comments under them are not read.',
      outboundIdentities: 'The Facebook posts file is read for your own posts only: whom they tag or share is not read.',
      followers: why,
      following: why,
      followerIds: why,
      followingIds: why,
      followerProfiles: 'The Facebook export names no followers with their profiles.',
      followerOrder: 'Not read from the Facebook export.',
      likesGiven: 'Not read from the Facebook export.',
      clients: 'Facebook does not record the app that sent each post.',
      account: displayName === null ? 'The export does not name the account.' : true,
    },
    posts,
    warnings,
    format: facebookSource.format,
    files: [...container.names],
  });
}
