/**
 * The report formats people use: CSV (stable header, formula injection neutralised), NDJSON, Markdown,
 * HTML (self-contained, every text escaped), many accounts, --targets, --posts-csv, the config file
 * with assertions, compare, and the JSON Schema that every report validates against.
 */
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import { CSV_COLUMNS } from '../src/reporters/csv.js';
import { csvCell } from '../src/lib/csv.js';
import { escapeHtml } from '../src/lib/html.js';
import { FIXTURES, ROOT, runCli, withTempDir } from './helpers.js';

const SAMPLE = 'fixtures/x-archive/sample-2022.zip';
const HOSTILE = 'fixtures/hostile/dataset.json';

describe('CSV', () => {
  it('neutralises cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(-2)).toBe('-2'); // numbers stay numbers
    expect(csvCell(null)).toBe('');
  });

  it('one row per account under the documented header, numbers as in JSON', async () => {
    const csv = await runCli([SAMPLE, '--format', 'csv', '--as-of', '2025-05-31']);
    const json = JSON.parse((await runCli([SAMPLE, '--json', '--as-of', '2025-05-31'])).stdout) as Report;
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual(CSV_COLUMNS.map(([n]) => n));
    const doc = readFileSync(path.join(ROOT, 'docs/reports.md'), 'utf8');
    for (const [name] of CSV_COLUMNS) expect(doc, `docs/reports.md documents ${name}`).toContain(`\`${name}\``);
    expect(rows).toHaveLength(1);
    // To 6 decimals (docs/reports.md "CSV columns").
    expect(rows[0]!['engagement_rate']).toMatch(/^0\.\d{6}$/);
    expect(Math.abs(Number(rows[0]!['engagement_rate']) - json.metrics.engagement.ratePerPostMean!)).toBeLessThanOrEqual(5e-7);
    expect(rows[0]!['role']).toBe(json.role.label);
    expect(rows[0]!['audit_follow_back']).toBe('warn');
    expect(rows[0]!['score_overall']).toBe('92');
  });

  it('a hostile dataset is inert in the report CSV and the posts CSV', async () => {
    await withTempDir(async (dir) => {
      const posts = path.join(dir, 'posts.csv');
      const r = await runCli([HOSTILE, '--format', 'csv', '--posts-csv', posts]);
      expect(r.code).toBe(0);
      for (const text of [r.stdout, await readFile(posts, 'utf8')]) {
        const cells = (parse(text) as string[][]).flat();
        expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
        expect(cells).toContain(`'=HYPERLINK("http://evil.example/steal","click")`);
      }
      const rows = parse(await readFile(posts, 'utf8'), { columns: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength(24);
      // Post 1000: an original with 0 likes, 0 replies, 0 reposts, 0 quotes → 0 engagements.
      expect(rows[0]).toMatchObject({ id: '1000', kind: 'original', engagements: '0' });
      // Post 1003 (i = 3) is a repost: no engagements of its own.
      expect(rows[3]).toMatchObject({ id: '1003', kind: 'repost', engagements: '' });
    });
  });
});

describe('NDJSON, Markdown and HTML', () => {
  it('NDJSON: one report per line per target', async () => {
    const r = await runCli([SAMPLE, 'fixtures/mastodon-archive/sample', '--format', 'ndjson']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => (JSON.parse(l) as Report).input.platform)).toEqual(['x', 'mastodon']);
  });

  it('Markdown: summary, scores, audits, advice, and escaped text', async () => {
    const r = await runCli([HOSTILE, '--format', 'markdown']);
    const title = r.stdout.split('\n')[0]!;
    expect(title.startsWith('# Engagement audit: @"\\>\\<img src=x onerror=alert(1)\\> (\\</title\\>\\<script\\>')).toBe(true);
    // No `<` or `>` reaches the Markdown unescaped, anywhere.
    expect(r.stdout.replace(/<sub>|<\/sub>/g, '').replace(/^> /gm, '')).not.toMatch(/(^|[^\\])[<>]/m);
    expect(r.stdout).toMatch(/\| Audit \| Value \| Advice \|/);
    expect(r.stdout).not.toMatch(/<script>/);
  });

  it('HTML: self-contained, charts, and every hostile text escaped', async () => {
    const r = await runCli([HOSTILE, '--format', 'html']);
    const html = r.stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i); // no event handler in any tag
    expect(html).toContain(escapeHtml('"><img src=x onerror=alert(1)>'));
    expect(html).toContain(escapeHtml('</title><script>alert(2)</script>'));
    expect(html).not.toMatch(/(src|href)=["']?https?:/); // no external asset
    // Charts in HTML and CSS: posts per month, rate per month, mix, layers, audits by status.
    expect(html.match(/<figure class="[a-z]+" role="img" aria-label="[^"]+"/g)?.map((f) => /aria-label="([^"]+)"/.exec(f)![1])).toEqual(['Posts per month by kind', 'Engagement rate per month', 'Mix of posts', 'Interaction layers', 'Audits by status']);
  });
});

describe('many accounts', () => {
  it('one failing target does not stop the others; the exit code is the worst', async () => {
    await withTempDir(async (dir) => {
      const list = path.join(dir, 'targets.txt');
      await writeFile(list, `# clients\n${SAMPLE}\nfixtures/mastodon-archive/sample  # Dana\n\nmissing.zip\n`);
      const r = await runCli(['--targets', list, '--format', 'csv']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/missing\.zip: no such file or folder/);
      const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
      expect(rows.map((x) => x['target'])).toEqual([SAMPLE, 'fixtures/mastodon-archive/sample', 'missing.zip']);
      expect(rows[2]!['error']).toMatch(/no such file or folder/);
      expect(rows[0]!['error']).toBe('');
      const table = await runCli([SAMPLE, 'fixtures/linkedin/export']);
      expect(table.stdout).toMatch(/Summary\n┌/);
      expect(table.stdout).toMatch(/@tidepool_lab/);
    });
  });

  it('a --targets line naming a file beside the list is read from there; other lines as written', async () => {
    await withTempDir(async (dir) => {
      // The list and an export in a folder of their own, the run started from the project root.
      const clients = path.join(dir, 'clients');
      await mkdir(clients);
      await copyFile(path.join(ROOT, SAMPLE), path.join(clients, 'tidepool.zip'));
      const list = path.join(clients, 'targets.txt');
      await writeFile(list, `tidepool.zip\n${SAMPLE}\nnowhere.zip\n`);
      const r = await runCli(['--targets', list, '--format', 'csv', '--as-of', '2025-05-31']);
      const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>;
      // Beside the list; from the working directory (not beside the list); not found anywhere.
      expect(rows.map((x) => x['target'])).toEqual([path.relative(ROOT, path.join(clients, 'tidepool.zip')), SAMPLE, 'nowhere.zip']);
      expect(rows.map((x) => x['error'] === '')).toEqual([true, true, false]);
      expect(rows[0]!['score_overall']).toBe(rows[1]!['score_overall']);
    });
  });
});

describe('config file', () => {
  it('is found upward, overrides thresholds and benchmarks, and its assertions set the exit code', async () => {
    await withTempDir(async (dir) => {
      const sub = path.join(dir, 'a', 'b');
      await import('node:fs/promises').then((fs) => fs.mkdir(sub, { recursive: true }));
      await writeFile(
        path.join(dir, '.engage-auditrc.json'),
        JSON.stringify({ thresholds: { 'follow-back': { pass: 0.3, fail: 0.1 } }, assert: { audits: { freshness: 'error', 'conversation-share': 'warn' }, minScore: { overall: 50 } } }),
      );
      const r = await runCli([path.join(ROOT, SAMPLE), '--json', '--as-of', '2025-05-31'], { cwd: sub });
      const report = JSON.parse(r.stdout) as Report;
      // followBackRate 0.3 now meets pass 0.3 (it warned with the default 0.5).
      expect(report.audits.find((a) => a.id === 'follow-back')).toMatchObject({ status: 'pass', thresholds: { pass: 0.3, fail: 0.1 } });
      // freshness warns (11 days) and is asserted as error → exit 1; conversation-share only warns.
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/assertion freshness: warn \(11 days since the last post\)/);
      expect(r.stderr).toMatch(/warning: assertion conversation-share: warn/);
    });
  });

  it('a bad config exits 2 with one path: message line per problem', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'bad.json');
      await writeFile(file, JSON.stringify({ thresholds: { 'follow-ratio': { pass: 'high' } }, benchmarks: { x: -1 }, colour: true }));
      const r = await runCli([SAMPLE, '--config', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/4 problems in the config file:/);
      expect(r.stderr).toMatch(/ {2}thresholds\.follow-ratio\.pass: /);
      expect(r.stderr).toMatch(/ {2}benchmarks\.x: /);
      expect(r.stderr).toMatch(/ {2}\(top level\): Unrecognized key: "colour"/);
      expect((await runCli([SAMPLE, '--config', path.join(dir, 'none.json')])).code).toBe(2);
    });
  });

  it('thresholds that run the wrong way for their audit are refused, in both directions', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'inverted.json');
      // follow-ratio: higher is better, so pass must be above fail; freshness (days): lower is better.
      for (const [id, t, ok] of [
        ['follow-ratio', { pass: 0.1, fail: 0.4 }, false],
        ['follow-ratio', { pass: 0.4, fail: 0.1 }, true],
        ['freshness', { pass: 30, fail: 7 }, false],
        ['freshness', { pass: 7, fail: 30 }, true],
      ] as const) {
        await writeFile(file, JSON.stringify({ thresholds: { [id]: t } }));
        const r = await runCli([SAMPLE, '--config', file, '--json']);
        expect([id, r.code], r.stderr).toEqual([id, ok ? 0 : 2]);
        if (!ok) expect(r.stderr.split('\n')[0]).toMatch(new RegExp(`thresholds\\.${id}: (higher|lower) is better for this audit, so pass \\(${t.pass}\\) must be (above|below) fail \\(${t.fail}\\)$`));
      }
    });
  });
});

describe('compare', () => {
  it('warns when the two inputs are of two platforms or accounts, or one was read in part; not otherwise', async () => {
    const mixed = await runCli(['compare', SAMPLE, 'fixtures/mastodon-archive/sample']);
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toContain('Warning: The reports are of two platforms (x and mastodon): their figures are not measured alike.');
    const json = JSON.parse((await runCli(['compare', SAMPLE, 'fixtures/mastodon-archive/sample', '--json'])).stdout) as { warnings: string[] };
    expect(json.warnings).toHaveLength(1);
    const same = JSON.parse((await runCli(['compare', SAMPLE, SAMPLE, '--json'])).stdout) as { warnings: string[] };
    expect(same.warnings).toEqual([]);
    expect((await runCli(['compare', SAMPLE, SAMPLE])).stdout).not.toContain('Warning:');
    await withTempDir(async (dir) => {
      // The same report, said to be of another account and read in part.
      const report = JSON.parse((await runCli([SAMPLE, '--json'])).stdout) as Report;
      const other = { ...report, account: { ...report.account, id: '999', handle: 'someone_else' }, input: { ...report.input, complete: false } };
      const [a, b] = [path.join(dir, 'a.json'), path.join(dir, 'b.json')];
      await writeFile(a, JSON.stringify(report));
      await writeFile(b, JSON.stringify(other));
      const c = JSON.parse((await runCli(['compare', a, b, '--json'])).stdout) as { warnings: string[] };
      expect(c.warnings).toEqual([
        `The reports are of two accounts (${report.account.handle} and someone_else): the changes are differences between them.`,
        `The new report's input is incomplete (${report.input.target}): a change may be what was not read.`,
      ]);
    });
  });

  it('prints what changed between two reports of the same account', async () => {
    await withTempDir(async (dir) => {
      const older = path.join(dir, 'march.json');
      const newer = path.join(dir, 'may.json');
      await runCli([SAMPLE, '--json', '--as-of', '2025-03-31', '-o', older]);
      await runCli([SAMPLE, '--json', '--as-of', '2025-05-31', '-o', newer]);
      const a = JSON.parse(await readFile(older, 'utf8')) as Report;
      const b = JSON.parse(await readFile(newer, 'utf8')) as Report;
      const r = await runCli(['compare', older, newer, '--json']);
      const c = JSON.parse(r.stdout);
      expect(c.metrics.find((m: { name: string }) => m.name === 'posts')).toEqual({ name: 'posts', unit: 'count', old: a.window.posts, new: b.window.posts, delta: b.window.posts - a.window.posts });
      expect(c.scores[0]).toEqual({ name: 'overall', unit: 'score', old: a.scores.overall, new: b.scores.overall, delta: b.scores.overall! - a.scores.overall! });
      const moved = a.audits.filter((x) => b.audits.find((y) => y.id === x.id)!.status !== x.status).map((x) => x.id);
      expect(c.audits.map((x: { id: string }) => x.id)).toEqual(moved);
      expect((await runCli(['compare', older, newer])).stdout).toMatch(/Who followed and who left needs follower lists/);
    });
  });

  it('reads a report saved before scores said what they cover, like for like: no overall under the minimum', async () => {
    await withTempDir(async (dir) => {
      const newer = path.join(dir, 'new.json');
      const older = path.join(dir, 'old.json');
      await runCli(['fixtures/linkedin/export', '--json', '--as-of', '2025-05-31', '-o', newer]);
      const b = JSON.parse(await readFile(newer, 'utf8')) as Report;
      // The same report as an earlier version wrote it: no `unavailable`, scores without coverage, and
      // the overall of that day's rule (the mean of the graded categories, i.e. today's partial).
      const { unavailable: _u, ...rest } = b;
      const earlier = { ...rest, scores: { overall: b.scores.partial, categories: b.scores.categories } };
      await writeFile(older, JSON.stringify(earlier));
      const r = await runCli(['compare', older, newer, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const c = JSON.parse(r.stdout);
      // LinkedIn covers under half the weight: its recorded overall of then is no overall now, like for like.
      expect(b.scores.overall).toBeNull();
      expect(c.scores[0]).toMatchObject({ name: 'overall', old: null, new: null });
      expect(c.scores.find((x: { name: string }) => x.name === 'partial')).toMatchObject({ old: b.scores.partial, new: b.scores.partial });
    });
  });

  it('names who followed and who left when both sides hold follower lists', async () => {
    await withTempDir(async (dir) => {
      const saved = JSON.parse(readFileSync(path.join(FIXTURES, 'api/../hostile/dataset.json'), 'utf8'));
      const before = { ...saved, followerIds: ['1', '2', '3'], followingIds: ['9'] };
      const after = { ...saved, followerIds: ['2', '3', '4', '5'], followingIds: ['9'] };
      await writeFile(path.join(dir, 'before.json'), JSON.stringify(before));
      await writeFile(path.join(dir, 'after.json'), JSON.stringify(after));
      const c = JSON.parse((await runCli(['compare', path.join(dir, 'before.json'), path.join(dir, 'after.json'), '--json'])).stdout);
      expect(c.followers).toEqual({ gained: ['4', '5'], lost: ['1'] });
      expect(c.following).toEqual({ added: [], removed: [] });
    });
  });
});

describe('JSON Schema', () => {
  it('every golden and fixture report validates against `engage-audit schema report`', async () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse((await runCli(['schema', 'report'])).stdout));
    const reports = [
      JSON.parse(readFileSync(path.join(ROOT, 'test/golden/sample-2022.json'), 'utf8')),
      ...(await Promise.all(
        ['fixtures/x-archive/legacy-2020', 'fixtures/mastodon-archive/sample', 'fixtures/linkedin/export', 'fixtures/instagram/export', 'fixtures/bluesky-car/repo.car', HOSTILE].map(async (t) => JSON.parse((await runCli([t, '--json'])).stdout)),
      )),
    ];
    for (const report of reports) expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...reports[0], schemaVersion: 2 })).toBe(false);
    const datasetSchema = ajv.compile(JSON.parse((await runCli(['schema', 'dataset'])).stdout));
    expect(datasetSchema(JSON.parse(readFileSync(path.join(ROOT, HOSTILE), 'utf8')))).toBe(true);
  });
});

describe('the layer period in words', () => {
  it('names the days it counted: a --since inside the last 90 days clips them (2025-05-01 → 2025-06-02 is 33 days)', async () => {
    const r = await runCli([path.join(FIXTURES, 'x-archive/sample-2022.zip'), '--since', '2025-05-01']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('over the 33 days 2025-05-01 → 2025-06-02');
    const md = await runCli([path.join(FIXTURES, 'x-archive/sample-2022.zip'), '--since', '2025-05-01', '--format', 'markdown']);
    expect(md.stdout).toMatch(/weighted people over 33 days/);
  });
});
