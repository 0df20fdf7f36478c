import { defineAudit } from './define-audit.js';

/** docs/metrics.md §5 freshness: days from the newest post to the report date (§3 cadence.daysSinceLastPost). */
export default defineAudit({
  id: 'freshness',
  title: 'Freshness',
  category: 'habits',
  better: 'lower',
  unit: 'days',
  needs: { all: ['date'] },
  methodology: 'UTC calendar days from the newest post in the window to the report date (--as-of). Lower is better.',
  value: ({ metrics }) => metrics.cadence.daysSinceLastPost,
  reads: ['cadence.daysSinceLastPost'],
  needsPosts: true,
  display: (v) => `${v} day${v === 1 ? '' : 's'} since the last post`,
  advice: {
    pass: 'The account is active.',
    warn: 'The account has been quiet for a while. A short post keeps the relationship alive.',
    fail: 'The account looks abandoned. Post, or say where people can find you now.',
  },
});
