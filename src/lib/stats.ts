/** Small numeric helpers shared by the metrics and audits. */

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** a / b, or null when either is unknown or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

/** Sum of values that may be unknown: null when every one is unknown. */
export function sumKnown(values: ReadonlyArray<number | null>): number | null {
  let total: number | null = null;
  for (const v of values) if (v !== null) total = (total ?? 0) + v;
  return total;
}

/**
 * Exact median of integers held as a frequency table (value → how many times), so memory grows with
 * the number of distinct values, not with the number of posts. Even counts take the mean of the two
 * middle values.
 */
export function medianOfFrequencies(freq: ReadonlyMap<number, number>): number | null {
  let n = 0;
  for (const c of freq.values()) n += c;
  if (n === 0) return null;
  const sorted = [...freq.keys()].sort((a, b) => a - b);
  const lowRank = Math.floor((n - 1) / 2); // 0-based ranks of the middle value(s)
  const highRank = Math.floor(n / 2);
  let seen = 0;
  let low: number | null = null;
  for (const v of sorted) {
    const c = freq.get(v)!;
    if (low === null && lowRank < seen + c) low = v;
    if (highRank < seen + c) return ((low ?? v) + v) / 2;
    seen += c;
  }
  return null;
}

export function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
