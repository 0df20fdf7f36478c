/** src/model/capabilities.ts: a declaration's missing keys and why a requirement is unmet. */
import { describe, expect, it } from 'vitest';
import { CAPABILITY_KEYS, CAPABILITY_TITLES, missingFacts, missingOf, unmet, type Declaration } from '../../src/model/capabilities.js';

/** Every key held, then the given ones missing. */
function declaration(missing: Partial<Record<keyof Declaration, string>>): Declaration {
  return { ...(Object.fromEntries(CAPABILITY_KEYS.map((k) => [k, true])) as Declaration), ...missing };
}

describe('missingOf', () => {
  it('keeps exactly the keys declared with a reason, in key order', () => {
    const missing = missingOf(declaration({ quotes: 'no quotes', likes: 'no likes' }));
    expect(missing).toEqual({ likes: 'no likes', quotes: 'no quotes' });
    expect(Object.keys(missing)).toEqual(['likes', 'quotes']);
  });

  it('a declaration holding everything misses nothing', () => {
    expect(missingOf(declaration({}))).toEqual({});
  });

  it('every key has a title', () => {
    expect(Object.keys(CAPABILITY_TITLES).sort()).toEqual([...CAPABILITY_KEYS].sort());
  });
});

describe('unmet', () => {
  const missing = { replies: 'R', replyThreads: 'T', clients: 'C' };

  it('needs nothing: always met', () => {
    expect(unmet({}, missing)).toBeNull();
  });

  it('all: the reason of the first missing key, in the order the requirement lists them', () => {
    expect(unmet({ all: ['likes', 'clients', 'replies'] }, missing)).toBe('C');
    expect(unmet({ all: ['likes', 'followers'] }, missing)).toBeNull();
  });

  it('any: met by one complete alternative, else the reasons of every alternative, each once', () => {
    // [replyThreads] fails (T), [replies, replyPosts] fails on replies (R): unmet with T and R.
    expect(unmet({ any: [['replyThreads'], ['replies', 'replyPosts']] }, missing)).toBe('T R');
    // [replies] and [replies, likes] both fail on replies: R once.
    expect(unmet({ any: [['replies'], ['replies', 'likes']] }, missing)).toBe('R');
    // [likes] is held: met.
    expect(unmet({ any: [['replies'], ['likes']] }, missing)).toBeNull();
  });

  it('all and any together: both must hold', () => {
    expect(unmet({ all: ['followers'], any: [['replies'], ['likes']] }, missing)).toBeNull();
    expect(unmet({ all: ['clients'], any: [['likes']] }, missing)).toBe('C');
    expect(unmet({ all: ['followers'], any: [['replies'], ['replyThreads']] }, missing)).toBe('R T');
  });

  it('report facts: a date and a benchmark are missing only when absent', () => {
    expect(missingFacts({ dated: true, platform: 'x', benchmarks: { x: 0.1 } })).toEqual({});
    const missing = missingFacts({ dated: false, platform: 'bluesky', benchmarks: { x: 0.1 } });
    expect(Object.keys(missing)).toEqual(['date', 'benchmark']);
    expect(unmet({ all: ['date'] }, missing)).toMatch(/--as-of/);
    expect(unmet({ all: ['benchmark'] }, missing)).toMatch(/no engagement benchmark for bluesky/);
  });
});
