/**
 * The two routes of an X archive (reader-thread.ts): tweets read on a reader thread
 * (ENGAGE_AUDIT_READER_THREAD=always) and on the main thread (=never) give byte-identical reports,
 * CSV files, errors and exit codes, and Ctrl-C with the reader thread running exits 130 without
 * leaving the process behind.
 *
 * The reader thread only exists in the built code, so every case runs the real bin (dist/). A small
 * preload module, written at test time, reports on a spare file descriptor when the process starts a
 * worker thread, so each case also proves which route it took.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, X_FIXTURES } from './helpers.js';

const BIN = path.join(ROOT, 'bin/engage-audit.js');
const SAMPLE = path.join(X_FIXTURES, 'sample-2022');
const SAMPLE_ZIP = path.join(X_FIXTURES, 'sample-2022.zip');
const LEGACY = path.join(X_FIXTURES, 'legacy-2020');
const AS_OF = ['--as-of', '2025-05-31'];
const PROBE_FD = 3;
/** The generated archive: enough tweets for many batches on the thread, still quick to audit. */
const GENERATED_TWEETS = 3000;

type Route = 'always' | 'never' | 'unset';

interface BinRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** What the preload saw, in order: `thread-start`, `sigint`, `thread-exit`. */
  probe: string[];
  pid: number;
}

interface RunOptions {
  /** Called for each probe line as it arrives, with a way to signal the child. */
  onProbe?: (line: string, kill: (signal: NodeJS.Signals) => void) => void;
  timeoutMs?: number;
}

/** Reports worker threads and SIGINT on the probe descriptor; silent in the worker itself. */
const PROBE_SOURCE = `import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
const fd = Number(process.env.READER_THREAD_PROBE_FD);
const say = (line) => { try { writeSync(fd, line + '\\n'); } catch {} };
if (isMainThread && fd > 0) {
  process.on('worker', (worker) => {
    say('thread-start');
    worker.on('exit', () => say('thread-exit'));
    if (process.listenerCount('SIGINT') > 0) process.on('SIGINT', () => say('sigint'));
  });
}
`;

let tmp = '';
let probeModule = '';
let generated: { folder: string; zipFile: string } = { folder: '', zipFile: '' };
let mainThreadZipRun: Promise<BinRun> | undefined;

/** `--json` of the generated zip on the main thread: run once, shared by the cases that need it. */
function generatedZipOnMainThread(): Promise<BinRun> {
  return (mainThreadZipRun ??= runBin([generated.zipFile, '--json', ...AS_OF], 'never'));
}

/** Runs the built CLI with the given route; resolves when the process has exited. */
async function runBin(args: string[], route: Route, options: RunOptions = {}): Promise<BinRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: '1767225600', READER_THREAD_PROBE_FD: String(PROBE_FD) };
  delete env['ENGAGE_AUDIT_READER_THREAD'];
  if (route !== 'unset') env['ENGAGE_AUDIT_READER_THREAD'] = route;
  const child = spawn(process.execPath, ['--import', pathToFileURL(probeModule).href, BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const probe: string[] = [];
  child.stdout!.on('data', (d: Buffer) => stdout.push(d));
  child.stderr!.on('data', (d: Buffer) => stderr.push(d));
  let pending = '';
  const kill = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  (child.stdio[PROBE_FD] as Readable).on('data', (d: Buffer) => {
    pending += d.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      probe.push(line);
      options.onProbe?.(line, kill);
    }
  });
  const timeoutMs = options.timeoutMs ?? 60_000; // a hang guard, generous for a loaded machine
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), probe, pid: child.pid! };
}

/** The same command on the reader thread and on the main thread, side by side. */
async function bothRoutes(args: string[]): Promise<{ thread: BinRun; main: BinRun }> {
  const [thread, main] = await Promise.all([runBin(args, 'always'), runBin(args, 'never')]);
  return { thread, main };
}

/** Both routes: same exit code, stdout and stderr, byte for byte; and each took the route asked for. */
function expectSameRun(thread: BinRun, main: BinRun): void {
  expect(main.signal).toBeNull();
  expect(thread.signal).toBeNull();
  expect(thread.code, thread.stderr).toBe(main.code);
  expect(thread.stderr).toBe(main.stderr);
  expect(thread.stdout).toBe(main.stdout);
  expect(thread.probe).toContain('thread-start');
  expect(main.probe).not.toContain('thread-start');
}

/** A known input error: exit 3, nothing on stdout, one message line and one hint line. */
function expectInputError(r: BinRun, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(3);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^engage-audit: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[1]).toMatch(/^ {2}hint: \S/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** The sample archive's data files as zip entries (`data/…` → bytes), in a fixed order. */
async function sampleEntries(): Promise<Array<[string, Buffer]>> {
  const dir = path.join(SAMPLE, 'data');
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map(async (name): Promise<[string, Buffer]> => [`data/${name}`, await readFile(path.join(dir, name))]));
}

/** A deflated zip of `entries`, written to `file`. */
async function writeZip(file: string, entries: ReadonlyArray<[string, Buffer]>, compress = true): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { compress, mtime: new Date(Date.UTC(2025, 0, 1)) });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  await writeFile(file, Buffer.concat(chunks));
  return file;
}

/** A folder holding `entries` under `dir`. */
async function writeFolder(dir: string, entries: ReadonlyArray<[string, Buffer]>): Promise<string> {
  for (const [name, data] of entries) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), data);
  }
  return dir;
}

/** `entries` with the one named `name` changed by `fn`. */
function changed(entries: ReadonlyArray<[string, Buffer]>, name: string, fn: (data: Buffer) => Buffer): Array<[string, Buffer]> {
  expect(entries.some(([n]) => n === name), name).toBe(true);
  return entries.map(([n, data]): [string, Buffer] => [n, n === name ? fn(data) : data]);
}

/** Replaces the `nth` (1-based) occurrence of `find` in the text. */
function replaceNth(text: string, find: string | RegExp, nth: number, replacement: string): string {
  const re = new RegExp(typeof find === 'string' ? find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : find.source, 'g');
  let seen = 0;
  let hit = false;
  const out = text.replace(re, (m) => {
    seen += 1;
    if (seen !== nth) return m;
    hit = true;
    return replacement;
  });
  expect(hit, `occurrence ${nth} of ${String(find)}`).toBe(true);
  return out;
}

/**
 * Damages the deflated data of entry `name`: 'middle' XORs the byte halfway through (the data
 * inflates to the wrong bytes), 'header' sets the first block's type to the reserved 3.
 */
function damageDeflated(zip: Buffer, name: string, where: 'middle' | 'header'): Buffer {
  const out = Buffer.from(zip);
  const central = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = out.indexOf(central); at !== -1; at = out.indexOf(central, at + 4)) {
    const nameLength = out.readUInt16LE(at + 28);
    if (out.toString('utf8', at + 46, at + 46 + nameLength) !== name) continue;
    expect(out.readUInt16LE(at + 10), 'deflated').toBe(8);
    const compressed = out.readUInt32LE(at + 20);
    const local = out.readUInt32LE(at + 42);
    expect(out.readUInt32LE(local)).toBe(0x04034b50);
    const data = local + 30 + out.readUInt16LE(local + 26) + out.readUInt16LE(local + 28);
    if (where === 'middle') out[data + Math.floor(compressed / 2)]! ^= 0xff;
    else out[data]! |= 0x06;
    return out;
  }
  throw new Error(`${name} is not in the zip`);
}

/** Rewrites an archive file in X's own layout: `"key" : value`, `[ ]`, two-space indent. */
function xLayout(file: Buffer): Buffer {
  const text = file.toString('utf8');
  const eq = text.indexOf('=');
  const records = JSON.parse(text.slice(eq + 1)) as unknown[];
  const body = JSON.stringify(records, null, 2)
    .replace(/^(\s*"(?:[^"\\\n]|\\.)*"): /gm, '$1 : ')
    .replace(/\[\]/g, '[ ]')
    .replace(/\{\}/g, '{ }');
  return Buffer.from(`${text.slice(0, eq).trimEnd()} = ${body}`);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'engage-audit-reader-thread-'));
  probeModule = path.join(tmp, 'probe.mjs');
  await writeFile(probeModule, PROBE_SOURCE);
  // bench/generate.mjs writes data/tweets.js as JSON.stringify(…, null, 2); X writes `"key" : value`.
  // The tweets file is rewritten in X's layout and the zip rebuilt from the folder.
  const bench = (await import(pathToFileURL(path.join(ROOT, 'bench/generate.mjs')).href)) as {
    generate: (n: number, outDir: string) => Promise<{ folder: string; zipFile: string }>;
  };
  const { folder } = await bench.generate(GENERATED_TWEETS, path.join(tmp, 'bench'));
  const data = path.join(folder, 'data');
  const tweets = path.join(data, 'tweets.js');
  const rewritten = xLayout(await readFile(tweets));
  expect(rewritten.toString('utf8', 0, 200)).toMatch(/^window\.YTD\.tweets\.part0 = \[\n {2}\{\n {4}"tweet" : \{\n {6}"edit_info" : \{/);
  await writeFile(tweets, rewritten);
  const names = (await readdir(data)).sort();
  const entries = await Promise.all(names.map(async (n): Promise<[string, Buffer]> => [`data/${n}`, await readFile(path.join(data, n))]));
  generated = { folder, zipFile: await writeZip(path.join(tmp, 'generated.zip'), entries) };
}, 30_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe.concurrent('reports: the reader thread and the main thread agree', () => {
  it.each([
    ['the sample zip', SAMPLE_ZIP],
    ['the sample folder', SAMPLE],
    ['data/tweets.js alone', path.join(SAMPLE, 'data/tweets.js')],
    ['the legacy 2020 folder (tweet.js)', LEGACY],
  ])('--json: %s', async (_what, target) => {
    const { thread, main } = await bothRoutes([target, '--json', ...AS_OF]);
    expect(main.code, main.stderr).toBe(0);
    expect((JSON.parse(main.stdout) as { schemaVersion: number }).schemaVersion).toBe(1);
    expectSameRun(thread, main);
  });

  it('--format csv: the sample zip', async () => {
    const { thread, main } = await bothRoutes([SAMPLE_ZIP, '--format', 'csv', ...AS_OF]);
    expect(main.code, main.stderr).toBe(0);
    expect(main.stdout.length).toBeGreaterThan(0);
    expectSameRun(thread, main);
  });

  it('--posts-csv: the sample zip, the same bytes in both files', async () => {
    const dir = path.join(tmp, 'posts-csv');
    await mkdir(dir, { recursive: true });
    const threadCsv = path.join(dir, 'thread.csv');
    const mainCsv = path.join(dir, 'main.csv');
    const [thread, main] = await Promise.all([
      runBin([SAMPLE_ZIP, '--json', ...AS_OF, '--posts-csv', threadCsv], 'always'),
      runBin([SAMPLE_ZIP, '--json', ...AS_OF, '--posts-csv', mainCsv], 'never'),
    ]);
    expect(main.code, main.stderr).toBe(0);
    expectSameRun(thread, main);
    const [a, b] = await Promise.all([readFile(threadCsv), readFile(mainCsv)]);
    // A header and one row for each of the sample's 32 posts (both tweets files).
    expect(b.toString('utf8').trimEnd().split('\n')).toHaveLength(33);
    expect(a.equals(b), 'posts CSV bytes').toBe(true);
  });
});

/** A copy of the generated archive folder under `dir`, with one of its files changed; its path. */
async function generatedWith(dir: string, name: string, change: (data: Buffer) => Buffer): Promise<string> {
  const copy = path.join(dir, 'archive');
  await cp(generated.folder, copy, { recursive: true });
  const file = path.join(copy, name);
  await writeFile(file, change(await readFile(file)));
  return copy;
}

describe.concurrent('bad inputs: the same exit code and the same one-line error on both routes', () => {
  /** Builds the input in its own folder under the temp dir and runs it both ways. */
  async function badCase(key: string, build: (dir: string) => Promise<string>, pattern: RegExp): Promise<void> {
    const dir = path.join(tmp, 'bad', key);
    await mkdir(dir, { recursive: true });
    const target = await build(dir);
    const { thread, main } = await bothRoutes([target, '--json', ...AS_OF]);
    expectInputError(main, pattern);
    expectSameRun(thread, main);
  }

  it('a zip whose tweets.js ends inside a record', async () => {
    await badCase(
      'truncated-zip',
      async (dir) => writeZip(path.join(dir, 'cut.zip'), changed(await sampleEntries(), 'data/tweets.js', (d) => d.subarray(0, Math.floor(d.length / 2)))),
      /cut\.zip: data\/tweets\.js: ends at byte \d+ inside the record \d+ \(after \d+ complete records\): the file is cut off/,
    );
  });

  it('a folder whose tweets.js has a record that is not JSON', async () => {
    await badCase(
      'invalid-json',
      async (dir) => writeFolder(dir, changed(await sampleEntries(), 'data/tweets.js', (d) => Buffer.from(replaceNth(d.toString('utf8'), '"id_str" : "', 3, '"id_str" : ]"')))),
      /data\/tweets\.js: record 3 is not valid JSON/,
    );
  });

  it('a tweets.js whose record nests 100 levels deep', async () => {
    const nested = `{ "tweet" : ${'['.repeat(99)}${']'.repeat(99)} }`;
    await badCase(
      'nested',
      async (dir) =>
        writeFolder(
          dir,
          changed(await sampleEntries(), 'data/tweets.js', (d) => {
            const text = d.toString('utf8');
            const end = text.lastIndexOf(']');
            return Buffer.from(`${text.slice(0, end).trimEnd()},\n  ${nested}\n]`);
          }),
        ),
      /data\/tweets\.js: nesting deeper than 64 levels \(byte \d+, after 24 records\)/,
    );
  });

  it.each([
    ['a flipped byte in the middle', 'middle', /its checksum \(CRC-32\) does not match: the zip is damaged/],
    ['a reserved block type at the start', 'header', /could not be inflated \(invalid block type\): the zip is damaged/],
  ] as const)('a zip with %s of the deflated tweets.js', async (_what, where, problem) => {
    await badCase(
      `damaged-${where}`,
      async (dir) => {
        const zip = await writeZip(path.join(dir, 'good.zip'), await sampleEntries());
        const file = path.join(dir, 'damaged.zip');
        await writeFile(file, damageDeflated(await readFile(zip), 'data/tweets.js', where));
        return file;
      },
      new RegExp(`damaged\\.zip: data/tweets\\.js: ${problem.source}`),
    );
  });

  it('a stored zip whose tweets.js has a flipped byte that breaks the JSON: the zip is named as damaged', async () => {
    await badCase(
      'stored-flipped',
      async (dir) => {
        // 4 MB of spaces before the closing `]`: the bad byte is read long before the CRC-32 is known.
        const entries = changed(await sampleEntries(), 'data/tweets.js', (d) => {
          const end = d.lastIndexOf(']');
          return Buffer.concat([d.subarray(0, end), Buffer.alloc(4 << 20, 0x20), d.subarray(end)]);
        });
        const file = await writeZip(path.join(dir, 'flipped.zip'), entries, false);
        const bytes = await readFile(file);
        const tweets = entries.find(([n]) => n === 'data/tweets.js')![1];
        bytes[bytes.indexOf(tweets) + tweets.indexOf(':', tweets.lastIndexOf('"id_str"'))] = 0x78;
        await writeFile(file, bytes);
        return file;
      },
      /flipped\.zip: data\/tweets\.js: its checksum \(CRC-32\) does not match: the zip is damaged/,
    );
  });

  it('a stored zip whose first id_str has a flipped digit (valid JSON, no id): the zip is named as damaged', async () => {
    await badCase(
      'stored-id-flip',
      async (dir) => {
        const entries = await sampleEntries();
        const file = await writeZip(path.join(dir, 'id-flip.zip'), entries, false);
        const bytes = await readFile(file);
        const tweets = entries.find(([n]) => n === 'data/tweets.js')![1];
        const digit = tweets.indexOf('"', tweets.indexOf(':', tweets.indexOf('"id_str"'))) + 1;
        expect(tweets[digit]).toBeGreaterThanOrEqual(0x30); // a digit of the id
        bytes[bytes.indexOf(tweets) + digit] = 0x78; // "123…" becomes "x23…": mapTweet, not the parser, refuses it
        await writeFile(file, bytes);
        return file;
      },
      /id-flip\.zip: data\/tweets\.js: its checksum \(CRC-32\) does not match: the zip is damaged/,
    );
  });

  it('a tweet without id_str (nor id)', async () => {
    await badCase(
      'no-id',
      async (dir) =>
        writeFolder(
          dir,
          changed(await sampleEntries(), 'data/tweets.js', (d) => {
            let text = d.toString('utf8');
            text = replaceNth(text, /\n {6}"id_str" : "\d+",/, 4, '');
            text = replaceNth(text, /\n {6}"id" : "\d+",/, 4, '');
            return Buffer.from(text);
          }),
        ),
      /data\/tweets\.js record 4: the tweet has no id_str/,
    );
  });

  it('a multi-part folder whose tweets-part1.js is cut off', async () => {
    await badCase(
      'cut-part1-folder',
      async (dir) => writeFolder(dir, changed(await sampleEntries(), 'data/tweets-part1.js', (d) => d.subarray(0, Math.floor(d.length / 2)))),
      /cut-part1-folder: data\/tweets-part1\.js: ends at byte \d+ inside the record \d+ .*: the file is cut off/,
    );
  });

  it('a cut-off follower.js with a cut-off tweets.js: the small file is named on both routes', async () => {
    const cut = (d: Buffer): Buffer => d.subarray(0, Math.floor(d.length / 2));
    await badCase(
      'both-cut',
      async (dir) => writeZip(path.join(dir, 'both.zip'), changed(changed(await sampleEntries(), 'data/tweets.js', cut), 'data/follower.js', cut)),
      /both\.zip: data\/follower\.js: ends at byte \d+ inside the record \d+ .*: the file is cut off/,
    );
  });

  it('a cut-off follower.js beside a large tweets.js the reader thread is still reading', async () => {
    await badCase(
      'follower-cut',
      (dir) => generatedWith(dir, 'data/follower.js', (data) => data.subarray(0, Math.floor(data.length / 2))),
      /archive: data\/follower\.js: ends at byte \d+ inside the record \d+ .*: the file is cut off/,
    );
  });

  it('a bad date deep in a large tweets.js is named by its record number (batches and slices counted right)', async () => {
    // 2,345: past the first batches (256 + 512 + 1,024 records) and not on a multiple of 64.
    const nth = 2345;
    await badCase(
      'late-bad-date',
      (dir) => generatedWith(dir, 'data/tweets.js', (data) => Buffer.from(replaceNth(data.toString('utf8'), /"created_at" : "[^"]*"/, nth, '"created_at" : "soon"'))),
      new RegExp(`archive: data/tweets\\.js record ${nth} \\(tweet \\d+\\): created_at "soon" is not an X date`),
    );
  });

  it('a multi-part zip whose tweets-part1.js is cut off', async () => {
    await badCase(
      'cut-part1-zip',
      async (dir) => writeZip(path.join(dir, 'parts.zip'), changed(await sampleEntries(), 'data/tweets-part1.js', (d) => d.subarray(0, Math.floor(d.length / 2)))),
      /parts\.zip: data\/tweets-part1\.js: ends at byte \d+ inside the record \d+ .*: the file is cut off/,
    );
  });
});

describe.concurrent(`a generated archive of ${GENERATED_TWEETS} tweets in X's layout`, () => {
  /** The report of the generated archive as the main thread reads it. */
  function expectGeneratedReport(main: BinRun): void {
    expect(main.code, main.stderr).toBe(0);
    const report = JSON.parse(main.stdout) as { account: { handle: string; posts: number } };
    expect(report.account.handle).toBe('bench_account');
    expect(report.account.posts).toBe(GENERATED_TWEETS);
  }

  it('zip: --json the same on both routes, and with the route left to the CLI', async () => {
    const args = [generated.zipFile, '--json', ...AS_OF];
    const [thread, main, chosen] = await Promise.all([runBin(args, 'always'), generatedZipOnMainThread(), runBin(args, 'unset')]);
    expectGeneratedReport(main);
    expectSameRun(thread, main);
    // Left to the CLI, a tweets file this small (4 MB) is read on the main thread, to the same report.
    expect(chosen.signal).toBeNull();
    expect(chosen.code).toBe(main.code);
    expect(chosen.stderr).toBe(main.stderr);
    expect(chosen.stdout).toBe(main.stdout);
    expect(chosen.probe).not.toContain('thread-start');
  });

  it('folder: --json the same on both routes', async () => {
    const { thread, main } = await bothRoutes([generated.folder, '--json', ...AS_OF]);
    expectGeneratedReport(main);
    expectSameRun(thread, main);
  });
});

describe.concurrent('other commands and several targets', () => {
  it('inspect: the sample zip', async () => {
    const { thread, main } = await bothRoutes(['inspect', SAMPLE_ZIP]);
    expect(main.code, main.stderr).toBe(0);
    expect(main.stdout).toMatch(/^Posts: 32 — /m);
    expectSameRun(thread, main);
  });

  it('pull: the generated zip saved as a dataset on stdout', async () => {
    const { thread, main } = await bothRoutes(['pull', generated.zipFile]);
    expect(main.code, main.stderr).toBe(0);
    expect((JSON.parse(main.stdout) as { posts: unknown[] }).posts).toHaveLength(GENERATED_TWEETS);
    expectSameRun(thread, main);
  });

  it('three targets at once, one of them broken: the same reports and the same error', async () => {
    const dir = path.join(tmp, 'targets');
    await mkdir(dir, { recursive: true });
    const cut = await writeZip(path.join(dir, 'cut.zip'), changed(await sampleEntries(), 'data/tweets.js', (d) => d.subarray(0, Math.floor(d.length / 2))));
    const { thread, main } = await bothRoutes([SAMPLE_ZIP, LEGACY, cut, '--json', ...AS_OF]);
    expect(main.code, main.stderr).toBe(3);
    expect(main.stderr).toMatch(/^engage-audit: \S*cut\.zip: data\/tweets\.js: ends at byte \d+ inside the record \d+.*\n {2}hint: \S/);
    const reports = JSON.parse(main.stdout) as unknown;
    expect(JSON.stringify(reports)).toContain('tidepool_lab');
    expectSameRun(thread, main);
    // One reader thread per archive.
    expect(thread.probe.filter((l) => l === 'thread-start')).toHaveLength(3);
  });
});

describe('Ctrl-C while the reader thread runs', () => {
  /** Whether a process with this id still exists. */
  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== 'ESRCH';
    }
  }

  it('once: the read stops, the report is written marked incomplete, exit 130, and the process is gone', async () => {
    let sentAt = 0;
    const r = await runBin([generated.zipFile, '--json', ...AS_OF], 'always', {
      timeoutMs: 10_000,
      onProbe: (line, kill) => {
        if (line !== 'thread-start') return;
        sentAt = performance.now();
        kill('SIGINT');
      },
    });
    const took = performance.now() - sentAt;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(took).toBeLessThan(5_000);
    expect(alive(r.pid)).toBe(false);
    // The interrupt reached the CLI while the reader thread was still reading.
    expect(r.probe).toEqual(['thread-start', 'sigint', 'thread-exit']);
    // A single Ctrl-C stops the reading: the report holds the posts read before, marked incomplete.
    const report = JSON.parse(r.stdout) as { input: { complete: boolean; warnings: string[] }; metrics: { mix: { total: number } } };
    expect(report.input.complete).toBe(false);
    const read = Number(/Interrupted after (\d+) posts/.exec(report.input.warnings.join(' '))?.[1]);
    expect(read).toBeLessThan(GENERATED_TWEETS);
    const whole = JSON.parse((await generatedZipOnMainThread()).stdout) as { input: { complete: boolean }; metrics: { mix: { total: number } } };
    expect(whole.input.complete).toBe(true);
    expect(report.metrics.mix.total).toBeLessThanOrEqual(read);
    expect(report.metrics.mix.total).toBeLessThan(whole.metrics.mix.total);
  });

  it('twice: stops at once with exit 130, and the process is gone', async () => {
    let sentAt = 0;
    const r = await runBin([generated.zipFile, '--json', ...AS_OF], 'always', {
      timeoutMs: 10_000,
      onProbe: (line, kill) => {
        if (line === 'thread-start') {
          sentAt = performance.now();
          kill('SIGINT');
        } else if (line === 'sigint') kill('SIGINT');
      },
    });
    const took = performance.now() - sentAt;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(took).toBeLessThan(5_000);
    expect(alive(r.pid)).toBe(false);
    // The second Ctrl-C ended the process while the reader thread was still reading: no report.
    expect(r.probe).toEqual(['thread-start', 'sigint']);
    expect(r.stdout).toBe('');
  });
});
