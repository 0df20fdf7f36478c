/**
 * docs/metrics.md "The report date" and "Windows that miss the data": where `window.asOf` comes
 * from, freshness without one, and windows with no posts. Counts are by hand from the fixtures:
 * - fixtures/mastodon-archive/sample: 26 posts, 2025-06-02T08:10Z … 2025-08-19T21:00Z; no date of its own.
 * - fixtures/x-archive/sample-2022.zip: posts 2025-02-03 … 2025-05-20; manifest generationDate 2025-06-02T10:15:42.318Z.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { FIXTURES, runCli, withTempDir } from './helpers.js';

const MASTODON = path.join(FIXTURES, 'mastodon-archive/sample');
const X_SAMPLE = 'fixtures/x-archive/sample-2022.zip';
const files = readdirSync(MASTODON).sort().map((n): [string, Buffer] => [n, readFileSync(path.join(MASTODON, n))]);
// Entry times, one a file: the newest, 2025-08-25T09:00Z, is 6 UTC days after the newest post (Aug 19).
const TIMES = [Date.UTC(2025, 7, 20, 10), Date.UTC(2025, 7, 25, 9), Date.UTC(2025, 7, 1), Date.UTC(2025, 6, 15)];

async function zipWithTimes(options: { forceDosTimestamp?: boolean; times?: number[] } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  files.forEach(([name, data], i) => zip.addBuffer(data, name, { mtime: new Date((options.times ?? TIMES)[i % TIMES.length]!), forceDosTimestamp: options.forceDosTimestamp ?? false }));
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function tarGzWithTimes(): Promise<Buffer> {
  const pack = tar.pack();
  files.forEach(([name, data], i) => pack.entry({ name, size: data.length, mtime: new Date(TIMES[i % TIMES.length]!) }, data));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of (pack as unknown as Readable).pipe(createGzip()) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function audit(args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runCli([...args, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const freshness = (r: Report) => r.audits.find((a) => a.id === 'freshness')!;

describe('the report date comes from evidence', () => {
  it('a zip: the newest entry time, and freshness counts to it', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'mastodon.zip');
      await writeFile(file, await zipWithTimes());
      const { report } = await audit([file]);
      expect(report.window.asOf).toBe('2025-08-25T09:00:00.000Z');
      expect(report.window.asOfSource).toBe('entry-times');
      expect(report.metrics.cadence.daysSinceLastPost).toBe(6); // Aug 25 − Aug 19
      expect(report.window.posts).toBe(26);
    });
  });

  it('a tar.gz: the newest entry time, as in a zip', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'mastodon.tar.gz');
      await writeFile(file, await tarGzWithTimes());
      const { report } = await audit([file]);
      expect([report.window.asOf, report.window.asOfSource, report.metrics.cadence.daysSinceLastPost]).toEqual(['2025-08-25T09:00:00.000Z', 'entry-times', 6]);
    });
  });

  it('a zip whose entries carry the DOS minimum (1980-01-01) records no time', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'zeroed.zip');
      await writeFile(file, await zipWithTimes({ forceDosTimestamp: true, times: [Date.UTC(1980, 0, 1, 12)] }));
      const { report } = await audit([file]);
      expect([report.window.asOf, report.window.asOfSource]).toEqual([null, 'none']);
    });
  });

  it('a dataset saved from a zip keeps the entry time and where it came from', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'mastodon.zip');
      await writeFile(file, await zipWithTimes());
      const saved = path.join(dir, 'dataset.json');
      expect((await runCli(['pull', file, '-o', saved])).code).toBe(0);
      const { report } = await audit([saved]);
      expect([report.window.asOf, report.window.asOfSource]).toEqual(['2025-08-25T09:00:00.000Z', 'entry-times']);
    });
  });

  it('an extracted folder: no date (its file times change on copy), freshness n/a with "give --as-of"', async () => {
    const { report, code } = await audit([MASTODON]);
    expect(code).toBe(0);
    expect([report.window.asOf, report.window.asOfSource]).toEqual([null, 'none']);
    expect(report.window.until).toBe('2025-08-19T21:00:00.000Z'); // the whole history still ends at the newest post
    expect(report.metrics.cadence.daysSinceLastPost).toBeNull();
    expect([freshness(report).status, freshness(report).advice]).toEqual(['n/a', 'The source records no date to count from: give --as-of YYYY-MM-DD.']);
    const table = (await runCli([MASTODON], { columns: 200 })).stdout;
    expect(table).toContain('· as of n/a (the source records no date: give --as-of)');
  });

  it('an extracted folder with --days 30: counted back from the newest post as today', async () => {
    const { report } = await audit([MASTODON, '--days', '30']);
    expect(report.window.since).toBe('2025-07-21T00:00:00.000Z'); // Aug 19 − 29 days
    expect(report.window.until).toBe('2025-08-19T21:00:00.000Z');
    expect([report.window.asOf, report.window.asOfSource, report.window.days]).toEqual([null, 'none', 30]);
  });

  it('--as-of wins over the source; X generationDate over the zip entry times', async () => {
    const given = await audit([MASTODON, '--as-of', '2025-09-01']);
    expect([given.report.window.asOfSource, given.report.metrics.cadence.daysSinceLastPost]).toEqual(['--as-of', 13]); // Sep 1 − Aug 19
    const x = await audit([X_SAMPLE]);
    expect([x.report.window.asOf, x.report.window.asOfSource]).toEqual(['2025-06-02T10:15:42.318Z', 'generation-date']);
    const md = (await runCli([X_SAMPLE, '--format', 'markdown'])).stdout;
    expect(md).toContain("as of 2025-06-02 (the archive's generation date)");
    const html = (await runCli([X_SAMPLE, '--format', 'html'])).stdout;
    expect(html).toContain('as of 2025-06-02 (the archive&#39;s generation date)');
    const csv = (await runCli([MASTODON, '--format', 'csv'])).stdout.split('\r\n');
    // The column, found by its header name: the folder records no date.
    const column = csv[0]!.split(',').indexOf('as_of_source');
    expect(column).toBeGreaterThan(0);
    expect(csv[1]!.split(',')[column]).toBe('none');
  });
});

describe('windows that miss the data', () => {
  it('--since after the newest post is a usage error naming the data\'s dates', async () => {
    const r = await runCli([X_SAMPLE, '--since', '2030-01-01']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the window starts 2030-01-01, after the data: its posts run from 2025-02-03 to 2025-05-20');
  });

  it('--until before the oldest post is a usage error too', async () => {
    const r = await runCli([MASTODON, '--until', '2024-12-31']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the window ends 2024-12-31, before the data: its posts run from 2025-06-02 to 2025-08-19');
  });

  it('a window inside the dates with no posts: null post metrics, a warning, no overall score', async () => {
    // --as-of 2025-12-31 --days 30 = Dec 2 … Dec 31, after the last post (May 20): the account was quiet.
    const { report, code } = await audit([X_SAMPLE, '--as-of', '2025-12-31', '--days', '30']);
    expect(code).toBe(0);
    expect(report.window.posts).toBe(0);
    expect(report.scores.overall).toBeNull();
    expect(report.scores.categories.audience).toBe(67); // follower counts need no posts
    expect(report.metrics.engagement.ratePerPostMean).toBeNull();
    expect(report.metrics.cadence.daysSinceLastPost).toBeNull();
    expect(report.input.warnings).toContain('No posts in the window: every post metric is empty and there is no overall score (the posts run from 2025-02-03 to 2025-05-20).');
    const gated = await runCli([X_SAMPLE, '--as-of', '2025-12-31', '--days', '30', '--fail-under', '50']);
    expect(gated.code).toBe(1);
    const table = (await runCli([X_SAMPLE, '--as-of', '2025-12-31', '--days', '30'], { columns: 200 })).stdout;
    expect(table).toMatch(/Overall n\/a · /);
  });
});
