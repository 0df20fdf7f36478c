/** Where the project and its fixtures are (without importing test/helpers.ts, which loads the whole CLI). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const X_FIXTURES = path.join(FIXTURES, 'x-archive');
