/**
 * Mastodon-API servers that are not Mastodon, against a real HTTP server on 127.0.0.1 serving each
 * one's own shapes (fixtures/api/mastodon/<kind>-<user>/, made-up people): Pleroma (flake ids,
 * `pleroma` objects, a hidden follower count sent as 0), GoToSocial (ULIDs, `hide_collections` with
 * real counts) and Iceshrimp, a Misskey-family server (short lower-case ids, no `Link` header, a quote
 * given as the quoted status, a reply without the replied-to account). None sends quote counts. The
 * expected figures are counted by hand from the fixture files.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mapStatus, normalizeAcct, pullMastodon } from '../src/sources/mastodon/index.js';
import { DEFAULT_PULL } from '../src/sources/api-common.js';
import { audit, type Dataset, type Post, type Report } from '../src/index.js';
import { startApiServer, type ApiServer, type Fault } from './support/api-server.js';
import { FIXTURES } from './helpers.js';

const YUKI = path.join(FIXTURES, 'api/mastodon/iceshrimp-yuki');

/** The Iceshrimp account's status pages as a server that never sends `field`. */
const withoutField =
  (field: string): Fault =>
  (r) => {
    if (!r.path.endsWith('/statuses')) return undefined;
    const file = path.join(YUKI, 'statuses', `${r.query.get('max_id') ?? 'first'}.json`);
    const page = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Array<Record<string, unknown>>) : [];
    return { body: JSON.stringify(page.map(({ [field]: _, ...status }) => status)) };
  };

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pullOf = (user: string, instance: string) =>
  pullMastodon(user, instance, `@${user}@${instance}`, { ...DEFAULT_PULL, apiBase: server!.url, env: {}, userAgent: 'engage-audit/test', retryBaseMs: 1 });

async function postsOf(dataset: Dataset): Promise<Post[]> {
  const posts: Post[] = [];
  for await (const batch of dataset.posts) posts.push(...batch);
  return posts;
}

async function* once(posts: Post[]): AsyncIterable<readonly Post[]> {
  yield posts;
}

/** The pulled dataset, its posts, and its report (from the same posts). */
async function pull(dir: string, user: string, instance: string, noLink = false): Promise<{ dataset: Dataset; posts: Post[]; report: Report }> {
  server = await startApiServer({ platform: 'mastodon', root: path.join(FIXTURES, 'api/mastodon', dir), noLink });
  const dataset = await pullOf(user, instance);
  const posts = await postsOf(dataset);
  const report = await audit({ ...dataset, posts: once(posts) }, { asOf: '2025-06-30', generatedAt: 'x' });
  return { dataset, posts, report };
}

const kinds = (posts: Post[]) => posts.reduce<Record<string, number>>((n, p) => ({ ...n, [p.kind]: (n[p.kind] ?? 0) + 1 }), {});
const counts = (r: Report) => {
  const { posts, likes, replies, reposts, quotes, total, counted } = r.metrics.engagement;
  return { posts, likes, replies, reposts, quotes, total, counted };
};
const layers = (r: Report) => ({ l1Outbound: r.metrics.layers.l1Outbound, l1Inbound: r.metrics.layers.l1Inbound, l1: r.metrics.layers.l1, twoWay: r.metrics.layers.twoWay });

describe('Mastodon-API servers that are not Mastodon', () => {
  it('Pleroma: a hidden follower count is unavailable with the reason, not 0; no quote counts', async () => {
    const { dataset, posts, report } = await pull('pleroma-mira', 'mira', 'pleroma.example');
    expect(dataset.account).toMatchObject({ id: 'AkZ3qGv2Lw8H0mZc0M', handle: 'mira@pleroma.example', followers: null, following: 17, posts: 5 });
    expect(dataset.availability.followers).toBe('The account hides its follower count (Pleroma/Akkoma `hide_followers_count`): the server sends 0 in its place.');
    expect(dataset.availability.following).toBeUndefined();
    expect(dataset.availability.quotes).toBe('This Pleroma server sends no quote counts.');
    expect(report.metrics.audience.followers).toBeNull();
    expect(kinds(posts)).toEqual({ thread: 1, original: 2, repost: 1, reply: 1 });
    expect(posts.map((p) => p.metrics.quotes)).toEqual([null, null, null, null, null]);
    // Own posts: AkZ…01 (3 likes, 1 reply, 1 boost) and AkZ…04 (1 like, 1 reply).
    expect(counts(report)).toEqual({ posts: 2, likes: 4, replies: 2, reposts: 1, quotes: null, total: 7, counted: ['likes', 'replies', 'reposts'] });
    // Juno replied to AkZ…01 and Mira answered; the self-reply under AkZ…04 is a thread, not an inbound reply.
    expect(report.metrics.responsiveness).toMatchObject({ inboundReplies: 1, answered: 1, responseRate: 1 });
    // Out: juno (reply), ola (boost); in: juno, kai, lin.
    expect(layers(report)).toEqual({ l1Outbound: 2, l1Inbound: 3, l1: 4, twoWay: 1 });
    expect(report.metrics.engagement.engagedAudience).toEqual({ accounts: 3, share: null });
  });

  it('GoToSocial: ULID ids, real counts behind hide_collections, acct forms normalised, no quote counts', async () => {
    const { dataset, posts, report } = await pull('gotosocial-ines', 'ines', 'gts.example');
    expect(dataset.account).toMatchObject({ id: '01HZX4T5N7QK2V8C3M6B9D0EFA', handle: 'ines@gts.example', followers: 41, following: 38, posts: 5 });
    expect(dataset.availability).toMatchObject({ quotes: 'This GoToSocial server sends no quote counts.' });
    for (const held of ['followers', 'following', 'likes', 'replies', 'reposts'] as const) expect(dataset.availability[held]).toBeUndefined();
    expect(kinds(posts)).toEqual({ original: 3, repost: 1, reply: 1 });
    expect(posts.find((p) => p.kind === 'repost')!.target).toEqual({ id: '01HR3X9S6V4Z8Q0N2P5M7K1BCD', handle: 'quinn@other.example' });
    expect(posts.every((p) => p.metrics.quotes === null)).toBe(true);
    expect(counts(report)).toEqual({ posts: 3, likes: 3, replies: 2, reposts: 1, quotes: null, total: 6, counted: ['likes', 'replies', 'reposts'] });
    // Pablo and Quinn replied to the question; Inês answered Pablo.
    expect(report.metrics.responsiveness).toMatchObject({ inboundReplies: 2, answered: 1, responseRate: 0.5 });
    // Out: pablo (reply), rafa (mention), quinn (boost); in: pablo, quinn, rafa.
    expect(layers(report)).toEqual({ l1Outbound: 3, l1Inbound: 3, l1: 3, twoWay: 3 });
    expect(report.metrics.engagement.engagedAudience.accounts).toBe(3);
  });

  it('Iceshrimp (Misskey family): pages without Link by max_id until an empty page, reads a quote given as a status', async () => {
    const { dataset, posts, report } = await pull('iceshrimp-yuki', 'yuki', 'shrimp.example', true);
    const pages = server!.requests.filter((r) => r.includes('/statuses?'));
    expect(pages).toEqual([
      '/api/v1/accounts/9x2k4m7p1q/statuses?limit=40',
      '/api/v1/accounts/9x2k4m7p1q/statuses?limit=40&max_id=a1b2c3d6h8',
      '/api/v1/accounts/9x2k4m7p1q/statuses?limit=40&max_id=a1b2c3d4e5',
    ]);
    expect(new Set(server!.requests).size).toBe(server!.requests.length);
    expect(report.input).toMatchObject({ complete: true, warnings: [] });
    expect(dataset.account).toMatchObject({ handle: 'yuki@shrimp.example', followers: 12, following: 9, posts: 5 });
    expect(dataset.availability.quotes).toBe('This Misskey-family server sends no quote counts.');
    expect(kinds(posts)).toEqual({ original: 2, repost: 1, reply: 1, quote: 1 });
    expect(posts.find((p) => p.kind === 'quote')).toMatchObject({ id: 'a1b2c3d5g7', target: { id: '9v0h2k5n9o', handle: 'ash@other.example' }, targetPostId: 'a1b2c3d3a1' });
    // A reply whose parent the server no longer knows: no account id, so no one is named.
    expect(posts.find((p) => p.kind === 'reply')).toMatchObject({ id: 'a1b2c3d6h8', target: {}, targetPostId: 'a1b2c3c9z9' });
    expect(posts.every((p) => p.metrics.quotes === null)).toBe(true);
    // Own posts (original + quote): 2 + 0 + 0 likes, 1 reply, no boosts.
    expect(counts(report)).toEqual({ posts: 3, likes: 2, replies: 1, reposts: 0, quotes: null, total: 3, counted: ['likes', 'replies', 'reposts'] });
    expect(report.metrics.responsiveness).toMatchObject({ inboundReplies: 1, answered: 0, responseRate: 0 });
    // Out: ash (quote), zed (boost); in: zed (reply, like), ash (like).
    expect(layers(report)).toEqual({ l1Outbound: 2, l1Inbound: 2, l1: 2, twoWay: 2 });
  });

  it('a server that sends no favourite count at all: null on every post with the reason, not 0', async () => {
    server = await startApiServer({ platform: 'mastodon', root: YUKI, noLink: true, faults: [withoutField('favourites_count')] });
    const dataset = await pullOf('yuki', 'shrimp.example');
    const posts = await postsOf(dataset);
    expect(posts).toHaveLength(5);
    expect(posts.map((p) => p.metrics.likes)).toEqual([null, null, null, null, null]);
    expect(dataset.availability.likes).toBe('This Misskey-family server sends no favourite counts.');
    expect(dataset.availability.replies).toBeUndefined();
    expect(posts.find((p) => p.id === 'a1b2c3d4e5')!.metrics.replies).toBe(1);
  });

  it('a server that sends no reply count: no thread is asked, and responsiveness is n/a with the reason, not 0', async () => {
    server = await startApiServer({ platform: 'mastodon', root: YUKI, noLink: true, faults: [withoutField('replies_count')] });
    const dataset = await pullOf('yuki', 'shrimp.example');
    const report = await audit(dataset, { asOf: '2025-06-30', generatedAt: 'x' });
    expect(server.requests.some((u) => u.includes('/context'))).toBe(false);
    expect(report.metrics.responsiveness).toMatchObject({ inboundReplies: null, answered: null, responseRate: null });
    expect(report.unavailable['responsiveness.responseRate']).toBe('No post says how many replies it has (This Misskey-family server sends no reply counts), so no thread was asked for.');
  });

  it('newer Pleroma: the quote in pleroma.quote, the quote count in the pleroma object', () => {
    const self = { id: 'AkZ3qGv2Lw8H0mZc0M', handle: 'mira@pleroma.example' };
    const quoted = { id: 'AkZ9', account: { id: 'AkYp1fDk3sQ7T2nWJU', acct: 'juno@other.example' } };
    const status = { id: 'AkZ3qGv2Lw8H0mZc09', created_at: '2025-06-07T10:00:00.000Z', content: '<p>This.</p>', in_reply_to_id: null, reblog: null, favourites_count: 1, replies_count: 0, reblogs_count: 0, pleroma: { quote: quoted, quote_id: 'AkZ9', quotes_count: 2 } };
    expect(mapStatus(status, self, 'pleroma.example')).toMatchObject({ kind: 'quote', target: { id: 'AkYp1fDk3sQ7T2nWJU', handle: 'juno@other.example' }, targetPostId: 'AkZ9', metrics: { quotes: 2 } });
  });

  it('acct forms: user, user@host, a leading @, any case', () => {
    expect(['yuki', 'Yuki@Shrimp.Example', '@yuki@shrimp.example', ' @YUKI '].map((a) => normalizeAcct(a, 'Shrimp.Example'))).toEqual([
      'yuki@shrimp.example',
      'yuki@shrimp.example',
      'yuki@shrimp.example',
      'yuki@shrimp.example',
    ]);
  });
});
