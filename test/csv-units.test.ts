/** The CSV for spreadsheets (docs/reports.md "CSV columns"): numbers to 6 decimals, dates and times, the window start, --csv-bom. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCli, withTempDir } from './helpers.js';

const ARCHIVE = 'fixtures/x-archive/sample-2022.zip';

/** The rows of a CSV as objects, read by csv-parse (not the writer). */
function rows(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true }) as Record<string, string>[];
}

describe('CSV columns for spreadsheets', () => {
  it('rounds fractions to 6 decimals, writes dates as YYYY-MM-DD and times without milliseconds, and fills window_since as the table shows it', async () => {
    const csv = await runCli([ARCHIVE, '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const [row] = rows(csv.stdout);
    const json = JSON.parse((await runCli([ARCHIVE, '--json'])).stdout) as {
      metrics: { engagement: { ratePerPostMean: number; perPostMean: number }; cadence: { postsPerDay: number } };
      window: { since: string | null };
    };
    // By hand: 95 engagements over 17 own posts = 5.588235294…, ÷ 12 followers = 0.465686274…
    expect(json.metrics.engagement.ratePerPostMean).toBeCloseTo(95 / 17 / 12, 12);
    expect(row!['engagement_rate']).toBe('0.465686');
    expect(row!['engagements_per_post_mean']).toBe('5.588235');
    expect(row!['engagement_rate_median']).toBe('0.333333');
    expect(row!['posts_per_day']).toBe('0.299065');
    // Numbers that are whole or short stay as they are.
    expect(row!['reply_share']).toBe('0.1875');
    expect(row!['engagements']).toBe('95');
    for (const [name, cell] of Object.entries(row!)) {
      if (/^-?\d+\.\d+$/.test(cell)) expect(cell.split('.')[1]!.length, name).toBeLessThanOrEqual(6);
    }
    // SOURCE_DATE_EPOCH 1767225600 is 2026-01-01T00:00:00Z.
    expect(row!['generated_at']).toBe('2026-01-01T00:00:00Z');
    expect(row!['as_of']).toBe('2025-06-02');
    expect(row!['window_until']).toBe('2025-06-02');
    // The JSON keeps the whole history as since: null; the table and the CSV show its first day.
    expect(json.window.since).toBeNull();
    const table = await runCli([ARCHIVE]);
    expect(table.stdout).toContain('Window 2025-02-03 (first post)');
    expect(row!['window_since']).toBe('2025-02-03');
  });

  it('gives --since as its day', async () => {
    const [row] = rows((await runCli([ARCHIVE, '--format', 'csv', '--since', '2025-03-01'])).stdout);
    expect(row!['window_since']).toBe('2025-03-01');
  });

  it('writes the --posts-csv date column as an ISO time without milliseconds', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'posts.csv');
      const r = await runCli([ARCHIVE, '--posts-csv', file, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const posts = rows(await readFile(file, 'utf8'));
      expect(posts.length).toBe(32);
      for (const p of posts) expect(p['date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });
  });
});

describe('--csv-bom', () => {
  it('starts the CSV report and the posts CSV with EF BB BF; rows end in CRLF and a line break inside a quoted cell stays LF', async () => {
    await withTempDir(async (dir) => {
      const report = path.join(dir, 'r.csv');
      const posts = path.join(dir, 'p.csv');
      // The hostile dataset with a post text on two lines and an accented name.
      const dataset = JSON.parse(await readFile('fixtures/hostile/dataset.json', 'utf8')) as { posts: Array<{ text: string }>; account: { displayName: string } };
      dataset.posts[0]!.text = 'Première ligne\nseconde ligne';
      dataset.account.displayName = 'Zoë Müller';
      const input = path.join(dir, 'd.json');
      await writeFile(input, JSON.stringify(dataset));
      const r = await runCli([input, '--as-of', '2025-03-31', '-o', report, '--posts-csv', posts, '--csv-bom', '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      for (const file of [report, posts]) {
        const bytes = await readFile(file);
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(bytes.subarray(3, 6).toString('utf8')).not.toContain('\ufeff');
        const text = bytes.toString('utf8').slice(1);
        // Every row ends in CRLF: the text outside quotes has no bare LF.
        const outside = text.replace(/"(?:[^"]|"")*"/g, '');
        expect(outside).not.toMatch(/[^\r]\n/);
        expect(outside.endsWith('\r\n')).toBe(true);
      }
      // A post text with a line break is one quoted cell whose inner break is kept as written (LF).
      const text = (await readFile(posts, 'utf8')).slice(1);
      const quoted = text.match(/"(?:[^"]|"")*"/g) ?? [];
      expect(quoted).toContain('"Première ligne\nseconde ligne"');
      expect(rows(text).map((p) => p['text'])).toContain('Première ligne\nseconde ligne');
      expect(rows((await readFile(report, 'utf8')).slice(1))[0]!['display_name']).toBe('Zoë Müller');
    });
  });

  it('goes to standard output too, and is a usage error when no CSV is written', async () => {
    const out = await runCli([ARCHIVE, '--format', 'csv', '--csv-bom']);
    expect(out.code).toBe(0);
    expect(out.stdout.startsWith('\ufeffgenerated_at,')).toBe(true);
    const plain = await runCli([ARCHIVE, '--format', 'csv']);
    expect(plain.stdout.startsWith('generated_at,')).toBe(true);
    const none = await runCli([ARCHIVE, '--json', '--csv-bom']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--csv-bom/);
    expect(none.stdout).toBe('');
  });
});

describe('docs/reports.md "CSV columns"', () => {
  it('gives each fraction, date and time column the unit the code writes it in', async () => {
    const { CSV_COLUMNS, CSV_UNITS } = await import('../src/reporters/csv.js');
    const doc = await readFile('docs/reports.md', 'utf8');
    const table = doc.slice(doc.indexOf('## CSV columns'), doc.indexOf('Every format has an **Audience quality**'));
    const documented = new Map<string, string>();
    for (const [, names, unit] of table.matchAll(/^\| (`[^|]*`) \| ([^|]+) \|/gm)) {
      for (const [, name] of names!.matchAll(/`([a-z0-9_]+)`/g)) documented.set(name!, unit!.trim());
    }
    for (const [name] of CSV_COLUMNS) expect(documented.has(name), name).toBe(true);
    const special = [...documented].filter(([, unit]) => ['fraction', 'date', 'time'].includes(unit));
    expect(Object.fromEntries(special)).toEqual(CSV_UNITS);
  });
});
