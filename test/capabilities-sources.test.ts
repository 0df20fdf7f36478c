/**
 * Every source the tool reads keeps its capability declaration (docs/metrics.md "What each source can
 * tell"): each export fixture and its variants, each API pull against the local test server, saved
 * datasets of new and old shape. The walk checks the data itself against the declaration, so nothing
 * here is counted by hand but the old-shape file's reading (counted next to its test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITY_KEYS, type CapabilityKey, type Declaration, holds } from '../src/model/capabilities.js';
import type { Dataset, Interaction, Post, PostKind } from '../src/model/dataset.js';
import { loadDataset, SOURCES } from '../src/sources/index.js';
import { availabilityOf, LATER_KEYS, savedText } from '../src/sources/saved-dataset.js';
import { drain, fixture, named, PULLS, savedCase, SOURCE_CASES, startSourceServers, stopSourceServers } from './support/source-cases.js';

const CASES = SOURCE_CASES;
beforeAll(startSourceServers);
afterAll(stopSourceServers);



const KIND_OF: Partial<Record<CapabilityKey, PostKind>> = { replyPosts: 'reply', repostPosts: 'repost', quotePosts: 'quote', threadPosts: 'thread' };
const COUNTS = ['likes', 'replies', 'reposts', 'quotes', 'impressions'] as const;
const names = (ref: { id?: string | undefined; handle?: string | undefined } | undefined): boolean => ref !== undefined && (ref.id !== undefined || ref.handle !== undefined);

/** Every way the data breaks the declaration; empty when it keeps it. */
function broken(d: Dataset, posts: readonly Post[], interactions: readonly Interaction[] | null): string[] {
  const out: string[] = [];
  const has = (key: CapabilityKey) => holds(d.availability, key);
  for (const key of Object.keys(d.availability)) if (!(CAPABILITY_KEYS as readonly string[]).includes(key)) out.push(`${key} is not a capability key`);
  for (const key of CAPABILITY_KEYS) if (!has(key) && !d.availability[key]?.trim()) out.push(`${key} is missing without a reason`);
  for (const [key, kind] of Object.entries(KIND_OF) as Array<[CapabilityKey, PostKind]>) {
    if (!has(key) && posts.some((p) => p.kind === kind)) out.push(`${key} missing, yet a post is a ${kind}`);
  }
  for (const count of COUNTS) {
    if (!has(count) && posts.some((p) => p.metrics[count] !== null)) out.push(`${count} missing, yet a post counts it`);
    if (has(count) && !posts.some((p) => p.metrics[count] !== null)) out.push(`${count} held, yet no post counts it`);
  }
  if (!has('inboundIdentities') && (interactions?.length ?? 0) > 0) out.push('inboundIdentities missing, yet there are interactions');
  for (const key of ['inboundIdentities', 'replyThreads'] as const) if (has(key) && interactions === null) out.push(`${key} held, yet the source gives no interactions`);
  if (!has('replyThreads') && interactions?.some((i) => i.kind === 'reply')) out.push('replyThreads missing, yet there are replies under the posts');
  if (!has('outboundIdentities') && posts.some((p) => names(p.target) || p.mentions.some(names))) out.push('outboundIdentities missing, yet a post names a target or a mention');
  const lists = [
    ['followers', d.account.followers],
    ['following', d.account.following],
    ['followerIds', d.followerIds],
    ['followingIds', d.followingIds],
    ['likesGiven', d.likesGiven],
  ] as const;
  for (const [key, value] of lists) if (has(key) !== (value !== null)) out.push(`${key} ${has(key) ? 'held, yet null' : 'missing, yet given'}`);
  if (!has('clients') && posts.some((p) => p.client !== null)) out.push('clients missing, yet a post names its app');
  return out;
}

describe('every source keeps its capability declaration', () => {
  it.each(CASES.map((c) => [`${c.source}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const d = await c.load();
    try {
      const { posts, interactions } = await drain(d);
      expect(posts.length, 'the fixture has posts').toBeGreaterThan(0);
      expect(broken(d, posts, interactions)).toEqual([]);
    } finally {
      d.close?.();
    }
  });

  it('a declaration that leaves out a key does not compile (npx tsc checks this file)', () => {
    const full = Object.fromEntries(CAPABILITY_KEYS.map((k) => [k, true])) as Declaration;
    const { threadPosts: _left, ...partial } = full;
    // @ts-expect-error threadPosts is left out
    const declaration: Declaration = partial;
    expect(Object.keys(declaration)).toHaveLength(CAPABILITY_KEYS.length - 1);
  });

  it('walks every source in the registry', () => {
    const walked = new Set(CASES.map((c) => c.source));
    expect(SOURCES.map((s) => s.id).filter((id) => !walked.has(id))).toEqual([]);
  });

  it('the walk finds data that breaks a declaration', () => {
    const post: Post = { id: '1', createdAt: '2025-01-01T00:00:00.000Z', kind: 'quote', target: { handle: 'a' }, mentions: [], client: null, metrics: { likes: 1, replies: null, reposts: null, quotes: null, impressions: null } };
    const d = { availability: { quotePosts: 'no', outboundIdentities: 'no', likes: 'no', replies: 'no', reposts: 'no', quotes: 'no', impressions: 'no', inboundIdentities: 'no', replyThreads: 'no', followers: 'no', following: 'no', followerIds: 'no', followingIds: 'no', likesGiven: 'no' }, account: { followers: null, following: null }, followerIds: null, followingIds: null, likesGiven: null } as unknown as Dataset;
    expect(broken(d, [post], [{ postId: '1', actor: 'b', kind: 'like', depth: 1 }])).toEqual([
      'quotePosts missing, yet a post is a quote',
      'likes missing, yet a post counts it',
      'inboundIdentities missing, yet there are interactions',
      'outboundIdentities missing, yet a post names a target or a mention',
    ]);
  });
});

describe('saved datasets', () => {
  it('read back with the availability of the source they were saved from', async () => {
    const names = ['x-archive/sample-2022.zip', 'linkedin/export', 'facebook/your-posts', 'csv/custom.csv with a kind column', '@alice.bsky.social (api/bluesky/alice)', '@alice.bsky.social (api/bluesky/alice, --threads 0)', 'x:@carol_codes (api/x/carol)'];
    for (const from of names.map(named)) {
      const original = await from.load();
      const before = { ...original.availability };
      const saved = JSON.parse((await savedText(original, { limit: 64 << 20 })).pieces.join('')) as { availability: Record<string, string>; capabilities: unknown };
      original.close?.();
      // The streams are read now: the CSV's account is settled.
      expect(saved.capabilities, from.name).toEqual({ inboundIdentities: holds(saved.availability, 'inboundIdentities'), threads: holds(saved.availability, 'replyThreads') });
      const back = await savedCase(from).load();
      expect(back.availability, from.name).toEqual(saved.availability);
      expect(Object.keys(before).filter((k) => k !== 'account').sort(), from.name).toEqual(Object.keys(saved.availability).filter((k) => k !== 'account').sort());
    }
  });

  it('an old file: a false boolean is the missing key, the later keys are held as every pull holds them', async () => {
    // fixtures/saved/old-shape-pull.json, counted by hand: its availability names impressions,
    // followerIds, followingIds and likesGiven; capabilities.threads is false, so replyThreads is
    // missing too; inboundIdentities is true and named by nobody, so held; it mentions none of the
    // later keys, each held by every pull (checked against the pulls below).
    const d = await loadDataset(fixture('saved/old-shape-pull.json'));
    expect(Object.keys(d.availability).sort()).toEqual(['followerIds', 'followingIds', 'impressions', 'likesGiven', 'replyThreads']);
    expect(d.availability['replyThreads']).toMatch(/replies under the posts/);
    // The other boolean the same way; a reason the file gives is kept.
    const pull = { source: 'api' as const, followerIds: [], followingIds: [], likesGiven: 0 };
    expect(availabilityOf({ ...pull, availability: {}, capabilities: { inboundIdentities: false, threads: true } })).toEqual({ inboundIdentities: expect.stringMatching(/names nobody/) as unknown });
    expect(availabilityOf({ ...pull, availability: { replyThreads: 'Threads were not fetched (--threads 0).' }, capabilities: { inboundIdentities: true, threads: false } })).toEqual({ replyThreads: 'Threads were not fetched (--threads 0).' });
  });

  it('an export saved by an older version: the later keys are missing, never taken as held', () => {
    // A Facebook export saved with `pull -o` before the full declaration: it names none of the five
    // later keys. Only originals can be seen there, so holding them would grade replies it never saw.
    const old = { source: 'archive' as const, followerIds: null, followingIds: null, likesGiven: null, availability: { likes: 'No counts.' }, capabilities: { inboundIdentities: false, threads: false } };
    const missing = availabilityOf(old);
    for (const key of LATER_KEYS) expect(missing[key], key).toMatch(/saved by an older version/);
    // Lists and a count held as null are missing whatever the file says.
    expect(Object.keys(missing).filter((k) => ['followerIds', 'followingIds', 'likesGiven'].includes(k)).sort()).toEqual(['followerIds', 'followingIds', 'likesGiven']);
    // A file that lists the keys it declared is taken at its word.
    expect(availabilityOf({ ...old, declared: [...CAPABILITY_KEYS] })['replyPosts']).toBeUndefined();
  });

  it('the later keys an old file is taken to hold are those every pull holds', async () => {
    const heldByEvery = new Set<CapabilityKey>(LATER_KEYS);
    // Only the platforms that could be pulled before files listed their keys: a later platform's files always list them.
    const before = new Set(['bluesky', 'mastodon', 'x']);
    for (const c of PULLS.filter((p) => before.has(p.source))) {
      const d = await c.load();
      for (const key of LATER_KEYS) if (!holds(d.availability, key)) heldByEvery.delete(key);
      d.close?.();
    }
    const old = await loadDataset(fixture('saved/old-shape-pull.json'));
    expect(LATER_KEYS.filter((k) => holds(old.availability, k))).toEqual(LATER_KEYS.filter((k) => heldByEvery.has(k)));
  });
});
