/**
 * src/report: computeScores (§5, §7 Scores), gateReport (exit code 1 gates), and the window logic of
 * buildReport (§7 Window and days) on in-memory datasets.
 */
import { describe, expect, it } from 'vitest';
import { computeScores } from '../../src/report/scores.js';
import { gateReport } from '../../src/report/exit-code.js';
import { buildReport, type ReportOptions } from '../../src/report/build-report.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { parseCliDate } from '../../src/lib/dates.js';
import type { Post } from '../../src/model/dataset.js';
import { auditResult, dataset, post, reportWith } from './builders.js';

const W = DEFAULT_CONFIG.categoryWeights; // engagement 30, conversation 30, amplification 15, audience 15, habits 10
const M = DEFAULT_CONFIG.minCoverage;

describe('computeScores', () => {
  it('category = mean of available audit scores × 100, rounded; overall = weighted mean of rounded categories', () => {
    const s = computeScores(
      [
        auditResult('follow-ratio', 'audience', 1),
        auditResult('follow-back', 'audience', 0.5),
        auditResult('engagement-rate', 'engagement', 0.333),
        auditResult('conversation-share', 'conversation', 0.5),
        auditResult('responsiveness', 'conversation', null), // n/a: left out of the mean
        auditResult('two-way', 'conversation', 0.125),
        auditResult('sharing', 'amplification', null), // the category's only audit is n/a
        auditResult('automation', 'habits', 1),
        auditResult('cadence', 'habits', 0.8),
        auditResult('freshness', 'habits', 0.3),
      ],
      W,
      M,
    );
    expect(s.categories).toEqual({
      audience: 75, // (1 + 0.5) / 2 = 0.75
      engagement: 33, // 33.3
      conversation: 31, // (0.5 + 0.125) / 2 = 0.3125 → 31.25
      amplification: null, // no available audit
      habits: 70, // (1 + 0.8 + 0.3) / 3 = 0.7
    });
    // (75·15 + 33·30 + 31·30 + 70·10) / (15 + 30 + 30 + 10) = (1125 + 990 + 930 + 700) / 85 = 3745 / 85 = 44.06
    expect(s.overall).toBe(44);
  });

  it('overall uses the rounded category scores, not the unrounded means', () => {
    const s = computeScores([auditResult('engagement-rate', 'engagement', 0.014), auditResult('automation', 'habits', 0.024)], W, M);
    expect(s.categories.engagement).toBe(1); // 1.4 → 1
    expect(s.categories.habits).toBe(2); // 2.4 → 2
    // rounded: (1·30 + 2·10) / 40 = 1.25 → 1   (the unrounded (1.4·30 + 2.4·10) / 40 = 1.65 would give 2)
    expect(s.partial).toBe(1);
  });

  it('an error audit (score null) is left out like n/a', () => {
    const s = computeScores([auditResult('follow-ratio', 'audience', 0.9), auditResult('follow-back', 'audience', null, 'error')], W, M);
    expect(s.categories.audience).toBe(90); // 0.9 alone
    expect(s.partial).toBe(90); // 90·15 / 15
  });

  it('no available audit: every category and overall null', () => {
    const s = computeScores([auditResult('follow-ratio', 'audience', null), auditResult('cadence', 'habits', null)], W, M);
    expect(s).toEqual({
      overall: null,
      partial: null,
      coverage: 0,
      minCoverage: M,
      leftOut: ['audience', 'engagement', 'conversation', 'amplification', 'habits'],
      notMeasured: ['follow-ratio', 'cadence'],
      categories: { audience: null, engagement: null, conversation: null, amplification: null, habits: null },
    });
    expect(computeScores([], W, M).overall).toBeNull();
  });

  it('custom weights', () => {
    const weights = { engagement: 1, conversation: 0, amplification: 0, audience: 3, habits: 0 };
    const s = computeScores([auditResult('engagement-rate', 'engagement', 0.2), auditResult('follow-ratio', 'audience', 0.6)], weights, M);
    expect(s.overall).toBe(50); // (20·1 + 60·3) / 4 = 200 / 4
  });
});

describe('gateReport', () => {
  const audits = (...statuses: Array<'pass' | 'warn' | 'fail' | 'n/a'>) =>
    statuses.map((status, i) => auditResult(`a${i}`, 'habits', status === 'n/a' ? null : status === 'pass' ? 1 : status === 'fail' ? 0 : 0.5, status));

  it('--fail-under: exit 1 only when overall is strictly below', () => {
    expect(gateReport(reportWith(50, []), { failUnder: 50 }).exitCode).toBe(0); // 50 is not below 50
    expect(gateReport(reportWith(49, []), { failUnder: 50 }).exitCode).toBe(1);
    expect(gateReport(reportWith(100, []), { failUnder: 0 }).exitCode).toBe(0);
    const none = gateReport(reportWith(null, []), { failUnder: 10 });
    expect(none.exitCode).toBe(1); // no score cannot clear a gate
    expect(none.reasons).toHaveLength(1);
  });

  it('--fail-on fail: a fail audit fails the gate, a warn does not', () => {
    expect(gateReport(reportWith(80, audits('pass', 'warn', 'n/a')), { failOn: 'fail' }).exitCode).toBe(0);
    expect(gateReport(reportWith(80, audits('pass', 'fail')), { failOn: 'fail' }).exitCode).toBe(1);
  });

  it('--fail-on warn: a warn or a fail fails the gate; pass and n/a do not', () => {
    expect(gateReport(reportWith(80, audits('pass', 'warn')), { failOn: 'warn' }).exitCode).toBe(1);
    expect(gateReport(reportWith(80, audits('fail')), { failOn: 'warn' }).exitCode).toBe(1);
    expect(gateReport(reportWith(80, audits('pass', 'n/a')), { failOn: 'warn' }).exitCode).toBe(0);
  });

  it('--fail-on none (the default) never fails on audits', () => {
    expect(gateReport(reportWith(80, audits('fail', 'warn')), { failOn: 'none' }).exitCode).toBe(0);
    expect(gateReport(reportWith(80, audits('fail', 'warn')), {})).toEqual({ exitCode: 0, reasons: [], warnings: [] });
  });

  it('both gates tripped: two reasons', () => {
    const g = gateReport(reportWith(10, audits('fail')), { failUnder: 60, failOn: 'fail' });
    expect(g.exitCode).toBe(1);
    expect(g.reasons).toHaveLength(2);
  });
});

describe('buildReport: window', () => {
  // a Jan 1 10:00, b Jan 5 23:59:59, c Jan 6 00:00:00, d Jan 10 12:00, e Jan 15 08:00 (newest), 2025.
  const all = {
    a: post({ id: 'a', at: '2025-01-01T10:00:00.000Z' }),
    b: post({ id: 'b', at: '2025-01-05T23:59:59.000Z', kind: 'reply', target: 'bob' }),
    c: post({ id: 'c', at: '2025-01-06T00:00:00.000Z' }),
    d: post({ id: 'd', at: '2025-01-10T12:00:00.000Z' }),
    e: post({ id: 'e', at: '2025-01-15T08:00:00.000Z' }),
  };
  // Batches in no particular order.
  const batches: Post[][] = [[all.d, all.a], [all.e], [all.c, all.b]];
  const base: ReportOptions = { generatedAt: '2025-02-01T00:00:00.000Z', tool: { name: 'engage-audit', version: 'test' } };
  const build = (o: Partial<ReportOptions>) => buildReport(dataset(batches), { ...base, ...o });

  it('no options: the whole history, ending at the newest post; no report date, so no freshness', async () => {
    const r = await build({});
    expect(r.window).toEqual({
      since: null,
      until: '2025-01-15T08:00:00.000Z', // e
      asOf: null, // the dataset records no date
      asOfSource: 'none',
      days: 15, // Jan 1 … Jan 15
      posts: 5,
    });
    expect(r.metrics.cadence.daysSinceLastPost).toBeNull();
    const freshness = r.audits.find((x) => x.id === 'freshness')!;
    expect([freshness.status, freshness.advice]).toEqual(['n/a', 'The source records no date to count from: give --as-of YYYY-MM-DD.']);
  });

  it('--as-of only: later posts are excluded, until = asOf', async () => {
    const r = await build({ asOf: parseCliDate('2025-01-06', true) }); // 2025-01-06T23:59:59.999Z
    expect(r.window).toEqual({
      since: null,
      until: '2025-01-06T23:59:59.999Z',
      asOf: '2025-01-06T23:59:59.999Z',
      asOfSource: '--as-of',
      days: 6, // Jan 1 … Jan 6
      posts: 3, // a, b, c (d and e are after --as-of)
    });
    expect(r.metrics.cadence.daysSinceLastPost).toBe(0); // c is on Jan 6
  });

  it('--as-of in the future of the data: freshness counts from it', async () => {
    const r = await build({ asOf: parseCliDate('2025-01-25', true) });
    expect(r.window.posts).toBe(5);
    expect(r.window.days).toBe(25); // Jan 1 … Jan 25: until is --as-of's day
    expect(r.metrics.cadence.daysSinceLastPost).toBe(10); // Jan 25 − Jan 15
    expect(r.audits.find((x) => x.id === 'freshness')?.status).toBe('warn'); // 7 < 10 < 60
  });

  it('--days N with --as-of: the N UTC days ending on asOf\'s day', async () => {
    const r = await build({ days: 5, asOf: parseCliDate('2025-01-10', true) });
    expect(r.window).toEqual({
      since: '2025-01-06T00:00:00.000Z', // Jan 10 − (5 − 1) days
      until: '2025-01-10T23:59:59.999Z',
      asOf: '2025-01-10T23:59:59.999Z',
      asOfSource: '--as-of',
      days: 5,
      posts: 2, // c (Jan 6 00:00, on the bound) and d; b (Jan 5 23:59:59) is out
    });
  });

  it('--days N without --as-of: ends at the newest post', async () => {
    const r = await build({ days: 10 });
    expect(r.window).toEqual({
      since: '2025-01-06T00:00:00.000Z', // Jan 15 − 9 days
      until: '2025-01-15T08:00:00.000Z',
      asOf: null, // counted back from the newest post as today, but that is no report date
      asOfSource: 'none',
      days: 10,
      posts: 3, // c, d, e
    });
  });

  it('--days 1 without --as-of: only the newest post\'s day', async () => {
    const r = await build({ days: 1 });
    expect(r.window.since).toBe('2025-01-15T00:00:00.000Z');
    expect(r.window.days).toBe(1);
    expect(r.window.posts).toBe(1); // e
  });

  it('--since / --until are inclusive bounds', async () => {
    const r = await build({ since: Date.parse('2025-01-05T23:59:59.000Z'), until: Date.parse('2025-01-10T12:00:00.000Z') });
    expect(r.window).toEqual({
      since: '2025-01-05T23:59:59.000Z', // exactly b
      until: '2025-01-10T12:00:00.000Z', // exactly d
      asOf: '2025-01-10T12:00:00.000Z', // asOf = until
      asOfSource: '--until',
      days: 6, // Jan 5 … Jan 10
      posts: 3, // b, c, d
    });
  });

  it('date-only --since / --until: start and end of the UTC days', async () => {
    const r = await build({ since: parseCliDate('2025-01-06', false), until: parseCliDate('2025-01-10', true) });
    expect(r.window.since).toBe('2025-01-06T00:00:00.000Z');
    expect(r.window.until).toBe('2025-01-10T23:59:59.999Z');
    expect(r.window.days).toBe(5); // Jan 6 … Jan 10
    expect(r.window.posts).toBe(2); // c, d
  });

  it('--until with a later --as-of: posts end at until, freshness counts to asOf', async () => {
    const r = await build({ until: parseCliDate('2025-01-10', true), asOf: parseCliDate('2025-01-20', true) });
    expect(r.window.until).toBe('2025-01-10T23:59:59.999Z');
    expect(r.window.asOf).toBe('2025-01-20T23:59:59.999Z');
    expect(r.window.days).toBe(10); // Jan 1 … Jan 10 (until's day)
    expect(r.window.posts).toBe(4); // a, b, c, d
    expect(r.metrics.cadence.daysSinceLastPost).toBe(10); // Jan 20 − Jan 10 (d)
  });

  it('--days N with --until (asOf = until)', async () => {
    const r = await build({ days: 5, until: parseCliDate('2025-01-10', true) });
    expect(r.window.since).toBe('2025-01-06T00:00:00.000Z'); // Jan 10 − 4 days
    expect(r.window.days).toBe(5);
    expect(r.window.posts).toBe(2); // c, d
  });

  it('--until only: the window starts at the first post', async () => {
    const r = await build({ until: parseCliDate('2025-01-05', true) });
    expect(r.window.since).toBeNull();
    expect(r.window.asOf).toBe('2025-01-05T23:59:59.999Z'); // asOf = until
    expect(r.window.days).toBe(5); // Jan 1 (first post) … Jan 5
    expect(r.window.posts).toBe(2); // a, b
  });

  it('--since before the first post: days count from since\'s day', async () => {
    const r = await build({ since: parseCliDate('2024-12-30', false) });
    expect(r.window.days).toBe(17); // Dec 30, 31 + Jan 1 … Jan 15 = 2 + 15
    expect(r.window.posts).toBe(5);
  });

  it('no posts but --since and --until: days still count from since to until', async () => {
    const r = await buildReport(dataset([]), { ...base, since: parseCliDate('2025-01-01', false), until: parseCliDate('2025-01-10', true) });
    expect(r.window.days).toBe(10); // Jan 1 … Jan 10
    expect(r.window.posts).toBe(0);
    expect(r.metrics.cadence.daysSinceLastPost).toBeNull(); // no post
  });

  it('no posts and no since: days null', async () => {
    const r = await buildReport(dataset([]), base);
    expect(r.window.days).toBeNull();
    expect(r.window.posts).toBe(0);
    expect(r.window.until).toBeNull();
  });

  it('report metrics and scores on the windowed posts, hand-checked', async () => {
    // --as-of Jan 6: a (original), b (reply), c (original). replyShare = 1/3 → conversation-share pass;
    // sharing 0 → fail (score 0); responsiveness: 1 reply made / 0 received → n/a.
    const r = await build({ asOf: parseCliDate('2025-01-06', true) });
    expect(r.metrics.mix.total).toBe(3);
    expect(r.metrics.mix.replyShare).toBeCloseTo(1 / 3, 15);
    expect(r.scores.categories.amplification).toBe(0); // sharing score 0
    expect(r.audits.find((x) => x.id === 'conversation-share')?.status).toBe('pass'); // 0.333 ≥ 0.20
  });
});
