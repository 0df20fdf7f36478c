/**
 * Audience quality (docs/metrics.md "Audience quality"): hand-classified follower profiles in a saved
 * dataset give exact class counts through the CLI; a sample of a generated population stays within its
 * stated margin; the audit grades at its thresholds; without the followers read, every figure is null
 * with the source's reason.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, withTempDir } from './helpers.js';
import { CAPABILITY_KEYS } from '../src/model/capabilities.js';
import type { FollowerProfile, SavedDataset } from '../src/model/dataset.js';
import { DEFAULT_CONFIG } from '../src/model/config.js';
import type { Report } from '../src/model/report.js';
import audit from '../src/audits/audience-quality.js';
import { audienceQuality, classifyFollower } from '../src/metrics/audience-quality.js';
import { metricsWith } from './unit/builders.js';
import { CHROMIUM, dumpDom } from './browser/chromium.js';
import { mulberry32 } from '../src/sources/pull-audience.js';

const AS_OF = Date.parse('2026-06-30T00:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number): string => new Date(AS_OF - days * DAY).toISOString();

/** A follower who is real unless the test changes it. */
const profile = (handle: string, over: Partial<FollowerProfile> = {}): FollowerProfile => ({
  handle,
  createdAt: ago(2000),
  lastPostAt: ago(1),
  posts: 100,
  followers: 50,
  following: 200,
  bot: false,
  ...over,
});

/** Each with the class counted by hand against docs/metrics.md, at 2026-06-30. */
const HAND: Array<[FollowerProfile, string]> = [
  [profile('real'), 'real'],
  [profile('bot', { bot: true }), 'bot'],
  [profile('bot-and-inactive', { bot: true, lastPostAt: ago(200) }), 'bot'],
  [profile('new-4-posts', { createdAt: ago(30), posts: 4 }), 'newEmpty'],
  [profile('new-5-posts', { createdAt: ago(30), posts: 5 }), 'real'],
  [profile('31-days-4-posts', { createdAt: ago(31), posts: 4 }), 'real'],
  [profile('posted-90-days-ago', { lastPostAt: ago(90) }), 'real'],
  [profile('posted-91-days-ago', { lastPostAt: ago(91) }), 'inactive'],
  [profile('never-posted', { lastPostAt: null, posts: 0 }), 'inactive'],
  [profile('new-never-posted', { createdAt: ago(3), lastPostAt: null, posts: 0 }), 'newEmpty'],
  [profile('following-1500', { following: 1500 }), 'real'],
  [profile('following-1501', { following: 1501 }), 'massFollower'],
  [profile('inactive-and-mass', { lastPostAt: ago(200), following: 5000 }), 'inactive'],
  [profile('following-unknown', { following: null }), 'unknown'],
  [profile('last-post-unknown', { lastPostAt: undefined }), 'unknown'],
  [profile('unknown-but-mass', { lastPostAt: undefined, following: 3000 }), 'massFollower'],
];

function dataset(audience: SavedDataset['audience'], followers: number, over: Partial<SavedDataset> = {}): SavedDataset {
  return {
    kind: 'engage-audit-dataset',
    schemaVersion: 1,
    platform: 'mastodon',
    source: 'api',
    target: '@me@social.example',
    complete: true,
    warnings: [],
    account: { id: '1', handle: 'me@social.example', displayName: 'Me', followers, following: 100, posts: 2 },
    capabilities: { inboundIdentities: false, threads: false },
    availability: { impressions: 'Mastodon does not count views.' },
    declared: [...CAPABILITY_KEYS],
    asOf: new Date(AS_OF).toISOString(),
    asOfSource: 'pull',
    audience,
    followerIds: null,
    followingIds: null,
    likesGiven: null,
    posts: [
      { id: 'p1', createdAt: '2026-06-01T10:00:00.000Z', kind: 'original', text: 'one', mentions: [], client: null, metrics: { likes: 3, replies: 0, reposts: 0, quotes: 0, impressions: null }, url: 'https://social.example/@me/p1' },
      { id: 'p2', createdAt: '2026-06-02T10:00:00.000Z', kind: 'original', text: 'two', mentions: [], client: null, metrics: { likes: 5, replies: 0, reposts: 0, quotes: 0, impressions: null }, url: 'https://social.example/@me/p2' },
    ],
    interactions: null,
    ...over,
  } as SavedDataset;
}

const audienceOf = (profiles: FollowerProfile[], over: Partial<NonNullable<SavedDataset['audience']>> = {}): NonNullable<SavedDataset['audience']> => ({
  order: 'newest-first',
  total: profiles.length,
  listed: profiles.length,
  cut: null,
  newest: [],
  method: 'all',
  seed: null,
  profiles,
  ...over,
});

async function auditJson(saved: SavedDataset, extra: string[] = [], config?: object): Promise<{ code: number; report: Report; stderr: string }> {
  return withTempDir(async (dir) => {
    const file = path.join(dir, 'dataset.json');
    await writeFile(file, JSON.stringify(saved));
    const configFile = path.join(dir, 'config.json');
    if (config) await writeFile(configFile, JSON.stringify(config));
    const { code, stdout, stderr } = await runCli(['audit', file, '--format', 'json', ...(config ? ['--config', configFile] : []), ...extra]);
    return { code, report: JSON.parse(stdout) as Report, stderr };
  });
}

const tally = (labels: readonly string[]) => labels.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});

describe('audience quality: hand-classified followers', () => {
  it('counts each class exactly, at each boundary, and states the unknown', async () => {
    const { report } = await auditJson(dataset(audienceOf(HAND.map(([p]) => p)), HAND.length));
    const aq = report.metrics.audienceQuality;
    const byHand = tally(HAND.map(([, c]) => c));
    expect(aq.counts).toEqual({ bot: byHand.bot, newEmpty: byHand.newEmpty, inactive: byHand.inactive, massFollower: byHand.massFollower, real: byHand.real, unknown: byHand.unknown });
    expect(aq.counts).toEqual({ bot: 2, newEmpty: 2, inactive: 3, massFollower: 2, real: 5, unknown: 2 });
    // Shares of the 14 whose class is known; every follower listed: no margin, no range.
    expect(aq.shares.real).toBeCloseTo(5 / 14, 12);
    expect(aq.shares.bot).toBeCloseTo(2 / 14, 12);
    expect(aq.margins).toEqual({ bot: null, newEmpty: null, inactive: null, massFollower: null, real: null });
    expect(report.unavailable['audienceQuality.margins.real']).toMatch(/Not a sample/);
    expect(aq).toMatchObject({ method: 'all', partial: false, listed: 16, classified: 16, realAudienceLow: null, realAudienceHigh: null });
    // Real audience: 16 followers × 5/14 = 5.71 → 6; the mean of 3 and 5 likes per post, 4, over it.
    expect(aq.realAudience).toBe(6);
    expect(aq.ratePerRealFollower).toBeCloseTo(4 / 6, 12);
    expect(aq.ratePerRealFollower! * 6).toBeCloseTo(report.metrics.engagement.ratePerPostMean! * 16, 12);
    const graded = report.audits.find((a) => a.id === 'audience-quality')!;
    expect(graded).toMatchObject({ status: 'fail', value: 5 / 14 });
    expect(graded.displayValue).toBe('35.7 % real, of all 16 followers listed, 2 unknown left out');
  });

  it('the config moves each threshold', async () => {
    const { report } = await auditJson(dataset(audienceOf(HAND.map(([p]) => p)), HAND.length), [], { audience: { massFollowing: 1501, inactiveDays: 200, newDays: 29 } });
    // 1,501 no longer mass; 91 and 200 days within (inactive-and-mass is now a mass-follower); 30 days old no longer new.
    expect(report.metrics.audienceQuality.counts).toEqual({ bot: 2, newEmpty: 1, inactive: 1, massFollower: 2, real: 8, unknown: 2 });
  });

  it('a platform with no bot flag: the bot count is unknown, not 0', async () => {
    const profiles = HAND.filter(([p]) => p.bot !== true).map(([p]) => ({ ...p, bot: null }));
    const { report } = await auditJson(dataset(audienceOf(profiles), profiles.length));
    expect(report.metrics.audienceQuality.counts.bot).toBeNull();
    expect(report.metrics.audienceQuality.shares.bot).toBeNull();
    expect(report.unavailable['audienceQuality.counts.bot']).toMatch(/bot flag/);
    expect(report.metrics.audienceQuality.counts.real).toBe(5);
  });
});

/** A seeded generator, so the population and the sample repeat. */
const seeded = mulberry32;

const MAKERS: Array<[string, number, (i: number) => FollowerProfile]> = [
  ['real', 0.55, (i) => profile(`f${i}`)],
  ['inactive', 0.25, (i) => profile(`f${i}`, { lastPostAt: ago(120 + (i % 500)) })],
  ['massFollower', 0.1, (i) => profile(`f${i}`, { following: 2000 + i })],
  ['newEmpty', 0.06, (i) => profile(`f${i}`, { createdAt: ago(i % 30), posts: i % 5 })],
  ['bot', 0.04, (i) => profile(`f${i}`, { bot: true })],
];

function population(size: number, seed: number): { profiles: FollowerProfile[]; labels: string[] } {
  const next = seeded(seed);
  const profiles: FollowerProfile[] = [];
  const labels: string[] = [];
  for (let i = 0; i < size; i++) {
    let u = next();
    const [label, , make] = MAKERS.find(([, p]) => (u -= p) < 0) ?? MAKERS[0]!;
    profiles.push(make(i));
    labels.push(label);
  }
  return { profiles, labels };
}

/** A uniform sample of n without replacement (partial Fisher–Yates), seeded. */
function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  const next = seeded(seed);
  const copy = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

describe('audience quality: a sample of 1,000 of 20,000 followers', () => {
  const { profiles, labels } = population(20_000, 16);
  const full = tally(labels);
  const sampled = (seed: number) => dataset(audienceOf(sample(profiles, 1000, seed), { total: 20_000, listed: 20_000, method: 'sample', seed }), 20_000);

  it('states each share with its margin (finite-population correction), and each holds the full share', async () => {
    const { report } = await auditJson(sampled(1));
    const aq = report.metrics.audienceQuality;
    expect(aq).toMatchObject({ method: 'sample', partial: false, listed: 20_000, classified: 1000 });
    expect(aq.counts.unknown).toBe(0);
    for (const c of ['real', 'inactive', 'massFollower', 'newEmpty', 'bot'] as const) {
      const p = aq.shares[c]!;
      // 1.96 · √(p(1−p)/n) · √((N−n)/(N−1)), by hand.
      expect(aq.margins[c]).toBeCloseTo(1.96 * Math.sqrt((p * (1 - p)) / 1000) * Math.sqrt(19_000 / 19_999), 12);
      expect(Math.abs(p - full[c]! / 20_000)).toBeLessThanOrEqual(aq.margins[c]!);
    }
    const real = aq.shares.real!;
    expect(aq.realAudience).toBe(Math.round(20_000 * real));
    expect(aq.realAudienceLow).toBe(Math.floor(20_000 * (real - aq.margins.real!)));
    expect(aq.realAudienceHigh).toBe(Math.ceil(20_000 * (real + aq.margins.real!)));
    expect(aq.realAudienceLow!).toBeLessThanOrEqual(full.real!);
    expect(aq.realAudienceHigh!).toBeGreaterThanOrEqual(full.real!);
    expect(report.audits.find((a) => a.id === 'audience-quality')!.displayValue).toMatch(/^\d+\.\d % ± \d\.\d % real, of a sample of 1,000 of 20,000 followers listed/);
  });

  it('over 200 seeds, each 95 % margin holds the full share about 95 % of the time (at least 90 %)', () => {
    const held = { real: 0, inactive: 0, massFollower: 0, newEmpty: 0, bot: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const aq = audienceQuality(sampled(seed).audience, AS_OF, 20_000, null, DEFAULT_CONFIG.audience);
      for (const c of Object.keys(held) as Array<keyof typeof held>) if (Math.abs(aq.shares[c]! - full[c]! / 20_000) <= aq.margins[c]!) held[c] += 1;
    }
    for (const count of Object.values(held)) expect(count).toBeGreaterThanOrEqual(180);
    // Not every seed holds every class: a margin that always held would be too wide.
    expect(Math.min(...Object.values(held))).toBeLessThan(200);
  });

  it('the same seed gives the same figures; the whole list gives the generated counts exactly', async () => {
    const [a, b] = await Promise.all([auditJson(sampled(1)), auditJson(sampled(1))]);
    expect(a.report.metrics.audienceQuality).toEqual(b.report.metrics.audienceQuality);
    const { report } = await auditJson(dataset(audienceOf(profiles), 20_000));
    expect(report.metrics.audienceQuality.counts).toEqual({ ...full, unknown: 0 });
  });
});

describe('the audience-quality audit', () => {
  const t = DEFAULT_CONFIG.thresholds['audience-quality']!;
  const run = (real: number, over: Record<string, unknown> = {}) =>
    audit.run({
      metrics: metricsWith({ audienceQuality: { method: 'all', partial: false, listed: 100, classified: 100, shares: { real, bot: 0, newEmpty: 0, inactive: 1 - real, massFollower: 0 }, counts: { real: 1, bot: 0, newEmpty: 0, inactive: 0, massFollower: 0, unknown: 0 }, ...over } }),
      platform: 'mastodon',
      config: DEFAULT_CONFIG,
      availability: {},
      asOf: '2026-06-30T00:00:00.000Z',
    });

  it('passes at 70 % real, fails at 50 %, warns between', () => {
    expect(t).toEqual({ pass: 0.7, fail: 0.5 });
    expect(run(0.7).status).toBe('pass');
    expect(run(0.6999).status).toBe('warn');
    expect(run(0.5001).status).toBe('warn');
    expect(run(0.5).status).toBe('fail');
  });

  it('says when a sampled share’s margin straddles a threshold, and when it is partial', () => {
    const margins = { real: 0.03, bot: null, newEmpty: null, inactive: null, massFollower: null };
    expect(run(0.71, { method: 'sample', margins }).displayValue).toContain('the margin straddles the pass 70.0 % threshold');
    expect(run(0.75, { method: 'sample', margins }).displayValue).not.toContain('straddles');
    const newest = run(0.8, { method: 'newest', partial: true });
    expect(newest.status).toBe('pass');
    expect(newest.displayValue).toBe('80.0 % real, of the newest 100 followers only (partial: the newest followers only)');
  });

  it('a gate does not pass on the newest followers only without --allow-partial', async () => {
    const newest = dataset(audienceOf(HAND.slice(0, 1).map(([p]) => p), { total: 5000, listed: 200, cut: 'budget', method: 'newest' }), 5000);
    const assert = { assert: { audits: { 'audience-quality': 'error' } } };
    const gated = await auditJson(newest, [], assert);
    expect(gated.report.metrics.audienceQuality).toMatchObject({ method: 'newest', partial: true, realAudience: null, ratePerRealFollower: null });
    expect(gated.report.unavailable['audienceQuality.realAudience']).toMatch(/newest followers/);
    expect(gated.code).toBe(1);
    expect(gated.stderr).toMatch(/audience quality was classified from part of the followers/);
    expect(gated.report.audits.find((a) => a.id === 'audience-quality')!.status).toBe('pass');
    expect((await auditJson(newest, ['--allow-partial'], assert)).code).toBe(0);
  });
});

describe('without --audience', () => {
  it('a live pull saved without the followers: every figure null with the pull’s reason, the audit n/a', async () => {
    const file = path.join(ROOT, 'test/golden/pulls/bob-social-example-api-mastodon-bob.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedDataset;
    expect(saved.audience).toBeUndefined();
    const { report } = await auditJson(saved);
    const aq = report.metrics.audienceQuality;
    expect(aq.shares.real).toBeNull();
    expect(aq.counts.real).toBeNull();
    expect(aq.realAudience).toBeNull();
    const why = saved.availability['followerProfiles'];
    expect(why).toMatch(/--audience/);
    expect(report.unavailable['audienceQuality.shares.real']).toBe(why);
    expect(report.unavailable['audienceQuality.realAudience']).toBe(why);
    expect(report.audits.find((a) => a.id === 'audience-quality')).toMatchObject({ status: 'n/a', value: null, advice: why });
  });
});

describe.skipIf(CHROMIUM === null && process.env['CI'] === undefined)('the HTML section in headless Chromium', () => {
  it('shows one stacked bar of the shares and the class table', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      await writeFile(file, JSON.stringify(dataset(audienceOf(HAND.map(([p]) => p)), HAND.length)));
      const html = path.join(dir, 'report.html');
      expect((await runCli(['audit', file, '--format', 'html', '-o', html])).code).toBe(0);
      const dom = await dumpDom(html);
      const section = dom.slice(dom.indexOf('<h2>Audience quality</h2>'));
      // Five known classes: real 5, inactive 3, mass 2, new and empty 2, bot 2 of 14, one segment each.
      const widths = [...section.matchAll(/style="width:([\d.]+)%;background/g)].map((m) => Number(m[1]));
      expect(widths).toEqual([5, 3, 2, 2, 2].map((n) => Number(((n / 14) * 100).toFixed(2))));
      expect(section).toContain('<td>Unknown (left out)</td><td>2</td>');
      expect(section).toContain('real audience 6 of 16 followers');
    });
  }, 90_000);
});

describe('class boundaries count whole UTC calendar days (docs/metrics.md "Audience quality")', () => {
  // --as-of 2025-04-01: the report instant is the end of that day. 2025-03-02 is 30 calendar days
  // before (March has 31 days: 31 − 2 + 1 = 30); 2025-01-01 is 90 (30 + 28 + 31 + 1 = 90); 2024-12-31 is 91.
  const at = (iso: string) => `${iso}T00:00:00.000Z`;
  const cases: Array<[FollowerProfile, string]> = [
    [profile('created-30-days-4-posts', { createdAt: at('2025-03-02'), lastPostAt: at('2025-03-30'), posts: 4 }), 'newEmpty'],
    [profile('created-31-days-4-posts', { createdAt: '2025-03-01T23:59:59.000Z', lastPostAt: at('2025-03-30'), posts: 4 }), 'real'],
    [profile('posted-90-days', { createdAt: at('2020-01-01'), lastPostAt: at('2025-01-01') }), 'real'],
    [profile('posted-91-days', { createdAt: at('2020-01-01'), lastPostAt: '2024-12-31T23:59:59.000Z' }), 'inactive'],
  ];

  it('with --as-of a day, at the end of that day', async () => {
    const saved = dataset(audienceOf(cases.map(([p]) => p)), cases.length);
    const { report } = await auditJson(saved, ['--as-of', '2025-04-01']);
    expect(report.window.asOf).toBe('2025-04-01T23:59:59.999Z');
    expect(report.metrics.audienceQuality.counts).toMatchObject({ newEmpty: 1, inactive: 1, real: 2 });
  });

  it('at any time of the report day, the same classes', () => {
    for (const time of ['00:00:00.000', '12:00:00.000', '23:59:59.999']) {
      const asOf = Date.parse(`2025-04-01T${time}Z`);
      expect(cases.map(([p]) => classifyFollower(p, asOf, DEFAULT_CONFIG.audience))).toEqual(cases.map(([, c]) => c));
    }
  });
});

describe('a small sample claims no certainty', () => {
  const N = 20_000;
  const small = (profiles: FollowerProfile[], listed = N) => dataset(audienceOf(profiles, { total: listed, listed, method: 'sample', seed: 1 }), listed);
  const reals = (n: number) => Array.from({ length: n }, (_, i) => profile(`r${i}`));

  it('a share of 0 or 1 gets the rule-of-three margin 3/n (at most 1) with the finite-population correction', async () => {
    const { report } = await auditJson(small(reals(50)));
    const aq = report.metrics.audienceQuality;
    expect(aq.shares).toEqual({ real: 1, inactive: 0, massFollower: 0, newEmpty: 0, bot: 0 });
    // 3/50 = 0.06, × √(19,950 / 19,999), by hand.
    const byHand = 0.06 * Math.sqrt(19_950 / 19_999);
    for (const c of ['real', 'inactive', 'massFollower', 'newEmpty', 'bot'] as const) expect(aq.margins[c]).toBeCloseTo(byHand, 12);
    expect(aq.realAudienceLow).toBe(Math.floor(N * (1 - byHand)));
    expect(aq.realAudienceHigh).toBe(N);
    // One profile: 3/1 is capped at 1, the whole range.
    const one = (await auditJson(small(reals(1)))).report.metrics.audienceQuality;
    expect(one.margins.real).toBeCloseTo(1, 12);
    expect(one.realAudienceLow).toBe(0);
    // Every follower drawn: the sample is the whole list and the margin 0 (the correction is 0).
    expect((await auditJson(small(reals(50), 50))).report.metrics.audienceQuality.margins.real).toBe(0);
  });

  it('a sample of fewer than 100 classified profiles is not graded; the whole list of a small account is', async () => {
    const one = (await auditJson(small(reals(1)))).report.audits.find((a) => a.id === 'audience-quality')!;
    expect(one).toMatchObject({ status: 'n/a', score: null, value: 1 });
    // One real of one: the margin (3/1, corrected ≈ 1) reaches past 100 %, so only its lower bound is said.
    expect(one.displayValue).toBe('100.0 % (at least 0.0 %) real, of a sample of 1 of 20,000 followers listed (only 1 classified: too few to grade, at least 100 are needed)');
    expect(one.advice).toMatch(/fewer than 100 .*too few to grade.*--sample/);
    const withUnknown = [...reals(99), profile('u', { following: null })];
    const ninetyNine = (await auditJson(small(withUnknown))).report.audits.find((a) => a.id === 'audience-quality')!;
    expect(ninetyNine.status).toBe('n/a');
    expect((await auditJson(small(reals(100)))).report.audits.find((a) => a.id === 'audience-quality')!.status).toBe('pass');
    const whole = (await auditJson(dataset(audienceOf(reals(3)), 3))).report.audits.find((a) => a.id === 'audience-quality')!;
    expect(whole).toMatchObject({ status: 'pass', value: 1, displayValue: '100.0 % real, of all 3 followers listed' });
  });
});

describe('a platform with no bot flag says how its followers are classed', () => {
  // X gives no bot flag: a profile that passes the other tests counts as real, and every format says so.
  const profiles = [profile('real', { bot: null }), profile('mass', { bot: null, following: 5000 }), profile('flagless-inactive', { bot: null, lastPostAt: ago(200) })];
  const saved = dataset(audienceOf(profiles), 3, { platform: 'x' } as Partial<SavedDataset>);
  const SAID = /self-declared bots cannot be told on this platform[^.]*: they are classed by the other tests/i;
  const flat = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('the audit’s value and every format’s section', async () => {
    const { report } = await auditJson(saved);
    expect(report.metrics.audienceQuality.counts).toMatchObject({ bot: null, real: 1, massFollower: 1, inactive: 1, unknown: 0 });
    expect(report.audits.find((a) => a.id === 'audience-quality')!.displayValue).toMatch(SAID);
    expect(report.unavailable['audienceQuality.counts.bot']).toMatch(SAID);
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      await writeFile(file, JSON.stringify(saved));
      // Each format's section alone, from its heading to the end of its block (not the audit's row).
      const sections: Array<[string, string, string]> = [
        ['table', '\nAudience quality\n', '\n\n'],
        ['markdown', '## Audience quality', '\n## '],
        ['html', '<h2>Audience quality</h2>', '<h2>'],
      ];
      for (const [format, head, end] of sections) {
        const { code, stdout } = await runCli(['audit', file, '--format', format]);
        expect(code).toBe(0);
        const from = stdout.indexOf(head);
        expect(from, format).toBeGreaterThan(-1);
        const section = stdout.slice(from, stdout.indexOf(end, from + head.length));
        expect(flat(section), format).toMatch(SAID);
      }
    });
  });

  it('a platform with the flag says nothing of it', async () => {
    const { report } = await auditJson(dataset(audienceOf([profile('real')]), 1));
    expect(report.audits.find((a) => a.id === 'audience-quality')!.displayValue).not.toMatch(/cannot be told/);
  });
});
