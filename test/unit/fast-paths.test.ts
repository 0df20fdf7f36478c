/**
 * The quick routes of the X archive reading, each held against a plain one: a record pruned to
 * TWEET_SELECTION (or read through the selective reader) maps as the whole record does; the
 * hand-written entity decoder agrees with the plain regular-expression one; the char-code date
 * reader agrees with Date's own UTC fields and with the regular-expression route.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngageAuditError } from '../../src/errors.js';
import { twitterDateToIso } from '../../src/lib/dates.js';
import { compileSelection, prune, readSelected } from '../../src/lib/select-json.js';
import { decodeEntities } from '../../src/lib/text.js';
import { mapTweet, TWEET_SELECTION, type MapResult, type Owner } from '../../src/sources/x-archive/map-tweet.js';
import { X_FIXTURES } from '../helpers.js';

const SEED = 20261202;
const TWEET = compileSelection(TWEET_SELECTION);

/** A `window.YTD… = [ … ]` file's array, the plain way. */
function ytd(file: string): unknown[] {
  const text = readFileSync(path.join(X_FIXTURES, file), 'utf8');
  return JSON.parse(text.slice(text.indexOf('=') + 1)) as unknown[];
}

type Outcome = { result: MapResult } | { error: string; message: string };

/** mapTweet's result, or the EngageAuditError it throws (any other exception fails the test). */
function outcome(record: unknown, owner: Owner): Outcome {
  try {
    return { result: mapTweet(record, owner, 'w') };
  } catch (error) {
    if (error instanceof EngageAuditError) return { error: error.code, message: error.message };
    throw error;
  }
}

/** The record as the archive reader builds it: its JSON text read with TWEET_SELECTION. */
function selectedFromText(record: unknown): unknown {
  const buf = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
  const r = readSelected(buf, 0, buf.length, TWEET);
  if (r.status !== 'ok') throw new Error(`the selective reader refused a JSON.stringify text: ${r.status}`);
  return r.value;
}

function ownerOf(accountFile: string): Owner {
  const account = (ytd(accountFile)[0] as { account: { accountId: string; username: string } }).account;
  return { id: account.accountId, handle: account.username.toLowerCase() };
}

const NO_OWNER: Owner = { id: null, handle: null };

describe('mapTweet of a record pruned to TWEET_SELECTION', () => {
  const sets = [
    { dir: 'sample-2022', files: ['tweets.js', 'tweets-part1.js'], count: 24 + 9 },
    { dir: 'legacy-2020', files: ['tweet.js'], count: 12 },
  ];
  for (const { dir, files, count } of sets) {
    it(`agrees with the whole record on every tweet of ${dir}`, () => {
      const records = files.flatMap((f) => ytd(`${dir}/data/${f}`));
      expect(records).toHaveLength(count);
      const owners = [NO_OWNER, ownerOf(`${dir}/data/account.js`)];
      let posts = 0;
      for (const owner of owners) {
        for (const record of records) {
          const whole = outcome(record, owner);
          expect(outcome(prune(record, TWEET_SELECTION), owner)).toEqual(whole);
          expect(outcome(selectedFromText(record), owner)).toEqual(whole);
          if ('result' in whole && 'post' in whole.result) posts++;
        }
      }
      expect(posts).toBeGreaterThan(0);
    });
  }

  it('the account owners are read from the fixtures', () => {
    expect(ownerOf('sample-2022/data/account.js')).toEqual({ id: '1404355426514043595', handle: 'tidepool_lab' });
    expect(ownerOf('legacy-2020/data/account.js')).toEqual({ id: '1183570482', handle: 'brackish_bay' });
  });

  // Generated tweet-shaped records. Ids come from a small pool so that edit chains, reply users and
  // mention ids meet the tweet's own id and the owner's.
  const junk = fc.jsonValue({ maxDepth: 2 });
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('1', '2', '3', '1404355426514043595') },
    { weight: 1, arbitrary: fc.constantFrom('-1', '', 'x1', 1, 2, 0) },
    { weight: 1, arbitrary: junk },
  );
  const handle = fc.oneof(fc.constantFrom('tidepool_lab', 'Tidepool_Lab', '@river_otter', 'river_otter', 'other', 'i', ''), junk);
  // Mostly 1990–2199, sometimes a few years outside.
  const instant = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: Date.UTC(1990, 0, 2), max: Date.UTC(2199, 11, 31) }) },
    { weight: 1, arbitrary: fc.integer({ min: Date.UTC(1985, 0, 1), max: Date.UTC(2210, 0, 1) }) },
  );
  const date = fc.oneof(
    { weight: 6, arbitrary: instant.map((ms) => xDate(ms, 0)) },
    { weight: 2, arbitrary: fc.tuple(instant, fc.integer({ min: -840, max: 840 })).map(([ms, off]) => xDate(ms, off)) },
    { weight: 1, arbitrary: fc.constantFrom('Thu Feb 13 09:05:00 +0000 2025', 'Thu Feb 30 09:05:00 +0000 2025', 'Wed Jan 1 00:00:00 +0000 2020', 'not a date') },
    { weight: 1, arbitrary: junk },
  );
  const text = fc.oneof(
    fc.constantFrom('RT @River_Otter: shipped &amp; done', 'RT @', '@other yes', '@tidepool_lab thanks', 'hello &amp; bye &#x1F30A;', 'see https://x.com/other/status/5', ''),
    fc.string(),
    junk,
  );
  const mention = fc.record({ id_str: id, id, screen_name: handle, name: fc.string(), indices: fc.constant(['0', '5']) }, { requiredKeys: [] });
  const url = fc.record(
    {
      expanded_url: fc.oneof(
        fc.constantFrom('https://twitter.com/River_Otter/status/123', 'https://x.com/tidepool_lab/status/9', 'https://twitter.com/i/web/status/5', 'https://mobile.twitter.com/other/statuses/77', 'https://example.com/'),
        junk,
      ),
      url: fc.string(),
      display_url: fc.string(),
    },
    { requiredKeys: [] },
  );
  const entities = fc.oneof(
    fc.record(
      {
        user_mentions: fc.oneof(fc.array(fc.oneof(mention, mention, junk), { maxLength: 3 }), junk),
        urls: fc.oneof(fc.array(fc.oneof(url, url, junk), { maxLength: 3 }), junk),
        hashtags: fc.array(fc.record({ text: fc.string(), indices: junk }), { maxLength: 2 }),
        symbols: junk,
      },
      { requiredKeys: [] },
    ),
    junk,
  );
  const chain = fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.constantFrom('1', '2', '3'), { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.array(id, { maxLength: 3 }) },
    { weight: 1, arbitrary: junk },
  );
  const editInfo = fc.oneof(
    { weight: 3, arbitrary: fc.record({ initial: fc.record({ editTweetIds: chain, editableUntil: fc.string(), editsRemaining: junk }, { requiredKeys: ['editTweetIds'] }) }) },
    { weight: 3, arbitrary: fc.record({ edit: fc.record({ initialTweetId: id, editControlInitial: fc.record({ editTweetIds: chain, editsRemaining: junk }, { requiredKeys: ['editTweetIds'] }) }, { requiredKeys: ['editControlInitial'] }) }) },
    { weight: 1, arbitrary: fc.record({ initial: junk, edit: fc.oneof(junk, fc.record({ editControlInitial: junk })) }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: junk },
  );
  const countArb = fc.oneof(fc.constantFrom('0', '3', ' 12 ', '1000000000', '1000000001', '-1', '1.5', ''), fc.nat(), junk);
  const tweet = fc.record(
    {
      id_str: id,
      id,
      created_at: date,
      full_text: text,
      text,
      in_reply_to_status_id_str: id,
      in_reply_to_status_id: id,
      in_reply_to_user_id_str: id,
      in_reply_to_user_id: id,
      in_reply_to_screen_name: handle,
      source: fc.oneof(fc.constantFrom('<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>', '<b>A &amp; B</b>', ''), junk),
      favorite_count: countArb,
      retweet_count: countArb,
      entities,
      edit_info: editInfo,
      retweeted: fc.boolean(),
      lang: fc.string(),
      display_text_range: junk,
      extended_entities: junk,
    },
    { requiredKeys: ['id_str', 'created_at'] },
  );
  const record = fc.oneof(
    { weight: 3, arbitrary: tweet },
    { weight: 3, arbitrary: tweet.map((t) => ({ tweet: t })) },
    { weight: 1, arbitrary: tweet.map((t) => ({ tweet: t, junk: 1 })) },
    { weight: 1, arbitrary: fc.record({ tweet: junk, id_str: id, created_at: date }) },
    { weight: 1, arbitrary: junk },
  );
  const owners: Owner[] = [NO_OWNER, { id: '1404355426514043595', handle: 'tidepool_lab' }, { id: '2', handle: 'river_otter' }, { id: '1', handle: null }];

  it('agrees with the whole record on generated records, errors included', () => {
    const seen = { post: 0, error: 0, droppedByInitial: 0, droppedByEdit: 0 };
    fc.assert(
      fc.property(record, fc.constantFrom(...owners), (r, owner) => {
        const whole = outcome(r, owner);
        expect(outcome(prune(r, TWEET_SELECTION), owner)).toEqual(whole);
        expect(outcome(selectedFromText(r), owner)).toEqual(whole);
        if ('error' in whole) seen.error++;
        else if ('post' in whole.result) seen.post++;
        else {
          const wrapper = r as Record<string, unknown>;
          const t = (typeof wrapper['tweet'] === 'object' && wrapper['tweet'] !== null && !Array.isArray(wrapper['tweet']) ? wrapper['tweet'] : wrapper) as { edit_info: Record<string, unknown> };
          if (t.edit_info['initial'] !== undefined) seen.droppedByInitial++;
          else seen.droppedByEdit++;
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
    // The generator reaches every outcome.
    expect(seen.post).toBeGreaterThan(30);
    expect(seen.droppedByInitial).toBeGreaterThan(5);
    expect(seen.droppedByEdit).toBeGreaterThan(5);
    expect(seen.error).toBeGreaterThan(30);
  });
});

// ---------------------------------------------------------------------------------------------------

const REFERENCE_NAMED = new Map<string, string>([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
  ['#39', "'"],
]);

/** The plain route: one regular expression over the whole text. */
function referenceDecode(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole: string, body: string) => {
    if (REFERENCE_NAMED.has(body)) return REFERENCE_NAMED.get(body)!;
    if (body.startsWith('#')) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const n = hex ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return whole;
  });
}

describe('decodeEntities', () => {
  it('agrees with the plain regular-expression decoder', () => {
    const unit = fc.constantFrom('&', 'a', 'm', 'p', ';', 'g', 't', 'l', '#', 'x', 'X', '3', '9', 'q', 'u', 'o', 's', 'n', 'b', 'F', ' ', 'é', '1');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (s) => {
        expect(decodeEntities(s)).toBe(referenceDecode(s));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('decodes hand cases', () => {
    const cases: [string, string][] = [
      ['&amp;amp;', '&amp;'],
      ['a &amp; b &quot;c&quot;', 'a & b "c"'],
      ['&gt&lt;', '&gt<'],
      ['&lt;&gt;&amp;', '<>&'],
      ['&amp;&#x1F30A;&lt;', '&🌊<'],
      ['&#39;&apos;&nbsp;', "''\u00a0"],
      ['&#65;&#x41;&#X41;', 'AAA'],
      ['&#1114111;', String.fromCodePoint(0x10ffff)],
      ['&#1114112; &#x110000;', '&#1114112; &#x110000;'],
      ['&AMP; &Amp; &amp', '&AMP; &Amp; &amp'],
      ['&unknown; & ;', '&unknown; & ;'],
      ['no entities', 'no entities'],
      ['', ''],
    ];
    for (const [input, expected] of cases) {
      expect(decodeEntities(input), input).toBe(expected);
      expect(referenceDecode(input), input).toBe(expected);
    }
  });

  it('leaves names of Object.prototype members alone (they are not entities)', () => {
    for (const input of ['&constructor;', '&toString;', '&valueOf;', '&hasOwnProperty;', 'a &amp; &constructor;']) {
      expect(decodeEntities(input), input).toBe(referenceDecode(input));
    }
    expect(decodeEntities('&constructor;')).toBe('&constructor;');
  });
});

// ---------------------------------------------------------------------------------------------------

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** An instant as X writes it, in local time at `offsetMinutes` east of UTC: "Www Mmm DD HH:MM:SS ±hhmm YYYY". */
function xDate(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(offsetMinutes);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${sign}${two(Math.floor(off / 60))}${two(off % 60)} ${d.getUTCFullYear()}`;
}

/** The ISO string of an instant cut to whole seconds. */
const isoSeconds = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}.000Z`;

const FIRST = Date.UTC(1990, 0, 1);
const AFTER_LAST = Date.UTC(2200, 0, 1);

describe('twitterDateToIso', () => {
  it('reads every +0000 instant from 1990 to 2199', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: AFTER_LAST - 1 }), (ms) => {
        expect(twitterDateToIso(xDate(ms, 0))).toBe(isoSeconds(ms));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('reads dates with other offsets as the same instant', () => {
    // A day inside both ends, so the local date stays within 1990–2199 too.
    fc.assert(
      fc.property(fc.integer({ min: FIRST + 86_400_000, max: AFTER_LAST - 86_400_000 }), fc.integer({ min: -14 * 60, max: 14 * 60 }), (ms, offset) => {
        expect(twitterDateToIso(xDate(ms, offset))).toBe(isoSeconds(ms));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('checks the calendar as Date.UTC does, on the fast (+0000) and the regular-expression (-0000) route', () => {
    // Mostly in range, sometimes just past it, sometimes anything two digits hold.
    const field = (min: number, max: number) => fc.oneof({ weight: 6, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }) });
    fc.assert(
      fc.property(
        fc.constantFrom(...WEEKDAYS),
        fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 11 })),
        fc.oneof(fc.integer({ min: 28, max: 31 }), field(1, 31)),
        field(0, 23),
        field(0, 59),
        field(0, 59),
        fc.oneof(fc.constantFrom(1989, 1990, 2000, 2023, 2024, 2100, 2199, 2200), fc.integer({ min: 1000, max: 9999 })),
        (weekday, month, day, h, mi, s, y) => {
          const body = `${weekday} ${MONTHS[month]} ${two(day)} ${two(h)}:${two(mi)}:${two(s)}`;
          // Date.UTC rolls impossible fields over; they exist only when they come back unchanged.
          const t = Date.UTC(y, month, day, h, mi, s);
          const d = new Date(t);
          const exists = d.getUTCFullYear() === y && d.getUTCMonth() === month && d.getUTCDate() === day && d.getUTCHours() === h && d.getUTCMinutes() === mi && d.getUTCSeconds() === s;
          const expected = exists && t >= FIRST && t < AFTER_LAST ? d.toISOString() : null;
          expect(twitterDateToIso(`${body} +0000 ${y}`)).toBe(expected);
          expect(twitterDateToIso(`${body} -0000 ${y}`)).toBe(expected);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('hand cases', () => {
    // Feb 29 exists in 2024 (divisible by 4) but not in 2100 (by 100, not by 400), nor in 2023.
    expect(twitterDateToIso('Thu Feb 29 12:34:56 +0000 2024')).toBe('2024-02-29T12:34:56.000Z');
    expect(twitterDateToIso('Tue Feb 29 00:00:00 +0000 2000')).toBe('2000-02-29T00:00:00.000Z');
    expect(twitterDateToIso('Mon Feb 29 00:00:00 +0000 2100')).toBeNull();
    expect(twitterDateToIso('Wed Feb 29 00:00:00 +0000 2023')).toBeNull();
    expect(twitterDateToIso('Sun Feb 30 12:00:00 +0000 2020')).toBeNull();
    expect(twitterDateToIso('Wed Apr 31 12:00:00 +0000 2020')).toBeNull();
    expect(twitterDateToIso('Wed Jan 00 12:00:00 +0000 2020')).toBeNull();
    expect(twitterDateToIso('Wed Jan 01 24:00:00 +0000 2020')).toBeNull();
    expect(twitterDateToIso('Wed Jan 01 23:60:00 +0000 2020')).toBeNull();
    expect(twitterDateToIso('Wed Jan 01 23:59:60 +0000 2020')).toBeNull();
    expect(twitterDateToIso('Sun Dec 31 23:59:59 +0000 1989')).toBeNull();
    expect(twitterDateToIso('Mon Jan 01 00:00:00 +0000 1990')).toBe('1990-01-01T00:00:00.000Z');
    expect(twitterDateToIso('Tue Dec 31 23:59:59 +0000 2199')).toBe('2199-12-31T23:59:59.000Z');
    expect(twitterDateToIso('Wed Jan 01 00:00:00 +0000 2200')).toBeNull();
    // Offsets: local time minus the offset.
    expect(twitterDateToIso('Wed Jan 01 01:00:00 +0100 2020')).toBe('2020-01-01T00:00:00.000Z');
    expect(twitterDateToIso('Tue Dec 31 19:00:00 -0500 2019')).toBe('2020-01-01T00:00:00.000Z');
    expect(twitterDateToIso('Wed Oct 10 20:19:24 -0530 2018')).toBe('2018-10-11T01:49:24.000Z');
  });

  it('refuses layouts that are not X dates', () => {
    for (const value of [
      'Wed Jan 1 00:00:00 +0000 2020',
      'Wed jan 01 00:00:00 +0000 2020',
      'wed Jan 01 00:00:00 +0000 2020',
      'WED Jan 01 00:00:00 +0000 2020',
      'Wed  Jan 01 00:00:00 +0000 2020',
      'Wed Jan 01  00:00:00 +0000 2020',
      'Wed Jan 01 00:00:00 +0000 2020 ',
      ' Wed Jan 01 00:00:00 +0000 2020',
      'Wed Jan 01 00:00:00 +0000 20201',
      'Wed Jan 01 00:00:00 UTC 2020',
      'Wed Jan 01 00:00:00 +000 2020',
      'Wed Jan 01 00-00-00 +0000 2020',
      'Wed Jan 0\u0661 00:00:00 +0000 2020',
      'Wed Foo 01 00:00:00 +0000 2020',
      '2020-01-01T00:00:00.000Z',
      '',
    ]) {
      expect(twitterDateToIso(value), value).toBeNull();
    }
  });

  it('refuses impossible fields whatever the offset', () => {
    // The same fields that are null at +0000 do not become a date at another offset.
    expect(twitterDateToIso('Sun Feb 30 12:00:00 +0100 2020')).toBeNull();
    expect(twitterDateToIso('Mon Feb 10 99:00:00 +0100 2020')).toBeNull();
    expect(twitterDateToIso('Mon Feb 10 12:00:00 +0199 2020')).toBeNull();
  });
});
