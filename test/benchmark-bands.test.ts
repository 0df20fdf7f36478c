/**
 * Engagement benchmarks by follower band (docs/metrics.md "Benchmarks"): the band chosen at each
 * boundary of every published table, read from the table itself; the platform-wide fallback; config
 * overrides (a number, bands, and what the config refuses); the report's benchmark and the audit's grade.
 */
import { describe, expect, it } from 'vitest';
import { BENCHMARK_BANDS, PLATFORM_WIDE } from '../src/model/benchmarks.js';
import { benchmarkText, chooseBenchmark } from '../src/model/benchmark-band.js';
import { missingFacts } from '../src/model/capabilities.js';
import { DEFAULT_CONFIG } from '../src/model/config.js';
import { ConfigFileSchema } from '../src/cli/config-schema.js';
import { mergeConfig } from '../src/cli/config.js';
import { buildReport } from '../src/report/build-report.js';
import { dataset, ME, post } from './unit/builders.js';
import { runCli, withTempDir, X_FIXTURES } from './helpers.js';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const PLATFORMS = [...new Set(BENCHMARK_BANDS.map((r) => r.platform))];
const choose = (platform: string, followers: number | null, config = DEFAULT_CONFIG) => chooseBenchmark(platform, followers, config.benchmarks[platform]);
const file = (benchmarks: unknown) => ConfigFileSchema.safeParse({ benchmarks });
const wide = (platform: string) => PLATFORM_WIDE.find((r) => r.platform === platform);

describe('the published bands, boundary by boundary', () => {
  for (const platform of PLATFORMS) {
    const rows = BENCHMARK_BANDS.filter((r) => r.platform === platform && r.matches).sort((a, b) => a.min - b.min);
    if (rows.length === 0) {
      it(`${platform}: its published figures are not by followers, so none grades`, () => {
        for (const row of BENCHMARK_BANDS.filter((r) => r.platform === platform)) {
          expect(row.denominator).not.toMatch(/÷ followers/);
          for (const f of [row.min, row.min - 1, row.max === null ? row.min * 10 : row.max - 1]) expect(choose(platform, f)?.band ?? null).toBeNull();
        }
      });
      continue;
    }
    it(`${platform}: min-1, min, max-1 and max of every band`, () => {
      rows.forEach((row, i) => {
        const at = (f: number) => choose(platform, f);
        // min and max-1: this row.
        expect(at(row.min)).toMatchObject({ value: row.value, band: { min: row.min, max: row.max }, source: row.source, year: row.year, note: null });
        if (row.max !== null) expect(at(row.max - 1)).toMatchObject({ value: row.value, band: { min: row.min, max: row.max } });
        // max: the next row, which starts there, or nothing above.
        if (row.max !== null) {
          const next = rows[i + 1];
          if (next?.min === row.max) expect(at(row.max)).toMatchObject({ value: next.value, band: { min: next.min } });
          else expect(at(row.max)?.band ?? null).toBeNull();
        } else {
          expect(at(row.min * 1000)).toMatchObject({ value: row.value, band: { min: row.min, max: null } });
        }
        // min-1: the row before, which ends there, else the platform-wide fallback.
        const before = rows[i - 1];
        if (before?.max === row.min) expect(at(row.min - 1)).toMatchObject({ value: before.value, band: { max: row.min } });
        else expect(at(row.min - 1)).toMatchObject({ band: null, value: wide(platform)!.value, note: `no published band holds ${(row.min - 1).toLocaleString('en-US')} followers` });
      });
    });
  }

  it('by hand: x at 999, 1,000, 9,999, 10,000 and 5,000,000 followers', () => {
    expect([999, 1_000, 9_999, 10_000, 5_000_000].map((f) => choose('x', f)!.value)).toEqual([0.00035, 0.0218, 0.0218, 0.0142, 0.0035]);
    expect(benchmarkText(choose('x', 10_000)!)).toBe('median of accounts with 10k–50k followers: 1.42 % (SociaVault Labs 2026)');
    expect(benchmarkText(choose('instagram', 600_000)!)).toBe('mean of accounts with 500k+ followers: 0.900 % (SociaVault Labs 2026)');
  });

  it('unknown followers: the platform-wide value, said so; none where there is none', () => {
    expect(choose('tiktok', null)).toMatchObject({ band: null, value: 0.0569, source: 'Rival IQ', year: 2023, note: 'the follower count is unknown' });
    expect(benchmarkText(choose('tiktok', null)!)).toBe('median of the platform: 5.69 % (Rival IQ 2023; the follower count is unknown)');
    expect(choose('facebook', 20_000)).toMatchObject({ band: null, value: 0.0006, note: 'no published band holds 20,000 followers' });
    expect(choose('youtube', null)).toBeNull();
    expect(choose('youtube', 20_000)).toBeNull();
    expect(missingFacts({ dated: true, platform: 'youtube', benchmarks: DEFAULT_CONFIG.benchmarks, followers: 20_000 })['benchmark']).toMatch(/no engagement benchmark for youtube.*÷ views/);
  });
});

describe('config overrides', () => {
  const merged = (benchmarks: unknown) => {
    const parsed = file(benchmarks);
    if (!parsed.success) throw parsed.error;
    return mergeConfig(parsed.data);
  };

  it('a number is that platform\'s value for every band, provenance config', () => {
    const config = merged({ x: 0.001 });
    for (const f of [null, 10, 999, 1_000, 10_000, 10_000_000]) {
      expect(choose('x', f, config)).toEqual({ platform: 'x', band: null, value: 0.001, statistic: null, source: 'config', year: null, denominator: null, url: null, note: null });
    }
    expect(choose('instagram', 10_000, config)).toMatchObject({ value: 0.028, source: 'SociaVault Labs' });
  });

  it('bands replace the published ones; none holds: the platform-wide fallback, said so', () => {
    const config = merged({ x: [{ min: 10_000, max: 50_000, value: 0.0068 }, { min: 50_000, value: 0.004 }], mastodon: [{ min: 100, max: 1_000, value: 0.02 }] });
    expect(choose('x', 10_000, config)).toMatchObject({ value: 0.0068, band: { min: 10_000, max: 50_000, label: '10k–50k' }, source: 'config' });
    expect(choose('x', 49_999, config)).toMatchObject({ value: 0.0068 });
    expect(choose('x', 50_000, config)).toMatchObject({ value: 0.004, band: { min: 50_000, max: null, label: '50k+' } });
    expect(choose('x', 9_999, config)).toMatchObject({ value: 0.00035, band: null, source: 'Rival IQ', note: 'no configured band holds 9,999 followers' });
    expect(benchmarkText(choose('x', 20_000, config)!)).toBe('config value of accounts with 10k–50k followers: 0.680 % (config)');
    expect(choose('mastodon', 500, config)).toMatchObject({ value: 0.02, source: 'config' });
    // No band and no platform-wide value: not graded, and the report fact says why.
    expect(choose('mastodon', 5_000, config)).toBeNull();
    expect(missingFacts({ dated: true, platform: 'mastodon', benchmarks: config.benchmarks, followers: 5_000 })['benchmark']).toMatch(/no engagement benchmark for mastodon for this follower count/);
    expect(missingFacts({ dated: true, platform: 'mastodon', benchmarks: config.benchmarks, followers: 500 })).toEqual({});
  });

  it('refuses bands that overlap, are out of order, are not positive or end before they start', () => {
    expect(file({ x: [{ min: 0, max: 10_000, value: 0.01 }, { min: 5_000, value: 0.02 }] }).success).toBe(false);
    expect(file({ x: [{ min: 0, value: 0.01 }, { min: 5_000, value: 0.02 }] }).success).toBe(false);
    expect(file({ x: [{ min: 5_000, value: 0.02 }, { min: 0, max: 5_000, value: 0.01 }] }).success).toBe(false);
    expect(file({ x: [{ min: 0, max: 10, value: 0 }] }).success).toBe(false);
    expect(file({ x: [{ min: 10, max: 10, value: 0.01 }] }).success).toBe(false);
    expect(file({ x: [] }).success).toBe(false);
    expect(file({ x: -1 }).success).toBe(false);
    expect(file({ x: [{ min: 0, max: 5_000, value: 0.01 }, { min: 5_000, value: 0.02 }] }).success).toBe(true);
  });
});

describe('the config file refuses, exit 2, one line per problem', () => {
  const run = (benchmarks: unknown) =>
    withTempDir(async (dir) => {
      const cfg = path.join(dir, 'cfg.json');
      await writeFile(cfg, JSON.stringify({ benchmarks }));
      return runCli(['audit', path.join(X_FIXTURES, 'sample-2022.zip'), '--config', cfg, '--format', 'json']);
    });
  const problems = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('  ') && !l.startsWith('  hint:'));

  it('a platform the tool does not know, naming the known ones', async () => {
    const { code, stdout, stderr } = await run({ myspace: 0.05, x: 0.001 });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(problems(stderr)).toEqual(['  benchmarks: unknown platform "myspace" (known: x, bluesky, mastodon, linkedin, instagram, facebook, threads, youtube, tiktok, other)']);
    // A known one, even with no published figure, is accepted.
    expect(file({ mastodon: 0.01, other: [{ min: 0, value: 0.02 }] }).success).toBe(true);
  });

  it('a value above 1, number or band, with the hint that values are fractions', async () => {
    const hint = 'must be at most 1, a fraction: 0.0068 = 0.68 %';
    expect(problems((await run({ x: 5 })).stderr)).toEqual([`  benchmarks.x: ${hint}`]);
    const banded = await run({ x: [{ min: 0, max: 1_000, value: 0.01 }, { min: 1_000, value: 1.5 }] });
    expect(banded.code).toBe(2);
    expect(problems(banded.stderr)).toEqual([`  benchmarks.x.1.value: ${hint}`]);
    // 1 itself (100 %) is a fraction still.
    expect(file({ x: 1, tiktok: [{ min: 0, value: 1 }] }).success).toBe(true);
    expect(file({ x: 1.0001 }).success).toBe(false);
  });
});

describe('the report', () => {
  it('carries the benchmark of the band and grades the audit against it', async () => {
    // Two originals of 200 likes + 20 replies + 40 reposts = 260 engagements each; 20,000 followers.
    const posts = [post({ at: '2025-01-01T10:00:00.000Z', metrics: { likes: 200, replies: 20, reposts: 40 } }), post({ at: '2025-01-02T10:00:00.000Z', metrics: { likes: 200, replies: 20, reposts: 40 } })];
    const report = await buildReport(dataset([posts], { account: { ...ME, followers: 20_000 } }), { generatedAt: '2025-02-01T00:00:00.000Z', tool: { name: 'engage-audit', version: 'test' } });
    expect(report.benchmark).toEqual({
      platform: 'x',
      band: { min: 10_000, max: 50_000, label: '10k–50k' },
      value: 0.0142,
      statistic: 'median',
      source: 'SociaVault Labs',
      year: 2026,
      denominator: '(likes + replies + reposts + quotes) ÷ followers, per post',
      url: 'https://sociavault.com/blog/twitter-x-engagement-declining-2026-data',
      note: null,
    });
    const audit = report.audits.find((a) => a.id === 'engagement-rate')!;
    // 260 / 20,000 = 0.013: between fail 0.0071 (0.5 × 0.0142) and pass 0.0142.
    expect(audit.value).toBeCloseTo(0.013, 12);
    expect(audit.thresholds).toEqual({ pass: 0.0142, fail: 0.0071 });
    expect(audit.status).toBe('warn');
    expect(audit.score).toBeCloseTo((0.013 - 0.0071) / (0.0142 - 0.0071), 12);
    expect(audit.displayValue).toBe('1.30 % per post, by followers — median of accounts with 10k–50k followers: 1.42 % (SociaVault Labs 2026)');
  });

  it('Instagram: the benchmark sums likes + comments, not shares; a CSV\'s rate counts shares too, graded as it is', async () => {
    // One original: 100 likes + 10 comments + 40 shares (a CSV's Shares column is read as reposts); 5,000 followers.
    const posts = [post({ at: '2025-01-01T10:00:00.000Z', metrics: { likes: 100, replies: 10, reposts: 40 } })];
    const report = await buildReport(dataset([posts], { platform: 'instagram', availability: { quotes: 'no quotes on Instagram' }, account: { ...ME, followers: 5_000 } }), { generatedAt: '2025-02-01T00:00:00.000Z', tool: { name: 'engage-audit', version: 'test' } });
    expect(report.benchmark).toMatchObject({ value: 0.042, band: { label: '1k–10k' }, denominator: '(likes + comments; not shares) ÷ followers, per post, averaged over the last 30 posts' });
    expect(report.metrics.engagement.counted).toEqual(['likes', 'replies', 'reposts']);
    // 150 / 5,000 = 0.03, shares included; the benchmark's own sum would be 110 / 5,000 = 0.022. Not adjusted.
    expect(report.audits.find((a) => a.id === 'engagement-rate')!.value).toBeCloseTo(0.03, 12);
  });

  it('no benchmark: null, and the audit is n/a saying why', async () => {
    const report = await buildReport(dataset([[post({ at: '2025-01-01T10:00:00.000Z', metrics: { likes: 5 } })]], { platform: 'mastodon' }), { generatedAt: '2025-02-01T00:00:00.000Z', tool: { name: 'engage-audit', version: 'test' } });
    expect(report.benchmark).toBeNull();
    expect(report.audits.find((a) => a.id === 'engagement-rate')).toMatchObject({ status: 'n/a', thresholds: null, advice: expect.stringMatching(/no engagement benchmark for mastodon/) });
  });
});
