/**
 * Encodings and archive bombs, through the CLI: the same CSV in UTF-8, UTF-8 with a BOM, UTF-16LE and
 * UTF-16BE gives the same report; JSON exports with BOMs; invalid UTF-8 inside text fields of CSV and
 * JSON exports; archives that unpack to far more than they weigh (a zip of 200 MB of zeros, a zip
 * that lies about its size, a tar.gz of 200 MB; with FUZZ_HEAVY=1 a tar.gz with 4 GB of zero-filled
 * media and one of 600,000 entries), timed and with the memory they cost; and files too large to read
 * whole (sparse files of 3 GiB; 600 MB ones with FUZZ_HEAVY=1).
 */
import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import tar from 'tar-stream';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './paths.js';
import { sharedCli } from './e2e.js';
import type { IsolatedRun } from './isolated-cli.js';
import { judge } from './oracle.js';
import { BOMS, decodeText, HEAVY, INVALID_UTF8, scaled, SEED, type InvalidUtf8 } from './mutate.js';

const CUSTOM_COLUMNS = ['--platform', 'csv', '--columns', 'date=when,text=text,likes=hearts,replies=answers,reposts=boosts,kind=type', '--followers', '850'];
const MB = 1024 * 1024;

let tmp = '';
const cli = sharedCli();
const runCli = (argv: string[]): Promise<IsolatedRun> => cli.run(argv, { timeoutMs: 5000 });
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'engage-audit-fuzz-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The report without what differs by design between two copies of an input (its path). */
function comparable(stdout: string): unknown {
  const report = JSON.parse(stdout) as { input: { target: string } };
  report.input.target = '';
  return report;
}

function encode(text: string, encoding: 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be'): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf8-bom') return Buffer.from(`\uFEFF${text}`, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  return encoding === 'utf16le' ? Buffer.concat([Buffer.from(BOMS.utf16le), le]) : Buffer.concat([Buffer.from(BOMS.utf16be), Buffer.from(le).swap16()]);
}

describe('encodings through the CLI', () => {
  it('a post CSV gives the same report in UTF-8, UTF-8 with a BOM, UTF-16LE and UTF-16BE (8 CLI runs)', async () => {
    let runs = 0;
    for (const [fixture, args] of [['csv/custom.csv', CUSTOM_COLUMNS], ['linkedin/shares-2018/Shares.csv', []]] as const) {
      const text = decodeText(await readFile(path.join(FIXTURES, fixture)));
      const reports: Array<[string, unknown]> = [];
      for (const encoding of ['utf8', 'utf8-bom', 'utf16le', 'utf16be'] as const) {
        const dir = path.join(tmp, `enc-${encoding}`);
        await rm(dir, { recursive: true, force: true });
        await cp(path.dirname(path.join(FIXTURES, fixture)), dir, { recursive: true });
        const file = path.join(dir, path.basename(fixture));
        await writeFile(file, encode(text, encoding));
        const r = await runCli([file, '--json', '--as-of', '2025-12-31', ...args]);
        runs++;
        expect(r.code, `${fixture} in ${encoding}: ${r.stderr}`).toBe(0);
        reports.push([encoding, comparable(r.stdout)]);
      }
      for (const [encoding, report] of reports.slice(1)) expect(report, `${fixture} in ${encoding}`).toEqual(reports[0]![1]);
    }
    console.log(`csv encodings: ${runs} CLI runs`);
  });

  const JSON_EXPORTS = [
    { fixture: 'mastodon-archive/sample', file: 'outbox.json' },
    { fixture: 'instagram/export', file: 'your_instagram_activity/content/posts_1.json' },
    { fixture: 'facebook/your-posts', file: 'your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json' },
    { fixture: 'x-archive/sample-2022', file: 'data/tweets.js' },
  ];

  it('JSON exports: a UTF-8 BOM reads as without it; a UTF-16 BOM gives the same report or exit 3 naming the file (12 CLI runs)', async () => {
    let runs = 0;
    for (const { fixture, file } of JSON_EXPORTS) {
      const dir = path.join(tmp, 'bom', path.basename(fixture));
      await cp(path.join(FIXTURES, fixture), dir, { recursive: true });
      const plain = await runCli([dir, '--json']);
      const bytes = await readFile(path.join(dir, file));
      for (const bom of ['utf8', 'utf16le', 'utf16be'] as const) {
        await writeFile(path.join(dir, file), Buffer.concat([Buffer.from(BOMS[bom]), bytes]));
        const r = await runCli([dir, '--json']);
        runs++;
        if (bom === 'utf8') {
          expect(r.code, `${file} with a UTF-8 BOM: ${r.stderr}`).toBe(0);
          expect(comparable(r.stdout)).toEqual(comparable(plain.stdout));
        } else if (r.code === 0) expect(comparable(r.stdout)).toEqual(comparable(plain.stdout));
        else {
          expect(r.code, `${file} with a ${bom} BOM: ${r.stderr}`).toBe(3);
          expect(r.stderr).toContain(path.basename(file));
        }
      }
      await writeFile(path.join(dir, file), bytes);
    }
    console.log(`json BOMs: ${runs} CLI runs`);
  });

  it('invalid UTF-8 inside text fields of CSV and JSON exports: a report or exit 3, never exit 5', async () => {
    const targets = [
      { fixture: 'csv/custom.csv', file: 'custom.csv', key: /,"?[A-Z]/g, args: CUSTOM_COLUMNS },
      { fixture: 'mastodon-archive/sample', file: 'outbox.json', key: /"content": "/g, args: [] },
      { fixture: 'instagram/export', file: 'your_instagram_activity/content/posts_1.json', key: /"title": "/g, args: [] },
      { fixture: 'x-archive/sample-2022', file: 'data/tweets.js', key: /"full_text" : "/g, args: [] },
      { fixture: 'linkedin/export', file: 'Shares.csv', key: /,"/g, args: [] },
    ];
    const cases = fc.sample(fc.record({ target: fc.nat({ max: targets.length - 1 }), nth: fc.nat({ max: 50 }), seq: fc.constantFrom(...(Object.keys(INVALID_UTF8) as InvalidUtf8[])), format: fc.constantFrom('json', 'table') }), { seed: SEED + 60, numRuns: scaled(24) });
    const failures: string[] = [];
    for (const [i, c] of cases.entries()) {
      const t = targets[c.target]!;
      const dir = path.join(tmp, `utf8-${i}`);
      const isFile = path.extname(t.fixture) !== '';
      await cp(path.join(FIXTURES, t.fixture), isFile ? path.join(dir, t.file) : dir, { recursive: true });
      const full = path.join(dir, t.file);
      const bytes = await readFile(full);
      const starts = [...bytes.toString('latin1').matchAll(t.key)].map((m) => m.index + m[0].length);
      const at = starts[c.nth % starts.length]!;
      await writeFile(full, Buffer.concat([bytes.subarray(0, at), Buffer.from(INVALID_UTF8[c.seq]), bytes.subarray(at)]));
      const r = await runCli([isFile ? full : dir, '--format', c.format, ...t.args]);
      const verdict = judge(r, c.format, [path.basename(t.file), path.basename(t.fixture)]);
      if (verdict.problems.length > 0) failures.push(`${t.file}: ${c.seq} at byte ${at}, --format ${c.format}: ${verdict.problems.join(' | ')}`);
      await rm(dir, { recursive: true, force: true });
    }
    console.log(`invalid UTF-8 in text fields: ${cases.length} CLI runs`);
    expect(failures).toEqual([]);
  });
});

/** `size` bytes of `byte`, as a stream of 1 MB chunks (never held whole). */
function filler(size: number, byte: number): Readable {
  const chunk = Buffer.alloc(MB, byte);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return this.push(null);
      const n = Math.min(left, MB);
      left -= n;
      this.push(n === MB ? chunk : chunk.subarray(0, n));
    },
  });
}

/** A zip holding the sample archive's small files and a data/tweets.js of `size` zero bytes, deflated by yazl. */
async function zipBomb(file: string, size: number): Promise<number> {
  const zip = new yazl.ZipFile();
  for (const name of ['manifest.js', 'account.js']) zip.addBuffer(await readFile(path.join(FIXTURES, 'x-archive/sample-2022/data', name)), `data/${name}`);
  zip.addReadStream(filler(size, 0), 'data/tweets.js', { size, compressionLevel: 9 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  const bytes = Buffer.concat(chunks);
  await writeFile(file, bytes);
  return bytes.length;
}

/** Rewrites the uncompressed size that the central directory declares for `name` (a zip that lies). */
function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at !== -1; at = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) {
    const nameLength = out.readUInt16LE(at + 28);
    if (out.toString('utf8', at + 46, at + 46 + nameLength) === name) out.writeUInt32LE(size, at + 24);
  }
  return out;
}

/** A tar.gz holding an outbox.json of `size` bytes of spaces (gzip shrinks it about 1000 times). */
async function tarGzBomb(file: string, size: number): Promise<number> {
  const pack = tar.pack();
  const gz = (pack as unknown as Readable).pipe(createGzip({ level: 9 }));
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of gz as AsyncIterable<Buffer>) chunks.push(c);
  })();
  const entry = pack.entry({ name: 'outbox.json', size });
  for await (const c of filler(size, 0x20)) if (!entry.write(c)) await new Promise((resolve) => entry.once('drain', resolve));
  entry.end();
  pack.finalize();
  await done;
  const bytes = Buffer.concat(chunks);
  await writeFile(file, bytes);
  return bytes.length;
}

function costs(run: IsolatedRun): { ms: number; mb: number } {
  const mb = Math.max(run.rssPeak - run.rssBefore, run.maxRssAfter - run.maxRssBefore) / MB;
  return { ms: Math.round(run.ms), mb: Math.round(mb) };
}

/**
 * A case that builds hundreds of MB: only in the heavy run (`npm run test:fuzz`, FUZZ_HEAVY=1), not
 * even listed in the default one. test/security.test.ts and test/unit/container.test.ts hold the same
 * limits on small archives in every run.
 */
function heavy(name: string, fn: () => Promise<void>, timeout: number): void {
  if (HEAVY) it(name, fn, timeout);
}

describe('archive bombs', () => {
  heavy('a zip of 200 MB of zeros deflated (about 200 KB) is refused at once, before inflating', async () => {
    const file = path.join(tmp, 'bomb.zip');
    const started = performance.now();
    const bytes = await zipBomb(file, 200 * MB);
    const built = Math.round(performance.now() - started);
    const run = await cli.run([file, '--json'], { timeoutMs: 20_000 });
    const { ms, mb } = costs(run);
    console.log(`zip bomb: ${bytes} bytes built in ${built} ms; the CLI answered exit ${run.code} in ${ms} ms, +${mb} MB resident: ${run.stderr.split('\n')[0]}`);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/bomb/);
    expect(ms).toBeLessThan(1000);
    expect(mb).toBeLessThan(100);

    // The same zip declaring 1,000 bytes for its tweets.js: the ratio check cannot see it; inflating must stop at once.
    const liar = path.join(tmp, 'liar.zip');
    await writeFile(liar, declareSize(await readFile(file), 'data/tweets.js', 1000));
    const lied = await cli.run([liar, '--json'], { timeoutMs: 20_000 });
    const c2 = costs(lied);
    console.log(`zip declaring 1000 bytes for 200 MB: exit ${lied.code} in ${c2.ms} ms, +${c2.mb} MB resident: ${lied.stderr.split('\n')[0]}`);
    expect(lied.code, lied.stderr).toBe(3);
    expect(c2.ms).toBeLessThan(1000);
    expect(c2.mb).toBeLessThan(100);
  }, 60_000);

  heavy('a tar.gz of a 200 MB outbox.json (about 200 KB) is refused before it is held in memory', async () => {
    const file = path.join(tmp, 'bomb.tar.gz');
    const started = performance.now();
    const bytes = await tarGzBomb(file, 200 * MB);
    const built = Math.round(performance.now() - started);
    const run = await cli.run([file, '--json'], { timeoutMs: 20_000 });
    const { ms, mb } = costs(run);
    console.log(`tar.gz bomb: ${bytes} bytes built in ${built} ms; the CLI answered exit ${run.code} (${run.status}) in ${ms} ms, +${mb} MB resident: ${run.stderr.split('\n')[0]}`);
    expect(run.code, run.stderr).toBe(3);
    expect(mb, 'MB of memory taken by a 200 KB tar.gz').toBeLessThan(100);
    expect(ms, 'ms taken by a 200 KB tar.gz').toBeLessThan(1000);
    expect(judge(run, 'json', ['bomb.tar.gz']).problems).toEqual([]);
  }, 60_000);

  /** A file of `size` bytes that starts with `head` and is zeros after it, sparse (no disk used). */
  async function sparse(name: string, head: string, size: number): Promise<string> {
    const file = path.join(tmp, name);
    await writeFile(file, head);
    await truncate(file, size);
    return file;
  }

  it('files over 2 GiB (a post CSV, a saved dataset) end in exit 3 at once, not exit 5 (2 CLI runs)', async () => {
    const problems: string[] = [];
    for (const [file, args] of [
      [await sparse('huge.csv', 'when,hearts\n2025-01-01,1\n', 3 * 1024 ** 3), ['--platform', 'csv', '--columns', 'date=when,likes=hearts']],
      [await sparse('huge.json', '{"kind":"engage-audit-dataset",', 3 * 1024 ** 3), []],
    ] as const) {
      const run = await cli.run([file, '--json', ...args], { timeoutMs: 20_000 });
      const { ms, mb } = costs(run);
      console.log(`${path.basename(file)} (3 GiB): exit ${run.code} in ${ms} ms, +${mb} MB: ${run.stderr.split('\n').slice(0, 2).join(' ')}`);
      problems.push(...judge(run, 'json', [path.basename(file)]).problems.map((p) => `${path.basename(file)}: ${p}`));
      await rm(file, { force: true });
    }
    expect(problems).toEqual([]);
  }, 60_000);

  // Opt-in (FUZZ_HEAVY=1): reading 600 MB takes seconds and memory.
  heavy('files of 600 MB (a post CSV, a saved dataset, a LinkedIn Shares.csv) end in exit 3, not exit 5', async () => {
    const problems: string[] = [];
    await mkdir(path.join(tmp, 'li'), { recursive: true });
    for (const [file, args] of [
      [await sparse('big.csv', 'when,hearts\n2025-01-01,1\n', 600 * MB), ['--platform', 'csv', '--columns', 'date=when,likes=hearts']],
      [await sparse('big.json', '{"kind":"engage-audit-dataset",', 600 * MB), []],
      [await sparse('li/Shares.csv', 'Date,ShareLink,ShareCommentary\n2025-01-01 10:00:00,https://x,hi\n', 600 * MB), []],
    ] as const) {
      const run = await cli.run([file, '--json', ...args], { timeoutMs: 60_000 });
      const { ms, mb } = costs(run);
      console.log(`${path.basename(file)} (600 MB): exit ${run.code} in ${ms} ms, +${mb} MB: ${run.stderr.split('\n').slice(0, 2).join(' ')}`);
      problems.push(...judge(run, 'json', [path.basename(file)]).problems.map((p) => `${path.basename(file)}: ${p}`));
      await rm(file, { force: true });
    }
    expect(problems).toEqual([]);
  }, 180_000);

  /**
   * A Mastodon tar.gz in the order Mastodon writes it, media first: a media entry of `size` zero bytes,
   * then the sample archive's files. Built as gzip members (a gzip file may hold several, read one
   * after the other): the zeros are compressed once, 64 MB of them, and that member repeated.
   */
  async function mediaBombTarGz(file: string, size: number): Promise<number> {
    const member = gzipSync(Buffer.alloc(64 * MB), { level: 9 });
    const head = tar.pack();
    const headBytes: Buffer[] = [];
    head.on('data', (c: Buffer) => headBytes.push(c));
    head.entry({ name: 'media_attachments/files/113/900/000/original/zero.mp4', size });
    await new Promise((resolve) => setImmediate(resolve));
    const tail = tar.pack();
    for (const name of ['outbox.json', 'likes.json', 'actor.json']) {
      const content = await readFile(path.join(FIXTURES, 'mastodon-archive/sample', name));
      tail.entry({ name, size: content.length }, content);
    }
    tail.finalize();
    const tailBytes: Buffer[] = [];
    for await (const c of tail as unknown as AsyncIterable<Buffer>) tailBytes.push(c);
    const parts = [gzipSync(Buffer.concat(headBytes).subarray(0, 512)), ...Array.from({ length: size / (64 * MB) }, () => member), gzipSync(Buffer.concat(tailBytes))];
    await writeFile(file, Buffer.concat(parts));
    return parts.reduce((n, p) => n + p.length, 0);
  }

  // Opt-in (FUZZ_HEAVY=1): builds a 4 MB file that unpacks to 4 GB.
  heavy('a tar.gz with a 4 GB zero-filled media entry before its outbox.json (about 4 MB): exit 3 at once, refused by the entry\u2019s header, never inflated', async () => {
    const file = path.join(tmp, 'media-bomb.tar.gz');
    const bytes = await mediaBombTarGz(file, 4096 * MB);
    const run = await cli.run([file, '--json'], { timeoutMs: 60_000 });
    const { ms, mb } = costs(run);
    console.log(`tar.gz with 4 GB of zero media: ${bytes} bytes; exit ${run.code} (${run.status}) in ${ms} ms, +${mb} MB resident: ${run.stderr.split('\n')[0]}`);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/media-bomb\.tar\.gz: unpacks to more than 200 times its size: refused as a possible archive bomb/);
    expect(mb, 'MB of memory taken by a 4 MB tar.gz').toBeLessThan(50);
    // Inflating 4 GB takes seconds; the refusal comes at the entry's header.
    expect(ms, 'ms taken by a 4 MB tar.gz').toBeLessThan(3000);
  }, 120_000);

  // Opt-in (FUZZ_HEAVY=1): a 600,000-entry tar.gz takes seconds to build and to read.
  heavy('a tar.gz of 600,000 media entries: exit 3, more than the 500,000 entries a zip may have', async () => {
    const file = path.join(tmp, 'entries.tar.gz');
    // One entry's header from tar-stream, copied 600,000 times with its name numbered and its checksum made again.
    const one = tar.pack();
    one.entry({ name: 'media_attachments/files/000000.png', size: 0 }, Buffer.alloc(0));
    one.finalize();
    const first: Buffer[] = [];
    for await (const c of one as unknown as AsyncIterable<Buffer>) first.push(c);
    const header = Buffer.concat(first).subarray(0, 512);
    const count = 600_000;
    const raw = Buffer.alloc(count * 512 + 1024);
    for (let i = 0; i < count; i++) {
      const at = i * 512;
      header.copy(raw, at);
      raw.write(String(i).padStart(6, '0'), at + 'media_attachments/files/'.length, 'latin1');
      raw.fill(0x20, at + 148, at + 156);
      let sum = 0;
      for (let k = 0; k < 512; k++) sum += raw[at + k]!;
      raw.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
    }
    const bytes = gzipSync(raw, { level: 1 });
    await writeFile(file, bytes);
    const run = await cli.run([file, '--json'], { timeoutMs: 60_000 });
    const { ms, mb } = costs(run);
    console.log(`tar.gz of 600,000 entries: ${bytes.length} bytes; exit ${run.code} (${run.status}) in ${ms} ms, +${mb} MB resident: ${run.stderr.split('\n')[0]}`);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/entries\.tar\.gz: more than 500000 entries: refused as a possible archive bomb/);
  }, 180_000);

  // Opt-in (FUZZ_HEAVY=1): needs about 2 GB of memory and several seconds.
  heavy('a tar.gz of a 600 MB outbox.json (about 600 KB): exit 3 at once, refused by its header before anything is inflated', async () => {
    const file = path.join(tmp, 'big.tar.gz');
    const bytes = await tarGzBomb(file, 600 * MB);
    const run = await cli.run([file, '--json'], { timeoutMs: 60_000 });
    const { ms, mb } = costs(run);
    console.log(`tar.gz of 600 MB: ${bytes} bytes; exit ${run.code} (${run.status}) in ${ms} ms, +${mb} MB resident: ${run.stderr.split('\n').slice(0, 2).join(' ')}`);
    expect(run.code, run.stderr).toBe(3);
    // Refused at the entry's header, which declares 600 MB, before its content is inflated.
    expect(mb, 'MB of memory taken by a 600 KB tar.gz').toBeLessThan(50);
    expect(ms, 'ms taken by a 600 KB tar.gz').toBeLessThan(3000);
  }, 120_000);
});
