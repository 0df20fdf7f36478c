import { defineAudit, percent } from './define-audit.js';

/** docs/metrics.md §5 two-way: accounts engaged in both directions ÷ L1 (§3 layers.twoWay / layers.l1). */
export default defineAudit({
  id: 'two-way',
  title: 'Two-way relationships',
  category: 'conversation',
  better: 'higher',
  unit: 'fraction',
  needs: { all: ['inboundIdentities', 'outboundIdentities'] },
  methodology:
    'Accounts you interacted with that also interacted with you, ÷ all accounts in layer L1 (last 90 days). Needs who interacted with your posts.',
  value: ({ metrics }) => {
    const { twoWay, l1 } = metrics.layers;
    return twoWay === null || l1 === null || l1 === 0 ? null : twoWay / l1;
  },
  reads: ['layers.twoWay'],
  unavailable: 'Nobody in layer L1 over the period: no relationships to weigh.',
  display: (v) => `${percent(v)} of your circle is two-way`,
  advice: {
    pass: 'Many of your relationships run both ways: engagement as a partnership.',
    warn: 'Most of your interactions go one way. Return the favour to those who engage with you.',
    fail: 'Almost nobody you interact with interacts back (or the reverse). Build mutual exchanges, not one-way traffic.',
  },
});
