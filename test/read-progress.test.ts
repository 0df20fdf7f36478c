/** The progress figure of a long archive read: bytes read of the total, a line a tenth with --verbose on a non-terminal stderr. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, withTempDir } from './helpers.js';

const MB = 1024 ** 2;
const amount = (s: string): number => (s.endsWith(' MB') ? Number(s.slice(0, -3)) * MB : Number(s.replace(/ bytes$/, '')));

/** The `read` lines of one input (and entry), as [bytes read, total]. */
function figures(stderr: string, target: string, entry: string): Array<[number, number, string]> {
  const re = new RegExp(`^engage-audit: ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: read ${entry}(\\d+(?: MB| bytes)) of (\\d+(?: MB| bytes))$`);
  return stderr.split('\n').flatMap((l) => {
    const m = re.exec(l);
    return m ? [[amount(m[1]!), amount(m[2]!), `${m[1]} of ${m[2]}`] as [number, number, string]] : [];
  });
}

describe('read progress', () => {
  it('a zip: bytes of the entry read, rising, a line a tenth, ending at its compressed size', async () => {
    await withTempDir(async (dir) => {
      const { generate } = (await import(path.join(ROOT, 'bench/generate.mjs'))) as { generate: (n: number, dir: string) => Promise<{ zipFile: string }> };
      const { zipFile } = await generate(20_000, dir); // about 1.4 MB, tweets.js most of it
      const r = await runCli([zipFile, '--json', '--verbose']);
      expect(r.code, r.stderr).toBe(0);
      const lines = figures(r.stderr, zipFile, 'data/tweets\\.js ');
      expect(lines.length).toBeGreaterThanOrEqual(5);
      expect(lines.length).toBeLessThanOrEqual(11); // a few lines, not one a chunk
      const total = lines[0]![1];
      expect(total).toBeGreaterThan(MB / 2);
      for (const [i, [read, of]] of lines.entries()) {
        expect(of).toBe(total);
        if (i > 0) expect(read).toBeGreaterThanOrEqual(lines[i - 1]![0]);
      }
      expect(lines.at(-1)![2]).toBe('1 MB of 1 MB');
      expect(r.stderr).toContain(`${zipFile}: 20000 posts read`);
      // Without --verbose a non-terminal stderr stays quiet.
      expect((await runCli([zipFile, '--json'])).stderr).toBe('');
    });
  }, 30_000);

  it('a CAR file: of the file size, ending at it', async () => {
    const car = 'fixtures/bluesky-car/repo.car';
    const size = statSync(path.join(ROOT, car)).size;
    const r = await runCli([car, '--json', '--verbose']);
    const lines = figures(r.stderr, car, '');
    expect(lines.at(-1)).toEqual([size, size, `${size} bytes of ${size} bytes`]);
    expect(lines.every(([read, of]) => of === size && read <= size)).toBe(true);
  });
});
