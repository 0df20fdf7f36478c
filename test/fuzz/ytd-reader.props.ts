/**
 * Property tests of readYtdArray (the streaming reader of X archive `.js` files): valid files give
 * exactly what JSON.parse gives (pruned to the selection), whatever the layout, the chunking and the
 * way of reading; mutated real files give records or an EngageAuditError (MALFORMED, TRUNCATED,
 * BAD_ZIP), never another exception, and the selective pass agrees with the careful scanner on every
 * one; a file cut before its closing `]` never passes; the documented limits (nesting 64, record
 * size) hold whichever way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngageAuditError } from '../../src/errors.js';
import { readYtdArray, type YtdReadOptions } from '../../src/sources/x-archive/ytd-reader.js';
import { compileSelection, prune, type Selection } from '../../src/lib/select-json.js';
import { TWEET_SELECTION } from '../../src/sources/x-archive/map-tweet.js';
import { X_FIXTURES } from './paths.js';
import { applyByteOps, byteOps, jsonOps, mutateYtdText, scaled, SEED } from './mutate.js';

const FILES = ['sample-2022/data/tweets.js', 'sample-2022/data/tweets-part1.js', 'sample-2022/data/account.js', 'sample-2022/data/follower.js', 'sample-2022/data/like.js', 'legacy-2020/data/tweet.js', 'legacy-2020/data/follower.js'];
const FIXTURE_BYTES = FILES.map((f) => readFileSync(path.join(X_FIXTURES, f)));

/** Cuts `buf` at the given points (any order, any value: taken modulo the length). */
async function* chunksAt(buf: Buffer, cuts: readonly number[]): AsyncGenerator<Buffer> {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const p of points) {
    if (p > from) yield buf.subarray(from, p);
    from = Math.max(from, p);
  }
  if (from < buf.length || buf.length === 0) yield buf.subarray(from);
}

async function readAll(buf: Buffer, cuts: readonly number[], options?: YtdReadOptions): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const batch of readYtdArray(chunksAt(buf, cuts), 'fuzz.js', options)) out.push(...batch);
  return out;
}

/** How records are read: the careful scanner alone, or the selective pass keeping all or a tweet's fields. */
type Way = 'careful' | 'whole' | 'tweet';
const WAYS: readonly Way[] = ['careful', 'whole', 'tweet'];
const SELECTIONS: Record<Way, Selection | null> = { careful: null, whole: true, tweet: TWEET_SELECTION };
const COMPILED = { whole: compileSelection(true), tweet: compileSelection(TWEET_SELECTION) };
function way(w: Way): YtdReadOptions {
  return w === 'careful' ? {} : { select: COMPILED[w] };
}

const ALLOWED = new Set(['MALFORMED', 'TRUNCATED', 'BAD_ZIP']);

/** Records, or an allowed EngageAuditError; anything else is rethrown (and fails the property). */
async function outcome(buf: Buffer, cuts: readonly number[], options?: YtdReadOptions): Promise<{ records: unknown[] } | { error: EngageAuditError }> {
  try {
    return { records: await readAll(buf, cuts, options) };
  } catch (error) {
    if (error instanceof EngageAuditError && ALLOWED.has(error.code)) return { error };
    throw error;
  }
}

const cuts = fc.array(fc.nat({ max: 1 << 16 }), { maxLength: 12 });
const record = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }), { maxKeys: 6 });

describe('readYtdArray, property-based', () => {
  it('a valid file gives exactly what JSON.parse of its array gives (pruned to the selection), for any layout, chunking and way of reading', async () => {
    const runs = scaled(400);
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 10 }),
        fc.constantFrom<number | string>(0, 1, 2, 4, '\t', ' \r'),
        fc.constantFrom('', '\uFEFF'),
        fc.constantFrom(' = ', '=', ' =\n', '  =  '),
        fc.constantFrom('', ';', ';\n', '\n', ' ;  \r\n'),
        fc.constantFrom(...WAYS),
        cuts,
        async (records, indent, bom, eq, tail, w, at) => {
          const body = indent === ' \r' ? JSON.stringify(records).replace(/,/g, ' ,\r\n') : JSON.stringify(records, null, indent);
          const buf = Buffer.from(`${bom}window.YTD.tweets.part0${eq}${body}${tail}`);
          const sel = SELECTIONS[w];
          const expected = (JSON.parse(body) as unknown[]).map((r) => (sel === null ? r : prune(r, sel)));
          expect(await readAll(buf, at, way(w))).toEqual(expected);
        },
      ),
      { numRuns: runs, seed: SEED },
    );
    console.log(`ytd-reader valid files: ${runs} cases`);
  });

  it('byte mutations of the real fixture files give records or MALFORMED/TRUNCATED/BAD_ZIP, never another exception', async () => {
    const runs = scaled(600);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FILES.length - 1 }), byteOps, cuts, fc.constantFrom(...WAYS), async (file, ops, at, w) => {
        const result = await outcome(applyByteOps(FIXTURE_BYTES[file]!, ops), at, way(w));
        if ('records' in result) for (const r of result.records) expect(r !== null && typeof r === 'object' && !Array.isArray(r)).toBe(true);
        else expect(result.error.message).toMatch(/^fuzz\.js: /);
      }),
      { numRuns: runs, seed: SEED + 1 },
    );
    console.log(`ytd-reader byte mutations: ${runs} cases`);
  });

  it('the selective pass accepts exactly what the careful scanner accepts: same records (pruned) or the same error', async () => {
    const runs = scaled(400);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FILES.length - 1 }), byteOps, jsonOps, fc.boolean(), cuts, async (file, bytes, json, useJson, at) => {
        const input = useJson ? Buffer.from(mutateYtdText(FIXTURE_BYTES[file]!.toString('utf8'), json)) : applyByteOps(FIXTURE_BYTES[file]!, bytes);
        const careful = await outcome(input, at, way('careful'));
        for (const w of ['whole', 'tweet'] as const) {
          const other = await outcome(input, at, way(w));
          if ('error' in careful) expect('error' in other ? other.error.message : 'accepted').toBe(careful.error.message);
          else expect('records' in other ? other.records : other.error.message).toEqual(careful.records.map((r) => prune(r, SELECTIONS[w]!)));
        }
      }),
      { numRuns: runs, seed: SEED + 7 },
    );
    console.log(`ytd-reader careful vs selective: ${runs} cases`);
  });

  it('JSON mutations (wrong types, huge numbers, deletions, nesting to 50,000 levels) give records or an allowed error', async () => {
    const runs = scaled(300);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FILES.length - 1 }), jsonOps, cuts, fc.constantFrom(...WAYS), async (file, ops, at, w) => {
        const text = mutateYtdText(FIXTURE_BYTES[file]!.toString('utf8'), ops);
        await outcome(Buffer.from(text), at, way(w));
      }),
      { numRuns: runs, seed: SEED + 2 },
    );
    console.log(`ytd-reader JSON mutations: ${runs} cases`);
  });

  it('a file cut anywhere before its closing `]` never passes as complete', async () => {
    const runs = scaled(300);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FILES.length - 1 }), fc.nat(), cuts, fc.constantFrom(...WAYS), async (file, where, at, w) => {
        const full = FIXTURE_BYTES[file]!;
        const end = full.lastIndexOf(0x5d); // the closing `]`
        const cut = full.subarray(0, where % (end + 1));
        const result = await outcome(cut, at, way(w));
        expect('error' in result, `cut at ${cut.length} of ${full.length} bytes passed with ${'records' in result ? result.records.length : 0} records`).toBe(true);
      }),
      { numRuns: runs, seed: SEED + 3 },
    );
    console.log(`ytd-reader truncation: ${runs} cases`);
  });

  it('a read error of the underlying stream becomes BAD_ZIP, wherever it happens', async () => {
    const runs = scaled(100);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FILES.length - 1 }), fc.nat(), fc.constantFrom(...WAYS), async (file, where, w) => {
        const buf = FIXTURE_BYTES[file]!;
        const failAt = where % buf.length;
        async function* failing(): AsyncGenerator<Buffer> {
          yield buf.subarray(0, failAt);
          throw new Error('inflate failed');
        }
        try {
          for await (const _ of readYtdArray(failing(), 'fuzz.js', way(w))) void _;
        } catch (error) {
          expect(error).toBeInstanceOf(EngageAuditError);
          expect(ALLOWED.has((error as EngageAuditError).code)).toBe(true);
          return;
        }
        throw new Error('a failing stream passed');
      }),
      { numRuns: runs, seed: SEED + 4 },
    );
    console.log(`ytd-reader stream errors: ${runs} cases`);
  });

  /** A pretty-printed file in X's layout whose record `at` is `deep`. */
  function xFile(plain: number, deep: string, at: number): Buffer {
    const records = Array.from({ length: plain }, (_, i) => JSON.stringify({ tweet: { id_str: String(i), full_text: `t${i}` } }, null, 2).replace(/\n/g, '\n  '));
    records.splice(at, 0, deep);
    return Buffer.from(`window.YTD.tweets.part0 = [\n  ${records.join(',\n  ')}\n]\n`);
  }

  // SECURITY.md: "archive records deeper than 64 levels or larger than 64 MB are refused", whichever
  // way they are read.
  it('refuses a record nested deeper than 64 levels wherever it sits, whichever way it is read', async () => {
    const runs = scaled(60);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 65, max: 5000 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom(...WAYS), async (depth, plain, at, w) => {
        const deep = `{ "tweet" : { "id_str" : "9", "x" : ${'['.repeat(depth)}${']'.repeat(depth)} } }`;
        const file = xFile(plain, deep, Math.min(at, plain));
        const result = await outcome(file, [], way(w));
        const refused = 'error' in result && /nesting deeper than 64 levels/.test(result.error.message);
        expect(refused, `depth ${depth}, record ${Math.min(at, plain) + 1} of ${plain + 1}, ${w}: ${'records' in result ? `accepted (${result.records.length} records)` : result.error.message}`).toBe(true);
      }),
      { numRuns: runs, seed: SEED + 5, examples: [[100, 1, 1, 'tweet']] },
    );
    console.log(`ytd-reader nesting limit: ${runs} cases`);
  });

  it('refuses a record larger than maxRecordBytes wherever it sits, whichever way it is read', async () => {
    const runs = scaled(60);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2000, max: 20_000 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom(...WAYS), async (size, plain, at, w) => {
        const big = `{\n    "tweet" : {\n      "id_str" : "9",\n      "full_text" : "${'x'.repeat(size)}"\n    }\n  }`;
        const result = await outcome(xFile(plain, big, Math.min(at, plain)), [], { ...way(w), maxRecordBytes: 1000 });
        expect('error' in result && /larger than 1000 bytes/.test(result.error.message), `${size} bytes, record ${Math.min(at, plain) + 1} of ${plain + 1}, ${w}: ${'records' in result ? `accepted (${result.records.length} records)` : result.error.message}`).toBe(true);
      }),
      { numRuns: runs, seed: SEED + 6, examples: [[5000, 1, 1, 'tweet']] },
    );
    console.log(`ytd-reader record size limit: ${runs} cases`);
  });
});
