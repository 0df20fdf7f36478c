/**
 * A Bluesky repository export (`.car`, from the app's "Export my data" or com.atproto.sync.getRepo):
 * CARv1 of DAG-CBOR blocks, decoded with @ipld/car and @ipld/dag-cbor. The signed commit names the
 * DID; MST nodes give each record its key (`collection/rkey`); records are posts, reposts, follows,
 * likes and the profile. A repository holds nothing received: those counts are unavailable.
 */
import { createReadStream } from 'node:fs';
import { CarBlockIterator } from '@ipld/car';
import * as dagCbor from '@ipld/dag-cbor';
import type { Dataset, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { obj, str, type Json } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';
import { memoryDataset, noReceivedCounts } from '../memory.js';
import type { PullEvent } from '../api-common.js';
import { reportBytes } from '../read-progress.js';
import { mapFeedItem } from '../bluesky/index.js';
import { blueskyCarSource } from './source.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

export async function loadBlueskyCar(file: string, options: { target: string; label: string; size?: number; onEvent?: ((event: PullEvent) => void) | undefined }): Promise<Dataset> {
  const records: Array<{ cid: string; value: Json }> = [];
  const keys = new Map<string, string>();
  let did: string | null = null;
  let blocks = 0;
  try {
    const iterator = await CarBlockIterator.fromIterable(reportBytes(createReadStream(file), options.size ?? 0, null, options.onEvent));
    for await (const block of iterator) {
      blocks++;
      if (block.cid.code !== dagCbor.code) continue;
      let value: unknown;
      try {
        value = dagCbor.decode(block.bytes);
      } catch {
        continue;
      }
      const o = obj(value);
      if (!o) continue;
      if (typeof o['did'] === 'string' && 'data' in o && 'version' in o) {
        did = o['did'];
      } else if (Array.isArray(o['e']) && 'l' in o) {
        // An MST node: each entry's key is the previous key's first `p` bytes + `k`.
        let prev = new Uint8Array(0);
        for (const entry of o['e'] as unknown[]) {
          const e = obj(entry);
          const k = e?.['k'];
          const p = e?.['p'];
          const v = e?.['v'];
          if (!(k instanceof Uint8Array) || typeof p !== 'number' || !v) continue;
          const key = new Uint8Array(p + k.length);
          key.set(prev.subarray(0, p));
          key.set(k, p);
          prev = key;
          keys.set(String(v), decoder.decode(key));
        }
      } else if (typeof o['$type'] === 'string') {
        records.push({ cid: block.cid.toString(), value: o });
      }
    }
  } catch (error) {
    if (error instanceof EngageAuditError) throw error;
    throw new EngageAuditError('MALFORMED', `${options.label}: not a readable CAR file after ${blocks} blocks (${(error as Error).message})`, { cause: error });
  }
  if (did === null) throw new EngageAuditError('MALFORMED', `${options.label}: no signed commit in the CAR file: not a Bluesky repository export`);
  const self = { did, handle: did };
  const posts: Post[] = [];
  const followingIds: string[] = [];
  let likes = 0;
  let displayName: string | null = null;
  for (const { cid, value } of records) {
    const type = value['$type'];
    const key = keys.get(cid) ?? `${String(type)}/${cid}`;
    const uri = `at://${did}/${key}`;
    const created = str(value['createdAt']);
    if (type === 'app.bsky.feed.post') {
      // The same mapping as the API's feed items: a post view around the record.
      const p = mapFeedItem({ post: { uri, author: { did }, record: value, indexedAt: created } }, self);
      if (!p) throw new EngageAuditError('MALFORMED', `${options.label}: record ${key} has no readable createdAt`);
      p.metrics = { likes: null, replies: null, reposts: null, quotes: null, impressions: null };
      p.url = `https://bsky.app/profile/${did}/post/${key.split('/').pop()}`;
      posts.push(p);
    } else if (type === 'app.bsky.feed.repost') {
      const subject = str(obj(value['subject'])?.['uri']);
      const author = subject?.match(/^at:\/\/(did:[^/]+)\//)?.[1];
      const time = isoUtc(created);
      if (time === null) throw new EngageAuditError('MALFORMED', `${options.label}: record ${key} has no readable createdAt`);
      const target = author ? { id: author } : {};
      const post: Post = { id: uri, createdAt: time, kind: 'repost', target, mentions: [target], client: null, metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null } };
      if (subject) post.targetPostId = subject;
      posts.push(post);
    } else if (type === 'app.bsky.graph.follow') {
      const subject = str(value['subject']);
      if (subject) followingIds.push(subject);
    } else if (type === 'app.bsky.feed.like') {
      likes++;
    } else if (type === 'app.bsky.actor.profile') {
      displayName = str(value['displayName']) ?? displayName;
    }
  }
  return memoryDataset({
    platform: 'bluesky',
    source: 'archive',
    target: options.target,
    account: { id: did, handle: null, displayName, followers: null, following: followingIds.length, posts: posts.length },
    declaration: {
      ...noReceivedCounts('A Bluesky repository export', `an API pull (engage-audit ${did}) adds them`),
      replyPosts: true,
      repostPosts: true,
      quotePosts: true,
      threadPosts: true,
      outboundIdentities: true,
      followers: 'A repository holds the accounts you follow, not your followers; an API pull gives the count.',
      following: true,
      followerIds: 'A repository holds no follower list.',
      followingIds: true,
      followerProfiles: 'A repository holds no follower list.',
      followerOrder: 'A repository holds no follower list.',
      likesGiven: true,
      clients: 'Bluesky posts do not record the app that sent them.',
      account: 'A repository names the account by its DID only; the handle is not in the export.',
    },
    followingIds,
    likesGiven: likes,
    posts,
    format: blueskyCarSource.format,
    files: [options.label],
  });
}
