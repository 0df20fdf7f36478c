/** Safe accessors for untrusted JSON (exports, API answers): wrong types read as absent, never throw. */

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A string, or a finite number as its decimal string (ids are sometimes numbers). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** No post gets a billion of anything; beyond that a "count" is junk (and sums would overflow). */
export const MAX_COUNT = 1_000_000_000;

/** A count: a non-negative integer up to MAX_COUNT, else null. */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_COUNT ? value : null;
}
