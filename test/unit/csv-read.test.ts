/**
 * src/sources/csv-read.ts: a CSV read as a stream, cut into chunks anywhere (inside a BOM, a UTF-8
 * sequence, a UTF-16 unit, a quoted field, a CRLF), gives the records and errors of the whole text
 * decoded by the plain rules (UTF-8 with its BOM dropped, UTF-16 by its BOM, an odd trailing byte of
 * UTF-16 dropped) and parsed at once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngageAuditError } from '../../src/errors.js';
import { csvBatches, parseCsv } from '../../src/sources/csv-read.js';
import { FIXTURES } from '../helpers.js';

/** The decoding rules, written out plainly: the reference the streamed decoding is held to. */
function plainDecode(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1))).swap16().toString('utf16le');
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

async function* chunks(parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield p;
}

type Outcome = { header: string[]; headerLine: number; rows: Array<[number, Record<string, string>]> } | { error: string };

async function streamed(parts: Buffer[], findHeader?: (cells: string[]) => boolean, maxLine?: number): Promise<Outcome> {
  try {
    let head: { header: string[]; headerLine: number } | null = null;
    const rows: Array<[number, Record<string, string>]> = [];
    for await (const batch of csvBatches(chunks(parts), 'x.csv', findHeader, maxLine)) {
      head = { header: batch.header, headerLine: batch.headerLine };
      batch.records.forEach((r, i) => rows.push([batch.row + i, r]));
    }
    return { ...head!, rows };
  } catch (error) {
    if (error instanceof EngageAuditError) return { error: error.message };
    throw error;
  }
}

function whole(text: string, findHeader?: (cells: string[]) => boolean, maxLine?: number): Outcome {
  try {
    const t = parseCsv(text, 'x.csv', findHeader, maxLine);
    return { header: t.header, headerLine: t.headerLine, rows: t.records.map((r, i) => [t.headerLine + i + 1, r]) };
  } catch (error) {
    if (error instanceof EngageAuditError) return { error: error.message };
    throw error;
  }
}

const FIXTURE_CSVS = ['csv/custom.csv', 'csv/sprout-posts.csv', 'facebook/page-export.csv', 'linkedin/export/Shares.csv', 'linkedin/export/Connections.csv', 'linkedin/shares-2018/Shares.csv'].map((f) =>
  readFileSync(path.join(FIXTURES, f)),
);

describe('csvBatches', () => {
  it('any bytes behind any BOM, cut anywhere, decode as the plain rules say and parse as the whole text (400 cases)', async () => {
    const bom = fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]);
    // Bytes that make CSV structure and UTF-8 sequences (whole, cut, invalid) likely.
    const byte = fc.oneof(fc.constantFrom(0x2c, 0x22, 0x0a, 0x0d, 0x09, 0x41, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0x00), fc.integer({ min: 0, max: 255 }));
    await fc.assert(
      fc.asyncProperty(bom, fc.array(byte, { maxLength: 300 }), fc.array(fc.nat(), { maxLength: 12 }), async (b, body, at) => {
        const bytes = Buffer.from([...b, ...body]);
        expect(await streamed(cut(bytes, at))).toEqual(whole(plainDecode(bytes)));
      }),
      { numRuns: 400, seed: 20_260_611 },
    );
  });

  it('the fixture CSVs in UTF-8, UTF-16LE and UTF-16BE, cut anywhere: the records of the whole file, with their row numbers (120 cases)', async () => {
    const encodings = ['utf8', 'utf16le', 'utf16be'] as const;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: FIXTURE_CSVS.length - 1 }), fc.constantFrom(...encodings), fc.array(fc.nat(), { maxLength: 40 }), async (i, encoding, at) => {
        const text = plainDecode(FIXTURE_CSVS[i]!);
        const le = Buffer.from(text, 'utf16le');
        const bytes = encoding === 'utf8' ? FIXTURE_CSVS[i]! : encoding === 'utf16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), le]) : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
        const connections = (cells: string[]) => cells[0]?.toLowerCase() === 'first name';
        const findHeader = i === 4 ? connections : undefined;
        const want = whole(text, findHeader);
        expect('rows' in want && want.rows.length).toBeGreaterThan(3);
        expect(await streamed(cut(bytes, at), findHeader)).toEqual(want);
      }),
      { numRuns: 120, seed: 20_260_612 },
    );
  });

  it('hands records on in batches as the bytes arrive, not after the last byte', async () => {
    const line = '2025-01-01,hello\n';
    let served = 0;
    const total = 20_000;
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.from('date,text\n');
      for (; served < total; served += 1000) yield Buffer.from(line.repeat(1000));
    }
    const seenAt: number[] = [];
    let rows = 0;
    for await (const batch of csvBatches(slow(), 'x.csv')) {
      seenAt.push(served);
      rows += batch.records.length;
    }
    expect(rows).toBe(total);
    expect(seenAt.length).toBeGreaterThan(2);
    // The first batch came while most of the file was still unread.
    expect(seenAt[0]).toBeLessThan(total / 2);
  });

  it('a line over the limit is refused as MALFORMED however the bytes come, and reading stops there', async () => {
    let served = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('date,text\n2025-01-01,');
      const chunk = Buffer.alloc(1 << 16, 0x78);
      for (;;) {
        served += chunk.length;
        yield chunk;
      }
    }
    await expect(csvBatches(endless(), 'x.csv').next()).rejects.toThrow(/^x\.csv: not valid CSV at line 2 \(.*maximum number of tolerated bytes of 1048576/);
    // At most the first six lines are read ahead (to choose the delimiter), each refused past 1 MB.
    expect(served).toBeLessThan(8 << 20);
  });

  it('an error of the bytes\u2019 source comes out as it is, not as a CSV error', async () => {
    const damaged = new EngageAuditError('BAD_ZIP', 'a.zip: Shares.csv: its checksum (CRC-32) does not match: the zip is damaged');
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('date,text\n' + '2025-01-01,hello\n'.repeat(10_000));
      throw damaged;
    }
    const run = async () => {
      for await (const batch of csvBatches(failing(), 'x.csv')) void batch;
    };
    await expect(run()).rejects.toBe(damaged);
  });
});
