/** The build before the tests (scripts/dist-stale.mjs, used by test/support/build-dist.ts and bin/engage-audit.js): dist/ counts as stale exactly when a source is newer. */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distIsStale } from '../../scripts/dist-stale.mjs';
import { withTempDir } from '../helpers.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** A project tree whose files all have the time T0. */
function project(root: string, files: string[]): (file: string, time: Date) => void {
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
    utimesSync(path.join(root, file), T0, T0);
  }
  return (file, time) => utimesSync(path.join(root, file), time, time);
}

const TREE = ['tsconfig.json', 'tsconfig.build.json', 'src/index.ts', 'src/cli/main.ts', 'dist/index.js', 'dist/cli/main.js'];

describe('distIsStale', () => {
  it('is false when every built file is as new as the newest source', async () => {
    await withTempDir(async (root) => {
      project(root, TREE);
      expect(distIsStale(root)).toBe(false);
    });
  });

  it('is true when dist/ was never built', async () => {
    await withTempDir(async (root) => {
      project(root, TREE.filter((file) => !file.startsWith('dist/')));
      expect(distIsStale(root)).toBe(true);
    });
  });

  it('is true when a nested source or a tsconfig is newer than the oldest built file', async () => {
    for (const changed of ['src/cli/main.ts', 'tsconfig.build.json', 'tsconfig.json']) {
      await withTempDir(async (root) => {
        const touch = project(root, TREE);
        touch('dist/index.js', later(10));
        touch(changed, later(5));
        expect(distIsStale(root), changed).toBe(true);
        touch('dist/cli/main.js', later(10));
        expect(distIsStale(root), changed).toBe(false);
      });
    }
  });

  it('is not made stale by a file left in dist/ by a removed source, and is by a source with no output', async () => {
    await withTempDir(async (root) => {
      const touch = project(root, [...TREE, 'dist/sources/removed.js']);
      touch('dist/index.js', later(10));
      touch('dist/cli/main.js', later(10));
      touch('src/index.ts', later(5));
      expect(distIsStale(root)).toBe(false); // dist/sources/removed.js (T0) is older than src/index.ts, yet no source makes it
      project(root, ['src/new-file.ts']);
      expect(distIsStale(root)).toBe(true);
    });
  });
});
