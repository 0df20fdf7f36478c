/**
 * The streaming reader of `window.YTD… = [ … ]` files: whatever the chunking, it yields exactly what
 * JSON.parse of the stripped file gives (the independent route), and it refuses bad files clearly.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readYtdArray } from '../src/sources/x-archive/ytd-reader.js';
import { compileSelection, prune } from '../src/lib/select-json.js';
import { TWEET_SELECTION } from '../src/sources/x-archive/map-tweet.js';
import { EngageAuditError } from '../src/errors.js';
import { X_FIXTURES } from './helpers.js';

async function* chunked(buf: Buffer, sizes: (i: number) => number): AsyncGenerator<Buffer> {
  let pos = 0;
  let i = 0;
  while (pos < buf.length) {
    const n = Math.max(1, sizes(i++));
    yield buf.subarray(pos, pos + n);
    pos += n;
  }
}

async function readAll(buf: Buffer, sizes: (i: number) => number = () => buf.length): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const batch of readYtdArray(chunked(buf, sizes), 'test.js')) out.push(...batch);
  return out;
}

/** The naive route: everything after the first `=`, trailing `;` dropped, parsed whole. */
function naive(buf: Buffer): unknown[] {
  const text = buf.toString('utf8');
  return JSON.parse(text.slice(text.indexOf('=') + 1).trim().replace(/;$/, '')) as unknown[];
}

async function failure(text: string | Buffer): Promise<EngageAuditError> {
  try {
    await readAll(Buffer.isBuffer(text) ? text : Buffer.from(text));
  } catch (error) {
    if (error instanceof EngageAuditError) return error;
    throw error;
  }
  throw new Error('expected the reader to fail');
}

const tricky = Buffer.from(
  'window.YTD.tweets.part0 = [\n' +
    '  { "tweet" : { "full_text" : "braces } { ] [ and \\"quotes\\" and a backslash \\\\", "id_str" : "1" } },\n' +
    '  { "tweet" : { "full_text" : "emoji 🌊 and é, ünïcödé", "nested" : { "a" : [ 1, { "b" : "}" } ] }, "id_str" : "2" } },\n' +
    '  { "tweet" : { "full_text" : "ends with backslash \\\\\\\\", "id_str" : "3" } }\n' +
    '];\n',
);

describe('readYtdArray', () => {
  it('reads every fixture file exactly as a whole JSON.parse does', async () => {
    for (const file of ['sample-2022/data/tweets.js', 'sample-2022/data/tweets-part1.js', 'legacy-2020/data/tweet.js', 'sample-2022/data/follower.js']) {
      const buf = readFileSync(path.join(X_FIXTURES, file));
      expect(await readAll(buf)).toEqual(naive(buf));
    }
  });

  it('gives the same records whatever the chunk boundaries (1 byte, 7 bytes, random)', async () => {
    const want = naive(tricky);
    expect(want).toHaveLength(3);
    expect(await readAll(tricky, () => 1)).toEqual(want);
    expect(await readAll(tricky, () => 7)).toEqual(want);
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return 1 + (seed % 50);
    };
    for (let round = 0; round < 20; round++) expect(await readAll(tricky, random)).toEqual(want);
  });

  it('splits a multi-byte character across chunks without damage', async () => {
    const buf = Buffer.from('window.YTD.x.part0 = [ { "t" : "🌊🌊🌊" } ]');
    const at = buf.indexOf(0xf0) + 2; // inside the first emoji's four bytes
    const records = await readAll(buf, (i) => (i === 0 ? at : buf.length));
    expect(records).toEqual([{ t: '🌊🌊🌊' }]);
  });

  it('accepts the 2020 style (array and object open on line 1), a BOM, empty arrays and no trailing semicolon', async () => {
    expect(await readAll(Buffer.from('window.YTD.tweet.part0 = [ {\n  "a" : "1"\n}, {\n  "a" : "2"\n} ]'))).toEqual([{ a: '1' }, { a: '2' }]);
    expect(await readAll(Buffer.from('\uFEFFwindow.YTD.like.part0 = [ { "b" : 1 } ]'))).toEqual([{ b: 1 }]);
    expect(await readAll(Buffer.from('window.YTD.note_tweet.part0 = [ ]'))).toEqual([]);
  });

  it('reports a file cut in half as truncated, with the record count', async () => {
    const half = tricky.subarray(0, Math.floor(tricky.length / 2));
    const error = await failure(half);
    expect(error.code).toBe('TRUNCATED');
    expect(error.message).toMatch(/test\.js: ends at byte \d+ inside the record 2 \(after 1 complete record\)/);
    expect((await failure('window.YTD.tweets.part0 = [\n  { "a" : 1 },\n')).code).toBe('TRUNCATED');
  });

  it('refuses what is not an X archive data file, and never evaluates it', async () => {
    expect((await failure('console.log("hi")')).code).toBe('MALFORMED');
    expect((await failure('alert(1); window.YTD.x = [ ]')).message).toMatch(/does not start with `window\.YTD/);
    expect((await failure('window.YTD.x.part0 = { "a" : 1 }')).message).toMatch(/expected `\[` after `=`/);
    expect((await failure('window.YTD.x.part0 = [ 1, 2 ]')).message).toMatch(/expected a record/);
    expect((await failure('window.YTD.x.part0 = [ { "a" : 1 } ] ; alert(1)')).message).toMatch(/unexpected data after the closing/);
  });

  it('names the record that is not valid JSON', async () => {
    const error = await failure('window.YTD.x.part0 = [ { "a" : 1 }, { "a" : tru } ]');
    expect(error.code).toBe('MALFORMED');
    expect(error.message).toMatch(/record 2 is not valid JSON/);
  });

  it('stops at a nesting deeper than the limit', async () => {
    const deep = `window.YTD.x.part0 = [ {"a":${'['.repeat(100)}${']'.repeat(100)}} ]`;
    expect((await failure(deep)).message).toMatch(/nesting deeper than 64 levels/);
  });
});

describe('readYtdArray with a selection', () => {
  /** A file in X's layout: records joined by "\n}, {\n" at the top level, nested objects indented. */
  function xLayout(records: unknown[]): Buffer {
    return Buffer.from(`window.YTD.tweets.part0 = [ ${records.map((r) => JSON.stringify(r, null, 2)).join(', ')} ]`);
  }
  const tweets = compileSelection(TWEET_SELECTION);

  async function selected(buf: Buffer, size: number, select = tweets): Promise<unknown[]> {
    const out: unknown[] = [];
    for await (const batch of readYtdArray(chunked(buf, () => size), 'x.js', { select })) out.push(...batch);
    return out;
  }

  it('keeps the selected fields of every record, whatever the chunking, as pruning JSON.parse gives them', async () => {
    const records = Array.from({ length: 500 }, (_, i) => ({
      tweet: {
        id_str: String(i),
        full_text: i % 7 === 0 ? 'a "quoted" }, { text \u00e9\ud83c\udf0a' : `t${i}`,
        lang: 'en',
        entities: { hashtags: [{ text: 'x', indices: ['0', '1'] }], user_mentions: i % 3 === 0 ? [{ screen_name: `u${i}`, id_str: String(1000 + i), name: 'N' }] : [], urls: [] },
        nested: { list: [{ a: 1 }, { b: [2, 3] }] },
      },
    }));
    const buf = xLayout(records);
    const want = records.map((r) => prune(r, TWEET_SELECTION));
    // By hand, for one record: what the tweet selection keeps of record 3.
    expect(want[3]).toEqual({ tweet: { id_str: '3', full_text: 't3', entities: { user_mentions: [{ screen_name: 'u3', id_str: '1003' }], urls: [] } } });
    for (const size of [1, 7, 4096, 1 << 20]) expect(await selected(buf, size)).toEqual(want);
    expect(await selected(buf, 4096, compileSelection(true))).toEqual(records);
  });

  it('reads a record longer than many chunks once enough bytes are in', async () => {
    const long = { tweet: { id_str: '1', full_text: 'y'.repeat(300_000) } };
    const buf = xLayout([long, { tweet: { id_str: '2' } }]);
    expect(await selected(buf, 1000)).toEqual([long, { tweet: { id_str: '2' } }]);
  });

  it('hands a record it refuses to the careful scanner, which names the error', async () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ tweet: { id_str: String(i) } }));
    const text = xLayout(records).toString().replace('"id_str": "30"', '"id_str": 30x');
    let error: unknown;
    try {
      await selected(Buffer.from(text), 1 << 20);
    } catch (e) {
      error = e;
    }
    expect((error as EngageAuditError).message).toMatch(/record 31 is not valid JSON/);
  });

  it('is not fooled by a nested object whose closing brace sits at the top-level indentation', async () => {
    const text = 'window.YTD.x.part0 = [ {\n  "a": 1\n}, {\n  "b": {\n"c": 1\n}, {\n"d": 2\n  }\n}, {\n  "e": 3\n} ]';
    expect(() => JSON.parse(text.slice(text.indexOf('=') + 1))).toThrow(); // it is not even valid JSON…
    let error: unknown;
    try {
      await selected(Buffer.from(text), 1 << 20);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngageAuditError); // …and the reader says so instead of splitting it wrongly
  });

  /** A ~2 MB file of records of varied sizes, for chunks larger than the bridge's first try. */
  function bigFile(): { buf: Buffer; records: unknown[] } {
    const records = Array.from({ length: 1500 }, (_, i) => ({
      tweet: { id_str: String(i), full_text: `${'w'.repeat((i * 7919) % 3000)} ${i}`, entities: { user_mentions: [{ screen_name: `u${i % 13}`, id_str: String(i % 13) }], urls: [] } },
    }));
    return { buf: xLayout(records), records };
  }

  it('reads records that straddle large chunks (the bridge) exactly as pruning JSON.parse gives them', async () => {
    const { buf, records } = bigFile();
    const want = records.map((r) => prune(r, TWEET_SELECTION));
    for (const size of [70_000, 131_072, 200_003, 1 << 20]) expect(await selected(buf, size)).toEqual(want);
    // Irregular chunk sizes between 64 KB and 300 KB.
    const sizes = [65_537, 299_999, 100_000, 77_777, 250_000];
    const out: unknown[] = [];
    for await (const batch of readYtdArray(chunked(buf, (i) => sizes[i % sizes.length]!), 'x.js', { select: tweets })) out.push(...batch);
    expect(out).toEqual(want);
  });

  it('reports a bad record that straddles a large chunk boundary as the careful way does', async () => {
    const { buf } = bigFile();
    // Break the record that runs across the first 131,072-byte boundary.
    const boundary = 131_072;
    const recordStart = buf.lastIndexOf('{\n  "tweet"', boundary);
    expect(buf.indexOf('}\n}', recordStart)).toBeGreaterThan(boundary); // it does straddle
    const open = buf.indexOf('"id_str": "', recordStart) + '"id_str": '.length;
    const close = buf.indexOf('"', open + 1);
    // "id_str": "76" becomes "id_str": 76x: no quote left open, just not JSON.
    const broken = Buffer.concat([buf.subarray(0, open), buf.subarray(open + 1, close), Buffer.from('x'), buf.subarray(close + 1)]);
    const errors: string[] = [];
    for (const options of [{ select: tweets }, {}]) {
      try {
        for await (const _ of readYtdArray(chunked(broken, () => boundary), 'x.js', options)) void _;
      } catch (e) {
        errors.push((e as EngageAuditError).message);
      }
    }
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/is not valid JSON/);
    expect(errors[0]).toBe(errors[1]);
  });

  it('reads records whatever mix of small and large chunks cuts them (chunk sizes from a fixed random walk)', async () => {
    // Records of 1 to 3,000 bytes, and every 50th of 20 to 150 KB (longer than some chunks).
    const records = Array.from({ length: 1500 }, (_, i) => ({
      tweet: { id_str: String(i), full_text: 'v'.repeat(i % 50 === 0 ? 20_000 + ((i * 7919) % 130_000) : (i * 7919) % 3000), entities: { user_mentions: [], urls: [] } },
    }));
    const buf = xLayout(records);
    const want = records.map((r) => prune(r, TWEET_SELECTION));
    // The zip reader hands out chunks of uneven size: a small one may complete a record that a
    // large one follows. Alternating and pseudo-random sizes, each compared with the whole file.
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const plans: Array<(i: number) => number> = [(i) => (i % 2 === 0 ? 17_546 : 209_165), (i) => [1, 300_000, 5, 64_000][i % 4]!];
    for (let k = 0; k < 4; k++) {
      const sizes = Array.from({ length: 64 }, () => Math.floor(random() ** 3 * 400_000) + 1);
      plans.push((i) => sizes[i % sizes.length]!);
    }
    for (const plan of plans) {
      for (const options of [{ select: tweets }, {}]) {
        const out: unknown[] = [];
        for await (const batch of readYtdArray(chunked(buf, plan), 'x.js', options)) out.push(...batch);
        expect(out).toEqual('select' in options ? want : records);
      }
    }
  });

  it('takes a record of exactly maxRecordBytes and refuses one byte more, whichever way and chunking', async () => {
    const record = (bytes: number): string => {
      const shell = '{"tweet":{"id_str":"1","full_text":""}}';
      return `{"tweet":{"id_str":"1","full_text":"${'z'.repeat(bytes - shell.length)}"}}`;
    };
    for (const size of [200, 2514]) {
      for (const extra of [0, 1]) {
        const text = `window.YTD.tweets.part0 = [${record(size + extra)}]`;
        for (const chunk of [1, 7, 1000, text.length]) {
          for (const options of [{ select: tweets, maxRecordBytes: size }, { maxRecordBytes: size }]) {
            let outcome = 'accepted';
            try {
              for await (const _ of readYtdArray(chunked(Buffer.from(text), () => chunk), 'x.js', options)) void _;
            } catch (e) {
              outcome = (e as EngageAuditError).message;
            }
            if (extra === 0) expect(outcome).toBe('accepted');
            else expect(outcome).toMatch(new RegExp(`record 1 is larger than ${size} bytes`));
          }
        }
      }
    }
  });

  it('holds the array to JSON: one comma between records, none before the first or after the last', async () => {
    const bad = ['[,{"a":1}]', '[{"a":1}{"a":2}]', '[{"a":1},,{"a":2}]', '[{"a":1},]', '[{"a":1} 5]'];
    for (const body of bad) {
      expect(() => JSON.parse(body)).toThrow(); // the independent route refuses each
      for (const options of [{ select: tweets }, {}]) {
        let error: unknown;
        try {
          for await (const _ of readYtdArray(chunked(Buffer.from(`window.YTD.x.part0 = ${body}`), () => 3), 'x.js', options)) void _;
        } catch (e) {
          error = e;
        }
        expect((error as EngageAuditError).code, body).toBe('MALFORMED');
      }
    }
    for (const body of ['[ ]', '[{"a":1} , {"a":2}]', '[\n{"a":1}\n]']) {
      const out: unknown[] = [];
      for await (const batch of readYtdArray(chunked(Buffer.from(`window.YTD.x.part0 = ${body};`), () => 2), 'x.js')) out.push(...batch);
      expect(out).toEqual(JSON.parse(body));
    }
  });

  it('says a file cut inside a record is cut off, naming the record', async () => {
    const buf = xLayout([{ tweet: { id_str: '1' } }, { tweet: { id_str: '2', full_text: 'abc' } }]);
    const cut = buf.subarray(0, buf.indexOf('abc'));
    let error: unknown;
    try {
      await selected(cut, 5);
    } catch (e) {
      error = e;
    }
    expect((error as EngageAuditError).code).toBe('TRUNCATED');
    expect((error as EngageAuditError).message).toMatch(/inside the record 2 \(after 1 complete record\)/);
  });
});
