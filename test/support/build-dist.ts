/**
 * Vitest global setup: some tests run the real bin (bin/engage-audit.js imports dist/), so dist/ is
 * built first whenever a file under src/ or a tsconfig is newer than the oldest built file. A fresh
 * build costs nothing; after a source edit, `npx vitest run` tests the edit, not stale code. The
 * staleness check is the one bin/engage-audit.js uses (scripts/dist-stale.mjs).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist, distIsStale } from '../../scripts/dist-stale.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default function setup(): void {
  if (!distIsStale(ROOT)) return;
  process.stdout.write('dist/ is older than src/: building it (npm run build)\n');
  const failure = buildDist(ROOT);
  if (failure !== null) throw new Error(`the build failed, so the tests that run bin/engage-audit.js cannot run:\n${failure}`);
}
