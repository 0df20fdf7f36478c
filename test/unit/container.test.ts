/** src/sources/container.ts: entries are refused by their declared size before their content is read. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { openFolder, openTarGz, readSmall } from '../../src/sources/container.js';

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
    await expect(openTarGz(file, 'declares.tar.gz', 1000)).rejects.toThrow(/declares\.tar\.gz: unpacks to more than 1000 bytes: refused as a possible archive bomb/);
    await expect(openTarGz(file, 'declares.tar.gz', 10_000)).rejects.toThrow(/declares\.tar\.gz: not a readable \.tar\.gz/);
    // a bomb's hint is the limits', not a damaged download's
    await expect(openTarGz(file, 'declares.tar.gz', 1000)).rejects.toMatchObject({ code: 'BAD_ZIP', hint: expect.stringMatching(/raise the limit in the config file/) });
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
    for (let k = 0; k < 5; k++) await expect(openTarGz(file, 'bomb.tar.gz', 1000)).rejects.toThrow(/archive bomb/);
    const good = await openTarGz(file, 'bomb.tar.gz');
    expect(good.names).toEqual(['outbox.json']);
    good.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await fds()).toBe(before);
  });
});
