/**
 * Published engagement-rate benchmarks, every row with where it comes from (docs/metrics.md
 * "Benchmarks"). Only figures read on the cited page; none derived. A row grades
 * `engagement.ratePerPostMean` (engagements per own post ÷ followers) only when its denominator is
 * followers (`matches`); rows measured another way are kept for the record and never graded against.
 */
import type { Platform } from './dataset.js';

export type BenchmarkStatistic = 'median' | 'mean';

export interface BenchmarkRow {
  platform: Platform;
  /** Followers, inclusive. */
  min: number;
  /** Followers, exclusive; null: no upper bound. */
  max: number | null;
  /** A fraction (0.0468 = 4.68 %). */
  value: number;
  statistic: BenchmarkStatistic;
  /** What the source divides engagements by, and what it counts, as the page states it. */
  denominator: string;
  /** The denominator is followers, per post: the same rate as `ratePerPostMean`. */
  matches: boolean;
  source: string;
  year: number;
  url: string;
}

const SOCIAVAULT = 'SociaVault Labs';
/** SociaVault Labs' tiers, the same on every platform it publishes. */
const TIERS: ReadonlyArray<[number, number | null]> = [
  [1_000, 10_000],
  [10_000, 50_000],
  [50_000, 100_000],
  [100_000, 500_000],
  [500_000, null],
];

function tiers(common: Omit<BenchmarkRow, 'min' | 'max' | 'value'>, values: readonly number[], bands = TIERS): BenchmarkRow[] {
  return bands.map(([min, max], i) => ({ ...common, min, max, value: values[i]! }));
}

export const BENCHMARK_BANDS: readonly BenchmarkRow[] = [
  ...tiers(
    {
      platform: 'instagram',
      statistic: 'mean',
      // Shares are not in the sum; a CSV's Shares column is (docs/metrics.md "Benchmarks").
      denominator: '(likes + comments; not shares) ÷ followers, per post, averaged over the last 30 posts',
      matches: true,
      source: SOCIAVAULT,
      year: 2026,
      url: 'https://sociavault.com/blog/good-engagement-rate-instagram',
    },
    [0.042, 0.028, 0.019, 0.014, 0.009],
  ),
  ...tiers(
    {
      platform: 'tiktok',
      statistic: 'median',
      denominator: '(likes + comments + shares) ÷ followers, per post',
      matches: true,
      source: SOCIAVAULT,
      year: 2026,
      url: 'https://sociavault.com/blog/good-engagement-rate-tiktok',
    },
    [0.0784, 0.0521, 0.0389, 0.0273, 0.0184],
  ),
  ...tiers(
    {
      platform: 'x',
      statistic: 'median',
      denominator: '(likes + replies + reposts + quotes) ÷ followers, per post',
      matches: true,
      source: SOCIAVAULT,
      year: 2026,
      url: 'https://sociavault.com/blog/twitter-x-engagement-declining-2026-data',
    },
    [0.0218, 0.0142, 0.0097, 0.0063, 0.0035],
  ),
  ...tiers(
    {
      platform: 'youtube',
      statistic: 'median',
      denominator: '(likes + comments) ÷ views, per video',
      matches: false,
      source: SOCIAVAULT,
      year: 2026,
      url: 'https://sociavault.com/blog/good-engagement-rate-youtube',
    },
    [0.0523, 0.0374, 0.0281, 0.0212, 0.0141],
  ),
  ...tiers(
    {
      platform: 'linkedin',
      statistic: 'median',
      denominator: '(reactions + comments + reposts) ÷ impressions, per post',
      matches: false,
      source: SOCIAVAULT,
      year: 2026,
      url: 'https://sociavault.com/blog/good-engagement-rate-linkedin-2026',
    },
    [0.0542, 0.0387, 0.0274, 0.0189, 0.0108],
    [
      [1_000, 5_000],
      [5_000, 25_000],
      [25_000, 100_000],
      [100_000, 500_000],
      [500_000, null],
    ],
  ),
];

/**
 * The platform-wide medians of brands' posts (Rival IQ 2023 Social Media Industry Benchmark Report),
 * the fallback when no band holds the account and the default config's `benchmarks`.
 */
export const PLATFORM_WIDE: readonly BenchmarkRow[] = (
  [
    ['x', 0.00035],
    ['facebook', 0.0006],
    ['instagram', 0.0047],
    ['tiktok', 0.0569],
  ] as const
).map(([platform, value]) => ({
  platform,
  min: 0,
  max: null,
  value,
  statistic: 'median',
  denominator: '(likes, comments, shares, reposts, reactions) ÷ followers, per post',
  matches: true,
  source: 'Rival IQ',
  year: 2023,
  url: 'https://www.contentgrip.com/social-media-engagement-tiktok/',
}));
