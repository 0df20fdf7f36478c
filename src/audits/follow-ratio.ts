import { defineAudit } from './define-audit.js';

/** docs/metrics.md §5 follow-ratio: followers / following (§3 audience.followRatio). */
export default defineAudit({
  id: 'follow-ratio',
  title: 'Follower / following ratio',
  category: 'audience',
  better: 'higher',
  unit: 'ratio',
  needs: { all: ['followers', 'following'] },
  methodology: 'followers ÷ following, from the profile counts or the follower and following lists.',
  value: ({ metrics }) => metrics.audience.followRatio,
  reads: ['audience.followRatio'],
  display: (v) => `${v.toFixed(2)} followers per followed account`,
  advice: {
    pass: 'More people follow you than you follow: your posts earn attention on their own.',
    warn: 'You follow about as many accounts as follow you. Follow for conversation, not for follow-backs.',
    fail: 'You follow far more accounts than follow you. Mass following reads as spam; prune and post things worth following.',
  },
});
