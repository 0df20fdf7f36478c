/**
 * Terminal safety (docs/reports.md "Safety"): escape sequences, control characters and bidi
 * overrides from an export or a server never reach standard output or standard error as they are,
 * in any format or command. JSON may carry them only as `\u` escapes.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startProgress } from '../src/cli/progress.js';
import { TEXT_FORMATS } from '../src/reporters/index.js';
import { startApiServer, type ApiServer } from './support/api-server.js';
import { expectInert, FIXTURES, runCli, withTempDir, type CliResult } from './helpers.js';

/** The spinner on a terminal: ora, replaced by a recorder of every text it is given. */
const spun = vi.hoisted(() => [] as string[]);
vi.mock('ora', () => ({
  default: (options: { text: string }) => {
    spun.push(options.text);
    const spinner = { start: () => spinner, stop: () => undefined, set text(t: string) { spun.push(t); } };
    return spinner;
  },
}));

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A hyperlink (OSC 8), a screen clear and a colour (CSI), their C1 forms, bidi overrides, bare C0 controls. */
const OSC8 = '\x1b]8;;http://evil.example/\x07click me\x1b]8;;\x07';
const CSI = '\x1b[2J\x1b[31m';
const C1 = '\x9b2J\x9d0;pwned\x9c\x85';
const BIDI = '\u202Etxt.exe\u202C\u2066\u2067\u2068\u2069\u202A\u202B\u202D';
const C0 = '\x07\x08\x7f\x00\x0b\x0c\rX';
const EVIL = `${OSC8}${CSI}${C1}${BIDI}${C0}`;
/** The stand-in each escape sequence or unsafe character becomes. */
const R = '\ufffd';
/** A file name can carry the same (no slash or NUL). */
const EVIL_NAME = '\x1b]0;x\x07\x1b[2J\x9b31m\u202Egnp.json';

function expectRunInert(r: CliResult, where: string): void {
  expectInert(r.stdout, `${where} (stdout)`);
  expectInert(r.stderr, `${where} (stderr)`);
}

/** The hostile saved dataset: every text a person sees carries EVIL. */
function hostileDataset(followerIds: string[]): Record<string, unknown> {
  const base = JSON.parse(readFileSync(path.join(FIXTURES, 'hostile/dataset.json'), 'utf8')) as { posts: Array<Record<string, unknown>> };
  return {
    ...base,
    target: `target ${EVIL}`,
    complete: false,
    warnings: [`warning ${EVIL}`],
    account: { id: '1', handle: `handle${EVIL}`, displayName: `name ${EVIL}`, followers: 1000, following: 100, posts: base.posts.length },
    availability: { followingIds: `why ${EVIL}`, [`key${EVIL}`]: `other ${EVIL}` },
    followerIds,
    followingIds: null,
    posts: base.posts.map((p, i) => ({
      ...p,
      text: `post ${i} ${EVIL}`,
      client: `client ${EVIL}`,
      ...(p['target'] ? { target: { handle: `them${i % 2}${EVIL}` } } : {}),
      mentions: [{ handle: `mention${EVIL}` }],
    })),
  };
}

describe('terminal safety: a hostile export', () => {
  it('every format, --posts-csv, the incomplete line and the multi-target summary carry no escape, control or bidi override', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, EVIL_NAME);
      await writeFile(file, JSON.stringify(hostileDataset([`f1${EVIL}`, 'f2'])));
      const missing = path.join(dir, `missing${EVIL_NAME}`);
      for (const format of TEXT_FORMATS) {
        const posts = path.join(dir, `posts-${format}.csv`);
        const one = await runCli([file, '--format', format, '--posts-csv', posts]);
        expect(one.code, `${format}: ${one.stderr}`).toBe(0);
        expect(one.stderr).toMatch(/the input is incomplete/);
        expectRunInert(one, format);
        expectInert(await readFile(posts, 'utf8'), `${format} --posts-csv`);
        const many = await runCli([file, missing, '--format', format]);
        expect(many.code, format).toBe(3);
        expect(many.stderr).toMatch(/no such file or folder/);
        expectRunInert(many, `${format}, two targets`);
      }
    });
  });

  it('the text survives where it is data: JSON holds it as \\u escapes, CSV cells keep their line breaks', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'd.json');
      await writeFile(file, JSON.stringify(hostileDataset([])));
      const json = await runCli([file, '--json']);
      expect(JSON.parse(json.stdout).account.displayName).toBe(`name ${EVIL}`);
      expect(json.stdout).toContain('\\u001b]8;;http://evil.example/\\u0007click me');
      expect(json.stdout).toContain('\\u009b2J\\u009d0;pwned\\u009c\\u0085');
      expect(json.stdout).toContain('\\u202etxt.exe\\u202c');
      const ndjson = await runCli([file, '--format', 'ndjson']);
      expect(JSON.parse(ndjson.stdout).account.handle).toBe(`handle${EVIL}`);
      // CSV: each escape sequence and each other control or override is one U+FFFD (worked by hand).
      const rows = parse((await runCli([file, '--format', 'csv'])).stdout, { columns: true }) as Array<Record<string, string>>;
      // OSC 8 opens (1), "click me", OSC 8 closes (1), two CSI (2), C1 CSI (1), "2J", C1 OSC (1), "0;pwned",
      // ST and NEL (2), RLO (1), "txt.exe", PDF and 7 more bidi controls (8), BEL BS DEL NUL VT FF (6); the lone CR is a line break.
      expect(rows[0]!['display_name']).toBe(`name ${R}click me${R.repeat(4)}2J${R}0;pwned${R.repeat(3)}txt.exe${R.repeat(14)}\nX`);
      const table = (await runCli([file])).stdout;
      expect(table).toContain(`engage-audit · @handle${R}click me${R.repeat(4)}2J${R}0;pwned${R.repeat(3)}txt.exe`);
    });
  });

  it('inspect, compare and pull say nothing raw either', async () => {
    await withTempDir(async (dir) => {
      const before = path.join(dir, `before${EVIL_NAME}`);
      const after = path.join(dir, `after${EVIL_NAME}`);
      await writeFile(before, JSON.stringify(hostileDataset([`gone${EVIL}`, 'stays'])));
      await writeFile(after, JSON.stringify(hostileDataset([`new${EVIL}`, 'stays'])));
      const runs: Array<[string, CliResult]> = [
        ['inspect', await runCli(['inspect', before])],
        ['inspect --json', await runCli(['inspect', before, '--json'])],
        ['compare', await runCli(['compare', before, after])],
        ['compare --json', await runCli(['compare', before, after, '--json'])],
        ['pull', await runCli(['pull', before, '--verbose'])],
        ['pull -o', await runCli(['pull', before, '--verbose', '-o', path.join(dir, `saved${EVIL_NAME}`)])],
      ];
      for (const [what, r] of runs) {
        expect(r.code, `${what}: ${r.stderr}`).toBe(0);
        expectRunInert(r, what);
      }
      expect(runs[0]![1].stdout).toMatch(/^Account: @handle\ufffd/m);
      expect(JSON.parse(runs[1]![1].stdout).account.displayName).toBe(`name ${EVIL}`);
      expect(runs[2]![1].stdout).toMatch(/new: new\ufffd/);
      expect(JSON.parse(runs[3]![1].stdout).followers).toEqual({ gained: [`new${EVIL}`], lost: [`gone${EVIL}`] });
      expect(runs[4]![1].stderr).toMatch(/saved 24 posts of handle\ufffd.* \(incomplete: warning \ufffd/);
      expect(JSON.parse(runs[4]![1].stdout).account.handle).toBe(`handle${EVIL}`);
    });
  });
});

describe('terminal safety: a hostile server', () => {
  it("the display name and the error body reach no output raw: audit in every format, two targets, pull", async () => {
    const lookup = JSON.parse(readFileSync(path.join(FIXTURES, 'api/mastodon/bob/lookup.json'), 'utf8')) as Record<string, unknown>;
    server = await startApiServer({
      platform: 'mastodon',
      root: path.join(FIXTURES, 'api/mastodon/bob'),
      faults: [
        (r) => {
          if (r.path !== '/api/v1/accounts/lookup') return undefined;
          if (r.query.get('acct')?.startsWith('ghost')) return { status: 404, body: JSON.stringify({ error: `Record not found ${EVIL}` }) };
          return { status: 200, body: JSON.stringify({ ...lookup, display_name: `Bob ${EVIL}` }) };
        },
      ],
    });
    const api = ['--api-base', server.url, '--threads', '2'];
    for (const format of TEXT_FORMATS) {
      const one = await runCli(['@bob@social.example', ...api, '--format', format, '--verbose']);
      expect(one.code, `${format}: ${one.stderr}`).toBe(0);
      expectRunInert(one, `server, ${format}`);
      const two = await runCli(['@bob@social.example', '@ghost@social.example', ...api, '--format', format]);
      expect(two.code, format).toBe(4);
      expect(two.stderr).toMatch(/Record not found/);
      expectRunInert(two, `server, ${format}, two targets`);
    }
    expect((await runCli(['@bob@social.example', ...api, '--format', 'markdown'])).stdout).toMatch(/^# Engagement audit: @bob@social\.example \(Bob \ufffdclick me\ufffd/);
    const pulled = await runCli(['pull', '@bob@social.example', ...api, '--verbose']);
    expect(pulled.code).toBe(0);
    expectRunInert(pulled, 'server, pull');
    const failed = await runCli(['pull', '@ghost@social.example', ...api]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toMatch(/Record not found \ufffdclick me/);
    expectRunInert(failed, 'server, failed pull');
  });
});

describe('terminal safety: the progress line', () => {
  it('the spinner and the --verbose lines show the target and the server\'s retry reason inert', async () => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), env: {}, cwd: '.', isTTY: false };
    const spinner = (await startProgress({ ...io, stderrIsTTY: true }, `target ${EVIL}`))!;
    spinner.update(`Reading target ${EVIL}: 3 posts`);
    spinner.event({ type: 'retry', url: 'http://127.0.0.1/', reason: `HTTP 503 ${EVIL}`, waitMs: 1000 });
    spinner.stop();
    expect(spun).toHaveLength(3);
    expect(spun[2]).toMatch(/^target \ufffdclick me.*: HTTP 503 \ufffdclick me.*: retrying in 1 s$/);
    for (const text of spun) expectInert(text, 'spinner');
    const lines = (await startProgress({ ...io, stderrIsTTY: false }, `target ${EVIL}`, true))!;
    lines.event({ type: 'retry', url: 'http://127.0.0.1/', reason: `HTTP 503 ${EVIL}`, waitMs: 1000 });
    expect(stderr).toMatch(/^engage-audit: target \ufffdclick me.*retrying in 1 s\n$/);
    expectInert(stderr, '--verbose');
  });
});
