/**
 * Vitest global setup: some tests run the real bin (bin/engage-audit.js imports dist/), so dist/ is
 * built first whenever a file under src/ or a tsconfig is newer than the oldest built file. A fresh
 * build costs nothing; after a source edit, `npx vitest run` tests the edit, not stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function mtimes(dir: string, keep: (file: string) => boolean): number[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(keep)
    .map((file) => statSync(path.join(dir, file)).mtimeMs);
}

/** True when `root`/dist is missing or older than any source it is built from. */
export function distIsStale(root = ROOT): boolean {
  const dist = path.join(root, 'dist');
  if (!existsSync(path.join(dist, 'index.js'))) return true;
  const built = Math.min(...mtimes(dist, (file) => file.endsWith('.js')));
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((file) => statSync(path.join(root, file)).mtimeMs);
  const sources = [...mtimes(path.join(root, 'src'), (file) => file.endsWith('.ts')), ...configs];
  return Math.max(...sources) > built;
}

export default function setup(): void {
  if (!distIsStale()) return;
  process.stdout.write('dist/ is older than src/: building it (npm run build)\n');
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the build failed, so the tests that run bin/engage-audit.js cannot run:\n${String(stdout)}${String(stderr)}`);
  }
}
