import { defineAudit, rate } from './define-audit.js';

/**
 * docs/metrics.md §5 engagement-rate: mean engagements per own post ÷ followers (§3
 * engagement.ratePerPostMean), against the platform's median (Rival IQ 2023): pass at the benchmark,
 * fail at half of it.
 */
export default defineAudit({
  id: 'engagement-rate',
  title: 'Engagement rate per post',
  category: 'engagement',
  better: 'higher',
  needs: { all: ['followers', 'benchmark'], any: [['likes'], ['replies'], ['reposts'], ['quotes']] },
  methodology:
    'Mean engagements per own post (originals and quotes; the counts the source gives) ÷ followers, compared with the median of the platform.',
  value: ({ metrics }) => metrics.engagement.ratePerPostMean,
  reads: ['engagement.ratePerPostMean'],
  needsPosts: true,
  thresholds: ({ platform, config }) => {
    const benchmark = config.benchmarks[platform];
    return benchmark === undefined ? null : { pass: benchmark, fail: benchmark * config.benchmarkFailFactor };
  },
  thresholdRule: (config) => `pass ≥ platform benchmark, fail ≤ ${config.benchmarkFailFactor} × benchmark`,
  noThresholds: 'There is no benchmark for this platform: the rate is reported but not graded (set one in the config).',
  display: (v) => `${rate(v)} per post, by followers`,
  advice: {
    pass: 'Your posts draw more engagement per follower than the median account on this platform.',
    warn: 'Engagement is below the platform median. Ask questions, answer comments, and post when your audience is there.',
    fail: 'Engagement is under half the platform median: your followers see but do not respond. Talk with people, not at them.',
  },
});
