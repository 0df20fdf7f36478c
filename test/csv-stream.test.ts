/**
 * Large CSV exports are read row by row (csv-read.ts `csvBatches`): a LinkedIn Shares.csv and a post
 * CSV give their first posts while most of the file is still unread, so memory holds a batch, not
 * the file; counts still match the rows written; a Sprout export, whose platform is known only once
 * every row's network has been seen, is read twice; and a damaged zip is still told from a bad row.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import type { Post } from '../src/model/dataset.js';
import { type Container, openFolder } from '../src/sources/container/index.js';
import { loadCsvPosts } from '../src/sources/csv/index.js';
import { loadLinkedIn } from '../src/sources/linkedin/index.js';
import { parseColumnMap } from '../src/sources/csv/columns.js';
import { loadDataset } from '../src/sources/index.js';
import { FIXTURES, runCli, withTempDir } from './helpers.js';

/** Bytes in pieces of 16 KB, counting what has been handed out. */
function counted(source: AsyncIterable<Buffer>, seen: { bytes: number }): Readable {
  return Readable.from(
    (async function* () {
      for await (const chunk of source) {
        for (let at = 0; at < chunk.length; at += 1 << 14) {
          const piece = chunk.subarray(at, at + (1 << 14));
          seen.bytes += piece.length;
          yield piece;
        }
      }
    })(),
  );
}

/** Reads every batch of posts, noting how many bytes had been handed out when the first came. */
async function drain(posts: AsyncIterable<readonly Post[]>, seen: { bytes: number }): Promise<{ posts: Post[]; firstAt: number }> {
  const all: Post[] = [];
  let firstAt = -1;
  for await (const batch of posts) {
    if (firstAt === -1) firstAt = seen.bytes;
    all.push(...batch);
  }
  return { posts: all, firstAt };
}

const ROWS = 20_000;

describe('LinkedIn Shares.csv', () => {
  it('its posts come while most of the file is unread, and every row is one post', async () => {
    await withTempDir(async (dir) => {
      // Every 5th row a repost (empty commentary, a LinkedIn address shared), every 10th on two lines.
      const lines = ['\uFEFFDate,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility'];
      for (let i = 0; i < ROWS; i++) {
        const repost = i % 5 === 0;
        const text = repost ? '' : i % 10 === 1 ? `"Line one ${i}\r\n""line two"""` : `Post ${i}`;
        lines.push(`2025-01-01 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:${i},${text},${repost ? 'https://www.linkedin.com/feed/update/urn:li:share:9' : ''},,MEMBER_NETWORK`);
      }
      const file = Buffer.from(`${lines.join('\r\n')}\r\n`);
      await writeFile(path.join(dir, 'Shares.csv'), file);
      const folder = await openFolder(dir);
      const seen = { bytes: 0 };
      const watched: Container = { ...folder, open: async (name) => counted((await folder.open(name)) as AsyncIterable<Buffer>, seen) };
      const dataset = await loadLinkedIn(watched, { target: dir });
      // Nothing of Shares.csv is read until the posts are asked for.
      expect(seen.bytes).toBe(0);
      const { posts, firstAt } = await drain(dataset.posts, seen);
      expect(firstAt).toBeGreaterThan(0);
      expect(firstAt).toBeLessThan(file.length / 2);
      expect(seen.bytes).toBe(file.length);
      expect(posts).toHaveLength(ROWS);
      expect(dataset.account.posts).toBe(ROWS);
      expect(posts.filter((p) => p.kind === 'repost')).toHaveLength(ROWS / 5);
      // LinkedIn's quirk undone: the second line of a text wrapped in literal quotes
      expect(posts[1]!.text).toBe('Line one 1\nline two');
      expect(posts[ROWS - 1]!.id).toBe(`https://www.linkedin.com/feed/update/urn:li:share:${ROWS - 1}`);
    });
  });

  it('a flipped bit in a stored zip entry is the zip\u2019s damage, not a bad row', async () => {
    await withTempDir(async (dir) => {
      const shares = await readFile(path.join(FIXTURES, 'linkedin/export/Shares.csv'));
      const zip = new yazl.ZipFile();
      zip.addBuffer(shares, 'Shares.csv', { compress: false });
      zip.end();
      const out = createWriteStream(path.join(dir, 'good.zip'));
      zip.outputStream.pipe(out);
      await once(out, 'finish');
      const bytes = await readFile(path.join(dir, 'good.zip'));
      // The year of the first row's date: 2025 → 2O25 (a letter O), a date LinkedIn never writes.
      const at = bytes.indexOf('\n2025-') + 2;
      bytes[at] = 0x4f;
      await writeFile(path.join(dir, 'damaged.zip'), bytes);
      const r = await runCli([path.join(dir, 'damaged.zip')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/damaged\.zip: Shares\.csv: its checksum \(CRC-32\) does not match: the zip is damaged/);
      // the same change outside a zip is a bad row
      await mkdir(path.join(dir, 'folder'));
      await writeFile(path.join(dir, 'folder/Shares.csv'), Buffer.from(shares.toString('latin1').replace('\n2025-', '\n2O25-'), 'latin1'));
      expect((await runCli([path.join(dir, 'folder')])).stderr).toMatch(/Shares\.csv row 2: Date "2O25-05-27 07:40:00" is not a date LinkedIn writes/);
    });
  });
});

describe('post CSV', () => {
  async function* bytesOf(text: string): AsyncGenerator<Buffer> {
    yield Buffer.from(text);
  }

  it('its posts come while most of the file is unread, and every row is one post', async () => {
    const lines = ['when,text,hearts,type'];
    for (let i = 0; i < ROWS; i++) lines.push(`2025-02-01T10:00:00Z,"post ${i}, a long one",${i % 10},${i % 4 === 0 ? 'reply' : 'original'}`);
    const text = `${lines.join('\n')}\n`;
    const seen = { bytes: 0 };
    const dataset = await loadCsvPosts(() => counted(bytesOf(text), seen), { target: 'posts.csv', label: 'posts.csv', columns: { date: ['when'], text: ['text'], likes: ['hearts'], kind: ['type'] } });
    const { posts, firstAt } = await drain(dataset.posts, seen);
    expect(firstAt).toBeLessThan(text.length / 2);
    expect(posts).toHaveLength(ROWS);
    expect(dataset.account.posts).toBe(ROWS);
    // 0 + 1 + … + 9 likes, ROWS / 10 times
    expect(posts.reduce((sum, p) => sum + (p.metrics.likes ?? 0), 0)).toBe(45 * (ROWS / 10));
    expect(posts.filter((p) => p.kind === 'reply')).toHaveLength(ROWS / 4);
  });

  // Open files are counted in /proc (Linux, where the tests run).
  it.runIf(existsSync('/proc/self/fd'))('leaves no file open when the audit stops part-way (a bad row, or a reader that has had enough)', async () => {
    await withTempDir(async (dir) => {
      const fds = async () => (await readdir('/proc/self/fd')).length;
      // 2.5 MB: more than the 1 MB a file is read by at once, so a stopped read leaves the file open.
      const lines = ['when,hearts,text'];
      for (let i = 0; i < ROWS; i++) lines.push(`2025-02-01T10:00:00Z,${i},${'x'.repeat(100)}`);
      const good = path.join(dir, 'good.csv');
      const bad = path.join(dir, 'bad.csv');
      await writeFile(good, `${lines.join('\n')}\n`);
      await writeFile(bad, `${[...lines.slice(0, ROWS / 2), 'soon,1', ...lines.slice(ROWS / 2)].join('\n')}\n`);
      await mkdir(path.join(dir, 'linkedin'));
      await writeFile(path.join(dir, 'linkedin/Shares.csv'), `Date,ShareLink,ShareCommentary\n${lines.slice(1).map((l, i) => `2025-01-01 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:${i},${l}`).join('\n')}\n`);
      const options = { columns: parseColumnMap('date=when,likes=hearts') };
      const before = await fds();
      for (let k = 0; k < 2; k++) {
        // a first batch taken, the rest left unasked
        const stopped = await loadDataset(good, options);
        expect((await stopped.posts[Symbol.asyncIterator]().next()).done).toBe(false);
        stopped.close?.();
        const failed = await loadDataset(bad, options);
        await expect(drain(failed.posts, { bytes: 0 })).rejects.toThrow(/bad\.csv row 10001: date "soon" is not a date/);
        failed.close?.();
        // and with the posts never asked for
        (await loadDataset(good, options)).close?.();
        // a LinkedIn Shares.csv read part-way
        const linkedIn = await loadDataset(path.join(dir, 'linkedin'));
        expect((await linkedIn.posts[Symbol.asyncIterator]().next()).done).toBe(false);
        linkedIn.close?.();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await fds()).toBe(before);
    });
  });

  it('a Sprout export is read twice: its platform is the network every row names (the last row decides as much as the first)', async () => {
    const sprout = await readFile(path.join(FIXTURES, 'csv/sprout-posts.csv'), 'utf8');
    const lastLine = sprout.trimEnd().split('\r\n').at(-1)!;
    for (const [text, platform] of [
      [sprout, 'instagram'],
      [`${sprout}${lastLine.replace(',Instagram,', ',Facebook,')}\r\n`, 'other'],
    ] as const) {
      let opened = 0;
      const dataset = await loadCsvPosts(
        () => {
          opened++;
          return bytesOf(text);
        },
        { target: 'sprout.csv', label: 'sprout.csv' },
      );
      expect(dataset.platform).toBe(platform);
      expect(opened).toBe(2);
      const { posts } = await drain(dataset.posts, { bytes: 0 });
      expect(posts).toHaveLength(text.trimEnd().split('\r\n').length - 1);
    }
  });
});
