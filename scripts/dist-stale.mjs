/**
 * Whether dist/ must be built, and the build: shared by bin/engage-audit.js (run from a clone) and the
 * tests' global setup (test/support/build-dist.ts), so both judge staleness the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** True when `root`/src and the compiler are there: a clone, which may build dist/; an installed package never does. */
export function isClone(root) {
  return existsSync(path.join(root, 'src/index.ts')) && existsSync(path.join(root, 'node_modules/typescript/bin/tsc'));
}

/**
 * True when `root`/dist is missing, or when the output of any source under src/ is missing or older
 * than that source or a tsconfig. Only the outputs of today's sources count: a file left in dist/ by
 * a source since removed never makes every run build again.
 */
export function distIsStale(root) {
  const src = path.join(root, 'src');
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((file) => statSync(path.join(root, file)).mtimeMs);
  const newestConfig = Math.max(...configs);
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) continue;
    const out = path.join(root, 'dist', file.replace(/\.ts$/, '.js'));
    if (!existsSync(out)) return true;
    const built = statSync(out).mtimeMs;
    if (built < newestConfig || built < statSync(path.join(src, file)).mtimeMs) return true;
  }
  return false;
}

/**
 * Builds `root`/dist as `npm run build` does. Returns null, or the compiler's output when the build
 * failed (its first error line first).
 */
export function buildDist(root) {
  try {
    // From empty: no file of a removed source stays behind, and a failed build leaves no dist/ that looks fresh.
    rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
    return null;
  } catch (error) {
    const { stdout = '', stderr = '', message = '' } = error;
    return `${String(stdout)}${String(stderr)}`.trim() || String(message);
  }
}
