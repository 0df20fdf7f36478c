/**
 * src/metrics: each accumulator and pure function against values computed by hand from
 * docs/metrics.md §3, §4 and §7.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import type { Interaction } from '../../src/model/dataset.js';
import type { Metrics } from '../../src/model/report.js';
import { MixAccumulator } from '../../src/metrics/mix.js';
import { audienceMetrics } from '../../src/metrics/audience.js';
import { countedFrom, engagementsOf } from '../../src/metrics/engagement.js';
import { layerScore } from '../../src/metrics/layers.js';
import { makeSchedulerMatcher } from '../../src/metrics/schedulers.js';
import { roleOf } from '../../src/metrics/role.js';
import { AccountIdentities, makeIsSelf } from '../../src/lib/accounts.js';
import { postFacts } from '../../src/metrics/post-facts.js';
import { ME, NO_COUNTS, post, posts, runFold } from './builders.js';

const L = DEFAULT_CONFIG.layers;

describe('mix', () => {
  it('counts kinds and their shares (MixAccumulator)', () => {
    const acc = new MixAccumulator();
    const kinds = ['original', 'original', 'original', 'original', 'thread', 'reply', 'reply', 'reply', 'repost', 'quote'] as const;
    for (const kind of kinds) acc.add(post({ at: '2025-01-01T00:00:00Z', kind }));
    expect(acc.finish()).toEqual({
      original: 4,
      thread: 1,
      reply: 3,
      repost: 1,
      quote: 1,
      total: 10, // 4 + 1 + 3 + 1 + 1
      broadcastShare: 0.5, // (4 + 1) / 10
      replyShare: 0.3, // 3 / 10
      repostShare: 0.1, // 1 / 10
      quoteShare: 0.1, // 1 / 10
      replyToBroadcast: 0.6, // 3 / (4 + 1)
    });
  });

  it('the four shares sum to 1', () => {
    const acc = new MixAccumulator();
    for (const kind of ['original', 'reply', 'reply', 'repost', 'quote', 'quote', 'thread'] as const) acc.add(post({ at: '2025-01-01T00:00:00Z', kind }));
    const m = acc.finish();
    // (1 + 1)/7 + 2/7 + 1/7 + 2/7 = 7/7
    expect(m.broadcastShare! + m.replyShare! + m.repostShare! + m.quoteShare!).toBeCloseTo(1, 12);
    expect(m.replyToBroadcast).toBe(1); // 2 / (1 + 1)
  });

  it('no posts: every share is null, not 0', () => {
    const m = new MixAccumulator().finish();
    expect(m.total).toBe(0);
    expect([m.broadcastShare, m.replyShare, m.repostShare, m.quoteShare, m.replyToBroadcast]).toEqual([null, null, null, null, null]);
  });

  it('replyToBroadcast is null without original or thread posts', () => {
    const acc = new MixAccumulator();
    acc.add(post({ at: '2025-01-01T00:00:00Z', kind: 'reply' }));
    expect(acc.finish().replyToBroadcast).toBeNull(); // 1 / 0
  });
});

describe('engagement', () => {
  // Own posts (original + quote), followers 1000:
  //   A original: likes 10, replies 2, reposts 3, quotes 1, impressions 1000 → e = 16
  //   B quote:    likes 4,  replies 0, reposts 1, quotes 0, impressions ?    → e = 5
  //   C original: likes 0,  replies 1, reposts 0, quotes 0, impressions 200  → e = 1
  // Excluded: a reply, a thread continuation and a repost with large counts.
  const sample = [
    post({ at: '2025-02-01T10:00:00Z', kind: 'original', metrics: { likes: 10, replies: 2, reposts: 3, quotes: 1, impressions: 1000 } }),
    post({ at: '2025-02-02T10:00:00Z', kind: 'quote', target: 'bob', metrics: { likes: 4, replies: 0, reposts: 1, quotes: 0, impressions: null } }),
    post({ at: '2025-02-03T10:00:00Z', kind: 'original', metrics: { likes: 0, replies: 1, reposts: 0, quotes: 0, impressions: 200 } }),
    post({ at: '2025-02-04T10:00:00Z', kind: 'reply', target: 'carol', metrics: { likes: 100, replies: 100, reposts: 100, quotes: 100, impressions: 9999 } }),
    post({ at: '2025-02-05T10:00:00Z', kind: 'thread', target: 'me', metrics: { likes: 50, replies: 50, reposts: 50, quotes: 50, impressions: 5000 } }),
    post({ at: '2025-02-06T10:00:00Z', kind: 'repost', target: 'dave', metrics: { likes: 999, replies: 999, reposts: 999, quotes: 999, impressions: 99999 } }),
  ];

  it('sums, mean, median and rates over own posts only', () => {
    const e = runFold(sample).metrics.engagement;
    expect(e.posts).toBe(3); // A, B, C
    expect(e.counted).toEqual(['likes', 'replies', 'reposts', 'quotes']);
    expect(e.likes).toBe(14); // 10 + 4 + 0
    expect(e.replies).toBe(3); // 2 + 0 + 1
    expect(e.reposts).toBe(4); // 3 + 1 + 0
    expect(e.quotes).toBe(1); // 1 + 0 + 0
    expect(e.total).toBe(22); // 16 + 5 + 1
    expect(e.perPostMean).toBeCloseTo(22 / 3, 12); // 7.333…
    expect(e.perPostMedian).toBe(5); // sorted 1, 5, 16 → 5
    expect(e.ratePerPostMean).toBeCloseTo(22 / 3 / 1000, 15); // 0.007333…
    expect(e.ratePerPostMedian).toBeCloseTo(0.005, 15); // 5 / 1000
    expect(e.conversationRate).toBeCloseTo(0.001, 15); // 3 / 3 / 1000
    expect(e.amplificationRate).toBeCloseTo(5 / 3000, 15); // (4 + 1) / 3 / 1000
    expect(e.applauseRate).toBeCloseTo(14 / 3000, 15); // 14 / 3 / 1000
  });

  it('rateByImpressions only over own posts whose impressions are known; impressions never in engagements', () => {
    const e = runFold(sample).metrics.engagement;
    expect(e.impressions).toBe(1200); // A 1000 + C 200 (B unknown, reply/thread/repost excluded)
    expect(e.rateByImpressions).toBeCloseTo(17 / 1200, 15); // (16 + 1) / (1000 + 200), B's 5 left out
  });

  it('rateByImpressions and impressions are null when no own post has impressions', () => {
    const e = runFold([post({ at: '2025-02-01T10:00:00Z', metrics: { likes: 3 } })]).metrics.engagement;
    expect(e.impressions).toBeNull();
    expect(e.rateByImpressions).toBeNull();
    expect(e.total).toBe(3); // likes only; impressions not counted
  });

  it('median of an even number of own posts is the mean of the two middle values', () => {
    const four = [...sample, post({ at: '2025-02-07T10:00:00Z', kind: 'original', metrics: { likes: 9 } })];
    const e = runFold(four).metrics.engagement;
    expect(e.posts).toBe(4);
    expect(e.perPostMedian).toBe(7); // sorted 1, 5, 9, 16 → (5 + 9) / 2
    expect(e.perPostMean).toBe(7.75); // (22 + 9) / 4 = 31 / 4
  });

  it('counts what availability says is available (an X archive: likes and reposts only)', () => {
    const availability = { replies: 'not in an archive', quotes: 'not in an archive', impressions: 'not in an archive' };
    expect(countedFrom(availability)).toEqual(['likes', 'reposts']);
    const archive = [
      post({ at: '2025-02-01T10:00:00Z', metrics: { ...NO_COUNTS, likes: 10, reposts: 3 } }), // e = 13
      post({ at: '2025-02-02T10:00:00Z', kind: 'quote', target: 'bob', metrics: { ...NO_COUNTS, likes: 4, reposts: 1 } }), // e = 5
    ];
    const e = runFold(archive, { availability }).metrics.engagement;
    expect(e.counted).toEqual(['likes', 'reposts']);
    expect(e.replies).toBeNull();
    expect(e.quotes).toBeNull();
    expect(e.likes).toBe(14); // 10 + 4
    expect(e.reposts).toBe(4); // 3 + 1
    expect(e.total).toBe(18); // 13 + 5
    expect(e.perPostMean).toBe(9); // 18 / 2
    expect(e.perPostMedian).toBe(9); // (5 + 13) / 2
    expect(e.ratePerPostMean).toBeCloseTo(0.009, 15); // 9 / 1000
    expect(e.conversationRate).toBeNull(); // replies unavailable
    expect(e.amplificationRate).toBeCloseTo(0.002, 15); // reposts only: 4 / 2 / 1000
    expect(e.applauseRate).toBeCloseTo(0.007, 15); // 14 / 2 / 1000
    expect(e.impressions).toBeNull();
    expect(e.rateByImpressions).toBeNull();
  });

  it('engagementsOf adds only the counted names', () => {
    const p = post({ at: '2025-02-01T10:00:00Z', metrics: { likes: 10, replies: 2, reposts: 3, quotes: 1, impressions: 500 } });
    expect(engagementsOf(p, ['likes', 'reposts'])).toBe(13); // 10 + 3
    expect(engagementsOf(p, ['likes', 'replies', 'reposts', 'quotes'])).toBe(16); // 10 + 2 + 3 + 1, no impressions
    expect(countedFrom({ likes: 'x' })).toEqual(['replies', 'reposts', 'quotes']);
  });

  it('amplificationRate is null when neither reposts nor quotes are available', () => {
    const availability = { reposts: 'n/a', quotes: 'n/a' };
    const e = runFold([post({ at: '2025-02-01T10:00:00Z', metrics: { likes: 2, replies: 1, reposts: null, quotes: null } })], { availability }).metrics.engagement;
    expect(e.amplificationRate).toBeNull();
    expect(e.conversationRate).toBeCloseTo(0.001, 15); // 1 / 1 / 1000
    expect(e.total).toBe(3); // 2 + 1
  });

  it('rates are null without followers; everything per post is null without own posts', () => {
    const noFollowers = runFold(sample, { account: { followers: null } }).metrics.engagement;
    expect(noFollowers.perPostMean).toBeCloseTo(22 / 3, 12);
    expect([noFollowers.ratePerPostMean, noFollowers.ratePerPostMedian, noFollowers.conversationRate, noFollowers.amplificationRate, noFollowers.applauseRate]).toEqual([null, null, null, null, null]);
    const zeroFollowers = runFold(sample, { account: { followers: 0 } }).metrics.engagement;
    expect(zeroFollowers.ratePerPostMean).toBeNull();

    const onlyReplies = runFold([post({ at: '2025-02-01T10:00:00Z', kind: 'reply', target: 'x', metrics: { likes: 5 } })]).metrics.engagement;
    expect(onlyReplies.posts).toBe(0);
    expect([onlyReplies.perPostMean, onlyReplies.perPostMedian, onlyReplies.ratePerPostMean, onlyReplies.applauseRate]).toEqual([null, null, null, null]);
  });

  it('engagedAudience is null without inbound identities', () => {
    expect(runFold(sample).metrics.engagement.engagedAudience).toEqual({ accounts: null, share: null });
  });
});

describe('reciprocity', () => {
  // outbound: orig→@alice (1), orig no mention (0), orig mentioning only @me (0), thread→@bob (1),
  //           reply (1), repost (1), quote (1) = 5
  // inbound (replies + reposts + quotes of non-repost posts):
  //   3 + 1 + 0 + 1 + 2 + 1 = 8  (the repost's 50+50+50 and every like left out)
  // replies received: 2 + 1 + 0 + 1 + 1 + 0 = 5
  const sample = [
    post({ at: '2025-03-01T10:00:00Z', kind: 'original', mentions: ['alice'], metrics: { likes: 100, replies: 2, reposts: 1, quotes: 0 } }),
    post({ at: '2025-03-01T11:00:00Z', kind: 'original', metrics: { likes: 5, replies: 1, reposts: 0, quotes: 0 } }),
    post({ at: '2025-03-01T12:00:00Z', kind: 'original', mentions: ['me'], metrics: { likes: 0, replies: 0, reposts: 0, quotes: 0 } }),
    post({ at: '2025-03-01T13:00:00Z', kind: 'thread', target: 'me', mentions: ['bob'], metrics: { likes: 7, replies: 1, reposts: 0, quotes: 0 } }),
    post({ at: '2025-03-01T14:00:00Z', kind: 'reply', target: 'carol', metrics: { likes: 1, replies: 1, reposts: 1, quotes: 0 } }),
    post({ at: '2025-03-01T15:00:00Z', kind: 'repost', target: 'dave', metrics: { likes: 50, replies: 50, reposts: 50, quotes: 50 } }),
    post({ at: '2025-03-01T16:00:00Z', kind: 'quote', target: 'erin', metrics: { likes: 0, replies: 0, reposts: 0, quotes: 1 } }),
  ];

  it('outbound, inbound, giveShare, responseRatio, likesGiven', () => {
    const r = runFold(sample, { likesGiven: 42 }).metrics.reciprocity;
    expect(r.outbound).toBe(5);
    expect(r.inbound).toBe(8);
    expect(r.giveShare).toBeCloseTo(5 / 13, 15); // 5 / (5 + 8)
    expect(r.responseRatio).toBe(0.2); // 1 reply made / 5 replies received
    expect(r.likesGiven).toBe(42);
  });

  it('inbound null when no received count is available: giveShare and responseRatio null', () => {
    const availability = { replies: 'n/a', reposts: 'n/a', quotes: 'n/a' };
    const r = runFold(sample, { availability }).metrics.reciprocity;
    expect(r.outbound).toBe(5);
    expect(r.inbound).toBeNull();
    expect(r.giveShare).toBeNull();
    expect(r.responseRatio).toBeNull();
    expect(r.likesGiven).toBeNull();
  });

  it('replies unavailable: no inbound, give share or responseRatio (what is received needs reply and repost counts, or names)', () => {
    const r = runFold(sample, { availability: { replies: 'n/a' } }).metrics.reciprocity;
    expect(r.outbound).toBe(5);
    expect(r.inbound).toBeNull();
    expect(r.giveShare).toBeNull();
    expect(r.responseRatio).toBeNull();
  });

  it('giveShare null when outbound + inbound is 0; responseRatio null when replies received total 0', () => {
    const r = runFold([post({ at: '2025-03-01T10:00:00Z' })]).metrics.reciprocity;
    expect(r.outbound).toBe(0);
    expect(r.inbound).toBe(0);
    expect(r.giveShare).toBeNull(); // 0 / 0
    expect(r.responseRatio).toBeNull(); // 0 replies made / 0 received
  });
});

describe('audience', () => {
  it('mutuals, followBackRate, reciprocationRate, followRatio', () => {
    // followers {a,b,c,d}, following {b,c,e}: mutuals {b,c} = 2
    const a = audienceMetrics(4, 3, ['a', 'b', 'c', 'd'], ['b', 'c', 'e']);
    expect(a).toEqual({
      followers: 4,
      following: 3,
      followRatio: 4 / 3,
      mutuals: 2,
      followBackRate: 2 / 3, // mutuals / following
      reciprocationRate: 0.5, // 2 / 4 = mutuals / followers
    });
  });

  it('without id lists mutuals and rates are null; following 0 gives a null followRatio', () => {
    expect(audienceMetrics(10, 5, null, ['a'])).toEqual({
      followers: 10, following: 5, followRatio: 2, mutuals: null, followBackRate: null, reciprocationRate: null,
    });
    expect(audienceMetrics(10, 0, null, null).followRatio).toBeNull();
    expect(audienceMetrics(null, 5, null, null).followRatio).toBeNull();
  });

  it('through the fold: the account counts and id lists', () => {
    const a = runFold([], {
      account: { followers: 5, following: 4 },
      followerIds: ['1', '2', '3', '4', '5'],
      followingIds: ['2', '4', '6', '8'],
    }).metrics.audience;
    expect(a.mutuals).toBe(2); // {2, 4}
    expect(a.followBackRate).toBe(0.5); // 2 / 4
    expect(a.reciprocationRate).toBe(0.4); // 2 / 5
    expect(a.followRatio).toBe(1.25); // 5 / 4
  });
});

describe('cadence', () => {
  // 2025-03-05: 3 posts (fed first), 2025-03-03: 3 posts, 2025-03-01: 2 posts, 2025-03-10: 1 post.
  const sample = [
    post({ at: '2025-03-05T09:00:00Z', client: 'Hootsuite Inc.' }),
    post({ at: '2025-03-05T10:00:00Z', client: 'Hootsuite Inc.' }),
    post({ at: '2025-03-05T11:00:00Z', client: 'TweetDeck' }),
    post({ at: '2025-03-03T09:00:00Z', client: 'Hootsuite Inc.' }),
    post({ at: '2025-03-03T10:00:00Z', client: 'TweetDeck' }),
    post({ at: '2025-03-03T11:00:00Z', client: 'Twitter Web App' }),
    post({ at: '2025-03-01T00:00:00Z', client: 'Twitter Web App' }),
    post({ at: '2025-03-01T23:59:59Z', client: null }),
    post({ at: '2025-03-10T20:00:00Z', client: null }),
  ];

  it('days inclusive, postsPerDay, maxPerDay, busiest day tie → earliest', () => {
    const c = runFold(sample, { window: { asOf: '2025-03-12T08:00:00Z' } }).metrics.cadence;
    expect(c.days).toBe(10); // Mar 1 … Mar 10 inclusive
    expect(c.postsPerDay).toBeCloseTo(0.9, 15); // 9 / 10
    expect(c.maxPerDay).toBe(3);
    expect(c.busiestDay).toBe('2025-03-03'); // Mar 3 and Mar 5 both have 3: the earliest
    expect(c.burstDays).toBe(0);
    expect(c.daysSinceLastPost).toBe(2); // Mar 12 − Mar 10
  });

  it('schedulerShare: "Hootsuite Inc." is a scheduler, TweetDeck is not; unknown clients left out', () => {
    const c = runFold(sample).metrics.cadence;
    expect(c.schedulerShare).toBeCloseTo(3 / 7, 15); // 3 Hootsuite / 7 posts with a client
    expect(c.clients).toEqual({ 'Hootsuite Inc.': 3, TweetDeck: 2, 'Twitter Web App': 2 });
    expect(Object.keys(c.clients)).toEqual(['Hootsuite Inc.', 'TweetDeck', 'Twitter Web App']); // by count, then name
  });

  it('scheduler matcher: case-insensitive substring, config extras', () => {
    const m = makeSchedulerMatcher(['MyBot']);
    expect(m('Hootsuite Inc.')).toBe(true);
    expect(m('BUFFER')).toBe(true);
    expect(m('IFTTT')).toBe(true);
    expect(m('dlvr.it')).toBe(true);
    expect(m('mybot v2')).toBe(true);
    expect(m('TweetDeck')).toBe(false);
    expect(m('Ivory for iOS')).toBe(false);
    expect(m('Twitter for iPhone')).toBe(false);
    expect(m('Twitter Web App')).toBe(false);
    expect(makeSchedulerMatcher([])('mybot v2')).toBe(false);
  });

  it('schedulerShare is null when no post has a known client', () => {
    expect(runFold([post({ at: '2025-03-01T10:00:00Z' })]).metrics.cadence.schedulerShare).toBeNull();
  });

  it('burstDays counts days with 50 or more posts', () => {
    const c = runFold([...posts(50, '2025-01-01T08:00:00Z'), ...posts(49, '2025-01-02T08:00:00Z')]).metrics.cadence;
    expect(c.burstDays).toBe(1); // 50 ≥ 50; 49 < 50
    expect(c.maxPerDay).toBe(50);
    expect(c.busiestDay).toBe('2025-01-01');
    expect(c.days).toBe(2);
    expect(c.postsPerDay).toBe(49.5); // 99 / 2
  });

  it('daysSinceLastPost counts UTC calendar days, 0 on asOf\'s day', () => {
    const one = runFold([post({ at: '2025-03-10T23:00:00Z' })], { window: { asOf: '2025-03-11T01:00:00Z' } }).metrics.cadence;
    expect(one.daysSinceLastPost).toBe(1); // 2 hours later but the next calendar day
    const zero = runFold([post({ at: '2025-03-10T00:00:00Z' })], { window: { asOf: '2025-03-10T23:59:59.999Z' } }).metrics.cadence;
    expect(zero.daysSinceLastPost).toBe(0);
    const noAsOf = runFold(sample).metrics.cadence;
    expect(noAsOf.daysSinceLastPost).toBeNull(); // no report date: not counted from the newest post
  });

  it('no posts: days, postsPerDay, maxPerDay, busiestDay, daysSinceLastPost are null', () => {
    const c = runFold([]).metrics.cadence;
    expect([c.days, c.postsPerDay, c.maxPerDay, c.busiestDay, c.daysSinceLastPost, c.schedulerShare]).toEqual([null, null, null, null, null, null]);
    expect(c.burstDays).toBe(0);
  });
});

describe('monthly', () => {
  // Jan: original e=10 (+ a reply with likes 50, not an own post); Feb: nothing;
  // Mar: quote e=4, original e=2, repost (not own). Followers 100.
  const sample = [
    post({ at: '2025-01-15T10:00:00Z', metrics: { likes: 6, replies: 1, reposts: 2, quotes: 1 } }),
    post({ at: '2025-01-20T10:00:00Z', kind: 'reply', target: 'bob', metrics: { likes: 50 } }),
    post({ at: '2025-03-01T10:00:00Z', kind: 'quote', target: 'carol', metrics: { likes: 4 } }),
    post({ at: '2025-03-31T23:59:59Z', metrics: { replies: 2 } }),
    post({ at: '2025-03-15T10:00:00Z', kind: 'repost', target: 'dave', metrics: { likes: 70 } }),
  ];

  it('one row per month, gap month with zeros, rate = engagements / own posts / followers', () => {
    const rows = runFold(sample, { account: { followers: 100 } }).monthly;
    expect(rows).toEqual([
      // 10 / 1 own post / 100
      { month: '2025-01', posts: 2, original: 1, thread: 0, reply: 1, repost: 0, quote: 0, engagements: 10, ratePerPostMean: 0.1 },
      { month: '2025-02', posts: 0, original: 0, thread: 0, reply: 0, repost: 0, quote: 0, engagements: 0, ratePerPostMean: null },
      // (4 + 2) / 2 own posts / 100
      { month: '2025-03', posts: 3, original: 1, thread: 0, reply: 0, repost: 1, quote: 1, engagements: 6, ratePerPostMean: 0.03 },
    ]);
  });

  it('engagements null when the source gives no count; rate null without followers', () => {
    const none = { likes: 'n/a', replies: 'n/a', reposts: 'n/a', quotes: 'n/a' };
    const rows = runFold(sample, { availability: none }).monthly;
    expect(rows.map((r) => r.engagements)).toEqual([null, null, null]);
    expect(rows.map((r) => r.ratePerPostMean)).toEqual([null, null, null]);
    const noFollowers = runFold(sample, { account: { followers: null } }).monthly;
    expect(noFollowers.map((r) => r.engagements)).toEqual([10, 0, 6]);
    expect(noFollowers.map((r) => r.ratePerPostMean)).toEqual([null, null, null]);
  });

  it('no posts: no rows', () => {
    expect(runFold([]).monthly).toEqual([]);
  });
});

describe('layers: layerScore calibration', () => {
  it('matches the calibration points of docs/metrics.md', () => {
    // round(10 + 13·log10(1 + w))
    expect(layerScore(0, L)).toBe(1); // weighted 0 → 1
    expect(layerScore(100, L)).toBe(36); // 10 + 13·2.00432 = 36.06
    expect(layerScore(1000, L)).toBe(49); // 10 + 13·3.00043 = 49.006
    expect(layerScore(10_000, L)).toBe(62); // 10 + 13·4.00004 = 62.0006
    expect(layerScore(1_000_000, L)).toBe(88); // 10 + 13·6.0000004 = 88.0000
    expect(layerScore(0.5, L)).toBe(12); // 10 + 13·0.17609 = 12.29
    expect(layerScore(1e100, L)).toBe(100); // 10 + 13·100 = 1310, clamped
  });

  it('uses the constants from config', () => {
    // base 0, factor 10: round(0 + 10·log10(1 + 99)) = round(10·2) = 20
    expect(layerScore(99, { ...L, base: 0, factor: 10 })).toBe(20);
    // base −50: round(−50 + 13·log10(2)) = round(−46.1), clamped to 1
    expect(layerScore(1, { ...L, base: -50 })).toBe(1);
  });
});

describe('layers with inbound identities', () => {
  // asOf 2025-06-30 → layer period 2025-04-02 … 2025-06-30 (90 days: Apr 29 + May 31 + Jun 30).
  const asOf = '2025-06-30T12:00:00Z';
  const sample = [
    post({ id: 'p1', at: '2025-06-01T10:00:00Z', mentions: ['alice'] }), // out: alice (mention)
    post({ id: 'p2', at: '2025-06-02T10:00:00Z', kind: 'reply', target: 'bob' }), // out: bob (reply)
    post({ id: 'p3', at: '2025-06-03T10:00:00Z', kind: 'repost', target: 'carol', metrics: NO_COUNTS }), // out: carol (repost)
    post({ id: 'p4', at: '2025-06-04T10:00:00Z', kind: 'quote', target: 'dave', mentions: ['erin'] }), // out: dave (quote), erin (mention)
    post({ id: 'p5', at: '2025-01-10T10:00:00Z', kind: 'reply', target: 'oldfriend' }), // before the layer period
    post({ id: 'p6', at: '2025-06-05T10:00:00Z', mentions: ['me'] }), // self mention: nobody
    post({ id: 'p7', at: '2025-06-06T10:00:00Z', mentions: ['alice'] }), // alice again (still one account)
  ];
  const i = (actor: string, kind: Interaction['kind'], depth: number, postId = 'p1', createdAt = '2025-06-10T12:00:00Z'): Interaction => ({
    postId, actor, kind, depth, createdAt,
  });
  const interactions: Interaction[] = [
    i('bob', 'reply', 1), // in: bob (two-way)
    i('alice', 'like', 1), // in: alice (two-way)
    i('frank', 'like', 1), // in: frank
    i('gina', 'repost', 1, 'p4'), // in: gina
    i('frank', 'reply', 1, 'p4'), // frank again
    i('henry', 'reply', 2), // L2
    i('bob', 'reply', 2), // in L1: not L2
    i('ivan', 'reply', 2), // L2
    i('henry', 'reply', 3), // in L2: not L3
    i('judy', 'reply', 3), // L3
    i('kate', 'reply', 4), // depth ≥ 3: L3
    i('alice', 'reply', 3), // in L1: not L3
    i('me', 'reply', 2), // the account itself: never a layer
  ];
  const result = () =>
    runFold(sample, { window: { asOf }, capabilities: { inboundIdentities: true }, account: { followers: 200 } }, interactions);

  it('l1Outbound, l1Inbound, l1, twoWay, l2, l3', () => {
    const l = result().metrics.layers;
    expect(l.windowDays).toBe(90);
    expect(l.since).toBe('2025-04-02T00:00:00.000Z'); // Jun 30 − 89 days
    expect(l.until).toBe('2025-06-30T23:59:59.999Z');
    expect(l.l1Outbound).toBe(5); // alice, bob, carol, dave, erin (oldfriend outside the period)
    expect(l.l1Inbound).toBe(4); // bob, alice, frank, gina
    expect(l.l1).toBe(7); // alice, bob, carol, dave, erin, frank, gina
    expect(l.twoWay).toBe(2); // alice, bob
    expect(l.l2).toBe(2); // henry, ivan
    expect(l.l3).toBe(2); // judy, kate
    expect(l.estimatedInbound).toBeNull();
    expect(l.estimated).toBe(false);
  });

  it('weighted, score and a ledger whose points sum to weighted', () => {
    const l = result().metrics.layers;
    // 7·1 + 2·1 + 2·0.5 + 2·0.25 = 7 + 2 + 1 + 0.5
    expect(l.weighted).toBe(10.5);
    expect(l.score).toBe(24); // round(10 + 13·log10(11.5)) = round(10 + 13·1.0607) = round(23.79)
    expect(l.ledger.map((e) => [e.component, e.count, e.weight, e.points])).toEqual([
      ['l1', 7, 1, 7],
      ['twoWay', 2, 1, 2],
      ['l2', 2, 0.5, 1],
      ['l3', 2, 0.25, 0.5],
    ]);
    expect(l.ledger.reduce((s, e) => s + e.points, 0)).toBe(10.5); // 7 + 2 + 1 + 0.5
    expect(l.ledger[0]!.detail).toEqual({
      outbound: { reply: 1, repost: 1, quote: 1, mention: 2 }, // bob; carol; dave; alice + erin
      inbound: { reply: 2, repost: 1, quote: 0, like: 2, mention: 0 }, // bob + frank; gina; —; alice + frank; —
    });
  });

  it('ledger weights come from config: points = count × weight, summing to weighted', () => {
    const config = { ...DEFAULT_CONFIG, layers: { ...L, weights: { l1: 2, twoWay: 3, l2: 1, l3: 1, estimatedInbound: 1 } } };
    const l = runFold(sample, { window: { asOf }, capabilities: { inboundIdentities: true }, config }, interactions).metrics.layers;
    expect(l.ledger.map((e) => e.points)).toEqual([14, 6, 2, 2]); // 7·2, 2·3, 2·1, 2·1
    expect(l.weighted).toBe(24); // 14 + 6 + 2 + 2
    expect(l.score).toBe(28); // round(10 + 13·log10(25)) = round(10 + 13·1.39794) = round(28.17)
  });

  it('engagedAudience and top interactors', () => {
    const r = result();
    expect(r.metrics.engagement.engagedAudience.accounts).toBe(4); // bob, alice, frank, gina at depth 1
    expect(r.metrics.engagement.engagedAudience.share).toBe(0.02); // 4 / 200
    // outbound: alice 2 posts (p1, p7), the others 1 each; ties by name
    expect(r.topInteractors.outbound).toEqual([
      { account: 'alice', count: 2 },
      { account: 'bob', count: 1 },
      { account: 'carol', count: 1 },
      { account: 'dave', count: 1 },
      { account: 'erin', count: 1 },
      { account: 'oldfriend', count: 1 },
    ]);
    expect(r.topInteractors.twoWay?.map((t) => t.account).sort()).toEqual(['alice', 'bob']);
    expect(r.topInteractors.inbound?.map((t) => t.account).sort()).toEqual(['alice', 'bob', 'frank', 'gina']);
  });
});

describe('layers and responsiveness: interactions count through the post they belong to (§7 API pulls)', () => {
  // Window 2025-06-01 … 2025-06-30 (asOf = until). pIn is in the window, pOut before it.
  //   xena likes pOut on 2025-06-15 (inside the window by time, but on a post outside it) → does not count
  //   yuri replies to pIn on 2025-07-02 (after until, on a window post) → counts ("whenever it happened")
  const window = { since: '2025-06-01T00:00:00.000Z', until: '2025-06-30T23:59:59.999Z' };
  const sample = [post({ id: 'pIn', at: '2025-06-10T10:00:00Z' }), post({ id: 'pOut', at: '2025-05-20T10:00:00Z' })];
  const interactions: Interaction[] = [
    { postId: 'pOut', actor: 'xena', kind: 'like', depth: 1, createdAt: '2025-06-15T10:00:00Z' },
    { postId: 'pIn', id: 'y1', actor: 'yuri', kind: 'reply', depth: 1, createdAt: '2025-07-02T10:00:00Z' },
  ];

  it('layers count yuri (window post, late reply) and not xena (post outside the window)', () => {
    const r = runFold(sample, { window, capabilities: { inboundIdentities: true, threads: true } }, interactions);
    expect(r.metrics.layers.l1Inbound).toBe(1); // yuri only
    expect(r.metrics.layers.ledger[0]!.detail).toEqual({
      outbound: { reply: 0, repost: 0, quote: 0, mention: 0 },
      inbound: { reply: 1, repost: 0, quote: 0, like: 0, mention: 0 }, // yuri's reply; xena's like does not count
    });
    expect(r.topInteractors.inbound?.map((t) => t.account)).toEqual(['yuri']);
    expect(r.metrics.engagement.engagedAudience.accounts).toBe(1); // yuri, with a depth-1 interaction on a window post
  });

  it('responsiveness counts the depth-1 reply on a window post, whenever it was made', () => {
    const r = runFold(sample, { window, capabilities: { inboundIdentities: true, threads: true } }, interactions);
    expect(r.metrics.responsiveness.inboundReplies).toBe(1); // yuri's reply to pIn
    expect(r.metrics.responsiveness.answered).toBe(0);
    expect(r.metrics.responsiveness.responseRate).toBe(0); // 0 / 1
  });

  it('layer period: an interaction on a post older than the 90 days does not count, a recent post\'s does', () => {
    // asOf 2025-06-30, whole history window: layer period from 2025-04-02.
    const posts2 = [post({ id: 'old', at: '2025-03-01T10:00:00Z' }), post({ id: 'new', at: '2025-06-20T10:00:00Z' })];
    const inter: Interaction[] = [
      { postId: 'old', actor: 'zoe', kind: 'like', depth: 1, createdAt: '2025-06-25T10:00:00Z' }, // recent, on an old post
      { postId: 'new', actor: 'walt', kind: 'like', depth: 1, createdAt: '2025-06-21T10:00:00Z' },
    ];
    const r = runFold(posts2, { window: { asOf: '2025-06-30T12:00:00Z' }, capabilities: { inboundIdentities: true } }, inter);
    expect(r.metrics.layers.l1Inbound).toBe(1); // walt only
    expect(r.metrics.layers.l1).toBe(1);
    // engagedAudience is over window posts (the whole history here), not the layer period: zoe and walt
    expect(r.metrics.engagement.engagedAudience.accounts).toBe(2);
    expect(r.metrics.engagement.engagedAudience.share).toBe(0.002); // 2 / 1000
  });
});

describe('layers without inbound identities', () => {
  // asOf 2025-06-30 → period from 2025-04-02.
  const sample = [
    post({ at: '2025-06-10T10:00:00Z', metrics: { replies: 3, reposts: 2, quotes: 1 } }), // 6
    post({ at: '2025-05-01T10:00:00Z', kind: 'reply', target: 'bob', metrics: { replies: 1, reposts: 0, quotes: 0 } }), // 1
    post({ at: '2025-06-11T10:00:00Z', kind: 'repost', target: 'carol', metrics: { replies: 9, reposts: 9, quotes: 9 } }), // repost: 0
    post({ at: '2025-04-01T23:59:59Z', mentions: ['zed'], metrics: { replies: 5, reposts: 5, quotes: 0 } }), // day before the period
    post({ at: '2025-04-02T00:00:00Z', metrics: { replies: 1, reposts: 0, quotes: 0 } }), // first day: 1
    post({ at: '2025-06-12T10:00:00Z', kind: 'thread', target: 'me', metrics: { replies: 0, reposts: 2, quotes: 0 } }), // 2
  ];

  it('estimatedInbound = received replies + reposts + quotes in the 90-day period only', () => {
    const l = runFold(sample, { window: { asOf: '2025-06-30T12:00:00Z' } }).metrics.layers;
    expect(l.since).toBe('2025-04-02T00:00:00.000Z');
    expect(l.l1Outbound).toBe(2); // bob, carol (zed is before the period)
    expect(l.l1).toBe(2); // = l1Outbound
    expect([l.l1Inbound, l.twoWay, l.l2, l.l3]).toEqual([null, null, null, null]);
    expect(l.estimatedInbound).toBe(10); // 6 + 1 + 1 + 2
    expect(l.estimated).toBe(true);
    expect(l.weighted).toBe(12); // 2 + 10
    expect(l.score).toBe(24); // round(10 + 13·log10(13)) = round(10 + 13·1.1139) = round(24.48)
    expect(l.ledger).toEqual([
      { component: 'l1', count: 2, weight: 1, points: 2, detail: { outbound: { reply: 1, repost: 1, quote: 0, mention: 0 }, inbound: null } },
      // replies 3 + 1 + 1 + 0 = 5; reposts 2 + 0 + 0 + 2 = 4; quotes 1
      { component: 'estimatedInbound', count: 10, weight: 1, points: 10, detail: { replies: 5, reposts: 4, quotes: 1 } },
    ]);
  });

  it('an unavailable count is null in the detail and left out of the estimate', () => {
    const l = runFold(sample, { window: { asOf: '2025-06-30T12:00:00Z' }, availability: { quotes: 'n/a' } }).metrics.layers;
    expect(l.estimatedInbound).toBe(9); // replies 5 + reposts 4
    expect(l.ledger[1]!.detail).toEqual({ replies: 5, reposts: 4, quotes: null });
    expect(l.weighted).toBe(11); // 2 + 9
  });

  it('the layer period is intersected with the window', () => {
    const l = runFold(sample, { window: { since: '2025-06-01T00:00:00Z', asOf: '2025-06-30T12:00:00Z' } }).metrics.layers;
    expect(l.since).toBe('2025-06-01T00:00:00.000Z'); // later than Apr 2
    expect(l.estimatedInbound).toBe(8); // 6 (Jun 10) + 2 (Jun 12); the repost is left out
    expect(l.l1Outbound).toBe(1); // carol
  });

  it("a repost reaches only the reposted author, not the original post's mentions", () => {
    const r = runFold([post({ at: '2025-06-10T10:00:00Z', kind: 'repost', target: 'carol', mentions: ['zed', 'yann'], metrics: NO_COUNTS })]);
    expect(r.metrics.layers.l1Outbound).toBe(1); // carol (zed and yann belong to carol's post)
    expect(r.metrics.layers.ledger[0]!.detail).toEqual({ outbound: { reply: 0, repost: 1, quote: 0, mention: 0 }, inbound: null });
    expect(r.topInteractors.outbound).toEqual([{ account: 'carol', count: 1 }]);
    expect(r.metrics.reciprocity.outbound).toBe(1); // one repost
  });

  it('nothing at all: weighted 0 and score 1', () => {
    const l = runFold([post({ at: '2025-06-10T10:00:00Z' })]).metrics.layers;
    expect(l.weighted).toBe(0);
    expect(l.score).toBe(1);
  });
});

describe('responsiveness', () => {
  const sample = [post({ id: 'p1', at: '2025-06-01T10:00:00Z' }), post({ id: 'p2', at: '2025-06-04T10:00:00Z' })];
  const interactions: Interaction[] = [
    { postId: 'p1', id: 'r1', actor: 'alice', kind: 'reply', depth: 1, createdAt: '2025-06-01T12:00:00Z' },
    { postId: 'p1', id: 'a1', parentId: 'r1', actor: 'me', kind: 'reply', depth: 2, createdAt: '2025-06-01T12:30:00Z' }, // 30 min
    { postId: 'p1', id: 'r2', actor: 'bob', kind: 'reply', depth: 1, createdAt: '2025-06-01T13:00:00Z' },
    // three answers to r2, fed out of order: 31 h, 2 h (the first answer), 48 h
    { postId: 'p1', id: 'a2m', parentId: 'r2', actor: 'me', kind: 'reply', depth: 2, createdAt: '2025-06-02T20:00:00Z' }, // 1860 min
    { postId: 'p1', id: 'a2', parentId: 'r2', actor: 'me', kind: 'reply', depth: 2, createdAt: '2025-06-01T15:00:00Z' }, // 120 min
    { postId: 'p1', id: 'a2b', parentId: 'r2', actor: 'me', kind: 'reply', depth: 2, createdAt: '2025-06-03T13:00:00Z' }, // 2880 min
    { postId: 'p2', id: 'r3', actor: 'carol', kind: 'reply', depth: 1, createdAt: '2025-06-05T08:00:00Z' }, // unanswered
    { postId: 'p2', id: 'r4', actor: 'dave', kind: 'reply', depth: 1, createdAt: '2025-06-05T09:00:00Z' },
    { postId: 'p2', id: 'a4', parentId: 'r4', actor: 'me', kind: 'reply', depth: 2, createdAt: '2025-06-05T12:20:00Z' }, // 200 min
    { postId: 'p2', id: 'a4b', parentId: 'r4', actor: 'me', kind: 'reply', depth: 2, createdAt: '2025-06-07T12:20:00Z' }, // a later second answer
    { postId: 'p2', actor: 'dave', kind: 'like', depth: 1, createdAt: '2025-06-05T09:01:00Z' }, // not a reply
    { postId: 'p1', id: 'r5', parentId: 'a1', actor: 'erin', kind: 'reply', depth: 3, createdAt: '2025-06-01T14:00:00Z' }, // not depth 1
    { postId: 'p1', id: 'a6', parentId: 'p1', actor: 'me', kind: 'reply', depth: 1, createdAt: '2025-06-01T15:00:00Z' }, // self-reply to own post
  ];

  it('inboundReplies, answered, responseRate, median minutes, within 24 h', () => {
    const r = runFold(sample, { window: { asOf: '2025-06-30T00:00:00Z' }, capabilities: { threads: true, inboundIdentities: true } }, interactions).metrics.responsiveness;
    expect(r.inboundReplies).toBe(4); // r1, r2, r3, r4
    expect(r.answered).toBe(3); // r1, r2, r4
    expect(r.responseRate).toBe(0.75); // 3 / 4
    // each reply's first answer: r1 30 min, r2 120 min (not 1860 or 2880), r4 200 min
    expect(r.medianResponseMinutes).toBe(120); // sorted 30, 120, 200
    expect(r.answeredWithin24h).toBe(1); // 3 of 3 answered within 24 h
  });

  it('a depth-1 reply by another account without an id still counts as inbound (it cannot be matched to an answer)', () => {
    const extra: Interaction[] = [...interactions, { postId: 'p2', actor: 'fay', kind: 'reply', depth: 1, createdAt: '2025-06-06T08:00:00Z' }];
    const r = runFold(sample, { window: { asOf: '2025-06-30T00:00:00Z' }, capabilities: { threads: true, inboundIdentities: true } }, extra).metrics.responsiveness;
    expect(r.inboundReplies).toBe(5); // r1, r2, r3, r4 + fay's
    expect(r.answered).toBe(3);
    expect(r.responseRate).toBe(0.6); // 3 / 5
  });

  it('all null without fetched threads', () => {
    const r = runFold(sample, { capabilities: { threads: false, inboundIdentities: true } }, interactions).metrics.responsiveness;
    expect(r).toEqual({ inboundReplies: null, answered: null, responseRate: null, medianResponseMinutes: null, answeredWithin24h: null });
  });
});

describe('role', () => {
  const mix = (reply: number, repost: number, quote: number, total: number): Metrics['mix'] => ({
    original: total - reply - repost - quote,
    thread: 0,
    reply,
    repost,
    quote,
    total,
    broadcastShare: (total - reply - repost - quote) / total,
    replyShare: reply / total,
    repostShare: repost / total,
    quoteShare: quote / total,
    replyToBroadcast: null,
  });
  const rec = (giveShare: number | null): Metrics['reciprocity'] => ({ outbound: 0, inbound: null, giveShare, responseRatio: null, likesGiven: null });

  it('Undetermined under 20 posts, whatever the shares', () => {
    expect(roleOf(19, mix(10, 5, 0, 19), rec(0.9), 20).label).toBe('Undetermined');
    expect(roleOf(20, mix(10, 5, 0, 20), rec(0.9), 20).label).toBe('Giver'); // 20 is enough
  });

  it('Broadcaster when replyShare < 0.10 and repostShare + quoteShare < 0.10', () => {
    // replies 1/20 = 0.05, sharing (1 + 0)/20 = 0.05
    expect(roleOf(20, mix(1, 1, 0, 20), rec(0.9), 20).label).toBe('Broadcaster');
    // giveShare null does not matter for a Broadcaster
    expect(roleOf(20, mix(1, 1, 0, 20), rec(null), 20).label).toBe('Broadcaster');
    // replyShare exactly 0.10 (2/20): not a Broadcaster
    expect(roleOf(20, mix(2, 0, 0, 20), rec(0.5), 20).label).toBe('Engager');
    // sharing exactly 0.10 (1 repost + 1 quote of 20): not a Broadcaster
    expect(roleOf(20, mix(0, 1, 1, 20), rec(0.5), 20).label).toBe('Engager');
  });

  it('Giver at giveShare ≥ 0.6, Taker at ≤ 0.4, Engager between, Undetermined when null', () => {
    const m = mix(5, 2, 0, 20); // replyShare 0.25: not a Broadcaster
    expect(roleOf(20, m, rec(0.6), 20).label).toBe('Giver');
    expect(roleOf(20, m, rec(0.95), 20).label).toBe('Giver');
    expect(roleOf(20, m, rec(0.59), 20).label).toBe('Engager');
    expect(roleOf(20, m, rec(0.5), 20).label).toBe('Engager');
    expect(roleOf(20, m, rec(0.41), 20).label).toBe('Engager');
    expect(roleOf(20, m, rec(0.4), 20).label).toBe('Taker');
    expect(roleOf(20, m, rec(0.1), 20).label).toBe('Taker');
    expect(roleOf(20, m, rec(null), 20).label).toBe('Undetermined');
  });

  it('through the fold: 20 posts with giveShare exactly 0.4 → Taker; 19 posts → Undetermined', () => {
    // 12 originals with 1 reply received each (inbound 12), 5 replies + 3 reposts (outbound 8):
    // giveShare = 8 / (8 + 12) = 0.4; replyShare 5/20 = 0.25
    const twenty = [
      ...posts(12, '2025-01-01T00:00:00Z', { metrics: { replies: 1 } }),
      ...posts(5, '2025-01-02T00:00:00Z', { kind: 'reply', target: 'bob' }),
      ...posts(3, '2025-01-03T00:00:00Z', { kind: 'repost', target: 'carol', metrics: NO_COUNTS }),
    ];
    const r = runFold(twenty);
    expect(r.window.posts).toBe(20);
    expect(r.metrics.reciprocity.giveShare).toBe(0.4);
    expect(r.role.label).toBe('Taker');
    expect(r.role.reason.length).toBeGreaterThan(0);
    expect(runFold(twenty.slice(1)).role.label).toBe('Undetermined'); // 19 posts
  });
});

describe('postFacts: outbound accounts', () => {
  const isSelf = makeIsSelf(ME);
  const time = Date.UTC(2025, 0, 2, 12);

  it('one entry per other account, with every way the post reaches it, however many it names', () => {
    for (const others of [3, 30]) {
      // A reply to `a0` that also mentions a0 … a(others-1), each twice (once capitalised), and the account itself.
      const names = Array.from({ length: others }, (_, k) => `a${k}`);
      const p = post({ at: '2025-01-02T12:00:00Z', kind: 'reply', target: 'a0', mentions: ['me', ...names.map((n) => n.toUpperCase()), ...names] });
      const facts = postFacts(p, time, isSelf, new AccountIdentities());
      expect(facts.outbound).toEqual([['a0', ['reply', 'mention']], ...names.slice(1).map((n) => [n, ['mention']])]);
      expect(facts.mentionsOthers).toBe(true);
      expect(facts.day).toBe(Math.floor(time / 86_400_000));
    }
  });

  it('a repost reaches its author only; a post naming only the account itself reaches nobody', () => {
    const repost = post({ at: '2025-01-02T12:00:00Z', kind: 'repost', target: 'b', mentions: Array.from({ length: 20 }, (_, k) => `m${k}`) });
    expect(postFacts(repost, time, isSelf, new AccountIdentities())).toMatchObject({ outbound: [['b', ['repost']]], mentionsOthers: false });
    const own = post({ at: '2025-01-02T12:00:00Z', mentions: Array.from({ length: 20 }, () => 'ME') });
    expect(postFacts(own, time, isSelf, new AccountIdentities())).toMatchObject({ outbound: [], mentionsOthers: false });
  });

  it('a handle written with `@` names the account itself, as the identity keys say', () => {
    for (const [handle, named] of [['@Me', 'me'], ['me', '@ME']] as const) {
      // The independent route: the keys of the two spellings are one.
      const ids = new AccountIdentities();
      expect(ids.key({ handle })).toBe(ids.key({ handle: named }));
      const reply = post({ at: '2025-01-02T12:00:00Z', kind: 'reply', target: named, mentions: [named, 'b'] });
      expect(postFacts(reply, time, makeIsSelf({ id: null, handle }), ids).outbound).toEqual([['b', ['mention']]]);
    }
  });
});

describe('an interaction named by its id alone', () => {
  // A liker whose profile view lacks a handle: interactionBy gives its id, lower-cased, as the actor
  // and the id as actorId. Posts never name it with a handle, so it is `id:<id>` as the ids are kept.
  it('keeps the id form of its name (the lower-cased id is not taken for a handle)', () => {
    const sample = [post({ id: 'p1', at: '2025-06-10T10:00:00Z' })];
    const interactions: Interaction[] = [{ postId: 'p1', actor: 'did:plc:abcxyz', actorId: 'did:plc:ABCxyz', kind: 'like', depth: 1, createdAt: '2025-06-11T10:00:00Z' }];
    const r = runFold(sample, { capabilities: { inboundIdentities: true, threads: true } }, interactions);
    expect(r.topInteractors.inbound).toEqual([{ account: 'id:did:plc:ABCxyz', count: 1 }]);
  });
});
