/** Shared test helpers: an in-process CLI, temporary folders, and a tolerant deep comparison. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Io } from '../src/cli/io.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');
export const X_FIXTURES = path.join(FIXTURES, 'x-archive');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], overrides: Partial<Io> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env: { SOURCE_DATE_EPOCH: '1767225600' },
    cwd: ROOT,
    isTTY: false,
    stderrIsTTY: false,
    ...overrides,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'engage-audit-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Checks that `actual` holds every field of `expected` with the same value; numbers within 1e-9
 * (hand counts are exact fractions; the code may add them in another order).
 */
export function expectSubset(actual: unknown, expected: unknown, where = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    expect(Math.abs(actual - expected), `${where}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9);
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, where).toEqual(expected);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${where}.length`).toBe(expected.length);
    expected.forEach((item, i) => expectSubset((actual as unknown[])[i], item, `${where}[${i}]`));
    return;
  }
  expect(actual !== null && typeof actual === 'object', `${where} is an object`).toBe(true);
  for (const [key, value] of Object.entries(expected)) {
    expect(Object.prototype.hasOwnProperty.call(actual, key), `${where}.${key} exists`).toBe(true);
    expectSubset((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
  }
}

/**
 * What must never reach a terminal from outside (docs/reports.md "Safety"): ESC, every other C0
 * control but tab and line feed, a carriage return not before a line feed, DEL, C1, and the bidi
 * embeddings, overrides and isolates.
 */
export const TERMINAL_UNSAFE = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

/** Fails naming the first unsafe character of `text` and what is around it. */
export function expectInert(text: string, where: string): void {
  const m = TERMINAL_UNSAFE.exec(text);
  const at = m ? `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 30))}` : '';
  expect(m, `${where}: ${at}`).toBeNull();
}
