/** docs/metrics.md §3 "audience": follower/following ratio and, with id lists, mutuals and follow-back. */
import type { Metrics } from '../model/report.js';
import { ratio } from '../lib/stats.js';

export function audienceMetrics(
  followers: number | null,
  following: number | null,
  followerIds: readonly string[] | null,
  followingIds: readonly string[] | null,
): Metrics['audience'] {
  let mutuals: number | null = null;
  if (followerIds !== null && followingIds !== null) {
    const followerSet = new Set(followerIds);
    mutuals = new Set(followingIds.filter((id) => followerSet.has(id))).size;
  }
  return {
    followers,
    following,
    followRatio: ratio(followers, following),
    mutuals,
    followBackRate: ratio(mutuals, following),
    reciprocationRate: ratio(mutuals, followers),
  };
}
