/** docs/metrics.md §6 "monthly": the window month by month, gaps included (§7 "Monthly"). */
import type { Post, PostKind } from '../model/dataset.js';
import type { Metrics, MonthlyRow } from '../model/report.js';
import { monthRange } from '../lib/dates.js';
import { ratio } from '../lib/stats.js';

interface MonthState {
  kinds: Record<PostKind, number>;
  own: number;
  engagements: number;
}

export class MonthlyAccumulator {
  private readonly months = new Map<string, MonthState>();

  constructor(private readonly hasCounts: boolean) {}

  add(post: Post, month: string, own: boolean, engagements: number): void {
    let m = this.months.get(month);
    if (!m) {
      m = { kinds: { original: 0, thread: 0, reply: 0, repost: 0, quote: 0 }, own: 0, engagements: 0 };
      this.months.set(month, m);
    }
    m.kinds[post.kind] += 1;
    if (own) {
      m.own += 1;
      m.engagements += engagements;
    }
  }

  /** `mix`: the window's mix after its needs were applied; a kind the source cannot see is null every month. */
  finish(followers: number | null, mix: Metrics['mix']): MonthlyRow[] {
    if (this.months.size === 0) return [];
    const keys = [...this.months.keys()].sort();
    return monthRange(keys[0]!, keys[keys.length - 1]!).map((month) => {
      const m = this.months.get(month);
      const k = m?.kinds ?? { original: 0, thread: 0, reply: 0, repost: 0, quote: 0 };
      const engagements = this.hasCounts ? (m?.engagements ?? 0) : null;
      return {
        month,
        posts: k.original + k.thread + k.reply + k.repost + k.quote,
        original: k.original,
        thread: mix.thread === null ? null : k.thread,
        reply: mix.reply === null ? null : k.reply,
        repost: mix.repost === null ? null : k.repost,
        quote: mix.quote === null ? null : k.quote,
        engagements,
        ratePerPostMean: ratio(ratio(engagements, m?.own ?? 0), followers),
      };
    });
  }
}
