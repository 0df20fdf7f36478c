/** src/sources/container/: entries are refused by their declared size before their content is read; a tar.gz is streamed. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import tar from 'tar-stream';
import { type Container, DEFAULT_LIMITS, openFolder, openTarGz, readSmall } from '../../src/sources/container/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'engage-audit-container-'));
  await writeFile(path.join(dir, 'small.js'), 'window.x = []');
  // A sparse file of 64 MiB + 1 byte: declared larger than the limit, nothing to read on disk.
  await writeFile(path.join(dir, 'large.js'), '');
  await truncate(path.join(dir, 'large.js'), (64 << 20) + 1);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readSmall', () => {
  it('reads an entry within the limit whole', async () => {
    const folder = await openFolder(dir);
    expect((await readSmall(folder, 'small.js')).toString()).toBe('window.x = []');
    expect((await readSmall(folder, 'small.js', 13)).length).toBe(13); // exactly the limit
  });

  it('refuses an entry whose size is over the limit without reading it', async () => {
    const folder = await openFolder(dir);
    await expect(readSmall(folder, 'small.js', 12)).rejects.toThrow(/small\.js is larger than 12 bytes, too large for its kind/);
    await expect(readSmall(folder, 'large.js')).rejects.toThrow(/large\.js is larger than 67108864 bytes/);
  });

  it('refuses by the bytes too when the size given beforehand is wrong (a zip may lie)', async () => {
    const folder = await openFolder(dir);
    let reads = 0;
    const lying = {
      ...folder,
      size: () => 1,
      open: async (name: string) => {
        const stream = await folder.open(name);
        stream.on('data', () => (reads += 1));
        return stream;
      },
    };
    await expect(readSmall(lying, 'small.js', 12)).rejects.toThrow(/larger than 12 bytes/);
    expect(reads).toBeGreaterThan(0);
    // and with the true size known, not a single chunk is read
    reads = 0;
    const honest = { ...lying, size: folder.size };
    await expect(readSmall(honest, 'small.js', 12)).rejects.toThrow(/larger than 12 bytes/);
    expect(reads).toBe(0);
  });
});

const unpacking = (unpackedBytes: number) => ({ ...DEFAULT_LIMITS, unpackedBytes });

/** A .tar.gz of the given entries. */
async function tarGzOf(file: string, entries: Array<{ name: string; content: Buffer }>): Promise<void> {
  const pack = tar.pack();
  for (const { name, content } of entries) pack.entry({ name, size: content.length }, content);
  pack.finalize();
  const raw: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) raw.push(c);
  await writeFile(file, gzipSync(Buffer.concat(raw), { level: 1 }));
}

/** A .tar.gz whose one entry declares `declared` bytes and whose gzip stream ends after `written` zeros of them. */
async function cutTarGz(file: string, name: string, declared: number, written: number): Promise<number> {
  const pack = tar.pack();
  const raw: Buffer[] = [];
  pack.on('data', (c: Buffer) => raw.push(c));
  const entry = pack.entry({ name, size: declared });
  const zeros = Buffer.alloc(1 << 20);
  for (let n = 0; n < written; n += zeros.length) if (!entry.write(zeros)) await once(entry, 'drain');
  await new Promise((resolve) => setImmediate(resolve));
  const gz = gzipSync(Buffer.concat(raw), { level: 1 });
  await writeFile(file, gz);
  return gz.length;
}

describe('openTarGz limits', () => {
  const small = (i: number) => ({ name: `notes/${i}.json`, content: Buffer.from(`{"n":${i}}`) });

  it('counts entries as it meets them: more than limits.entries is refused, as in a zip', async () => {
    const file = path.join(dir, 'many.tar.gz');
    await tarGzOf(file, Array.from({ length: 12 }, (_, i) => small(i)));
    expect((await openTarGz(file, 'many.tar.gz', { ...DEFAULT_LIMITS, entries: 12 })).names).toHaveLength(12);
    await expect(openTarGz(file, 'many.tar.gz', { ...DEFAULT_LIMITS, entries: 11 })).rejects.toMatchObject({
      code: 'BAD_ZIP',
      message: 'many.tar.gz: more than 11 entries: refused as a possible archive bomb (limits in SECURITY.md)',
      hint: expect.stringMatching(/raise the limit in the config file/),
    });
  });

  it('a skipped media entry counts too: zeros that unpack 1000 times their size are refused by the size their header declares', async () => {
    // 4 GB of zeros declared, the stream ending after 16 MB of them (16 KB of gzip): a reader that
    // inflated the content would find the archive cut short instead of a bomb.
    const file = path.join(dir, 'media-bomb.tar.gz');
    const packed = await cutTarGz(file, 'media_attachments/files/1/original/zero.mp4', 4 * 1024 ** 3, 16 << 20);
    await expect(openTarGz(file, 'media-bomb.tar.gz')).rejects.toThrow(/^media-bomb\.tar\.gz: unpacks to more than 200 times its size: refused as a possible archive bomb/);
    // 200 × the file plus the 1 MB floor is what it may unpack to: a limit the declared 4 GB passes by far.
    expect(200 * packed + (1 << 20)).toBeLessThan(4 * 1024 ** 3);
    // and limits.unpackedBytes holds over the whole stream, media included
    await expect(openTarGz(file, 'media-bomb.tar.gz', { ...DEFAULT_LIMITS, compressionRatio: 1e9, unpackedBytes: 3 * 1024 ** 3 })).rejects.toThrow(/unpacks to more than 3 GB: refused/);
  });

  it('the inflated bytes are held to the limits as they come, whatever the headers declare', async () => {
    // 8 MB of zeros after the end of the archive: no header declares them, gzip still unpacks them.
    const file = path.join(dir, 'trailing.tar.gz');
    const pack = tar.pack();
    pack.entry({ name: 'outbox.json', size: 2 }, Buffer.from('{}'));
    pack.finalize();
    const raw: Buffer[] = [];
    for await (const c of pack as unknown as AsyncIterable<Buffer>) raw.push(c);
    await writeFile(file, gzipSync(Buffer.concat([...raw, Buffer.alloc(8 << 20)])));
    await expect(openTarGz(file, 'trailing.tar.gz')).rejects.toThrow(/trailing\.tar\.gz: unpacks to more than 200 times its size/);
  });

  it('large media that do not compress (ratio about 1) pass, and are not kept', async () => {
    const file = path.join(dir, 'media.tar.gz');
    const photo = (await import('node:crypto')).randomBytes(6 << 20);
    await tarGzOf(file, [{ name: 'media_attachments/files/1/original/photo.jpg', content: photo }, { name: 'outbox.json', content: Buffer.from('{"orderedItems":[]}') }, { name: 'avatar.png', content: photo.subarray(0, 1 << 20) }]);
    const archive = await openTarGz(file, 'media.tar.gz');
    expect(archive.names).toEqual(['outbox.json']);
  });
});

describe('openTarGz', () => {
  /** A .tar.gz (gzip stored, not compressed) of one outbox.json declaring `declared` bytes, cut after `keepContent` of them. */
  async function tarGz(file: string, declared: number, keepContent: number): Promise<void> {
    const pack = tar.pack();
    pack.entry({ name: 'outbox.json', size: declared }, Buffer.alloc(declared, 0x61));
    pack.finalize();
    const raw: Buffer[] = [];
    for await (const c of pack as unknown as AsyncIterable<Buffer>) raw.push(c);
    const gz = gzipSync(Buffer.concat(raw), { level: 0 });
    // gzip header (10 bytes) + stored-block header (5) + tar header (512) + the content kept
    await writeFile(file, gz.subarray(0, 10 + 5 + 512 + keepContent));
  }

  it('refuses an entry by the size its header declares, before its content is inflated', async () => {
    const file = path.join(dir, 'declares.tar.gz');
    await tarGz(file, 5000, 100);
    // Only 100 bytes of content follow the header, then the file ends: a reader that waited for the
    // content would report a damaged file, not a bomb.
    await expect(openTarGz(file, 'declares.tar.gz', unpacking(1000))).rejects.toThrow(/declares\.tar\.gz: unpacks to more than 1000 bytes: refused as a possible archive bomb/);
    await expect(openTarGz(file, 'declares.tar.gz', unpacking(10_000))).rejects.toThrow(/declares\.tar\.gz: not a readable \.tar\.gz/);
    // a bomb's hint is the limits', not a damaged download's
    await expect(openTarGz(file, 'declares.tar.gz', unpacking(1000))).rejects.toMatchObject({ code: 'BAD_ZIP', hint: expect.stringMatching(/raise the limit in the config file/) });
  });
});

describe('openTarGz and open files', () => {
  // Open files are counted in /proc (Linux, where the tests run).
  it.runIf(existsSync('/proc/self/fd'))('leaves no file open after refusing a bomb or reading a good archive', async () => {
    const fds = async () => (await import('node:fs/promises')).readdir('/proc/self/fd').then((l) => l.length);
    // 2 MB that do not compress: the file is read in several chunks, so a refusal stops it part-way.
    const file = path.join(dir, 'bomb.tar.gz');
    const content = (await import('node:crypto')).randomBytes(2 << 20);
    const pack = tar.pack();
    pack.entry({ name: 'outbox.json', size: content.length }, content);
    pack.finalize();
    const raw: Buffer[] = [];
    for await (const c of pack as unknown as AsyncIterable<Buffer>) raw.push(c);
    await writeFile(file, gzipSync(Buffer.concat(raw)));
    const before = await fds();
    for (let k = 0; k < 5; k++) await expect(openTarGz(file, 'bomb.tar.gz', unpacking(1000))).rejects.toThrow(/archive bomb/);
    const good = await openTarGz(file, 'bomb.tar.gz');
    expect(good.names).toEqual(['outbox.json']);
    good.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await fds()).toBe(before);
  });
});

describe('openTarGz streams the files the loader opens', () => {
  const text = (n: number, fill: string) => Buffer.alloc(n, fill);
  const readAll = async (stream: AsyncIterable<Buffer>) => {
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c);
    return { chunks: chunks.length, bytes: Buffer.concat(chunks) };
  };

  it('is a container of its own kind, not a zip', async () => {
    const file = path.join(dir, 'kind.tar.gz');
    await tarGzOf(file, [{ name: 'outbox.json', content: Buffer.from('{"orderedItems":[]}') }]);
    const archive = await openTarGz(file, 'kind.tar.gz');
    expect(archive.kind).toBe('tar.gz');
    archive.close();
  });

  it('a file over 1 MB comes as the archive is read, in several chunks; files opened out of order and one opened while another is open come whole', async () => {
    const file = path.join(dir, 'order.tar.gz');
    const a = text(3 << 20, 'a');
    const b = text(2 << 20, 'b');
    const c = text(2 << 20, 'c');
    await tarGzOf(file, [{ name: 'a.json', content: a }, { name: 'b.json', content: b }, { name: 'actor.json', content: Buffer.from('{}') }, { name: 'c.json', content: c }]);
    const archive = await openTarGz(file, 'order.tar.gz');
    expect(archive.names).toEqual(['a.json', 'b.json', 'actor.json', 'c.json']);
    expect([archive.size('a.json'), archive.size('c.json')]).toEqual([a.length, c.length]);
    // b first: a is met on the way and held; then a; then c while b... is already read.
    const readB = await readAll(await archive.open('b.json'));
    expect(readB.chunks).toBeGreaterThan(1);
    expect(readB.bytes.equals(b)).toBe(true);
    expect((await readAll(await archive.open('a.json'))).bytes.equals(a)).toBe(true);
    expect((await readAll(await archive.open('actor.json'))).bytes.toString()).toBe('{}');
    expect((await readAll(await archive.open('c.json'))).bytes.equals(c)).toBe(true);
    archive.close();

    // One file left half-read while the next is opened: neither waits for the other.
    const again = await openTarGz(file, 'order.tar.gz');
    const first = (await again.open('a.json'))[Symbol.asyncIterator]();
    const head = (await first.next()).value as Buffer;
    expect((await readAll(await again.open('c.json'))).bytes.equals(c)).toBe(true);
    const rest = [head];
    for (let r = await first.next(); !r.done; r = await first.next()) rest.push(r.value as Buffer);
    expect(Buffer.concat(rest).equals(a)).toBe(true);
    // A file read once and asked for again is read again from the start.
    expect((await readAll(await again.open('a.json'))).bytes.equals(a)).toBe(true);
    again.close();
  });

  it('media past the limit on files other than media do not count: the archive still audits; an outbox past it is refused', async () => {
    const { readFile } = await import('node:fs/promises');
    const { randomBytes } = await import('node:crypto');
    const { loadMastodonArchive } = await import('../../src/sources/mastodon-archive/index.js');
    const sample = path.join(import.meta.dirname, '../../fixtures/mastodon-archive/sample');
    const files = await Promise.all(['outbox.json', 'likes.json', 'following_accounts.csv', 'actor.json'].map(async (name) => ({ name, content: await readFile(path.join(sample, name)) })));
    const keptMax = 1 << 20;
    const file = path.join(dir, 'media-over-kept.tar.gz');
    await tarGzOf(file, [{ name: 'media_attachments/files/1/original/clip.mp4', content: randomBytes(3 * keptMax) }, ...files]);
    const archive = await openTarGz(file, 'media-over-kept.tar.gz', DEFAULT_LIMITS, keptMax);
    expect(archive.names).toEqual(files.map((f) => f.name));
    const options = { target: 't', includePrivate: false };
    const posts = async (container: Container) => {
      const all: unknown[] = [];
      for await (const batch of (await loadMastodonArchive(container, options)).posts) all.push(...batch);
      return all;
    };
    const fromTar = await posts(archive);
    expect(fromTar.length).toBeGreaterThan(0);
    expect(fromTar).toEqual(await posts(await openFolder(sample)));
    archive.close();

    const big = path.join(dir, 'outbox-over-kept.tar.gz');
    await tarGzOf(big, [{ name: 'outbox.json', content: text(keptMax + 1, ' ') }]);
    await expect(openTarGz(big, 'outbox-over-kept.tar.gz', DEFAULT_LIMITS, keptMax)).rejects.toThrow(
      /^outbox-over-kept\.tar\.gz: unpacks to more than 1 MB of files other than media: refused as a possible archive bomb/,
    );
  });
});
