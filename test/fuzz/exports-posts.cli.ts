/**
 * CLI fuzzing of the other exports: LinkedIn (folder, zip, the UTF-16 2018 Shares.csv), Instagram
 * (folder, zip, the 2022 layout), Facebook (posts JSON, page CSV), post CSVs (`--platform csv
 * --columns …`, the Sprout preset) and saved datasets (.json). Same contract as the archives
 * (test/fuzz/oracle.ts); the bugs found are replayed in their own test as minimal cases.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './paths.js';
import { fixtureFile, fixtureFolder, fuzzFormat, replay, sharedCli, summarize, type Case, type FormatSpec, type Reproduction } from './e2e.js';

const CUSTOM_COLUMNS = ['--platform', 'csv', '--columns', 'date=when,text=text,likes=hearts,replies=answers,reposts=boosts,kind=type', '--followers', '850'];
const LINKEDIN_FILES = { 'Shares.csv': 'csv', 'Comments.csv': 'csv', 'Connections.csv': 'csv', 'Reactions.csv': 'csv', 'Member_Follows.csv': 'csv' } as const;
const INSTAGRAM_FILES = {
  'your_instagram_activity/content/posts_1.json': 'json',
  'your_instagram_activity/comments/post_comments_1.json': 'json',
  'your_instagram_activity/likes/liked_posts.json': 'json',
  'connections/followers_and_following/followers_1.json': 'json',
  'connections/followers_and_following/following.json': 'json',
  'personal_information/personal_information/personal_information.json': 'json',
} as const;
const FB_POSTS = 'your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json';
const IG_POSTS = 'your_instagram_activity/content/posts_1.json';

const edit = (file: string, describe: string, fn: (t: string) => string, format = 'json'): Case => ({ where: 'file', file, format, mutation: { kind: 'text', describe, edit: fn } });

const SPECS: FormatSpec[] = [
  { name: 'linkedin folder', load: fixtureFolder('linkedin/export'), files: LINKEDIN_FILES, pack: 'folder', targetName: 'export', args: [], runs: 25 },
  { name: 'linkedin zip', load: fixtureFolder('linkedin/export'), original: 'linkedin/export.zip', files: LINKEDIN_FILES, pack: 'zip', targetName: 'export.zip', args: [], runs: 10 },
  { name: 'linkedin 2018 Shares.csv (UTF-16)', load: fixtureFolder('linkedin/shares-2018'), files: { 'Shares.csv': 'csv' }, pack: { file: 'Shares.csv' }, targetName: 'shares-2018', args: [], runs: 10 },
  { name: 'instagram folder', load: fixtureFolder('instagram/export'), files: INSTAGRAM_FILES, pack: 'folder', targetName: 'export', args: [], runs: 25 },
  { name: 'instagram zip', load: fixtureFolder('instagram/export'), original: 'instagram/export.zip', files: INSTAGRAM_FILES, pack: 'zip', targetName: 'export.zip', args: [], runs: 10 },
  {
    name: 'instagram legacy-2022',
    load: fixtureFolder('instagram/legacy-2022'),
    files: { 'content/posts_1.json': 'json', 'followers_and_following/followers.json': 'json', 'followers_and_following/following.json': 'json' },
    pack: 'folder',
    targetName: 'legacy-2022',
    args: [],
    runs: 10,
  },
  { name: 'facebook posts', load: fixtureFolder('facebook/your-posts'), files: { [FB_POSTS]: 'json' }, pack: 'folder', targetName: 'your-posts', args: [], runs: 20 },
  { name: 'facebook page CSV', load: fixtureFile('facebook/page-export.csv'), files: { 'page-export.csv': 'csv' }, pack: { file: 'page-export.csv' }, targetName: 'page', args: ['--followers', '2400'], runs: 15 },
  { name: 'csv --columns', load: fixtureFile('csv/custom.csv'), files: { 'custom.csv': 'csv' }, pack: { file: 'custom.csv' }, targetName: 'csv', args: CUSTOM_COLUMNS, runs: 25 },
  { name: 'csv sprout preset', load: fixtureFile('csv/sprout-posts.csv'), files: { 'sprout-posts.csv': 'csv' }, pack: { file: 'sprout-posts.csv' }, targetName: 'sprout', args: ['--followers', '5000'], runs: 15 },
];

describe('CLI fuzzing: post exports, CSVs and saved datasets (mutated copies of the fixtures)', () => {
  const cli = sharedCli();
  let tmp = '';
  /** Saved datasets: the hostile fixture, and a pull of the X archive (made in beforeAll). */
  const DATASETS: FormatSpec[] = [];
  let firstCreatedAt = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'engage-audit-fuzz-'));
    const pulled = path.join(tmp, 'x-dataset.json');
    const pull = await cli.run(['pull', 'fixtures/x-archive/sample-2022.zip', '-o', pulled]);
    if (pull.code !== 0) throw new Error(`pull of the sample archive failed: ${pull.stderr}`);
    const x = await readFile(pulled);
    const hostile = await readFile(path.join(FIXTURES, 'hostile', 'dataset.json'));
    firstCreatedAt = (JSON.parse(x.toString('utf8')) as { posts: Array<{ createdAt: string }> }).posts[0]!.createdAt;
    DATASETS.push(
      { name: 'dataset (pulled X archive)', load: async () => [['x-dataset.json', x]], files: { 'x-dataset.json': 'json' }, pack: { file: 'x-dataset.json' }, targetName: 'ds', args: [], runs: 20 },
      { name: 'dataset (hostile fixture)', load: async () => [['dataset.json', hostile]], files: { 'dataset.json': 'json' }, pack: { file: 'dataset.json' }, targetName: 'hostile', args: [], runs: 10 },
    );
  }, 60_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  SPECS.forEach((spec, i) => {
    it(`${spec.name}: mutated copies end in a report or exit 2/3, never exit 5, a stack trace, a hang or a silent empty success`, async () => {
      const outcome = await fuzzFormat(spec, 100 + i, cli, tmp);
      console.log(`${spec.name}: ${outcome.cases} cases (${[...outcome.signatures].map(([s, n]) => `${s} ×${n}`).join(', ')}; slowest ${Math.round(outcome.slowestMs)} ms)`);
      expect(outcome.failures, `\n${summarize(outcome.failures)}\n`).toEqual([]);
    }, 120_000);
  });

  it('saved datasets (a pull of the X archive, the hostile fixture): 30 mutated copies, same contract', async () => {
    const failures = [];
    const lines: string[] = [];
    let total = 0;
    for (const [j, spec] of DATASETS.entries()) {
      const outcome = await fuzzFormat(spec, 200 + j, cli, tmp);
      total += outcome.cases;
      failures.push(...outcome.failures);
      lines.push(`${spec.name}: ${[...outcome.signatures].map(([s, n]) => `${s} ×${n}`).join(', ')}`);
    }
    console.log(`saved datasets: ${total} cases (${lines.join('; ')})`);
    expect(failures, `\n${summarize(failures)}\n`).toEqual([]);
  }, 120_000);

  it('a CSV whose two posts are 1990-01-01 and 2199-12-31 (both plausible) prints its table in seconds, not minutes (3 CLI runs)', async () => {
    const file = path.join(tmp, 'span.csv');
    await writeFile(file, 'when,hearts\n1990-01-01,1\n2199-12-31,2\n');
    const args = ['--platform', 'csv', '--columns', 'date=when,likes=hearts', '--followers', '10'];
    const json = await cli.run([file, '--json', ...args]);
    const table = await cli.run([file, '--format', 'table', ...args]);
    const markdown = await cli.run([file, '--format', 'markdown', ...args]);
    const months = json.code === 0 ? (JSON.parse(json.stdout) as { monthly: unknown[] }).monthly.length : 0;
    console.log(`1990–2199 CSV: json ${Math.round(json.ms)} ms (${months} monthly rows), table ${Math.round(table.ms)} ms (${table.stdout.length} bytes), markdown ${Math.round(markdown.ms)} ms`);
    expect(table.code, table.stderr).toBe(0);
    expect(table.ms, `the table of ${months} months took ${Math.round(table.ms)} ms; the JSON took ${Math.round(json.ms)} ms`).toBeLessThan(5000);
  }, 30_000);

  it('a negative count in a post CSV is unknown (null) or an input error, never 0 (4 CLI runs)', async () => {
    const args = ['--platform', 'csv', '--columns', 'date=when,likes=hearts,replies=answers', '--followers', '10'];
    const problems: string[] = [];
    for (const value of ['-5', '-1', '-0.5', '-1e308']) {
      const file = path.join(tmp, 'negative.csv');
      await writeFile(file, `when,hearts,answers\n2025-01-01,${value},\n`);
      const r = await cli.run([file, '--json', ...args]);
      if (r.code === 3) continue;
      const likes = r.code === 0 ? (JSON.parse(r.stdout) as { metrics: { engagement: { likes: number | null } } }).metrics.engagement.likes : `exit ${r.code}`;
      if (likes !== null) problems.push(`hearts "${value}" → likes ${likes}`);
    }
    console.log(`negative counts: 4 cases, ${problems.length} read as a number`);
    expect(problems).toEqual([]);
  }, 30_000);

  // Each bug the fuzzing found, once, as its smallest input (they fail until the bug is fixed).
  it('minimal reproductions of the bugs found: 10 CLI runs, same contract', async () => {
    const spec = (name: string): FormatSpec => [...SPECS, ...DATASETS].find((s) => s.name === name)!;
    const list: Reproduction[] = [
      { spec: spec('instagram folder'), case: edit(IG_POSTS, 'the first "creation_timestamp" set to 1e300', (t) => t.replace(/"creation_timestamp": \d+/, '"creation_timestamp": 1e300')) },
      { spec: spec('instagram folder'), case: edit(IG_POSTS, 'an item of 20,000 nested arrays before the posts', (t) => t.replace(/^\[/, `[${'['.repeat(20_000)}${']'.repeat(20_000)},`)) },
      { spec: spec('instagram folder'), case: edit(IG_POSTS, 'posts_1.json is {} (no posts array)', () => '{}') },
      { spec: spec('facebook posts'), case: edit(FB_POSTS, 'the first "timestamp" set to 1e300 (seconds)', (t) => t.replace(/"timestamp": \d+/, '"timestamp": 1e300')) },
      { spec: spec('csv --columns'), case: { where: 'file', file: 'custom.csv', format: 'json', mutation: { kind: 'bytes', ops: [{ op: 'bom', bom: 'utf16be' }, { op: 'delete', at: 2, len: 1 }] } } },
      { spec: spec('csv --columns'), case: edit('custom.csv', 'only the header line is left', (t) => `${t.split('\n')[0]}\n`) },
      { spec: spec('facebook page CSV'), case: edit('page-export.csv', 'the first row has "1.22158E+17" comments', (t) => t.replace(/,34,3,2\r?\n/, ',34,1.22158E+17,2\n')) },
      {
        spec: spec('dataset (pulled X archive)'),
        hangs: true,
        case: edit('x-dataset.json', 'asOf set to null and the first post\'s createdAt to "+011476-01-01T00:00:00.000Z"', (t) =>
          t.replace(/"asOf": ?"[^"]*"/, '"asOf": null').replace(firstCreatedAt, '+011476-01-01T00:00:00.000Z'),
        ),
      },
      { spec: spec('facebook posts'), hangs: true, case: edit(FB_POSTS, 'the first "timestamp" set to 300000000000 (seconds: year 11476)', (t) => t.replace(/"timestamp": \d+/, '"timestamp": 300000000000')) },
      { spec: spec('csv --columns'), hangs: true, case: edit('custom.csv', 'the first row dated 12/31/9999 (95,692 monthly rows), as a table', (t) => t.replace('2025-09-01T08:00:00Z', '12/31/9999'), 'table') },
    ];
    const failures = await replay(list, cli, tmp);
    console.log(`post-export reproductions: ${list.length} cases, ${failures.length} failing`);
    expect(failures, `\n${summarize(failures)}\n`).toEqual([]);
  }, 60_000);
});
