import { defineAudit, percent } from './define-audit.js';

/** docs/metrics.md §5 follow-back: mutuals / following (§3 audience.followBackRate). */
export default defineAudit({
  id: 'follow-back',
  title: 'Follow-back rate',
  category: 'audience',
  better: 'higher',
  unit: 'fraction',
  needs: { all: ['followerIds', 'followingIds'] },
  methodology: 'Mutual follows ÷ accounts you follow: how many of the people you follow follow you back (needs both id lists).',
  value: ({ metrics }) => metrics.audience.followBackRate,
  reads: ['audience.followBackRate'],
  display: (v) => `${percent(v)} of followed accounts follow back`,
  advice: {
    pass: 'Most people you follow follow you back: your network is mutual, the ground for real conversation.',
    warn: 'Under half of the accounts you follow follow back. Talk with them: replies build relationships follows alone do not.',
    fail: 'Few of the accounts you follow know you. Engage with them (reply, share with credit) before following more.',
  },
});
