/**
 * docs/metrics.md §3 "engagement": over own posts (original + quote) in the window. Replies, thread
 * continuations and reposts are excluded (a repost carries someone else's counts). Engagements are
 * the sum of the counts the source gives; impressions are never part of them.
 */
import type { Availability, Post } from '../model/dataset.js';
import type { Metrics } from '../model/report.js';
import { COUNT_NAMES } from '../model/names.js';
import { increment, medianOfFrequencies, ratio, sumKnown } from '../lib/stats.js';

export type CountName = (typeof COUNT_NAMES)[number];

export function isOwnPost(post: Post): boolean {
  return post.kind === 'original' || post.kind === 'quote';
}

/** The counts this source gives, in docs/metrics.md order: a count is available unless availability says why not. */
export function countedFrom(availability: Availability): CountName[] {
  return COUNT_NAMES.filter((name) => availability[name] === undefined);
}

export function engagementsOf(post: Post, counted: readonly CountName[]): number {
  let total = 0;
  for (const name of counted) total += post.metrics[name] ?? 0;
  return total;
}

export class EngagementAccumulator {
  private posts = 0;
  private readonly sums: Record<CountName, number> = { likes: 0, replies: 0, reposts: 0, quotes: 0 };
  /** Whether any own post had this count (a column of blanks sums to unknown, not 0). */
  private readonly known: Record<CountName, boolean> = { likes: false, replies: false, reposts: false, quotes: false };
  private total = 0;
  private readonly freq = new Map<number, number>();
  private impressions = 0;
  private impressionPosts = 0;
  private engagementsWithImpressions = 0;

  constructor(
    private readonly counted: readonly CountName[],
    private readonly impressionsAvailable: boolean,
  ) {}

  add(post: Post): void {
    this.posts += 1;
    const e = engagementsOf(post, this.counted);
    for (const name of this.counted) {
      const v = post.metrics[name];
      if (v !== null) {
        this.sums[name] += v;
        this.known[name] = true;
      }
    }
    this.total += e;
    increment(this.freq, e);
    const imp = post.metrics.impressions;
    if (this.impressionsAvailable && imp !== null) {
      this.impressions += imp;
      this.impressionPosts += 1;
      this.engagementsWithImpressions += e;
    }
  }

  finish(followers: number | null, engagedAccounts: number | null): Metrics['engagement'] {
    const has = (name: CountName): boolean => this.counted.includes(name);
    // With no own post a count is 0 of nothing; with own posts none of which has it, it is unknown.
    const sum = (name: CountName): number | null => (has(name) && (this.known[name] || n === 0) ? this.sums[name] : null);
    const n = this.posts;
    const anyCount = this.counted.length > 0;
    const perPostMean = anyCount ? ratio(this.total, n) : null;
    const perPostMedian = anyCount ? medianOfFrequencies(this.freq) : null;
    const perPostPerFollower = (value: number | null): number | null => ratio(ratio(value, n), followers);
    const amplification = sumKnown([sum('reposts'), sum('quotes')]);
    return {
      posts: n,
      counted: [...this.counted],
      likes: sum('likes'),
      replies: sum('replies'),
      reposts: sum('reposts'),
      quotes: sum('quotes'),
      total: anyCount ? this.total : null,
      perPostMean,
      perPostMedian,
      ratePerPostMean: ratio(perPostMean, followers),
      ratePerPostMedian: ratio(perPostMedian, followers),
      impressions: this.impressionPosts > 0 ? this.impressions : null,
      rateByImpressions:
        anyCount && this.impressionPosts > 0 ? ratio(this.engagementsWithImpressions, this.impressions) : null,
      conversationRate: perPostPerFollower(sum('replies')),
      amplificationRate: perPostPerFollower(amplification),
      applauseRate: perPostPerFollower(sum('likes')),
      engagedAudience: { accounts: engagedAccounts, share: ratio(engagedAccounts, followers) },
    };
  }
}
