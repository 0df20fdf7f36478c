/**
 * One identity per account (docs/metrics.md "One identity per account"): an account named by its id in
 * one post and by its handle in another, or under an earlier handle, is one account in the distinct
 * counts, the layers, two-way and the top interactors. The fixtures under fixtures/identity/ are hand
 * made; their hand counts are in fixtures/identity/EXPECTED.md.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import { AccountIdentities } from '../src/lib/accounts.js';
import { redactor } from '../src/sources/redact-dataset.js';
import { startApiServer, type ApiServer, type Platform } from './support/api-server.js';
import { FIXTURES, runCli, withTempDir } from './helpers.js';

const IDENTITY = path.join(FIXTURES, 'identity');

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function report(target: string, argv: string[] = []): Promise<Report> {
  const r = await runCli([target, '--json', '--as-of', '2025-06-30', ...argv]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

async function pulled(platform: Platform, dir: string, target: string): Promise<Report> {
  server = await startApiServer({ platform, root: path.join(IDENTITY, dir) });
  return report(target, ['--api-base', server.url]);
}

/** The counts EXPECTED.md gives, as the report carries them. */
function counts(r: Report) {
  const l = r.metrics.layers;
  const l1 = l.ledger.find((e) => e.component === 'l1')!;
  return { l1Outbound: l.l1Outbound, l1Inbound: l.l1Inbound, l1: l.l1, twoWay: l.twoWay, detail: l1.detail, top: r.topInteractors };
}

describe('one account named by id and by handle is counted once', () => {
  it('Bluesky pull: Rowan replied to by DID (deleted post) and mentioned by handle, Sage quoted by DID and replying by handle', async () => {
    const r = await pulled('bluesky', 'bluesky/dana', '@dana.example.com');
    expect(counts(r)).toEqual({
      l1Outbound: 3,
      l1Inbound: 3,
      l1: 3,
      twoWay: 3,
      detail: { outbound: { reply: 1, repost: 1, quote: 1, mention: 2 }, inbound: { reply: 1, repost: 0, quote: 0, like: 2, mention: 0 } },
      top: {
        outbound: [
          { account: 'rowan.example.com', count: 3 },
          { account: 'sage.example.com', count: 1 },
          { account: 'tao.example.com', count: 1 },
        ],
        inbound: [
          { account: 'rowan.example.com', count: 1 },
          { account: 'sage.example.com', count: 1 },
          { account: 'tao.example.com', count: 1 },
        ],
        twoWay: [
          { account: 'rowan.example.com', count: 4 },
          { account: 'sage.example.com', count: 2 },
          { account: 'tao.example.com', count: 2 },
        ],
      },
    });
    expect(r.metrics.engagement.engagedAudience.accounts).toBe(3);
  });

  it('Mastodon pull: Finn and Hana replied to by account id only, named by acct in a mention, a favourite and a boost', async () => {
    const r = await pulled('mastodon', 'mastodon/erin', '@erin@social.example');
    expect(counts(r)).toEqual({
      l1Outbound: 3,
      l1Inbound: 3,
      l1: 3,
      twoWay: 3,
      detail: { outbound: { reply: 2, repost: 0, quote: 0, mention: 2 }, inbound: { reply: 1, repost: 1, quote: 0, like: 1, mention: 0 } },
      top: {
        outbound: [
          { account: 'finn@other.example', count: 2 },
          { account: 'gale@social.example', count: 1 },
          { account: 'hana@far.example', count: 1 },
        ],
        inbound: [
          { account: 'finn@other.example', count: 1 },
          { account: 'gale@social.example', count: 1 },
          { account: 'hana@far.example', count: 1 },
        ],
        twoWay: [
          { account: 'finn@other.example', count: 3 },
          { account: 'gale@social.example', count: 2 },
          { account: 'hana@far.example', count: 2 },
        ],
      },
    });
  });

  it('X archive: Jules under an earlier handle and the current one, Kit quoted by a link (handle only) and mentioned with an id', async () => {
    const r = await report(path.join(IDENTITY, 'x-archive'));
    expect(counts(r)).toEqual({
      l1Outbound: 3,
      l1Inbound: null,
      l1: 3,
      twoWay: null,
      detail: { outbound: { reply: 1, repost: 0, quote: 1, mention: 3 }, inbound: null },
      top: {
        outbound: [
          { account: 'jules_b', count: 2 },
          { account: 'kitmakes', count: 2 },
          { account: 'lee_w', count: 1 },
        ],
        inbound: null,
        twoWay: null,
      },
    });
  });

  it('Bluesky repository (.car): Rowan replied to by DID and mentioned by handle, Sage quoted and reposted by DID', async () => {
    const r = await report(path.join(IDENTITY, 'bluesky-car/repo.car'));
    expect(counts(r)).toEqual({
      l1Outbound: 3,
      l1Inbound: null,
      l1: 3,
      twoWay: null,
      detail: { outbound: { reply: 1, repost: 1, quote: 1, mention: 2 }, inbound: null },
      top: {
        outbound: [
          { account: 'id:did:plc:s4ge7nkz2mxv5tbh3qpye6la', count: 2 },
          { account: 'rowan.example.com', count: 2 },
          { account: 'tao.example.com', count: 1 },
        ],
        inbound: null,
        twoWay: null,
      },
    });
  });

  it('a pulled dataset saved with --redact keeps the joins: the same counts under pseudonyms', async () => {
    server = await startApiServer({ platform: 'mastodon', root: path.join(IDENTITY, 'mastodon/erin') });
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'erin.json');
      const p = await runCli(['pull', '@erin@social.example', '--api-base', server!.url, '--redact', '-o', file]);
      expect(p.code, p.stderr).toBe(0);
      const r = await report(file);
      expect(r.metrics.layers).toMatchObject({ l1Outbound: 3, l1Inbound: 3, l1: 3, twoWay: 3 });
      expect(r.topInteractors.outbound!.map((i) => i.count)).toEqual([2, 1, 1]);
      expect(r.topInteractors.outbound!.map((i) => i.account).join(' ')).not.toMatch(/finn|gale|hana/);
    });
  });
});

describe('AccountIdentities', () => {
  it('joins an id with every handle it is named with, whatever the order; a renamed account goes by its newest handle', () => {
    const ids = new AccountIdentities();
    const early = ids.key({ handle: 'Old_Name' }); // before anything pairs it
    const byId = ids.key({ id: '7' });
    ids.note({ id: '7', handle: 'new_name' }, 200);
    ids.note({ id: '7', handle: 'old_name' }, 100);
    const later = ids.key({ handle: '@NEW_NAME' });
    expect([early, byId, later].map((k) => ids.label(k!))).toEqual(['new_name', 'new_name', 'new_name']);
    expect(ids.label(ids.key({ id: '8' })!)).toBe('id:8');
    expect(ids.label(ids.key({ handle: 'nobody' })!)).toBe('nobody');
    expect(ids.key({})).toBeNull();
  });

  it('a handle later named with another id (given up and taken) stays with the first id', () => {
    const ids = new AccountIdentities();
    ids.note({ id: 'a', handle: 'h' }, 1);
    ids.note({ id: 'b', handle: 'h' }, 2);
    expect(ids.label(ids.key({ handle: 'h' })!)).toBe('h');
    expect(ids.key({ handle: 'h' })).toBe('id:a');
    expect(ids.label('id:b')).toBe('h');
  });

  it('redaction keeps an interaction id paired with its handle as the posts pair them', () => {
    const r = redactor({ id: 'me', handle: 'me', displayName: null, followers: null, following: null, posts: null });
    const post = r.post({ id: 'p', createdAt: '2025-06-01T00:00:00Z', kind: 'original', mentions: [{ id: '42', handle: 'finn' }], client: null, metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null } });
    const i = r.interaction({ postId: 'p', actor: 'finn', actorId: '42', kind: 'like', depth: 1 });
    expect({ id: i.actorId, handle: i.actor }).toEqual(post.mentions[0]);
    expect(i.actorId).not.toBe('42');
  });
});
