/** docs/metrics.md §3 "cadence": how often and with what the account posts, over the window (all kinds). */
import type { Post } from '../model/dataset.js';
import type { Metrics } from '../model/report.js';
import { dayIndex, dayKey } from '../lib/dates.js';
import { increment, ratio } from '../lib/stats.js';
import type { PostFacts } from './post-facts.js';

export class CadenceAccumulator {
  private readonly perDay = new Map<number, number>();
  private readonly clients = new Map<string, number>();
  private known = 0;
  private scheduled = 0;
  private total = 0;
  private newest = Number.NEGATIVE_INFINITY;

  constructor(private readonly isScheduler: (client: string) => boolean) {}

  add(post: Post, facts: PostFacts): void {
    this.total += 1;
    increment(this.perDay, facts.day);
    if (facts.time > this.newest) this.newest = facts.time;
    if (post.client) {
      this.known += 1;
      increment(this.clients, post.client);
      if (this.isScheduler(post.client)) this.scheduled += 1;
    }
  }

  /** Newest post time in the window, or null when there is none. */
  get newestTime(): number | null {
    return this.total > 0 ? this.newest : null;
  }

  finish(asOf: number | null, burstDayPosts: number): Metrics['cadence'] {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    let maxPerDay = 0;
    let busiest: number | null = null;
    let burstDays = 0;
    for (const [day, n] of this.perDay) {
      if (day < first) first = day;
      if (day > last) last = day;
      if (n > maxPerDay || (n === maxPerDay && busiest !== null && day < busiest)) {
        maxPerDay = n;
        busiest = day;
      }
      if (n >= burstDayPosts) burstDays += 1;
    }
    const days = this.total > 0 ? last - first + 1 : null;
    const clients = Object.fromEntries(
      [...this.clients].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    );
    return {
      days,
      postsPerDay: ratio(this.total, days),
      maxPerDay: this.total > 0 ? maxPerDay : null,
      busiestDay: busiest === null ? null : dayKey(busiest),
      burstDays,
      clients,
      schedulerShare: ratio(this.scheduled, this.known),
      daysSinceLastPost: this.total > 0 && asOf !== null ? dayIndex(asOf) - last : null,
    };
  }
}
