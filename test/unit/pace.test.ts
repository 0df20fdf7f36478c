/**
 * src/cli/run-audit.ts `counting`: a slow consumer of the posts (the --posts-csv file) holds the
 * reading back; `untilSignal`: a signal stops the reading of an export between batches.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset, Post } from '../../src/model/dataset.js';
import { counting } from '../../src/cli/run-audit.js';
import { untilSignal } from '../../src/cli/until-signal.js';
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

describe('untilSignal', () => {
  /** A dataset of batches of 1, 2, 3 … posts whose source says whether it was closed. */
  function source(n: number, kind: Dataset['source']): { data: Dataset; closed: () => boolean } {
    let closed = false;
    async function* posts(): AsyncGenerator<readonly Post[]> {
      try {
        for (let b = 0; b < n; b++) yield Array.from({ length: b + 1 }, (_, k) => post({ id: `p${b}-${k}`, at: '2025-01-02T12:00:00Z' }));
      } finally {
        closed = true;
      }
    }
    return { data: { ...dataset([]), source: kind, posts: posts() }, closed: () => closed };
  }

  it('stops after the batch during which the signal came, closes the source and marks the input incomplete', async () => {
    const controller = new AbortController();
    const { data, closed } = source(6, 'archive');
    const sizes: number[] = [];
    for await (const batch of untilSignal(data, controller.signal).posts) {
      sizes.push(batch.length);
      if (sizes.length === 2) controller.abort('SIGTERM');
    }
    expect(sizes).toEqual([1, 2]);
    expect(closed()).toBe(true);
    expect(data.state).toEqual({ complete: false, interrupted: true, warnings: ['Interrupted after 3 posts: the report holds the posts read before the run was stopped.'] });
  });

  it('reads nothing when the signal came first', async () => {
    const { data } = source(3, 'csv');
    let n = 0;
    for await (const batch of untilSignal(data, AbortSignal.abort()).posts) n += batch.length;
    expect(n).toBe(0);
    expect(data.state.warnings).toEqual(['Interrupted after 0 posts: the report holds the posts read before the run was stopped.']);
  });

  it('leaves a live pull alone (it stops on the signal itself and keeps what it fetched), and a run without a signal', async () => {
    for (const [kind, signal] of [['api', AbortSignal.abort()], ['archive', undefined]] as const) {
      const { data } = source(4, kind);
      let n = 0;
      for await (const batch of untilSignal(data, signal).posts) n += batch.length;
      expect(n).toBe(1 + 2 + 3 + 4);
      expect(data.state).toEqual({ complete: true, warnings: [] });
    }
  });
});
