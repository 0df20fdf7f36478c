/**
 * docs/metrics.md §3 "reciprocity" (giver / taker). Outbound = replies, reposts, quotes the account made,
 * plus its original/thread posts that mention someone. Inbound = replies + reposts + quotes its
 * non-repost posts received. Likes are applause, not interaction: on neither side.
 */
import type { Post } from '../model/dataset.js';
import type { Metrics } from '../model/report.js';
import type { CountName } from './engagement.js';
import { ratio } from '../lib/stats.js';

const INBOUND_COUNTS = ['replies', 'reposts', 'quotes'] as const satisfies readonly CountName[];

export class ReciprocityAccumulator {
  private outbound = 0;
  private inbound = 0;
  private repliesReceived = 0;
  private replyPosts = 0;
  private readonly inboundCounts: readonly CountName[];

  constructor(counted: readonly CountName[]) {
    this.inboundCounts = INBOUND_COUNTS.filter((name) => counted.includes(name));
  }

  add(post: Post, mentionsOthers: boolean): void {
    if (post.kind === 'reply') this.replyPosts += 1;
    if (post.kind === 'reply' || post.kind === 'repost' || post.kind === 'quote') this.outbound += 1;
    else if (mentionsOthers) this.outbound += 1;
    if (post.kind === 'repost') return;
    for (const name of this.inboundCounts) this.inbound += post.metrics[name] ?? 0;
    this.repliesReceived += post.metrics.replies ?? 0;
  }

  finish(likesGiven: number | null): Metrics['reciprocity'] {
    const inbound = this.inboundCounts.length > 0 ? this.inbound : null;
    const repliesKnown = this.inboundCounts.includes('replies');
    return {
      outbound: this.outbound,
      inbound,
      giveShare: inbound === null ? null : ratio(this.outbound, this.outbound + inbound),
      responseRatio: repliesKnown ? ratio(this.replyPosts, this.repliesReceived) : null,
      likesGiven,
    };
  }
}
