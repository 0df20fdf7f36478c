/**
 * Which engagement benchmark grades an account (docs/metrics.md "Benchmarks"): the band whose
 * [min, max) holds its follower count — min inclusive, max exclusive, so 10,000 followers fall in
 * 10k–50k, not 1k–10k — else the platform-wide value, saying why. Pure: no clock, no I/O.
 */
import { BENCHMARK_BANDS, PLATFORM_WIDE, type BenchmarkRow, type BenchmarkStatistic } from './benchmarks.js';
import { rate } from '../lib/format.js';

/** A band set in the config: followers in [min, max), max absent or null for no upper bound. */
export interface ConfigBand {
  min: number;
  max?: number | null | undefined;
  value: number;
}

/**
 * A platform's entry in `AuditConfig.benchmarks`: a number is the platform-wide value behind the
 * published bands (the config file's numbers arrive as one band from 0, docs/metrics.md "Benchmarks");
 * bands replace the published ones.
 */
export type BenchmarkSetting = number | readonly ConfigBand[];

export interface Benchmark {
  platform: string;
  /** The band that holds the account; null for a platform-wide value. */
  band: { min: number; max: number | null; label: string } | null;
  value: number;
  /** null for a value set in the config. */
  statistic: BenchmarkStatistic | null;
  /** The publisher, or `config`. */
  source: string;
  year: number | null;
  denominator: string | null;
  url: string | null;
  /** Why a platform-wide value was used instead of a band; null when a band holds the account. */
  note: string | null;
}

/** A follower count as people write it: 1k, 10k, 1.5M. */
export function compactCount(n: number): string {
  const unit = n >= 1e6 ? ([1e6, 'M'] as const) : n >= 1e3 ? ([1e3, 'k'] as const) : ([1, ''] as const);
  return `${Number((n / unit[0]).toFixed(1))}${unit[1]}`;
}

export function bandLabel(min: number, max: number | null): string {
  return max === null ? `${compactCount(min)}+` : `${compactCount(min)}–${compactCount(max)}`;
}

function holds(band: { min: number; max?: number | null | undefined }, followers: number): boolean {
  return followers >= band.min && (band.max === undefined || band.max === null || followers < band.max);
}

function published(row: BenchmarkRow, band: boolean, note: string | null): Benchmark {
  return {
    platform: row.platform,
    band: band ? { min: row.min, max: row.max, label: bandLabel(row.min, row.max) } : null,
    value: row.value,
    statistic: row.statistic,
    source: row.source,
    year: row.year,
    denominator: row.denominator,
    url: row.url,
    note,
  };
}

function fromConfig(platform: string, value: number, band: Benchmark['band'], note: string | null): Benchmark {
  return { platform, band, value, statistic: null, source: 'config', year: null, denominator: null, url: null, note };
}

/** The published bands that may grade a platform: only those whose denominator is followers, per post. */
export function publishedBands(platform: string): BenchmarkRow[] {
  return BENCHMARK_BANDS.filter((row) => row.platform === platform && row.matches);
}

/**
 * The benchmark for an account of `followers` (null: unknown) on `platform` under the config's setting
 * for it; null when there is none (the rate is then reported, not graded).
 */
export function chooseBenchmark(platform: string, followers: number | null, setting: BenchmarkSetting | undefined): Benchmark | null {
  const bands = typeof setting === 'object' ? setting : undefined;
  const row = followers === null ? undefined : (bands ? undefined : publishedBands(platform).find((r) => holds(r, followers)));
  if (row) return published(row, true, null);
  // An unknown count is held only by a band from 0 with no upper bound.
  const own = bands?.find((b) => (followers === null ? b.min === 0 && (b.max ?? null) === null : holds(b, followers)));
  // One band from 0 with no upper bound (a number in the config file) is the platform's value, not a band.
  const whole = own && own.min === 0 && (own.max ?? null) === null;
  if (own) return fromConfig(platform, own.value, whole ? null : { min: own.min, max: own.max ?? null, label: bandLabel(own.min, own.max ?? null) }, null);
  const note = followers === null ? 'the follower count is unknown' : `no ${bands ? 'configured' : 'published'} band holds ${followers.toLocaleString('en-US')} followers`;
  const wide = PLATFORM_WIDE.find((r) => r.platform === platform);
  if (typeof setting === 'number') return wide && wide.value === setting ? published(wide, false, note) : fromConfig(platform, setting, null, note);
  return bands && wide ? published(wide, false, note) : null;
}

/** Why there is no benchmark (the report's missing `benchmark` fact). */
export function noBenchmark(platform: string, setting: BenchmarkSetting | undefined): string {
  const where = setting === undefined ? '' : ' for this follower count (no configured band holds it)';
  const other = BENCHMARK_BANDS.find((row) => row.platform === platform && !row.matches);
  const why = other ? `; the figures ${other.source} ${other.year} publishes for it divide by another count (${other.denominator}), so none is used` : '';
  return `There is no engagement benchmark for ${platform}${where}: the rate is reported but not graded (set one in the config's benchmarks)${why}.`;
}

/** The benchmark as the human formats state it: "median of accounts with 10k–50k followers: 5.21 % (SociaVault Labs 2026)". */
export function benchmarkText(b: Benchmark): string {
  const what = b.statistic ?? 'config value';
  const whom = b.band ? `accounts with ${b.band.label} followers` : 'the platform';
  const from = b.source === 'config' ? 'config' : `${b.source} ${b.year}`;
  return `${what} of ${whom}: ${rate(b.value)} (${from}${b.note ? `; ${b.note}` : ''})`;
}
