/** src/sources/container.ts: small entries are refused by their declared size before a byte is read. */
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFolder, readSmall } from '../../src/sources/container.js';

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
