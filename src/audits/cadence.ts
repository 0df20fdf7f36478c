import { NEEDS_NOTHING } from '../model/capabilities.js';
import { defineAudit } from './define-audit.js';

/** docs/metrics.md §5 cadence: posts per day over the window's posting days (§3 cadence.postsPerDay). Lower is better. */
export default defineAudit({
  id: 'cadence',
  title: 'Posting cadence',
  category: 'habits',
  better: 'lower',
  unit: 'posts per day',
  needs: NEEDS_NOTHING,
  methodology: 'Posts ÷ UTC calendar days from the first to the last post in the window. Lower is better above 25 a day.',
  value: ({ metrics }) => metrics.cadence.postsPerDay,
  reads: ['cadence.maxPerDay'],
  needsPosts: true,
  display: (v) => `${v.toFixed(2)} posts a day`,
  advice: {
    pass: 'A sustainable posting rhythm.',
    warn: 'A very high volume of posts: followers may mute you. Fewer, better posts.',
    fail: 'Flood-level posting: this reads as automation or spam.',
  },
});
