/**
 * Property tests of the API mappers: Bluesky mapFeedItem / threadInteractions, Mastodon mapStatus /
 * contextInteractions, X mapTweetV2. Junk answers (any value, or the fixture answers with fields of
 * the wrong type, huge or negative numbers, missing fields, deep threads) give null or a valid Post,
 * valid Interactions — never an exception other than EngageAuditError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapFeedItem, threadInteractions } from '../../src/sources/bluesky/index.js';
import { contextInteractions, mapStatus } from '../../src/sources/mastodon/index.js';
import { mapTweetV2 } from '../../src/sources/x-api/index.js';
import { FIXTURES } from './paths.js';
import { allowingKnownErrors, expectValidInteraction, expectValidPost } from './invariants.js';
import { applyJsonOps, jsonOps, scaled, SEED } from './mutate.js';

const API = path.join(FIXTURES, 'api');
const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const all = (dir: string): unknown[] => readdirSync(path.join(API, dir)).filter((f) => f.endsWith('.json')).map((f) => json(path.join(API, dir, f)));
const list = (value: unknown, key: string): unknown[] => ((value as Record<string, unknown>)[key] as unknown[] | undefined) ?? [];

const FEED = all('bluesky/alice/app.bsky.feed.getAuthorFeed').flatMap((page) => list(page, 'feed'));
const THREADS = all('bluesky/alice/app.bsky.feed.getPostThread');
const STATUSES = all('mastodon/bob/statuses').flatMap((page) => page as unknown[]);
const CONTEXTS = all('mastodon/bob/context');
const X_PAGES = all('x/carol/tweets') as Array<{ data?: unknown[]; includes?: { users?: Array<{ id: string; username: string }>; tweets?: Array<{ id: string; author_id: string }> } }>;
const X_TWEETS = X_PAGES.flatMap((p) => p.data ?? []);

const BSKY_SELF = { did: 'did:plc:q4ra7lmw2zxkd3n5hv6tbu2e', handle: 'alice.bsky.social' };
const MASTODON_SELF = { id: '109412345678901234', handle: 'bob@social.example' };
const X_SELF = { id: '1947204518832205824', handle: 'carol' };
const X_INC = {
  users: new Map(X_PAGES.flatMap((p) => p.includes?.users ?? []).map((u) => [u.id, u.username.toLowerCase()])),
  tweets: new Map(X_PAGES.flatMap((p) => p.includes?.tweets ?? []).map((t) => [t.id, t.author_id])),
};

const anything = fc.anything({ maxDepth: 4, withNullPrototype: true, withBoxedValues: true, withBigInt: true, withDate: true, withSparseArray: true, withMap: true, withTypedArray: true });
const RUNS = scaled(400);

/** A fixture answer, cloned and mutated (values of the wrong type, huge or negative numbers, missing fields, repeated items). */
const mutated = (samples: readonly unknown[]) => fc.tuple(fc.nat({ max: samples.length - 1 }), jsonOps).map(([i, ops]) => applyJsonOps(structuredClone(samples[i]), ops, [], false));

function checkPost(fn: () => unknown): void {
  const post = allowingKnownErrors(fn);
  if (post !== null) expectValidPost(post as Parameters<typeof expectValidPost>[0]);
}

function checkInteractions(fn: () => unknown[]): void {
  const out = allowingKnownErrors(fn);
  for (const i of out ?? []) expectValidInteraction(i);
}

/** A thread `depth` replies deep (built without recursion), Bluesky's getPostThread shape. */
function deepThread(depth: number): unknown {
  const root: Record<string, unknown> = { post: { uri: 'at://did:plc:a/app.bsky.feed.post/0', author: { handle: 'a.test' } }, replies: [] };
  let node = root;
  for (let i = 1; i <= depth; i++) {
    const next: Record<string, unknown> = { post: { uri: `at://did:plc:a/app.bsky.feed.post/${i}`, author: { handle: `u${i % 7}.test` }, indexedAt: '2025-01-01T00:00:00.000Z' }, replies: [] };
    node['replies'] = [next];
    node = next;
  }
  return { thread: root };
}

describe('API mappers, property-based', () => {
  it(`Bluesky mapFeedItem: any value and mutated feed items`, () => {
    fc.assert(fc.property(anything, (v) => checkPost(() => mapFeedItem(v, BSKY_SELF))), { numRuns: RUNS, seed: SEED + 20 });
    fc.assert(fc.property(mutated(FEED), (v) => checkPost(() => mapFeedItem(v, BSKY_SELF))), { numRuns: RUNS, seed: SEED + 21 });
    console.log(`bluesky mapFeedItem: ${2 * RUNS} cases`);
  });

  it(`Bluesky threadInteractions: any value, mutated threads, and threads 10 to 100,000 replies deep`, () => {
    fc.assert(fc.property(anything, (v) => checkInteractions(() => threadInteractions(v, 'at://root'))), { numRuns: RUNS, seed: SEED + 22 });
    fc.assert(fc.property(mutated(THREADS), (v) => checkInteractions(() => threadInteractions(v, 'at://root'))), { numRuns: RUNS, seed: SEED + 23 });
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 100_000 }), (depth) => checkInteractions(() => threadInteractions(deepThread(depth), 'at://did:plc:a/app.bsky.feed.post/0'))),
      { numRuns: scaled(20), seed: SEED + 24 },
    );
    console.log(`bluesky threadInteractions: ${2 * RUNS + scaled(20)} cases`);
  });

  it(`Mastodon mapStatus: any value and mutated statuses`, () => {
    fc.assert(fc.property(anything, (v) => checkPost(() => mapStatus(v, MASTODON_SELF, 'social.example'))), { numRuns: RUNS, seed: SEED + 25 });
    fc.assert(fc.property(mutated(STATUSES), (v) => checkPost(() => mapStatus(v, MASTODON_SELF, 'social.example'))), { numRuns: RUNS, seed: SEED + 26 });
    console.log(`mastodon mapStatus: ${2 * RUNS} cases`);
  });

  it(`Mastodon contextInteractions: any value, mutated contexts, and reply chains of up to 20,000 in either order`, () => {
    fc.assert(fc.property(anything, (v) => checkInteractions(() => contextInteractions(v, '1', 'social.example'))), { numRuns: RUNS, seed: SEED + 27 });
    fc.assert(fc.property(mutated(CONTEXTS), (v) => checkInteractions(() => contextInteractions(v, '114267350958095360', 'social.example'))), { numRuns: RUNS, seed: SEED + 28 });
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 20_000 }), fc.boolean(), (n, reversed) => {
        const chain = Array.from({ length: n }, (_, i) => ({ id: String(i + 2), in_reply_to_id: String(i + 1), account: { acct: `u${i % 5}` }, created_at: '2025-01-01T00:00:00.000Z' }));
        const out = allowingKnownErrors(() => contextInteractions({ descendants: reversed ? chain.reverse() : chain }, '1', 'social.example')) ?? [];
        expect(out).toHaveLength(n);
        out.forEach((i, k) => {
          if (k % 97 === 0) expectValidInteraction(i);
        });
      }),
      { numRuns: scaled(10), seed: SEED + 29 },
    );
    console.log(`mastodon contextInteractions: ${2 * RUNS + scaled(10)} cases`);
  });

  it(`X mapTweetV2: any value and mutated tweets`, () => {
    fc.assert(fc.property(anything, (v) => checkPost(() => mapTweetV2(v, X_SELF, X_INC))), { numRuns: RUNS, seed: SEED + 30 });
    fc.assert(fc.property(mutated(X_TWEETS), (v) => checkPost(() => mapTweetV2(v, X_SELF, X_INC))), { numRuns: RUNS, seed: SEED + 31 });
    console.log(`x mapTweetV2: ${2 * RUNS} cases`);
  });
});

describe('API mappers and the machine time zone', () => {
  /** Runs `fn` with the process in time zone `tz` (Node reads TZ again when it changes). */
  function inZone<T>(tz: string, fn: () => T): T {
    const before = process.env['TZ'];
    process.env['TZ'] = tz;
    try {
      return fn();
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  }

  it('a date without a zone gives the same post (or none) in UTC and in UTC+14', () => {
    const runs = scaled(50);
    const zoneless = fc.oneof(
      fc.constantFrom('2025-03-01T10:00:00', '2025-03-01 10:00', 'March 1, 2025 10:00', '1', '2025'),
      fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 19)),
    );
    const mappers: Array<[string, (created: string) => unknown]> = [
      ['mapStatus', (created) => mapStatus({ id: '1', created_at: created, content: 'x' }, MASTODON_SELF, 'social.example')],
      ['mapFeedItem', (created) => mapFeedItem({ post: { uri: 'at://did:plc:q4ra7lmw2zxkd3n5hv6tbu2e/app.bsky.feed.post/1', author: { did: BSKY_SELF.did }, record: { text: 'x', createdAt: created }, indexedAt: created } }, BSKY_SELF)],
      ['mapTweetV2', (created) => mapTweetV2({ id: '1', created_at: created, text: 'x' }, X_SELF, X_INC)],
    ];
    for (const [name, map] of mappers) {
      fc.assert(
        fc.property(zoneless, (created) => {
          const utc = JSON.stringify(inZone('UTC', () => map(created)));
          const kiritimati = JSON.stringify(inZone('Pacific/Kiritimati', () => map(created)));
          expect(kiritimati, `${name} of created "${created}"`).toBe(utc);
        }),
        { numRuns: runs, seed: SEED + 32, examples: [['2025-03-01T10:00:00']] },
      );
    }
    console.log(`api mappers time zone: ${3 * runs} cases`);
  });
});
