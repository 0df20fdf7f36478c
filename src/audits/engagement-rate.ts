import { defineAudit, rate, type AuditInput } from './define-audit.js';
import { benchmarkText, chooseBenchmark } from '../model/benchmark-band.js';

/** The benchmark for the account's follower band (docs/metrics.md "Benchmarks"). */
const benchmarkFor = ({ platform, config, metrics }: AuditInput) => chooseBenchmark(platform, metrics.audience.followers, config.benchmarks[platform]);

/**
 * docs/metrics.md §5 engagement-rate: mean engagements per own post ÷ followers (§3
 * engagement.ratePerPostMean), against the benchmark of accounts of the same follower band, else the
 * platform's median: pass at the benchmark, fail at half of it.
 */
export default defineAudit({
  id: 'engagement-rate',
  title: 'Engagement rate per post',
  category: 'engagement',
  better: 'higher',
  unit: 'fraction',
  needs: { all: ['followers', 'benchmark'], any: [['likes'], ['replies'], ['reposts'], ['quotes']] },
  methodology:
    "Mean engagements per own post (originals and quotes; the counts the source gives) ÷ followers, compared with the published benchmark for accounts with as many followers, else the platform's median.",
  value: ({ metrics }) => metrics.engagement.ratePerPostMean,
  reads: ['engagement.ratePerPostMean'],
  needsPosts: true,
  thresholds: (input) => {
    const benchmark = benchmarkFor(input);
    return benchmark === null ? null : { pass: benchmark.value, fail: benchmark.value * input.config.benchmarkFailFactor };
  },
  thresholdRule: (config) => `pass ≥ benchmark of the follower band, fail ≤ ${config.benchmarkFailFactor} × benchmark`,
  noThresholds: 'There is no benchmark for this platform: the rate is reported but not graded (set one in the config).',
  display: (v, input) => {
    const benchmark = benchmarkFor(input);
    return `${rate(v)} per post, by followers${benchmark ? ` — ${benchmarkText(benchmark)}` : ''}`;
  },
  advice: {
    pass: 'Your posts draw more engagement per follower than the benchmark they are compared with (for your follower band where one is published).',
    warn: 'Engagement is below the benchmark it is compared with. Ask questions, answer comments, and post when your audience is there.',
    fail: 'Engagement is under half the benchmark it is compared with: your followers see but do not respond. Talk with people, not at them.',
  },
});
