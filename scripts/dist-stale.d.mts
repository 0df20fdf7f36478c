/** Types of scripts/dist-stale.mjs, for the tests that use it. */
export function isClone(root: string): boolean;
export function distIsStale(root: string): boolean;
export function buildDist(root: string): string | null;
