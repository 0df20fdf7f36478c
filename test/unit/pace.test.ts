/** src/cli/run-audit.ts `counting`: a slow consumer of the posts (the --posts-csv file) holds the reading back. */
import { describe, expect, it } from 'vitest';
import { counting } from '../../src/cli/run-audit.js';
import { dataset, post } from './builders.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('counting with a pace', () => {
  it('passes no batch on while the pace is waiting, then all of them, counted', async () => {
    const batches = Array.from({ length: 5 }, (_, b) => Array.from({ length: b + 1 }, (_, k) => post({ id: `p${b}-${k}`, at: '2025-01-02T12:00:00Z' })));
    let release: () => void = () => undefined;
    let calls = 0;
    // The third call waits (the file's buffer is full) until released; the others do not.
    const pace = (): Promise<void> | undefined => (++calls === 3 ? new Promise<void>((resolve) => (release = resolve)) : undefined);
    const counts: number[] = [];
    const watched = counting(dataset(batches), (n) => counts.push(n), pace);
    const got: string[][] = [];
    const done = (async () => {
      for await (const batch of watched.posts) got.push(batch.map((p) => p.id));
    })();
    for (let k = 0; k < 20; k++) await tick();
    expect(got).toEqual([['p0-0'], ['p1-0', 'p1-1']]);
    expect(counts).toEqual([1, 3]);
    release();
    await done;
    expect(got.map((b) => b.length)).toEqual([1, 2, 3, 4, 5]);
    expect(counts).toEqual([1, 3, 6, 10, 15]);
    expect(calls).toBe(5);
  });

  it('without a pace, passes everything on as it comes', async () => {
    const watched = counting(dataset([[post({ at: '2025-01-02T12:00:00Z' })], [post({ at: '2025-01-03T12:00:00Z' })]]), () => undefined);
    let n = 0;
    for await (const batch of watched.posts) n += batch.length;
    expect(n).toBe(2);
  });
});
