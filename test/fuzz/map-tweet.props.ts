/**
 * Property tests of mapTweet (one X archive record → Post): any value in any field gives a Post, a
 * dropped edit, or an EngageAuditError — never a TypeError; a Post has an ISO createdAt, a known kind,
 * counts null or non-negative integers, never mentions the account itself; and createdAt is the
 * instant the X date names.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapTweet, type Owner } from '../../src/sources/x-archive/map-tweet.js';
import { X_FIXTURES } from './paths.js';
import { allowingKnownErrors, expectValidPost } from './invariants.js';
import { applyJsonOps, CURATED_JUNK, jsonOps, scaled, SEED } from './mutate.js';

function records(file: string): unknown[] {
  const text = readFileSync(path.join(X_FIXTURES, file), 'utf8');
  return JSON.parse(text.slice(text.indexOf('=') + 1).trim().replace(/;$/, '')) as unknown[];
}
const REAL = [...records('sample-2022/data/tweets.js'), ...records('sample-2022/data/tweets-part1.js'), ...records('legacy-2020/data/tweet.js')];

const OWNERS: Owner[] = [
  { id: '1455558110290370565', handle: 'tidepool_lab' },
  { id: null, handle: null },
  { id: null, handle: 'tidepool_lab' },
  { id: '1', handle: null },
];

const TWEET_KEYS = [
  'id_str', 'id', 'created_at', 'full_text', 'text', 'favorite_count', 'retweet_count', 'entities', 'edit_info', 'source',
  'in_reply_to_status_id_str', 'in_reply_to_status_id', 'in_reply_to_user_id_str', 'in_reply_to_user_id', 'in_reply_to_screen_name', 'retweeted',
] as const;
const DELETE = Symbol('delete');

/** Any JavaScript value, the odd ones included (null prototypes, boxed values, bigints, dates, sparse arrays). */
const anything = fc.anything({ maxDepth: 3, withNullPrototype: true, withBoxedValues: true, withBigInt: true, withDate: true, withSparseArray: true, withMap: true, withSet: true, withTypedArray: true });

function check(record: unknown, owner: Owner): void {
  const result = allowingKnownErrors(() => mapTweet(record, owner, 'fuzz record'));
  if (result === null || !('post' in result)) return;
  const post = result.post;
  expectValidPost(post);
  const self = (r: { id?: string; handle?: string }): boolean => (owner.id !== null && r.id === owner.id) || (owner.handle !== null && r.handle === owner.handle);
  for (const m of post.mentions) if (post.kind !== 'repost') expect(self(m), `mentions the account itself: ${JSON.stringify(m)}`).toBe(false);
  expect(post.url).toContain(post.id);
}

describe('mapTweet, property-based', () => {
  it('any value at all, bare or in the {"tweet": …} wrapper: a Post, a dropped edit or an EngageAuditError', () => {
    const runs = scaled(1000);
    fc.assert(
      fc.property(anything, fc.boolean(), fc.constantFrom(...OWNERS), (value, wrap, owner) => check(wrap ? { tweet: value } : value, owner)),
      { numRuns: runs, seed: SEED + 10 },
    );
    console.log(`map-tweet anything: ${runs} cases`);
  });

  it('real tweets with fields set to any value, wrong types, huge or negative numbers, or missing', () => {
    const runs = scaled(1500);
    const value = fc.oneof(anything, fc.constantFrom(...CURATED_JUNK), fc.constant(DELETE));
    fc.assert(
      fc.property(fc.nat({ max: REAL.length - 1 }), fc.dictionary(fc.constantFrom(...TWEET_KEYS), value, { maxKeys: 5 }), fc.constantFrom(...OWNERS), (i, fields, owner) => {
        const record = structuredClone(REAL[i]) as { tweet?: Record<string, unknown> } & Record<string, unknown>;
        const tweet = record.tweet ?? record; // the 2020 archive has bare tweets, no {"tweet": …} wrapper
        for (const [k, v] of Object.entries(fields)) {
          if (v === DELETE) delete tweet[k];
          else tweet[k] = v;
        }
        check(record, owner);
      }),
      { numRuns: runs, seed: SEED + 11 },
    );
    console.log(`map-tweet fields: ${runs} cases`);
  });

  it('real tweets with nested mutations (entities, edit chains, mentions, urls)', () => {
    const runs = scaled(1000);
    fc.assert(
      fc.property(fc.nat({ max: REAL.length - 1 }), jsonOps, fc.constantFrom(...OWNERS), (i, ops, owner) => {
        check(applyJsonOps(structuredClone(REAL[i]), ops, [], false), owner);
      }),
      { numRuns: runs, seed: SEED + 12 },
    );
    console.log(`map-tweet nested mutations: ${runs} cases`);
  });

  // Plausible post times are 1990–2200 (src/lib/dates.ts `plausible`); anything else is refused, never misread.
  it('createdAt is the instant the X date names for years 1990–2199, and other years are refused, for any UTC offset', () => {
    const runs = scaled(400);
    const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const two = (n: number): string => String(n).padStart(2, '0');
    const date = fc
      .record({
        year: fc.oneof(fc.integer({ min: 1985, max: 2205 }), fc.integer({ min: 0, max: 9999 })),
        month: fc.integer({ min: 0, max: 11 }),
        day: fc.integer({ min: 1, max: 31 }),
        h: fc.integer({ min: 0, max: 23 }),
        m: fc.integer({ min: 0, max: 59 }),
        s: fc.integer({ min: 0, max: 59 }),
        sign: fc.constantFrom(1, -1),
        oh: fc.integer({ min: 0, max: 14 }),
        om: fc.constantFrom(0, 30, 45),
      })
      .map((d) => {
        // Proleptic Gregorian (setUTCFullYear takes years below 100 as they are, Date.UTC does not).
        const last = new Date(0);
        last.setUTCFullYear(d.year, d.month + 1, 0);
        return { ...d, day: Math.min(d.day, last.getUTCDate()) };
      });
    fc.assert(
      fc.property(date, (d) => {
        const t = new Date(0);
        t.setUTCFullYear(d.year, d.month, d.day);
        t.setUTCHours(d.h, d.m, d.s, 0);
        const expected = t.getTime() - d.sign * (d.oh * 60 + d.om) * 60_000;
        const text = `${DAYS[t.getUTCDay()]} ${MONTHS[d.month]} ${two(d.day)} ${two(d.h)}:${two(d.m)}:${two(d.s)} ${d.sign > 0 ? '+' : '-'}${two(d.oh)}${two(d.om)} ${String(d.year).padStart(4, '0')}`;
        const result = allowingKnownErrors(() => mapTweet({ tweet: { id_str: '1', created_at: text } }, OWNERS[0]!, 'fuzz'));
        if (expected >= Date.UTC(1990, 0, 1) && expected < Date.UTC(2200, 0, 1)) {
          expect(result, `${text} was refused`).not.toBeNull();
          const post = (result as { post: { createdAt: string } }).post;
          expect(Date.parse(post.createdAt), `${text} → ${post.createdAt}, expected ${new Date(expected).toISOString()}`).toBe(expected);
        } else {
          expect(result, `${text} (outside 1990–2200) gave ${JSON.stringify(result)}`).toBeNull();
        }
      }),
      {
        numRuns: runs,
        seed: SEED + 13,
        // Date.UTC maps years 0–99 to 1900–1999: year 0050 at +0100 was read as 1950; year 0090 at +0000
        // passes the 1990–2200 check (as 1990) and becomes a post of year 90; year 0095 at +0100 is read as 1995.
        examples: [
          [{ year: 50, month: 9, day: 10, h: 20, m: 19, s: 24, sign: 1, oh: 1, om: 0 }],
          [{ year: 90, month: 0, day: 1, h: 0, m: 0, s: 0, sign: 1, oh: 0, om: 0 }],
          [{ year: 95, month: 4, day: 14, h: 9, m: 12, s: 0, sign: 1, oh: 1, om: 0 }],
          [{ year: 1990, month: 0, day: 1, h: 0, m: 30, s: 0, sign: -1, oh: 0, om: 30 }],
        ],
      },
    );
    console.log(`map-tweet dates: ${runs} cases`);
  });
});
