/**
 * `npm run readme:options`: rewrites the README's options table (between `<!-- options:start -->`
 * and `<!-- options:end -->`) from the command line's own definitions, building dist/ first if stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist, distIsStale } from './dist-stale.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (distIsStale(root)) {
  const failure = buildDist(root);
  if (failure !== null) {
    process.stderr.write(`readme:options: the build of dist/ failed:\n${failure}\n`);
    process.exit(5);
  }
}
const { cliProgram, optionsTable, withOptionsTable } = await import('../dist/cli/options-table.js');
const file = path.join(root, 'README.md');
const updated = withOptionsTable(readFileSync(file, 'utf8'), optionsTable(await cliProgram()));
if (updated === null) {
  process.stderr.write('readme:options: README.md has no <!-- options:start --> … <!-- options:end --> block\n');
  process.exit(2);
}
writeFileSync(file, updated);
