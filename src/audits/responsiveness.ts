import { defineAudit, percent } from './define-audit.js';

/**
 * docs/metrics.md §5 responsiveness: the share of inbound replies answered (§3
 * responsiveness.responseRate), else min(1, replies made ÷ replies received) (reciprocity.responseRatio).
 */
export default defineAudit({
  id: 'responsiveness',
  title: 'Responsiveness',
  category: 'conversation',
  better: 'higher',
  unit: 'fraction',
  needs: { any: [['replyThreads'], ['replies', 'replyPosts', 'threadPosts']] },
  methodology:
    'Share of the replies others left on your posts that you answered (fetched threads); without threads, min(1, replies you made ÷ replies you received).',
  value: ({ metrics }) => {
    const rate = metrics.responsiveness.responseRate;
    if (rate !== null) return rate;
    const ratio = metrics.reciprocity.responseRatio;
    return ratio === null ? null : Math.min(1, ratio);
  },
  reads: ['responsiveness.responseRate', 'reciprocity.responseRatio'],
  display: (v, { metrics }) =>
    metrics.responsiveness.responseRate !== null
      ? `${percent(v)} of replies answered`
      : `${metrics.reciprocity.responseRatio!.toFixed(2)} replies made per reply received (no threads fetched)`,
  advice: {
    pass: 'You answer the people who reply to you.',
    warn: 'Many replies to your posts go unanswered. A short answer turns a commenter into a regular.',
    fail: 'Replies to your posts are mostly ignored. Answer comments: it is the cheapest engagement there is.',
  },
});
