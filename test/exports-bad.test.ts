/** Known-bad variants of each export: exit 3 and one line naming the file, the row or item, and the problem. */
import { readFileSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, withTempDir } from './helpers.js';

function expectInputError(r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(3);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(pattern);
  expect(lines[1]).toMatch(/^ {2}hint: /);
  expect(r.stdout).toBe('');
}

/** Copies a fixture folder, lets `change` edit it, and audits the copy. */
async function broken(fixture: string, change: (dir: string) => Promise<void>, args: string[] = []) {
  return withTempDir(async (tmp) => {
    const dir = path.join(tmp, path.basename(fixture));
    await cp(path.join(FIXTURES, fixture), dir, { recursive: true });
    await change(dir);
    return runCli([dir, ...args]);
  });
}

async function edit(file: string, fn: (text: string) => string): Promise<void> {
  await writeFile(file, fn(await readFile(file, 'utf8')));
}

describe('Mastodon archive', () => {
  it('outbox.json that is not JSON', async () => {
    const r = await broken('mastodon-archive/sample', (d) => edit(path.join(d, 'outbox.json'), (t) => t.slice(0, t.length / 2)));
    expectInputError(r, /outbox\.json is not valid JSON/);
  });
  it('an item whose date is not a date', async () => {
    const r = await broken('mastodon-archive/sample', (d) => edit(path.join(d, 'outbox.json'), (t) => t.replace(/"published": ?"[^"]+"/, '"published": "yesterday"')));
    expectInputError(r, /outbox\.json item \d+: published "yesterday" is not a date/);
  });
  it('a truncated tar.gz', async () => {
    await withTempDir(async (tmp) => {
      const bytes = readFileSync(path.join(FIXTURES, 'mastodon-archive/sample.tar.gz'));
      const file = path.join(tmp, 'cut.tar.gz');
      await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      expectInputError(await runCli([file]), /cut\.tar\.gz: not a readable \.tar\.gz/);
    });
  });
});

describe('LinkedIn', () => {
  it('a Shares.csv date LinkedIn never writes', async () => {
    const r = await broken('linkedin/export', (d) => edit(path.join(d, 'Shares.csv'), (t) => t.replace(/\r?\n(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})/, '\nsometime')));
    expectInputError(r, /Shares\.csv row 2: Date "sometime" is not a date LinkedIn writes/);
  });
});

describe('Instagram and Facebook', () => {
  it('a post without a timestamp', async () => {
    const r = await broken('instagram/export', (d) =>
      edit(path.join(d, 'your_instagram_activity/content/posts_1.json'), (t) => {
        const posts = JSON.parse(t) as Array<Record<string, unknown>>;
        posts[2] = { media: [{ uri: 'media/x.jpg', title: 'no time' }] };
        return JSON.stringify(posts);
      }),
    );
    expectInputError(r, /posts_1\.json post 3 has no creation_timestamp/);
  });
  it('a followers file that is not JSON', async () => {
    const r = await broken('instagram/export', (d) => writeFile(path.join(d, 'connections/followers_and_following/followers_1.json'), '[{"title": '));
    expectInputError(r, /followers_1\.json is not valid JSON/);
  });
  it('a Facebook post without a timestamp', async () => {
    const r = await broken('facebook/your-posts', (d) =>
      edit(path.join(d, 'your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json'), (t) => {
        const posts = JSON.parse(t) as Array<Record<string, unknown>>;
        delete posts[0]!['timestamp'];
        return JSON.stringify(posts);
      }),
    );
    expectInputError(r, /your_posts__check_ins__photos_and_videos_1\.json item 1 has no timestamp/);
  });
});

describe('CSV', () => {
  const custom = ['--platform', 'csv', '--columns', 'date=when,text=text,likes=hearts,replies=answers,reposts=boosts,kind=type', '--followers', '850'];
  it('a row whose date is not a date, and a row whose kind is unknown', async () => {
    await withTempDir(async (tmp) => {
      const file = path.join(tmp, 'posts.csv');
      const text = readFileSync(path.join(FIXTURES, 'csv/custom.csv'), 'utf8');
      const lines = text.split(/\r?\n/);
      await writeFile(file, [lines[0], lines[1]!.replace(/^[^,]+/, 'soon'), ...lines.slice(2)].join('\n'));
      expectInputError(await runCli([file, ...custom]), /posts\.csv row 2: date "soon" is not a date/);
      await writeFile(file, [lines[0], lines[1]!.replace(/,(original|reply|repost|quote|thread)\s*$/, ',boost'), ...lines.slice(2)].join('\n'));
      expectInputError(await runCli([file, ...custom]), /posts\.csv row 2: kind "boost" is not one of original/);
    });
  });
  it('a CSV nobody described: exit 3 with the way to describe it', async () => {
    const r = await runCli(['fixtures/csv/custom.csv']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/a CSV that matches no known export \(columns: when, text, hearts/);
    expect(r.stderr).toMatch(/hint: Say which columns hold what: --platform csv --columns date=/);
  });
  it('an unknown field in --columns is a usage error', async () => {
    const r = await runCli(['fixtures/csv/custom.csv', '--columns', 'date=when,stars=hearts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--columns: unknown field "stars"/);
  });
});

describe('Bluesky CAR', () => {
  it('a truncated repository', async () => {
    await withTempDir(async (tmp) => {
      const bytes = readFileSync(path.join(FIXTURES, 'bluesky-car/repo.car'));
      const file = path.join(tmp, 'cut.car');
      await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      expectInputError(await runCli([file]), /cut\.car: not a readable CAR file after \d+ blocks/);
    });
  });
});

describe('inspect', () => {
  it('explains what each export can and cannot give', async () => {
    const r = await runCli(['inspect', 'fixtures/linkedin/export.zip']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^LinkedIn export: fixtures\/linkedin\/export\.zip/);
    expect(r.stdout).toMatch(/no +engagement\.impressions — The LinkedIn export holds no view counts\./);
    const json = JSON.parse((await runCli(['inspect', 'fixtures/instagram/export', '--json'])).stdout);
    expect(json.format).toBe('Instagram export');
    expect(json.posts.total).toBe(json.posts.byKind.original + json.posts.byKind.thread + json.posts.byKind.reply);
    expect(json.audits['follow-back']).toBe(true);
    expect(json.metrics.audience).toBe(true);
    expect(JSON.stringify(json)).not.toContain('@example.test');
  });
});
