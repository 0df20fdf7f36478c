/**
 * The real executable under SIGINT and SIGTERM, and with a standard output that cannot be written:
 * what was fetched or read so far is written (marked incomplete) and the exit code names the signal
 * (130, 143); a second signal ends the run at once; an output file is always either the complete new
 * one or the untouched old one, and no temporary file is left behind. Runs the built bin (dist/).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './support/api-server.js';
import { FIXTURES, ROOT, X_FIXTURES } from './helpers.js';

const BIN = path.join(ROOT, 'bin/engage-audit.js');
const ALICE = '@alice.bsky.social';
/** Enough tweets that reading them takes a good second: a signal lands in the middle. */
const TWEETS = 30_000;

interface BinRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bin; `whenReady` says when to send the signals, which are sent 5 ms apart. Two signals
 * are of one kind: two kinds pending at once would reach the process lowest number first.
 */
async function runBin(args: string[], cwd: string, options: { stdout?: number; whenReady?: () => Promise<void>; signals?: NodeJS.Signals[] } = {}): Promise<BinRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, SOURCE_DATE_EPOCH: '1767225600' },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => stdout.push(d));
  child.stderr!.on('data', (d: Buffer) => stderr.push(d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  if (options.whenReady) {
    await Promise.race([options.whenReady(), closed]);
    for (const s of options.signals ?? []) {
      child.kill(s);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const [code, signal] = await closed;
  clearTimeout(timer);
  return { code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ready` every 5 ms until it holds, or for at most 15 s. */
async function until(ready: () => Promise<boolean> | boolean): Promise<void> {
  const end = performance.now() + 15_000;
  while (!(await ready()) && performance.now() < end) await sleep(5);
}

/** Waits until `dir` holds a temporary file of `name` with more than `bytes` bytes. */
function tempGrows(dir: string, name: string, bytes: number): Promise<void> {
  return until(async () => {
    for (const f of await readdir(dir).catch(() => [])) {
      if (f.startsWith(`.${name}.`) && f.endsWith('.tmp') && (await stat(path.join(dir, f)).catch(() => ({ size: 0 }))).size > bytes) return true;
    }
    return false;
  });
}

/** No temporary file (nor anything else) beside the expected ones. */
async function expectOnly(dir: string, names: string[]): Promise<void> {
  expect((await readdir(dir)).sort()).toEqual([...names].sort());
}

let tmp = '';
let archive = '';
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'engage-audit-signals-'));
  const bench = (await import(pathToFileURL(path.join(ROOT, 'bench/generate.mjs')).href)) as {
    generate: (n: number, outDir: string) => Promise<{ folder: string; zipFile: string }>;
  };
  archive = (await bench.generate(TWEETS, path.join(tmp, 'bench'))).zipFile;
}, 60_000);
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmp, 'run-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function slowBluesky(latencyMs: number): Promise<ApiServer> {
  server = await startApiServer({ platform: 'bluesky', root: path.join(FIXTURES, 'api/bluesky/alice'), latencyMs });
  return server;
}

/** Once the first page of posts has been asked for, and a little more. */
const feedAsked = (s: ApiServer) => async (): Promise<void> => {
  await until(() => s.requests.some((q) => q.includes('getAuthorFeed')));
  await sleep(200);
};

describe('standard output that cannot be written', () => {
  it('> /dev/full is exit 6 with one line and a hint', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await runBin([path.join(X_FIXTURES, 'sample-2022.zip'), '--json'], ROOT, { stdout: full });
      expect(r.code, r.stderr).toBe(6);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[0]).toBe('engage-audit: cannot write to standard output (ENOSPC: no space left on the device)');
      expect(lines[1]).toMatch(/^ {2}hint: \S/);
    } finally {
      closeSync(full);
    }
  });
});

describe('pull', () => {
  it('SIGTERM: the partial dataset is written, marked incomplete, exit 143', async () => {
    const s = await slowBluesky(150);
    await withDir(async (dir) => {
      await writeFile(path.join(dir, 'dataset.json'), 'old\n');
      const r = await runBin(['pull', ALICE, '--api-base', s.url, '-o', 'dataset.json'], dir, { whenReady: feedAsked(s), signals: ['SIGTERM'] });
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(143);
      const saved = JSON.parse(await readFile(path.join(dir, 'dataset.json'), 'utf8')) as { complete: boolean; warnings: string[] };
      expect(saved.complete).toBe(false);
      expect(saved.warnings.join(' ')).toMatch(/Interrupted while/);
      expect(r.stderr).toMatch(/saved \d+ posts/);
      await expectOnly(dir, ['dataset.json']);
    });
  });

  it('a second signal: exit at once, the old file or the complete new one, no temporary file', async () => {
    const s = await slowBluesky(150);
    await withDir(async (dir) => {
      await writeFile(path.join(dir, 'dataset.json'), 'old\n');
      const r = await runBin(['pull', ALICE, '--api-base', s.url, '-o', 'dataset.json'], dir, { whenReady: feedAsked(s), signals: ['SIGTERM', 'SIGTERM'] });
      expect(r.code, r.stderr).toBe(143);
      const text = await readFile(path.join(dir, 'dataset.json'), 'utf8');
      if (text !== 'old\n') expect((JSON.parse(text) as { kind: string }).kind).toBe('engage-audit-dataset');
      await expectOnly(dir, ['dataset.json']);
    });
  });
});

describe('an archive audit', () => {
  /** Audits the big archive to -o report.json and --posts-csv posts.csv (both there before), signalled once rows are being written. */
  async function auditSignalled(dir: string, signals: NodeJS.Signals[]): Promise<BinRun> {
    await writeFile(path.join(dir, 'report.json'), 'old report\n');
    await writeFile(path.join(dir, 'posts.csv'), 'old posts\n');
    return runBin([archive, '--json', '-o', 'report.json', '--posts-csv', 'posts.csv'], dir, { whenReady: () => tempGrows(dir, 'posts.csv', 1000), signals });
  }

  it('SIGTERM: stops reading, writes the report marked incomplete, keeps the old --posts-csv, exit 143', async () => {
    await withDir(async (dir) => {
      const r = await auditSignalled(dir, ['SIGTERM']);
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(143);
      const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as { input: { complete: boolean; warnings: string[] }; metrics: { mix: { total: number } } };
      expect(report.input.complete).toBe(false);
      expect(report.input.warnings.join(' ')).toMatch(/Interrupted after \d+ posts/);
      expect(report.metrics.mix.total).toBeGreaterThan(0);
      expect(report.metrics.mix.total).toBeLessThan(TWEETS);
      expect(await readFile(path.join(dir, 'posts.csv'), 'utf8')).toBe('old posts\n');
      expect(r.stderr).toMatch(/--posts-csv posts\.csv: not written: the run was interrupted/);
      await expectOnly(dir, ['posts.csv', 'report.json']);
    });
  });

  it('Ctrl-C twice: exit 130 at once, the old files or complete new ones, no temporary file', async () => {
    await withDir(async (dir) => {
      const r = await auditSignalled(dir, ['SIGINT', 'SIGINT']);
      expect(r.code, r.stderr).toBe(130);
      expect(await readFile(path.join(dir, 'posts.csv'), 'utf8')).toBe('old posts\n');
      const text = await readFile(path.join(dir, 'report.json'), 'utf8');
      if (text !== 'old report\n') expect((JSON.parse(text) as { input: { complete: boolean } }).input.complete).toBe(false);
      await expectOnly(dir, ['posts.csv', 'report.json']);
    });
  });
});

describe('--targets under Ctrl-C', () => {
  it('every target has a row: done, interrupted, or not started; exit 130', async () => {
    const s = await slowBluesky(300);
    await withDir(async (dir) => {
      await writeFile(path.join(dir, 'list.txt'), `${Array.from({ length: 5 }, () => ALICE).join('\n')}\n`);
      const r = await runBin(['--targets', 'list.txt', '--api-base', s.url, '--json', '-o', 'out.json'], dir, { whenReady: feedAsked(s), signals: ['SIGINT'] });
      expect(r.code, r.stderr).toBe(130);
      const rows = JSON.parse(await readFile(path.join(dir, 'out.json'), 'utf8')) as Array<{ input?: { complete: boolean }; target?: string; error?: { code: string; message: string } }>;
      expect(rows).toHaveLength(5);
      // Three run at once: they were interrupted (a report marked incomplete, or nothing fetched).
      for (const row of rows.slice(0, 3)) {
        if (row.error) expect(row.error.code).toBe('INTERRUPTED');
        else expect(row.input!.complete).toBe(false);
      }
      for (const row of rows.slice(3)) {
        expect(row.target).toBe(ALICE);
        expect(row.error).toMatchObject({ code: 'INTERRUPTED', message: `${ALICE}: not started: the run was interrupted` });
      }
      expect(r.stderr).toMatch(/2 of 5 targets were not started: the run was interrupted/);
      await expectOnly(dir, ['list.txt', 'out.json']);
    });
  });
});
