/**
 * The Mastodon account archive (docs/formats.md `mastodon-archive`): `outbox.json` (Create → post, Announce → repost,
 * items not in date order), `actor.json`, `likes.json`, optional `following_accounts.csv`. Direct
 * messages are not posts and are left out unless asked for. Counts only where newer exports carry
 * `likes.totalItems` / `shares.totalItems`.
 */
import type { AccountRef, Dataset, Post } from '../../model/dataset.js';
import type { Declaration } from '../../model/capabilities.js';
import { EngageAuditError } from '../../errors.js';
import { arr, obj, str, type Json } from '../../lib/json.js';
import { stripTags } from '../../lib/text.js';
import { isoUtc } from '../../lib/dates.js';
import { type Container, findEntry, readJsonEntry, readSmall } from '../container/index.js';
import { memoryDataset } from '../memory.js';
import { parseCsv } from '../csv-read.js';
import { mastodonArchiveSource } from './source.js';

const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

/** `name@host` of an account or status URL (`/users/<name>…` or `/@<name>…`). */
export function accountOfUrl(url: string | undefined): AccountRef | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    const m = /^\/(?:users\/([^/]+)|@([^/]+))/.exec(u.pathname);
    const name = m?.[1] ?? m?.[2];
    return name ? { handle: `${decodeURIComponent(name).toLowerCase()}@${u.host.toLowerCase()}` } : undefined;
  } catch {
    return undefined;
  }
}

function mentionRef(tag: Json): AccountRef | undefined {
  const name = str(tag['name'])?.replace(/^@/, '');
  if (name && name.includes('@')) return { handle: name.toLowerCase() };
  return accountOfUrl(str(tag['href']));
}

function audience(item: Json, object: Json): string[] {
  return [...arr(item['to']), ...arr(item['cc']), ...arr(object['to']), ...arr(object['cc'])].map((v) => str(v) ?? '');
}

export interface MastodonArchiveOptions {
  target: string;
  includePrivate?: boolean;
}

/**
 * The post a Note quotes: Mastodon 4.5 writes `quote` (with `quoteUri` and `_misskey_quote`, the
 * names other servers read); older archives have none, and then no post is a quote.
 */
function quotedUri(object: Json): string | undefined {
  for (const key of ['quote', 'quoteUri', '_misskey_quote', 'quoteUrl']) {
    const value = object[key];
    const uri = str(value) ?? str(obj(value)?.['id']);
    if (uri) return uri;
  }
  return undefined;
}

export async function loadMastodonArchive(container: Container, options: MastodonArchiveOptions): Promise<Dataset> {
  const outboxName = findEntry(container, 'outbox.json');
  const actorName = findEntry(container, 'actor.json');
  if (!outboxName) throw new EngageAuditError('UNKNOWN_FORMAT', `${container.label}: no outbox.json: not a Mastodon archive`);
  const warnings: string[] = [];
  const actor = actorName ? obj(await readJsonEntry(container, actorName)) : undefined;
  const actorId = str(actor?.['id']);
  const username = str(actor?.['preferredUsername']);
  let host: string | undefined;
  try {
    host = actorId ? new URL(actorId).host.toLowerCase() : undefined;
  } catch {
    host = undefined; // an id that is not a URL names no server
  }
  const handle = username && host ? `${username.toLowerCase()}@${host}` : null;
  const followersUrl = str(actor?.['followers']) ?? (actorId ? `${actorId}/followers` : undefined);

  const outbox = obj(await readJsonEntry(container, outboxName, 512 << 20));
  if (!outbox || !Array.isArray(outbox['orderedItems'])) {
    throw new EngageAuditError('MALFORMED', `${container.label}: ${outboxName} has no orderedItems: not a Mastodon outbox`);
  }
  const items = outbox['orderedItems'] as unknown[];
  const total = outbox['totalItems'];
  if (typeof total === 'number' && total !== items.length) {
    warnings.push(`outbox.json says totalItems ${total} but holds ${items.length} items; the report counts the items.`);
  }

  const posts: Post[] = [];
  let directLeftOut = 0;
  let withCounts = 0;
  const ownPrefix = actorId ? `${actorId}/` : null;
  items.forEach((raw, index) => {
    const item = obj(raw);
    const type = str(item?.['type']);
    const where = `${container.label}: ${outboxName} item ${index + 1}`;
    if (!item || (type !== 'Create' && type !== 'Announce')) return;
    const published = str(item['published']) ?? str(obj(item['object'])?.['published']);
    const createdAt = isoUtc(published);
    if (createdAt === null) throw new EngageAuditError('MALFORMED', `${where}: published ${JSON.stringify(published ?? null)} is not a date`);
    const id = str(item['id']) ?? `${outboxName}#${index}`;
    if (type === 'Announce') {
      const objectUri = str(item['object']) ?? str(obj(item['object'])?.['id']);
      const target = accountOfUrl(objectUri) ?? {};
      const post: Post = { id, createdAt, kind: 'repost', target, mentions: [target], client: null, metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null } };
      if (objectUri) post.targetPostId = objectUri;
      posts.push(post);
      return;
    }
    const object = obj(item['object']);
    if (!object) return;
    const to = audience(item, object);
    const isPublic = to.includes(PUBLIC) || to.includes('as:Public') || to.includes('Public');
    const toFollowers = followersUrl !== undefined && to.includes(followersUrl);
    if (!isPublic && !toFollowers && !options.includePrivate) {
      directLeftOut++;
      return;
    }
    const likes = obj(object['likes'])?.['totalItems'];
    const shares = obj(object['shares'])?.['totalItems'];
    if (typeof likes === 'number' || typeof shares === 'number') withCounts++;
    const mentions = arr(object['tag'])
      .map(obj)
      .filter((t): t is Json => t !== undefined && str(t['type']) === 'Mention')
      .map(mentionRef)
      .filter((r): r is AccountRef => r !== undefined && r.handle !== handle);
    const post: Post = {
      id: str(object['id']) ?? id,
      createdAt,
      kind: 'original',
      text: stripTags(str(object['content']) ?? ''),
      mentions,
      client: null,
      metrics: {
        likes: typeof likes === 'number' && likes >= 0 ? likes : null,
        replies: null,
        reposts: typeof shares === 'number' && shares >= 0 ? shares : null,
        quotes: null,
        impressions: null,
      },
    };
    const url = str(object['url']);
    if (url) post.url = url;
    const quoted = quotedUri(object);
    if (quoted !== undefined && !(ownPrefix !== null && quoted.startsWith(ownPrefix))) {
      post.kind = 'quote';
      post.target = accountOfUrl(quoted) ?? {};
      post.targetPostId = quoted;
    }
    const inReplyTo = str(object['inReplyTo']);
    if (inReplyTo) {
      post.kind = ownPrefix !== null && inReplyTo.startsWith(ownPrefix) ? 'thread' : 'reply';
      post.target = accountOfUrl(inReplyTo) ?? {};
      post.targetPostId = inReplyTo;
    }
    posts.push(post);
  });
  if (directLeftOut > 0) warnings.push(`${directLeftOut} direct message${directLeftOut === 1 ? '' : 's'} left out (not posts; --include-private keeps them).`);

  let likesGiven: number | null = null;
  const likesName = findEntry(container, 'likes.json');
  if (likesName) likesGiven = arr(obj(await readJsonEntry(container, likesName, 512 << 20))?.['orderedItems']).length;

  let followingIds: string[] | null = null;
  const followingName = findEntry(container, 'following_accounts.csv');
  if (followingName) {
    const rows = parseCsv((await readSmall(container, followingName)).toString('utf8'), `${container.label}: ${followingName}`);
    followingIds = rows.records.map((r) => (r['Account address'] ?? '').trim().toLowerCase()).filter((a) => a !== '');
  }

  const countsKnown = withCounts > 0;
  const declaration: Declaration = {
    likes: countsKnown || 'This archive carries no like counts (older Mastodon exports leave them out).',
    replies: 'The Mastodon archive has no reply counts for your posts.',
    reposts: countsKnown || 'This archive carries no boost counts.',
    quotes: 'The Mastodon archive has no quote counts.',
    impressions: 'Mastodon does not count views.',
    inboundIdentities: 'The archive does not say who replied to, boosted or favourited your posts; an API pull (@user@instance) does.',
    replyThreads: 'The archive holds none of the replies under your posts; an API pull (@user@instance) does.',
    replyPosts: true,
    repostPosts: true,
    quotePosts: true,
    threadPosts: ownPrefix === null ? 'actor.json was not found: self-replies count as replies.' : true,
    outboundIdentities: true,
    followers: 'The Mastodon archive holds no follower list or count; an API pull gives the count.',
    followerIds: 'The Mastodon archive holds no follower list.',
    following: followingIds === null ? 'following_accounts.csv was not found (export it under Import and export).' : true,
    followingIds: followingIds === null ? 'following_accounts.csv was not found.' : true,
    followerProfiles: 'The Mastodon archive holds no follower list.',
    followerOrder: 'The Mastodon archive holds no follower list.',
    likesGiven: likesGiven === null ? 'likes.json was not found.' : true,
    clients: 'The archive does not record the app that sent each post.',
    account: handle === null ? 'actor.json was not found: the account is unknown, so self-replies count as replies.' : true,
  };
  return memoryDataset({
    platform: 'mastodon',
    source: 'archive',
    target: options.target,
    account: {
      id: actorId ?? null,
      handle,
      displayName: str(actor?.['name']) || null,
      followers: null,
      following: followingIds?.length ?? null,
      posts: posts.length,
    },
    declaration,
    followingIds,
    likesGiven,
    posts,
    warnings,
    format: mastodonArchiveSource.format,
    files: container.names.filter((n) => !/media_attachments\//.test(n)),
  });
}
