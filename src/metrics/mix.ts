/** docs/metrics.md §3 "mix": what the account posts, by kind, and the shares of each. */
import type { Post, PostKind } from '../model/dataset.js';
import type { Metrics } from '../model/report.js';
import { ratio } from '../lib/stats.js';

export class MixAccumulator {
  private readonly counts: Record<PostKind, number> = { original: 0, thread: 0, reply: 0, repost: 0, quote: 0 };

  add(post: Post): void {
    this.counts[post.kind] += 1;
  }

  finish(): Metrics['mix'] {
    const { original, thread, reply, repost, quote } = this.counts;
    const total = original + thread + reply + repost + quote;
    return {
      original,
      thread,
      reply,
      repost,
      quote,
      total,
      broadcastShare: ratio(original + thread, total),
      replyShare: ratio(reply, total),
      repostShare: ratio(repost, total),
      quoteShare: ratio(quote, total),
      replyToBroadcast: ratio(reply, original + thread),
    };
  }
}
