/**
 * LinkedIn's Shares.csv, Comments.csv and Reactions.csv as LinkedIn writes them (not RFC 4180: raw line
 * breaks in quoted and unquoted text, `\"` for a quote, a row per attached media, a blank Date), read
 * to the hand count of fixtures/linkedin/AS-WRITTEN-EXPECTED.md; files that are not LinkedIn's still
 * exit 3, with a hint that does not send the user to download the same file again.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Post } from '../src/model/dataset.js';
import { lineRecordBatches } from '../src/sources/csv-read.js';
import { loadDataset } from '../src/sources/index.js';
import { FIXTURES, runCli, withTempDir } from './helpers.js';

const AS_WRITTEN = path.join(FIXTURES, 'linkedin/as-written');

/** The hand count: UTC time → kind and text (⏎ = a line break). */
const EXPECTED: Array<[string, Post['kind'], string]> = [
  ['2025-06-23T08:00:00.000Z', 'original', 'Three lessons from the June survey:⏎⏎1. Start at low tide.⏎2. Count twice, "write once".⏎⏎Notes: https://lnkd.in/example1'],
  ['2025-06-19T11:30:00.000Z', 'original', 'Our "open data" report, finally out.'],
  ['2025-06-16T09:00:00.000Z', 'original', 'Photos from the clean-up'],
  ['2025-06-11T15:15:15.000Z', 'original', 'New sensor housing'],
  ['2025-06-08T07:30:00.000Z', 'repost', ''],
  ['2025-06-05T12:12:12.000Z', 'original', ''],
  ['2025-06-02T18:00:00.000Z', 'original', 'Field day tomorrow!'],
  ['2025-05-31T09:45:00.000Z', 'quote', 'Worth reading, all of it.'],
  ['2025-05-28T06:50:00.000Z', 'original', 'Closing line.'],
  ['2025-06-24T18:04:11.000Z', 'reply', 'Nadia Brook Thanks! Sharing the sheet later today'],
  ['2025-06-22T09:30:00.000Z', 'reply', 'Tomas Ferro Good question. We log three things:⏎⏎1. water temperature⏎2. turbidity, twice a day⏎3. anything "odd" the volunteers notice'],
  ['2025-06-20T07:12:45.000Z', 'reply', 'Congrats on the launch!'],
  ['2025-06-17T21:40:09.000Z', 'reply', 'Same here⏎Our buoy logged the same drift'],
  ['2025-06-15T12:00:00.000Z', 'reply', '"Measure first" is the whole method, really.'],
  ['2025-06-12T16:20:30.000Z', 'reply', 'Her advice was "keep it simple, then simpler."'],
  ['2025-06-09T08:05:00.000Z', 'reply', 'Two things, briefly:⏎- calibrate⏎- publish⏎'],
  ['2025-06-06T19:45:10.000Z', 'reply', 'She said "no", then "yes".'],
  ['2025-06-03T10:10:10.000Z', 'reply', 'Loved the “tide clock” idea 🌊'],
  ['2025-05-30T14:00:00.000Z', 'reply', 'Great recap⏎2025-06-01 was the start of it all'],
];
const WARNINGS = [
  'Shares.csv: 3 rows repeat the post of the row before (LinkedIn writes a row per attached media): each post is counted once.',
  'Comments.csv: 1 row whose Date LinkedIn left blank is not counted.',
];

async function postsOf(target: string) {
  const dataset = await loadDataset(target);
  const posts: Post[] = [];
  for await (const batch of dataset.posts) posts.push(...batch);
  return { dataset, posts };
}

const asRows = (posts: Post[]) => posts.map((p) => [p.createdAt, p.kind, (p.text ?? '').replace(/\n/g, '⏎')]);

describe('LinkedIn files as LinkedIn writes them', () => {
  it('every post, its kind and its text as the hand count says; repeated and undated rows said once', async () => {
    const { dataset, posts } = await postsOf(AS_WRITTEN);
    expect(asRows(posts)).toEqual(EXPECTED);
    expect(dataset.account.posts).toBe(19);
    expect(dataset.likesGiven).toBe(5);
    expect(dataset.state.warnings).toEqual(WARNINGS);
  });

  it('the report: 19 posts over 34 days, 7 originals, 10 replies, 1 repost, 1 quote', async () => {
    const r = await runCli([AS_WRITTEN, '--json', '--as-of', '2025-06-30']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { window: { days: number; posts: number }; metrics: { mix: Record<string, number> }; input: { warnings: string[] } };
    expect(report.window).toMatchObject({ days: 34, posts: 19 });
    // The 10 comments are read (total 19), but neither thread nor reply is a count: Comments.csv does not say whose post a comment is on.
    expect(report.metrics.mix).toMatchObject({ original: 7, thread: null, reply: null, repost: 1, quote: 1, total: 19 });
    expect(report.input.warnings).toEqual(WARNINGS);
  });

  it('the other line ends and encodings give the same posts: Comments.csv in CRLF and UTF-16LE, Shares.csv in LF', async () => {
    await withTempDir(async (tmp) => {
      const dir = path.join(tmp, 'export');
      await cp(AS_WRITTEN, dir, { recursive: true });
      const comments = (await readFile(path.join(dir, 'Comments.csv'), 'utf8')).replace(/^\uFEFF/, '').replace(/\n/g, '\r\n');
      await writeFile(path.join(dir, 'Comments.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(comments, 'utf16le')]));
      await writeFile(path.join(dir, 'Shares.csv'), (await readFile(path.join(dir, 'Shares.csv'), 'utf8')).replace(/\r\n/g, '\n'));
      expect(asRows((await postsOf(dir)).posts)).toEqual(EXPECTED);
    });
  });

  it('a quote never closed ends with its record, not the file', async () => {
    await withTempDir(async (tmp) => {
      await writeFile(path.join(tmp, 'Shares.csv'), 'Date,ShareLink,ShareCommentary\n');
      await writeFile(path.join(tmp, 'Comments.csv'), 'Date,Link,Message\n2025-02-01 10:00:00,https://x,"never closed\n2025-01-31 09:00:00,https://y,next\n');
      expect(asRows((await postsOf(tmp)).posts)).toEqual([
        ['2025-02-01T10:00:00.000Z', 'reply', 'never closed'],
        ['2025-01-31T09:00:00.000Z', 'reply', 'next'],
      ]);
    });
  });
});

describe('read as a stream', () => {
  async function recordsOf(pieces: Buffer[]) {
    const out: Array<{ row: number; record: Record<string, string> }> = [];
    async function* bytes() {
      yield* pieces;
    }
    for await (const batch of lineRecordBatches(bytes(), 'Comments.csv', { recordStart: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},|^,https:/, textColumn: 'Message' })) {
      batch.records.forEach((record, k) => out.push({ row: batch.row + k, record }));
    }
    return out;
  }

  it('Comments.csv cut in two anywhere (inside a BOM, a CRLF, a UTF-8 character) reads as the whole file', async () => {
    const text = (await readFile(path.join(AS_WRITTEN, 'Comments.csv'), 'utf8')).replace(/\n/g, '\r\n');
    const file = Buffer.from(text);
    const whole = await recordsOf([file]);
    expect(whole).toHaveLength(11);
    expect(whole[10]).toEqual({ row: 12, record: { Date: '2025-05-30 14:00:00', Link: 'https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A7333200000000000501', Message: 'Great recap\n2025-06-01 was the start of it all' } });
    for (let at = 1; at < file.length; at++) expect(await recordsOf([file.subarray(0, at), file.subarray(at)])).toEqual(whole);
  });
});

describe('files that are not LinkedIn\u2019s: exit 3, one line, a hint that is not "download again"', () => {
  async function audit(files: Record<string, string>) {
    return withTempDir(async (tmp) => {
      const dir = path.join(tmp, 'export');
      await cp(AS_WRITTEN, dir, { recursive: true });
      for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
      return runCli([dir]);
    });
  }
  function expectNotLinkedIn(r: { code: number; stderr: string; stdout: string }, pattern: RegExp): void {
    expect(r.code, r.stderr).toBe(3);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(2);
    expect(lines[0]).toMatch(pattern);
    expect(lines[1]).toMatch(/^ {2}hint: LinkedIn's files are read as LinkedIn writes them/);
    expect(lines[1]).not.toMatch(/download (it|the export)? ?again/i);
    expect(r.stdout).toBe('');
  }

  it('a Comments.csv whose header is not LinkedIn\u2019s', async () => {
    expectNotLinkedIn(await audit({ 'Comments.csv': 'When,Where,What\n2025-02-01 10:00:00,https://x,hello\n' }), /Comments\.csv: its header begins "When", not with the Date column LinkedIn writes first/);
  });

  it('a Shares.csv row whose date was rewritten by a spreadsheet: the line joins the row before and overfills it', async () => {
    const shares = 'Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n2025-06-02 18:00:00,https://www.linkedin.com/feed/update/1,One,,,MEMBER_NETWORK\n6/1/2025 9:00,https://www.linkedin.com/feed/update/2,Two,,,MEMBER_NETWORK\n';
    expectNotLinkedIn(await audit({ 'Shares.csv': shares }), /Shares\.csv: row 2 has 11 cells where the header has 6 \(a line in it does not begin as a record does\)/);
  });

  it('a first row that does not begin with a date', async () => {
    expectNotLinkedIn(await audit({ 'Shares.csv': 'Date,ShareLink,ShareCommentary\nsometime,https://x,hello\n' }), /Shares\.csv row 2: Date "sometime" is not a date LinkedIn writes/);
  });
});
