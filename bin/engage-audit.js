#!/usr/bin/env node
// Run from a clone (src/ and the compiler present), a missing or stale dist/ is built once first, so
// `npm ci && npx engage-audit …` works with no build step; an installed package ships dist/ and never builds.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist, distIsStale, isClone } from '../scripts/dist-stale.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (isClone(root) && distIsStale(root)) {
  process.stderr.write('engage-audit: dist/ is missing or older than src/: building it once (npm run build)\n');
  const failure = buildDist(root);
  if (failure !== null) {
    const first = failure.split('\n').find((line) => /error/i.test(line)) ?? failure.split('\n')[0];
    // eslint-disable-next-line no-control-regex
    const shown = first.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, 300);
    process.stderr.write(`engage-audit: the build of dist/ failed: ${shown}\n  hint: Run \`npm run build\` to see every error, fix them, and run again.\n`);
    process.exit(5);
  }
}
const { run } = await import('../dist/cli/run.js');
await run();
