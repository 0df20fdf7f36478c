import { defineAudit, percent } from './define-audit.js';

/** docs/metrics.md §5 automation: posts from scheduling clients ÷ posts with a known client (§3 cadence.schedulerShare). */
export default defineAudit({
  id: 'automation',
  title: 'Automation',
  category: 'habits',
  better: 'lower',
  unit: 'fraction',
  needs: { all: ['clients'] },
  methodology:
    'Posts sent from scheduling or automation clients (Buffer, Hootsuite, IFTTT, …) ÷ posts whose client is known. Lower is better.',
  value: ({ metrics }) => metrics.cadence.schedulerShare,
  reads: ['cadence.schedulerShare'],
  needsPosts: true,
  display: (v) => `${percent(v)} of posts scheduled`,
  advice: {
    pass: 'Most posts are written live, not queued.',
    warn: 'Much of your posting is scheduled. Scheduling is fine; be there when people answer.',
    fail: 'Nearly everything is automated. A queue cannot hold a conversation: don’t automate everything.',
  },
});
