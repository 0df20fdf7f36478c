/**
 * Property tests of the smaller parsers: CSV decoding and parsing (any bytes, every encoding and BOM,
 * the 1 MB line limit), saved datasets (mutated JSON), export dates (any string), and the Meta
 * mojibake repair (deep nesting).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngageAuditError } from '../../src/errors.js';
import { parseExportDate } from '../../src/lib/dates.js';
import { csvBatches, parseCsv } from '../../src/sources/csv-read.js';
import { repairAll } from '../../src/sources/instagram/index.js';
import { parseSavedDataset } from '../../src/sources/saved-dataset.js';
import { FIXTURES } from './paths.js';
import { allowingKnownErrors } from './invariants.js';
import { applyByteOps, byteOps, jsonOps, mutateJsonText, scaled, SEED } from './mutate.js';

const CSVS = ['csv/custom.csv', 'csv/sprout-posts.csv', 'facebook/page-export.csv', 'linkedin/export/Shares.csv', 'linkedin/export/Connections.csv', 'linkedin/shares-2018/Shares.csv'].map((f) => readFileSync(path.join(FIXTURES, f)));

function encode(text: string, encoding: 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be'): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf8-bom') return Buffer.from(`\uFEFF${text}`, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  if (encoding === 'utf16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
}

/** The header and records of CSV bytes read as the sources read them, or null for an EngageAuditError. */
async function readCsv(bytes: Buffer): Promise<{ header: string[]; headerLine: number; records: Array<Record<string, string>> } | null> {
  async function* whole(): AsyncGenerator<Buffer> {
    yield bytes;
  }
  try {
    const table = { header: [] as string[], headerLine: 0, records: [] as Array<Record<string, string>> };
    for await (const batch of csvBatches(whole(), 'fuzz.csv')) Object.assign(table, { header: batch.header, headerLine: batch.headerLine, records: [...table.records, ...batch.records] });
    return table;
  } catch (error) {
    if (error instanceof EngageAuditError) return null;
    throw error;
  }
}

describe('CSV reading, property-based', () => {
  it('any bytes, and byte mutations of the fixture CSVs (BOMs, invalid UTF-8, odd lengths): a table or an EngageAuditError', async () => {
    const runs = scaled(400);
    const bom = fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]);
    await fc.assert(
      fc.asyncProperty(bom, fc.uint8Array({ maxLength: 600 }), async (b, bytes) => {
        await readCsv(Buffer.concat([Buffer.from(b), bytes]));
      }),
      // Minimal reproduction: a UTF-16BE BOM and an odd number of bytes after it.
      { numRuns: runs, seed: SEED + 40, examples: [[[0xfe, 0xff], Uint8Array.from([0x41])]] },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: CSVS.length - 1 }), byteOps, async (i, ops) => {
        await readCsv(applyByteOps(CSVS[i]!, ops));
      }),
      { numRuns: runs, seed: SEED + 41 },
    );
    console.log(`csv bytes: ${2 * runs} cases`);
  });

  it('the same table reads the same in UTF-8, UTF-8 with a BOM, UTF-16LE and UTF-16BE, with any line endings', async () => {
    const runs = scaled(300);
    const cell = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\t'));
    const header = fc.uniqueArray(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }).filter((s) => /^[A-Za-z][A-Za-z ]*$/.test(s.trim()) && !s.includes(',')), { minLength: 1, maxLength: 5, selector: (s) => s.trim().toLowerCase() });
    await fc.assert(
      fc.asyncProperty(header, fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }), fc.constantFrom('\n', '\r\n'), async (head, rows, eol) => {
        const quote = (c: string): string => (/[",\r\n]/.test(c) || /^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
        const text = [head, ...rows].map((r) => r.map(quote).join(',')).join(eol) + eol;
        const want = allowingKnownErrors(() => parseCsv(text, 'fuzz.csv'));
        for (const encoding of ['utf8', 'utf8-bom', 'utf16le', 'utf16be'] as const) {
          const got = await readCsv(encode(text, encoding));
          expect(got, encoding).toEqual(want);
        }
      }),
      { numRuns: runs, seed: SEED + 42 },
    );
    console.log(`csv encodings: ${runs} cases`);
  });

  it('a line over 1 MB is refused as MALFORMED, not read', () => {
    const runs = scaled(4);
    fc.assert(
      fc.property(fc.integer({ min: (1 << 20) + 1, max: 3 << 20 }), fc.boolean(), (size, quoted) => {
        const big = 'x'.repeat(size);
        const text = `date,text\n2025-01-01,${quoted ? `"${big}"` : big}\n`;
        let error: unknown;
        try {
          parseCsv(text, 'fuzz.csv');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(EngageAuditError);
        expect((error as EngageAuditError).code).toBe('MALFORMED');
      }),
      { numRuns: runs, seed: SEED + 43 },
    );
    console.log(`csv line limit: ${runs} cases`);
  });
});

describe('saved datasets, property-based', () => {
  const HOSTILE = readFileSync(path.join(FIXTURES, 'hostile/dataset.json'), 'utf8');
  const PLAIN = JSON.stringify({
    kind: 'engage-audit-dataset', schemaVersion: 1, platform: 'bluesky', source: 'api', target: '@a.test', complete: true, warnings: [],
    account: { id: 'did:plc:a', handle: 'a.test', displayName: 'A', followers: 10, following: 5, posts: 2 },
    capabilities: { inboundIdentities: true, threads: true }, availability: {}, asOf: '2025-03-01T00:00:00.000Z', followerIds: null, followingIds: null, likesGiven: null,
    posts: [
      { id: 'p1', createdAt: '2025-02-01T10:00:00.000Z', kind: 'original', text: 'hi', mentions: [], client: null, metrics: { likes: 3, replies: 1, reposts: 0, quotes: 0, impressions: null } },
      { id: 'p2', createdAt: '2025-02-02T10:00:00.000Z', kind: 'reply', target: { handle: 'b.test' }, mentions: [], client: null, metrics: { likes: 1, replies: 0, reposts: 0, quotes: 0, impressions: null } },
    ],
    interactions: [{ postId: 'p1', actor: 'b.test', kind: 'reply', depth: 1, createdAt: '2025-02-01T11:00:00.000Z' }],
  });

  it('mutated datasets (JSON ops with nesting to 50,000 levels, byte ops, BOMs): a dataset or an EngageAuditError', () => {
    const runs = scaled(300);
    fc.assert(
      fc.property(fc.constantFrom(HOSTILE, PLAIN), jsonOps, (text, ops) => {
        allowingKnownErrors(() => parseSavedDataset(mutateJsonText(text, ops), 'fuzz.json'));
      }),
      { numRuns: runs, seed: SEED + 44 },
    );
    fc.assert(
      fc.property(fc.constantFrom(HOSTILE, PLAIN), byteOps, (text, ops) => {
        allowingKnownErrors(() => parseSavedDataset(applyByteOps(Buffer.from(text), ops).toString('utf8'), 'fuzz.json'));
      }),
      { numRuns: runs, seed: SEED + 45 },
    );
    console.log(`saved dataset mutations: ${2 * runs} cases`);
  });

  it('an accepted dataset holds only dates a report can place (createdAt, asOf: ISO-8601 with a 4-digit year)', () => {
    const runs = scaled(300);
    const date = fc.oneof(
      fc.constantFrom('garbage', '', 'yesterday', '2025-02-30T00:00:00Z', '+011476-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z', '1', 'Tue, 01 Apr 2025 10:00:00 GMT'),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    );
    const where = fc.constantFrom('post', 'interaction', 'asOf');
    fc.assert(
      fc.property(date, where, (value, field) => {
        const d = JSON.parse(PLAIN) as { posts: Array<{ createdAt: string }>; interactions: Array<{ createdAt?: string }>; asOf: string };
        if (field === 'post') d.posts[0]!.createdAt = value;
        else if (field === 'interaction') d.interactions[0]!.createdAt = value;
        else d.asOf = value;
        const saved = allowingKnownErrors(() => parseSavedDataset(JSON.stringify(d), 'fuzz.json'));
        if (saved === null) return;
        const dates = [...saved.posts.map((p) => p.createdAt), ...(saved.interactions ?? []).flatMap((i) => (i.createdAt ? [i.createdAt] : [])), ...(saved.asOf ? [saved.asOf] : [])];
        for (const s of dates) {
          const t = Date.parse(s);
          expect(Number.isNaN(t) ? 'not a date' : new Date(t).toISOString().slice(0, 1), `${field} "${s}" was accepted`).toMatch(/^\d$/);
        }
      }),
      { numRuns: runs, seed: SEED + 46, examples: [['garbage', 'post']] },
    );
    console.log(`saved dataset dates: ${runs} cases`);
  });
});

describe('export dates and Meta text repair, property-based', () => {
  it('parseExportDate of any string: NaN or an instant a Date can print', () => {
    const runs = scaled(1000);
    const part = fc.oneof(fc.integer({ min: 0, max: 999_999_999_999 }).map(String), fc.constantFrom('Jan', 'feb', 'December', 'am', 'PM', 'UTC', 'Z', '+14:00', '-99:99', 'T'));
    const sep = fc.constantFrom('-', '/', ':', ' ', 'T', ', ', '.', '');
    const dateish = fc.array(fc.tuple(part, sep), { minLength: 1, maxLength: 7 }).map((xs) => xs.map(([p, s]) => p + s).join(''));
    for (const [arb, seed] of [[fc.string({ unit: 'binary', maxLength: 40 }), SEED + 47], [dateish, SEED + 48]] as const) {
      fc.assert(
        fc.property(arb, (s) => {
          const t = parseExportDate(s);
          if (!Number.isNaN(t)) expect(() => new Date(t).toISOString(), `"${s}" → ${t}`).not.toThrow();
        }),
        { numRuns: runs, seed },
      );
    }
    console.log(`parseExportDate: ${2 * runs} cases`);
  });

  it('repairAll (Instagram and Facebook) survives values nested 1,000 to 100,000 levels deep', () => {
    const runs = scaled(20);
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 100_000 }), fc.boolean(), (depth, objects) => {
        const inner = objects ? '{"a":'.repeat(depth) + '"\\u00c3\\u00a9"' + '}'.repeat(depth) : '['.repeat(depth) + '"\\u00c3\\u00a9"' + ']'.repeat(depth);
        const value = JSON.parse(`[{"title":"caf\\u00c3\\u00a9","deep":${inner}}]`) as unknown;
        let error: unknown = null;
        try {
          repairAll(value);
        } catch (e) {
          error = e;
        }
        expect(error === null || error instanceof EngageAuditError, `depth ${depth}: ${String(error)}`).toBe(true);
      }),
      { numRuns: runs, seed: SEED + 49, examples: [[20_000, false]] },
    );
    console.log(`repairAll nesting: ${runs} cases`);
  });
});
