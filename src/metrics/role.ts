/** docs/metrics.md §4: Giver / Taker / Engager / Broadcaster, with the rule that fired. */
import type { Metrics, RoleLabel } from '../model/report.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function roleOf(
  posts: number,
  mix: Metrics['mix'],
  reciprocity: Metrics['reciprocity'],
  minPosts: number,
  /** Why the source cannot see both directions (docs/metrics.md "What each number needs"), or null. */
  blind: string | null = null,
): { label: RoleLabel; reason: string } {
  if (blind !== null) return { label: 'Undetermined', reason: `The role weighs what the account gives against what it receives, and the source cannot see both. ${blind}` };
  if (posts < minPosts) {
    return { label: 'Undetermined', reason: posts === 0 ? `No posts in the window; a role needs at least ${minPosts}.` : `Only ${posts} post${posts === 1 ? '' : 's'} in the window; a role needs at least ${minPosts}.` };
  }
  const replyShare = mix.replyShare ?? 0;
  const sharing = (mix.repostShare ?? 0) + (mix.quoteShare ?? 0);
  if (replyShare < 0.1 && sharing < 0.1) {
    return {
      label: 'Broadcaster',
      reason: `Replies are ${pct(replyShare)} and reposts + quotes ${pct(sharing)} of posts, both under 10 %: the account talks at people more than with them.`,
    };
  }
  const give = reciprocity.giveShare;
  if (give === null) {
    return {
      label: 'Undetermined',
      reason: 'The source gives no received replies, reposts or quotes, so giving cannot be weighed against receiving.',
    };
  }
  if (give >= 0.6) {
    return { label: 'Giver', reason: `${pct(give)} of interactions are given (replies, reposts, quotes, mentions), at least 60 %.` };
  }
  if (give <= 0.4) {
    return { label: 'Taker', reason: `Only ${pct(give)} of interactions are given; at most 40 % means the account receives far more than it gives.` };
  }
  return { label: 'Engager', reason: `${pct(give)} of interactions are given: between 40 % and 60 %, a balanced give and take.` };
}
