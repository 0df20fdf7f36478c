/**
 * Every number states what it needs (docs/metrics.md "What each number needs"). Each dataset below is
 * shaped like a source that is blind to something, declared the way that source declares it (its
 * availability: capability key → why not). Expected values are counted by hand from the posts listed
 * in each case (the counts are written next to them). Both the report and `inspect` run through the
 * CLI on the same saved dataset, so their verdicts are compared on one input.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, withTempDir } from './helpers.js';
import type { Report } from '../src/model/report.js';
import { CAPABILITY_KEYS } from '../src/model/capabilities.js';

const AS_OF = '2025-06-30';

interface PostSpec {
  kind: 'original' | 'thread' | 'reply' | 'repost' | 'quote';
  target?: string;
  metrics?: { likes: number | null; replies: number | null; reposts: number | null; quotes: number | null };
}

const NONE = { likes: null, replies: null, reposts: null, quotes: null };

/** `n` posts of one shape, one a day from 2025-06-01 + `offset` days. */
function run(n: number, spec: PostSpec, offset = 0) {
  return Array.from({ length: n }, (_, i) => ({ ...spec, day: offset + i }));
}

interface Case {
  platform: string;
  source: string;
  followers: number | null;
  following: number | null;
  availability: Record<string, string>;
  posts: Array<PostSpec & { day: number }>;
}

function saved(c: Case) {
  return {
    kind: 'engage-audit-dataset',
    schemaVersion: 1,
    platform: c.platform,
    source: c.source,
    target: `${c.platform}:test`,
    complete: true,
    warnings: [],
    account: { id: null, handle: 'me', displayName: 'Me', followers: c.followers, following: c.following, posts: null },
    capabilities: { inboundIdentities: false, threads: false },
    availability: c.availability,
    // Written as this version writes it: the keys the availability was declared over.
    declared: [...CAPABILITY_KEYS],
    followerIds: null,
    followingIds: null,
    likesGiven: null,
    posts: c.posts.map((p, i) => ({
      id: `p${i}`,
      createdAt: new Date(Date.UTC(2025, 5, 1 + p.day, 12)).toISOString(),
      kind: p.kind,
      ...(p.target ? { target: { handle: p.target } } : {}),
      mentions: [],
      client: null,
      metrics: { ...(p.metrics ?? NONE), impressions: null },
    })),
    interactions: null,
  };
}

interface Inspected {
  capabilities: Record<string, true | string>;
  audits: Record<string, true | string>;
  layerScore: true | string;
  role: true | string;
  metrics: Record<string, true | Record<string, string>>;
}

async function both(c: Case): Promise<{ report: Report; inspected: Inspected }> {
  return withTempDir(async (dir) => {
    const file = path.join(dir, 'dataset.json');
    await writeFile(file, JSON.stringify(saved(c)));
    const audit = await runCli([file, '--json', '--as-of', AS_OF]);
    const inspect = await runCli(['inspect', file, '--json', '--as-of', AS_OF]);
    expect(audit.stderr).toBe('');
    expect(inspect.code).toBe(0);
    return { report: JSON.parse(audit.stdout) as Report, inspected: JSON.parse(inspect.stdout) as Inspected };
  });
}

/** Every null number of the metrics, as `group.field` (or `group.field.sub` inside a record). */
function nullPaths(metrics: Report['metrics']): string[] {
  const out: string[] = [];
  for (const [group, fields] of Object.entries(metrics)) {
    for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
      if (value === null) out.push(`${group}.${field}`);
      else if (typeof value === 'object' && !Array.isArray(value)) {
        for (const [sub, v] of Object.entries(value as Record<string, unknown>)) if (v === null) out.push(`${group}.${field}.${sub}`);
      }
    }
  }
  return out;
}

/** What holds for every source: each null explained, no grade from a missing input, inspect agrees. */
function checkHonest({ report, inspected }: { report: Report; inspected: Inspected }): void {
  for (const key of nullPaths(report.metrics)) expect(report.unavailable[key], key).toEqual(expect.any(String));
  for (const a of report.audits) {
    const verdict = inspected.audits[a.id];
    expect(verdict, a.id).toBeDefined();
    if (verdict !== true) expect({ id: a.id, status: a.status, score: a.score, advice: a.advice }).toEqual({ id: a.id, status: 'n/a', score: null, advice: verdict });
  }
  expect(inspected.layerScore === true).toBe(report.metrics.layers.score !== null);
  if (inspected.layerScore !== true) expect(report.unavailable['layers.score']).toBe(inspected.layerScore);
  if (inspected.role !== true) {
    expect(report.role.label).toBe('Undetermined');
    expect(report.role.reason).toContain(inspected.role);
  }
  for (const [group, fields] of Object.entries(inspected.metrics)) {
    if (fields === true) continue;
    for (const [field, why] of Object.entries(fields)) {
      const value = (report.metrics as unknown as Record<string, Record<string, unknown>>)[group]![field];
      if (value !== null && typeof value === 'object') for (const sub of Object.keys(value)) expect(report.unavailable[`${group}.${field}.${sub}`]).toBe(why);
      else expect(report.unavailable[`${group}.${field}`], `${group}.${field}`).toBe(why);
    }
  }
}

const counts = (why: string) => ({ likes: why, replies: why, reposts: why, quotes: why });
/** An export that holds no received counts or views and names nobody who answered. */
const exportOnly = (countsWhy: string, inboundWhy: string) => ({
  ...counts(countsWhy),
  impressions: 'No views.',
  inboundIdentities: inboundWhy,
  replyThreads: inboundWhy,
  clients: 'No app.',
});

describe('Facebook: only originals, no counts, nobody named', () => {
  const KINDS = 'A Facebook export holds only your own posts, not your replies or shares elsewhere.';
  const COUNTS = 'A Facebook export holds no counts of what your posts received.';
  const NAMES = 'A Facebook export does not name whom your posts address.';
  const INBOUND = 'A Facebook export does not say who replied to or liked your posts.';
  const c: Case = {
    platform: 'facebook',
    source: 'archive',
    followers: null,
    following: null,
    availability: {
      ...exportOnly(COUNTS, INBOUND),
      replyPosts: KINDS,
      repostPosts: KINDS,
      quotePosts: KINDS,
      threadPosts: KINDS,
      outboundIdentities: NAMES,
      followers: 'No follower count.',
      following: 'No following count.',
      followerIds: 'No follower list.',
      followingIds: 'No following list.',
      likesGiven: 'No likes given.',
    },
    // 24 originals, one a day from 2025-06-01 to 2025-06-24.
    posts: run(24, { kind: 'original' }),
  };

  it('counts the originals, nulls every kind it cannot see, and grades nothing it does not hold', async () => {
    const both_ = await both(c);
    const { report } = both_;
    checkHonest(both_);
    expect(report.metrics.mix).toMatchObject({ original: 24, total: 24, thread: null, reply: null, repost: null, quote: null, replyShare: null, broadcastShare: null });
    expect(report.unavailable['mix.reply']).toBe(KINDS);
    expect(report.metrics.reciprocity.outbound).toBeNull();
    expect(report.unavailable['reciprocity.outbound']).toBe(KINDS);
    expect(report.metrics.layers.l1Outbound).toBeNull();
    expect(report.metrics.layers.score).toBeNull();
    expect(report.unavailable['layers.score']).toBe(NAMES);
    expect(report.role.label).toBe('Undetermined');
    expect(report.role.reason).toContain(KINDS);
    // Only cadence (24 posts over 24 days: 1 a day) and freshness (06-24 → 06-30: 6 days) need nothing from the source.
    const graded = report.audits.filter((a) => a.status !== 'n/a').map((a) => [a.id, a.value]);
    expect(graded).toEqual([['cadence', 1], ['freshness', 6]]);
    expect(report.audits.find((a) => a.id === 'conversation-share')!.advice).toBe(KINDS);
  });
});

describe('Instagram: originals and comments on others, no counts', () => {
  const KINDS = 'An Instagram export holds no reposts or quotes.';
  const COUNTS = 'An Instagram export holds no counts of what your posts received.';
  const INBOUND = 'An Instagram export does not say who commented on or liked your posts.';
  const c: Case = {
    platform: 'instagram',
    source: 'archive',
    followers: 200,
    following: 150,
    availability: {
      ...exportOnly(COUNTS, INBOUND),
      repostPosts: KINDS,
      quotePosts: KINDS,
      followerIds: 'No follower list.',
      followingIds: 'No following list.',
    },
    // 20 originals (days 0-19), 5 comments on ana, ben, ana, cy, dee (days 20-24): 25 posts, 4 people named.
    // The export names the account, so its comments on its own posts are threads: none here.
    posts: [
      ...run(20, { kind: 'original' }),
      ...['ana', 'ben', 'ana', 'cy', 'dee'].map((target, i) => ({ kind: 'reply' as const, target, day: 20 + i })),
    ],
  };

  it('grades the replies it sees, not the sharing it cannot; no layer score or role from one direction', async () => {
    const both_ = await both(c);
    const { report } = both_;
    checkHonest(both_);
    expect(report.metrics.mix).toMatchObject({ original: 20, thread: 0, reply: 5, total: 25, repost: null, quote: null, replyShare: 5 / 25 });
    const audit = (id: string) => report.audits.find((a) => a.id === id)!;
    expect(audit('conversation-share').value).toBeCloseTo(0.2, 12);
    expect(audit('conversation-share').status).not.toBe('n/a');
    expect(audit('sharing')).toMatchObject({ status: 'n/a', advice: KINDS });
    expect(audit('engagement-rate')).toMatchObject({ status: 'n/a', advice: COUNTS });
    expect(audit('follow-ratio').value).toBeCloseTo(200 / 150, 12);
    expect(report.metrics.layers.l1Outbound).toBe(4);
    expect(report.metrics.layers.score).toBeNull();
    expect(report.unavailable['layers.score']).toBe(`${INBOUND} ${COUNTS}`) // neither names nor counts: both reasons;
    expect(report.role.label).toBe('Undetermined');
    expect(report.role.reason).toContain(KINDS);
  });
});

describe('LinkedIn: every kind, nobody named, no counts', () => {
  const NAMES = 'The LinkedIn export does not name whom your comments answer.';
  const INBOUND = 'The LinkedIn export does not say who commented on your posts.';
  const COUNTS = 'The LinkedIn export holds no counts of what your posts received.';
  const c: Case = {
    platform: 'linkedin',
    source: 'archive',
    followers: 10,
    following: 13,
    availability: {
      ...exportOnly(COUNTS, INBOUND),
      outboundIdentities: NAMES,
    },
    // 18 originals, 4 comments (no one named), 2 reposts, 1 quote: 25 posts, outbound 4 + 2 + 1 = 7.
    posts: [...run(18, { kind: 'original' }), ...run(4, { kind: 'reply' }, 18), ...run(2, { kind: 'repost' }, 22), ...run(1, { kind: 'quote' }, 24)],
  };

  it('has no layer score where nobody can be named, and no role without the inbound side', async () => {
    const both_ = await both(c);
    const { report } = both_;
    checkHonest(both_);
    expect(report.metrics.mix).toMatchObject({ original: 18, reply: 4, repost: 2, quote: 1, total: 25, replyShare: 4 / 25 });
    expect(report.metrics.reciprocity.outbound).toBe(7);
    expect(report.metrics.reciprocity.giveShare).toBeNull();
    expect(report.metrics.layers).toMatchObject({ l1Outbound: null, l1: null, score: null });
    expect(report.unavailable['layers.l1Outbound']).toBe(NAMES);
    expect(report.unavailable['layers.score']).toBe(NAMES);
    expect(report.role.label).toBe('Undetermined');
    expect(report.role.reason).toContain(INBOUND);
    const sharing = report.audits.find((a) => a.id === 'sharing')!;
    expect(sharing.value).toBeCloseTo((2 + 1) / 25, 12);
    expect(report.audits.find((a) => a.id === 'two-way')).toMatchObject({ status: 'n/a', advice: INBOUND });
  });
});

describe('a CSV without a kind column: counts, but every row an original', () => {
  const KINDS = 'The CSV has no kind column: every row is read as an original post.';
  const NAMES = 'The CSV names nobody.';
  const c: Case = {
    platform: 'other',
    source: 'csv',
    followers: 500,
    following: null,
    availability: {
      impressions: 'No views column.',
      inboundIdentities: NAMES,
      replyThreads: NAMES,
      replyPosts: KINDS,
      repostPosts: KINDS,
      quotePosts: KINDS,
      threadPosts: KINDS,
      outboundIdentities: NAMES,
      following: 'No following count.',
      followerIds: 'No follower list.',
      followingIds: 'No following list.',
      likesGiven: 'No likes given.',
      clients: 'No app.',
    },
    // 25 rows of likes 4, replies 1, reposts 1, quotes 0: engagements 25 × 6 = 150; received replies + reposts + quotes 25 × 2 = 50.
    posts: run(25, { kind: 'original', metrics: { likes: 4, replies: 1, reposts: 1, quotes: 0 } }),
  };

  it('keeps the counts, but no kind, give share, role or layer score', async () => {
    const both_ = await both(c);
    const { report } = both_;
    checkHonest(both_);
    expect(report.metrics.engagement).toMatchObject({ total: 150, perPostMean: 6 });
    expect(report.metrics.engagement.ratePerPostMean).toBeCloseTo(6 / 500, 12);
    expect(report.metrics.reciprocity).toMatchObject({ inbound: 50, outbound: null, giveShare: null });
    expect(report.metrics.mix).toMatchObject({ original: 25, reply: null, repost: null, quote: null, thread: null });
    expect(report.metrics.layers.estimatedInbound).toBe(50);
    expect(report.metrics.layers.score).toBeNull();
    expect(report.unavailable['layers.score']).toBe(NAMES);
    expect(report.role.label).toBe('Undetermined');
    expect(report.role.reason).toContain(KINDS);
    for (const id of ['conversation-share', 'sharing']) expect(report.audits.find((a) => a.id === id)).toMatchObject({ status: 'n/a', advice: KINDS });
  });
});

describe('a Bluesky .car: every kind and name, no received counts', () => {
  const COUNTS = 'A Bluesky repository export holds no counts of what your posts received.';
  const INBOUND = 'A Bluesky repository export does not say who replied to, reposted or liked your posts.';
  const c: Case = {
    platform: 'bluesky',
    source: 'archive',
    followers: null,
    following: 40,
    availability: {
      ...counts(COUNTS),
      impressions: 'No views.',
      inboundIdentities: INBOUND,
      followers: 'A repository holds no follower count.',
      followerIds: 'A repository holds no follower list.',
      clients: 'No app.',
    },
    // 20 originals; replies to ana, ben, ana; reposts of cy, ana; a quote of dee: 26 posts, outbound 6, 4 people.
    posts: [
      ...run(20, { kind: 'original' }),
      ...['ana', 'ben', 'ana'].map((target, i) => ({ kind: 'reply' as const, target, day: 20 + i })),
      ...['cy', 'ana'].map((target, i) => ({ kind: 'repost' as const, target, day: 23 + i })),
      { kind: 'quote' as const, target: 'dee', day: 25 },
    ],
  };

  it('names the 4 people it talked with but gives no layer score without any inbound', async () => {
    const both_ = await both(c);
    const { report } = both_;
    checkHonest(both_);
    expect(report.metrics.layers).toMatchObject({ l1Outbound: 4, l1: 4, estimatedInbound: null, score: null });
    expect(report.unavailable['layers.estimatedInbound']).toBe(COUNTS);
    expect(report.unavailable['layers.score']).toBe(`${INBOUND} ${COUNTS}`) // neither names nor counts: both reasons;
    expect(report.metrics.reciprocity.outbound).toBe(6);
    expect(report.role.label).toBe('Undetermined');
    expect(report.role.reason).toContain(INBOUND);
  });
});
