/**
 * Whether dist/ must be built, and the build: shared by bin/engage-audit.js (run from a clone) and the
 * tests' global setup (test/support/build-dist.ts), so both judge staleness the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The modification times of the files under `dir` that `keep` accepts. */
function mtimes(dir, keep) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(keep)
    .map((file) => statSync(path.join(dir, file)).mtimeMs);
}

/** True when `root`/src and the compiler are there: a clone, which may build dist/; an installed package never does. */
export function isClone(root) {
  return existsSync(path.join(root, 'src/index.ts')) && existsSync(path.join(root, 'node_modules/typescript/bin/tsc'));
}

/** True when `root`/dist is missing or older than any source it is built from. */
export function distIsStale(root) {
  const dist = path.join(root, 'dist');
  if (!existsSync(path.join(dist, 'index.js'))) return true;
  const built = Math.min(...mtimes(dist, (file) => file.endsWith('.js')));
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((file) => statSync(path.join(root, file)).mtimeMs);
  const sources = [...mtimes(path.join(root, 'src'), (file) => file.endsWith('.ts')), ...configs];
  return Math.max(...sources) > built;
}

/**
 * Builds `root`/dist as `npm run build` does. Returns null, or the compiler's output when the build
 * failed (its first error line first).
 */
export function buildDist(root) {
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
    return null;
  } catch (error) {
    const { stdout = '', stderr = '', message = '' } = error;
    return `${String(stdout)}${String(stderr)}`.trim() || String(message);
  }
}
