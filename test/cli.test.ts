/** The command line: stdout, stderr and exit codes (README "Exit codes"), in process and through the real bin. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../src/model/report.js';
import { ROOT, X_FIXTURES, runCli, withTempDir } from './helpers.js';
import { zipOf } from './fuzz/mutate.js';

const SAMPLE = 'fixtures/x-archive/sample-2022.zip';
const run = promisify(execFile);

/** A known error: exactly one message line and one hint line, no stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^engage-audit: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[1]).toMatch(/^ {2}hint: \S/);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('audit command', () => {
  it('prints the JSON report on stdout and nothing on stderr', async () => {
    const r = await runCli([SAMPLE, '--json', '--as-of', '2025-05-31']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.schemaVersion).toBe(1);
    expect(report.generatedAt).toBe('2026-01-01T00:00:00.000Z'); // SOURCE_DATE_EPOCH 1767225600
  });

  it('reads a zip whose entries are stored, not deflated, as the deflated one', async () => {
    const folder = path.join(X_FIXTURES, 'sample-2022');
    const names = ['data/manifest.js', 'data/account.js', 'data/follower.js', 'data/following.js', 'data/like.js', 'data/tweets.js', 'data/tweets-part1.js'];
    const files = names.map((n): [string, Buffer] => [n, readFileSync(path.join(folder, n))]);
    await withTempDir(async (dir) => {
      const stored = path.join(dir, 'stored.zip');
      await writeFile(stored, await zipOf(files, false));
      const r = await runCli([stored, '--json', '--as-of', '2025-05-31']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const golden = JSON.parse(readFileSync(path.join(ROOT, 'test/golden/sample-2022.json'), 'utf8')) as { input: unknown };
      const report = JSON.parse(r.stdout) as { input: unknown };
      expect({ ...report, input: null }).toEqual({ ...golden, input: null }); // same numbers; only the path differs
    });
  });

  it('says a zip is damaged when a flipped byte breaks the JSON before its CRC-32 is known', async () => {
    const folder = path.join(X_FIXTURES, 'sample-2022');
    const names = ['data/manifest.js', 'data/account.js', 'data/tweets.js', 'data/tweets-part1.js'];
    // 4 MB of spaces before the closing `]` (still valid): the reader meets the bad byte long
    // before the entry ends and its CRC-32 is checked.
    const original = readFileSync(path.join(folder, 'data/tweets.js'));
    const end = original.lastIndexOf(']');
    const tweets = Buffer.concat([original.subarray(0, end), Buffer.alloc(4 << 20, 0x20), original.subarray(end)]);
    const files = names.map((n): [string, Buffer] => [n, n === 'data/tweets.js' ? tweets : readFileSync(path.join(folder, n))]);
    await withTempDir(async (dir) => {
      const zip = await zipOf(files, false); // stored: the flipped byte reaches the reader as it is
      const colon = tweets.indexOf(':', tweets.lastIndexOf('"id_str"')); // in the last record, 4 MB before the end
      const at = zip.indexOf(tweets) + colon;
      expect(zip[at]).toBe(0x3a);
      zip[at] = 0x78; // `"id_str" : "…"` becomes `"id_str" x "…"`: not JSON, and not the bytes the CRC-32 covers
      const damaged = path.join(dir, 'damaged.zip');
      await writeFile(damaged, zip);
      const r = await runCli([damaged, '--json']);
      expect(r.code).toBe(3);
      expectOneLineError(r.stderr, /damaged\.zip: data\/tweets\.js: its checksum \(CRC-32\) does not match: the zip is damaged/);
      // The same byte in a folder is the export's own fault: the record is named.
      await mkdir(path.join(dir, 'folder', 'data'), { recursive: true });
      const flipped = Buffer.from(tweets);
      flipped[colon] = 0x78;
      for (const [n, data] of files) await writeFile(path.join(dir, 'folder', n), n === 'data/tweets.js' ? flipped : data);
      const f = await runCli([path.join(dir, 'folder'), '--json']);
      expect(f.code).toBe(3);
      expectOneLineError(f.stderr, /data\/tweets\.js: record \d+ is not valid JSON/);
    });
  });

  it('refuses a zip entry compressed with a method other than stored or deflated (exit 3, not a crash)', async () => {
    const folder = path.join(X_FIXTURES, 'sample-2022');
    const names = ['data/manifest.js', 'data/account.js', 'data/tweets.js', 'data/tweets-part1.js'];
    const zip = await zipOf(names.map((n): [string, Buffer] => [n, readFileSync(path.join(folder, n))]));
    // Method 12 (bzip2) in the local and the central header of data/tweets.js.
    const name = Buffer.from('data/tweets.js');
    for (const [signature, nameAt, methodAt] of [[0x04034b50, 30, 8], [0x02014b50, 46, 10]] as const) {
      const sig = Buffer.alloc(4);
      sig.writeUInt32LE(signature);
      for (let at = zip.indexOf(sig); at !== -1; at = zip.indexOf(sig, at + 4)) {
        if (zip.subarray(at + nameAt, at + nameAt + name.length).equals(name)) zip.writeUInt16LE(12, at + methodAt);
      }
    }
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'bzip2.zip');
      await writeFile(file, zip);
      const r = await runCli([file, '--json']);
      expect(r.code).toBe(3);
      expectOneLineError(r.stderr, /bzip2\.zip: data\/tweets\.js: compression method 12 is not supported \(only stored and deflated\)/);
    });
  });

  it('reads an account.js of 300,000 records (no spread of a whole batch into one call)', async () => {
    await withTempDir(async (dir) => {
      await cp(path.join(X_FIXTURES, 'sample-2022'), dir, { recursive: true });
      await writeFile(path.join(dir, 'data/account.js'), `window.YTD.account.part0 = [${Array.from({ length: 300_000 }, () => '{}').join(',')}]`);
      const r = await runCli([dir, '--json', '--as-of', '2025-05-31']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      // account.js names no account now: the manifest's userInfo does (tidepool_lab, as in the golden report).
      expect((JSON.parse(r.stdout) as { account: { handle: string } }).account.handle).toBe('tidepool_lab');
    });
  });

  it('matches the golden report of the sample archive', async () => {
    const r = await runCli(['audit', SAMPLE, '--format', 'json', '--as-of', '2025-05-31']);
    const golden = JSON.parse(readFileSync(path.join(ROOT, 'test/golden/sample-2022.json'), 'utf8')) as unknown;
    expect(ReportSchema.parse(golden)).toEqual(golden); // the golden file itself follows the contract
    expect(JSON.parse(r.stdout)).toEqual(golden);
  });

  it('prints the table with each metric and its method, audits, role, ledger and months', async () => {
    const r = await runCli([SAMPLE, '--as-of', '2025-05-31']);
    expect(r.code).toBe(0);
    const out = r.stdout;
    const flat = out.replace(/\n {2,}/g, " "); // wrapped lines joined
    expect(out).toContain('@tidepool_lab (Tidepool Lab)');
    // 95 engagements / 17 own posts / 12 followers = 46.569 %
    expect(out).toMatch(/46\.57 %/);
    expect(flat).toMatch(/46\.57 % per post, by followers, n = 17 own posts, likes \+ reposts/);
    expect(flat).toMatch(/Role Undetermined: The role weighs what the account gives against what it receives/);
    expect(out).toMatch(/PASS.*Follower \//);
    expect(out).toMatch(/Layer score 29\/100/);
    expect(out).toMatch(/received \(counts, not people\)\s+18 × 1\s+=\s+18/); // 18 reposts received in the 90 days
    expect(out).toMatch(/L1: people, either way\s+9 × 1\s+=\s+9/);
    expect(out).toMatch(/2025-04 │ 0 /);
    expect(out).not.toMatch(/\x1b\[/); // no colour when stdout is not a terminal
    for (const line of out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('colours only on a terminal, and never with NO_COLOR or --no-color', async () => {
    expect((await runCli([SAMPLE], { isTTY: true })).stdout).toMatch(/\x1b\[/);
    expect((await runCli([SAMPLE], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
    expect((await runCli([SAMPLE, '--no-color'], { isTTY: true })).stdout).not.toMatch(/\x1b\[/);
  });

  it('writes the report to -o and keeps stdout empty', async () => {
    await withTempDir(async (dir) => {
      const out = path.join(dir, 'report.json');
      const r = await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '-o', out]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(JSON.parse(await readFile(out, 'utf8')).account.handle).toBe('tidepool_lab');
    });
  });

  it('exits 1 below --fail-under or with an audit at --fail-on, and says why on stderr', async () => {
    // Overall 92 (fixtures/x-archive/EXPECTED.md); three audits warn, none fail.
    const below = await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '--fail-under', '93']);
    expect(below.code).toBe(1);
    expect(below.stderr).toMatch(/overall score 92 is below --fail-under 93/);
    expect((await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '--fail-under', '92'])).code).toBe(0);
    const warn = await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '--fail-on', 'warn']);
    expect(warn.code).toBe(1);
    expect(warn.stderr).toMatch(/follow-back \(warn\), conversation-share \(warn\), freshness \(warn\)/);
    expect((await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '--fail-on', 'fail'])).code).toBe(0);
    // --quiet keeps stderr for errors, and a failing gate is one: the one line that says why, nothing else.
    const quiet = await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '--fail-on', 'warn', '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr.trim().split('\n')).toEqual([warn.stderr.trim().split('\n').find((l) => l.includes('(warn)'))]);
    expect((await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '--fail-under', '93', '--quiet'])).stderr).toMatch(/^engage-audit: .*overall score 92 is below --fail-under 93\n$/);
  });
});

describe('a bare or mistyped command', () => {
  it('a bare engage-audit prints the help on stderr and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: engage-audit \[options\] \[command\]/);
    for (const command of ['audit', 'pull', 'inspect', 'compare', 'list-audits', 'schema']) expect(r.stderr).toContain(command);
  });

  it.each([
    ['audti', 'audit'],
    ['pul', 'pull'],
    ['lst-audits', 'list-audits'],
    ['compaer', 'compare'],
    ['inspekt', 'inspect'],
  ])('%s suggests %s, exit 2, before reading anything', async (typed, meant) => {
    const r = await runCli([typed, 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`engage-audit: ${typed}: no such command or file. Did you mean \`engage-audit ${meant}\`?`);
  });

  it('a file of that name, or a word far from every command, is still a target', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'audti'), 'not an export');
      const asFile = await runCli(['audti'], { cwd: dir });
      expect(asFile.stderr).not.toMatch(/Did you mean/);
      expect(asFile.code).toBe(3);
    });
    expect((await runCli(['banana'])).stderr).not.toMatch(/Did you mean/);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [[SAMPLE, '--since', 'yesterday'], /--since "yesterday" is not a date/],
    [[SAMPLE, '-o', 'report.pdf'], /-o report\.pdf: the tool writes no \.pdf file \(extensions: \.json, .*\.txt, \.xlsx\); give --format/],
    [[SAMPLE, '-o', 'report.PDF'], /-o report\.PDF: the tool writes no \.pdf file/],
    [[SAMPLE, '--as-of', '2025-02-30'], /--as-of "2025-02-30" is not a date/],
    [[SAMPLE, '--days', '0'], /--days "0": give a whole number/],
    [[SAMPLE, '--days', '7', '--since', '2025-01-01'], /--days and --since both set the window start/],
    [[SAMPLE, '--since', '2025-03-01', '--until', '2025-02-01'], /--since is after --until/],
    [[SAMPLE, '--fail-under', '101'], /--fail-under "101": give a score from 0 to 100/],
    [[SAMPLE, '--as-of', '2024-01-01', '--until', '2024-06-30'], /--as-of is before --until/],
  ])('%j', async (argv, pattern) => {
    const r = await runCli(argv as string[]);
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, pattern as RegExp);
    expect(r.stdout).toBe('');
  });

  it('rejects an unknown option or format, and a missing target', async () => {
    const unknown = await runCli([SAMPLE, '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
    const format = await runCli([SAMPLE, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/Allowed choices are table, json/);
    expect((await runCli([])).code).toBe(2);
  });
});

describe('input errors exit 3 with one clear line', () => {
  it('a missing path', async () => {
    const r = await runCli(['no/such/archive.zip']);
    expect(r.code).toBe(3);
    expectOneLineError(r.stderr, /no\/such\/archive\.zip: no such file or folder/);
  });

  it('a file that is not an export', async () => {
    const r = await runCli(['package.json']);
    expect(r.code).toBe(3);
    expectOneLineError(r.stderr, /package\.json: not an engage-audit dataset/);
    const readme = await runCli(['docs/metrics.md']);
    expect(readme.code).toBe(3);
    expectOneLineError(readme.stderr, /not a recognised export/);
  });

  it('an empty folder, an empty file and a folder without tweets', async () => {
    await withTempDir(async (dir) => {
      await mkdir(path.join(dir, 'empty'));
      const empty = await runCli([path.join(dir, 'empty')]);
      expect(empty.code).toBe(3);
      expectOneLineError(empty.stderr, /the folder is empty/);
      await writeFile(path.join(dir, 'empty.zip'), '');
      const emptyFile = await runCli([path.join(dir, 'empty.zip')]);
      expect(emptyFile.code).toBe(3);
      expectOneLineError(emptyFile.stderr, /the file is empty/);
      await mkdir(path.join(dir, 'other/data'), { recursive: true });
      await writeFile(path.join(dir, 'other/data/notes.txt'), 'hello');
      const other = await runCli([path.join(dir, 'other')]);
      expect(other.code).toBe(3);
      expectOneLineError(other.stderr, /no export found \(looked for data\/tweets\.js, outbox\.json/);
    });
  });

  it('a truncated zip', async () => {
    await withTempDir(async (dir) => {
      const bytes = readFileSync(path.join(X_FIXTURES, 'sample-2022.zip'));
      const cut = path.join(dir, 'cut.zip');
      await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const r = await runCli([cut]);
      expect(r.code).toBe(3);
      expectOneLineError(r.stderr, /cut\.zip: not a readable zip/);
    });
  });

  it('a zip whose compressed tweets are damaged', async () => {
    await withTempDir(async (dir) => {
      const bytes = Buffer.from(readFileSync(path.join(X_FIXTURES, 'sample-2022.zip')));
      // Flip bytes in the middle of data/tweets.js's compressed data (after its local header).
      const header = bytes.indexOf(Buffer.from('data/tweets.js'));
      for (let i = header + 200; i < header + 260; i++) bytes[i] = bytes[i]! ^ 0xff;
      const bad = path.join(dir, 'bad.zip');
      await writeFile(bad, bytes);
      const r = await runCli([bad]);
      expect(r.code).toBe(3);
      expectOneLineError(r.stderr, /bad\.zip: data\/tweets\.js/);
    });
  });

  it('a tweets.js cut in half, and a malformed tweets.js', async () => {
    await withTempDir(async (dir) => {
      const folder = path.join(dir, 'archive');
      await cp(path.join(X_FIXTURES, 'sample-2022'), folder, { recursive: true });
      const tweets = path.join(folder, 'data/tweets.js');
      const text = await readFile(tweets);
      await writeFile(tweets, text.subarray(0, Math.floor(text.length / 2)));
      const cut = await runCli([folder]);
      expect(cut.code).toBe(3);
      expectOneLineError(cut.stderr, /data\/tweets\.js: ends at byte \d+ inside the record \d+ .*the file is cut off/);

      await writeFile(tweets, text.toString('utf8').replace('"favorite_count"', '"favorite_count" "oops" :'));
      const malformed = await runCli([folder]);
      expect(malformed.code).toBe(3);
      expectOneLineError(malformed.stderr, /data\/tweets\.js: record 1 is not valid JSON/);

      await writeFile(tweets, text.toString('utf8').replace(/"created_at" : "[^"]+"/, '"created_at" : "soon"'));
      const badDate = await runCli([folder]);
      expect(badDate.code).toBe(3);
      expectOneLineError(badDate.stderr, /data\/tweets\.js record 1 \(tweet \d+\): created_at "soon" is not an X date/);
    });
  });

  it('a manifest that lists a missing part: the report goes on, marked incomplete', async () => {
    await withTempDir(async (dir) => {
      const folder = path.join(dir, 'archive');
      await cp(path.join(X_FIXTURES, 'sample-2022'), folder, { recursive: true });
      await writeFile(path.join(folder, 'data/tweets-part1.js'), '');
      await copyFile(path.join(folder, 'data/tweets.js'), path.join(folder, 'data/tweets.js'));
      const { rm } = await import('node:fs/promises');
      await rm(path.join(folder, 'data/tweets-part1.js'));
      const r = await runCli([folder, '--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.input.complete).toBe(false);
      expect(report.input.warnings.join(' ')).toMatch(/lists data\/tweets-part1\.js, which is missing/);
      // part1 held 9 of the 33 rows (EXPECTED.md), none of them an edited version: 24 - 1 = 23 remain.
      expect(report.account.posts).toBe(23);
    });
  });
});

describe('other commands', () => {
  it('list-audits lists the eleven audits with thresholds', async () => {
    const r = await runCli(['list-audits']);
    expect(r.code).toBe(0);
    const ids = ['follow-ratio', 'follow-back', 'audience-quality', 'engagement-rate', 'conversation-share', 'responsiveness', 'two-way', 'sharing', 'automation', 'cadence', 'freshness'];
    expect(r.stdout.split('\n').slice(0, 11).map((l) => l.split(' ')[0])).toEqual(ids);
    expect(r.stdout).toMatch(/automation\s+habits\s+Automation \(pass ≤ 50 %, fail ≥ 90 %\)/);
    const json = JSON.parse((await runCli(['list-audits', '--json'])).stdout);
    expect(json.audits).toHaveLength(11);
    expect(json.benchmarks.x).toBe(0.00035);
  });

  it('schema prints JSON Schema 2020-12 of the report and of a dataset', async () => {
    const report = JSON.parse((await runCli(['schema'])).stdout);
    expect(report.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(report.properties)).toEqual(['schemaVersion', 'tool', 'generatedAt', 'input', 'account', 'window', 'metrics', 'unavailable', 'role', 'scores', 'audits', 'benchmark', 'topInteractors', 'monthly', 'actions']);
    const dataset = JSON.parse((await runCli(['schema', 'dataset'])).stdout);
    expect(dataset.properties.posts.type).toBe('array');
    expect((await runCli(['schema', 'nope'])).code).toBe(2);
  });

  it('--version and --help', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/3 {2}input error/);
    const auditHelp = await runCli(['audit', '--help']);
    expect(auditHelp.stdout).toMatch(/--fail-on <level>/);
  });

  it('audits a saved dataset, from a file and from stdin', async () => {
    const dataset = {
      kind: 'engage-audit-dataset', schemaVersion: 1, platform: 'x', source: 'api', target: 'x:@demo', complete: true, warnings: [],
      account: { id: '1', handle: 'demo', displayName: 'Demo', followers: 100, following: 50, posts: 2 },
      capabilities: { inboundIdentities: false, threads: false },
      availability: { impressions: 'not pulled' },
      followerIds: null, followingIds: null, likesGiven: null,
      posts: [
        { id: '10', createdAt: '2025-01-01T10:00:00.000Z', kind: 'original', mentions: [], client: null, metrics: { likes: 4, replies: 2, reposts: 1, quotes: 1, impressions: null } },
        { id: '11', createdAt: '2025-01-02T10:00:00.000Z', kind: 'reply', target: { handle: 'ann' }, mentions: [{ handle: 'ann' }], client: null, metrics: { likes: 0, replies: 0, reposts: 0, quotes: 0, impressions: null } },
      ],
      interactions: null,
    };
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      await writeFile(file, JSON.stringify(dataset));
      const r = await runCli([file, '--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      // One own post with 4 + 2 + 1 + 1 = 8 engagements, 100 followers.
      expect(report.metrics.engagement.ratePerPostMean).toBeCloseTo(0.08, 12);
      expect(report.metrics.reciprocity).toMatchObject({ outbound: 1, inbound: 4 }); // 2 + 1 + 1 received
      // Standard input in small chunks, cut inside the text as a pipe may cut it.
      const bytes = Buffer.from(JSON.stringify(dataset));
      const stdin = await runCli(['-', '--json'], { stdin: () => Readable.from(Array.from({ length: Math.ceil(bytes.length / 100) }, (_, i) => bytes.subarray(i * 100, i * 100 + 100))) });
      expect(JSON.parse(stdin.stdout).metrics).toEqual(report.metrics);
      await writeFile(file, JSON.stringify({ ...dataset, posts: [{ id: 1 }] }));
      const bad = await runCli([file]);
      expect(bad.code).toBe(3);
      expectOneLineError(bad.stderr, /not an engage-audit dataset: posts\.0\.id/);
    });
  });
});

describe('the real executable', () => {
  const bin = path.join(ROOT, 'bin/engage-audit.js');
  it('runs the sample and pipes clean JSON', async () => {
    const { stdout, stderr } = await run(process.execPath, [bin, SAMPLE, '--json', '--as-of', '2025-05-31'], { cwd: ROOT });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).metrics.mix.total).toBe(32);
  });

  it('exits 3 on a missing file with one line and no stack', async () => {
    const error = await run(process.execPath, [bin, 'missing.zip'], { cwd: ROOT }).catch((e: { code: number; stderr: string }) => e);
    expect((error as { code: number }).code).toBe(3);
    expectOneLineError((error as { stderr: string }).stderr, /missing\.zip: no such file or folder/);
  });
});

describe('a damaged zip never passes for data', () => {
  it('any flipped bit inside the compressed tweets ends in exit 3 (checksum or inflate error)', async () => {
    const bytes = readFileSync(path.join(X_FIXTURES, 'sample-2022.zip'));
    const header = bytes.indexOf(Buffer.from('data/tweets.js'));
    const start = header + 'data/tweets.js'.length + 30; // past the local header, inside the deflated data
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'flipped.zip');
      for (let k = 0; k < 24; k++) {
        const copy = Buffer.from(bytes);
        const at = start + k * 97;
        copy[at] = copy[at]! ^ (1 << (k % 8));
        await writeFile(file, copy);
        const r = await runCli([file, '--json']);
        expect(r.code, `bit ${k % 8} of byte ${at}: ${r.stderr}`).toBe(3);
        expect(r.stderr).toMatch(/flipped\.zip: data\/tweets\.js: .*(checksum|inflated|ends after|more data|not valid JSON|cut off|not an X date|record)/);
      }
    });
  }, 60_000);
});
