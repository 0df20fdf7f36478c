/**
 * The X archive fixtures against the hand count in fixtures/x-archive/EXPECTED.md (expected.json),
 * written from the definitions without the code. Every metric, audit, score, month and interactor.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, loadDataset, type Report } from '../src/index.js';
import { X_FIXTURES, expectSubset } from './helpers.js';

type Expected = Record<string, {
  asOf: string;
  window: unknown;
  account: unknown;
  metrics: Record<string, Record<string, unknown>>;
  role: { label: string };
  scores: unknown;
  audits: Record<string, { status: string; value: number | null; score: number | null }>;
  monthly: unknown[];
  topInteractorsOutbound: unknown[];
}>;

const expected = JSON.parse(readFileSync(path.join(X_FIXTURES, 'expected.json'), 'utf8')) as Expected;

async function report(target: string, options: { asOf: string; days?: number }): Promise<Report> {
  return audit(await loadDataset(path.join(X_FIXTURES, target)), { ...options, generatedAt: '2026-01-01T00:00:00.000Z' });
}

function checkAgainst(r: Report, e: Expected[string]): void {
  expectSubset(r.window, e.window, 'window');
  expect(r.window.asOf).toBe(e.asOf);
  expectSubset(r.account, e.account, 'account');
  for (const [family, values] of Object.entries(e.metrics)) {
    expectSubset((r.metrics as unknown as Record<string, unknown>)[family], values, `metrics.${family}`);
  }
  expect(r.role.label).toBe(e.role.label);
  expectSubset(r.scores, e.scores, 'scores');
  expect(r.audits.map((a) => a.id)).toEqual(Object.keys(e.audits));
  for (const a of r.audits) expectSubset({ status: a.status, value: a.value, score: a.score }, e.audits[a.id], `audits.${a.id}`);
  expectSubset(r.monthly, e.monthly, 'monthly');
  expectSubset(r.topInteractors.outbound, e.topInteractorsOutbound, 'topInteractors.outbound');
}

describe('X archive fixtures match the hand count', () => {
  it('sample-2022.zip, whole history, as of 2025-05-31', async () => {
    checkAgainst(await report('sample-2022.zip', { asOf: '2025-05-31' }), expected['sample-2022']!);
  });

  it('sample-2022 folder gives the same report as the zip', async () => {
    const fromZip = await report('sample-2022.zip', { asOf: '2025-05-31' });
    const fromFolder = await report('sample-2022', { asOf: '2025-05-31' });
    expect({ ...fromFolder, input: { ...fromFolder.input, target: '' } }).toEqual({ ...fromZip, input: { ...fromZip.input, target: '' } });
  });

  it('sample-2022 with --days 30', async () => {
    checkAgainst(await report('sample-2022.zip', { asOf: '2025-05-31', days: 30 }), expected['sample-2022-days30']!);
  });

  it('legacy-2020 folder (tweet.js, bare objects, no like.js)', async () => {
    const r = await report('legacy-2020', { asOf: '2020-12-31' });
    checkAgainst(r, expected['legacy-2020']!);
    expect(r.input.availability['likesGiven']).toMatch(/like\.js/);
  });

  it('says what the archive cannot give, and never keeps the e-mail address', async () => {
    const r = await report('sample-2022.zip', { asOf: '2025-05-31' });
    expect(Object.keys(r.input.availability).sort()).toEqual(['followerOrder', 'followerProfiles', 'impressions', 'inboundIdentities', 'quotes', 'replies', 'replyThreads']);
    expect(JSON.stringify(r)).not.toContain('@example.test');
    expect(r.metrics.engagement.counted).toEqual(['likes', 'reposts']);
  });

  it('a single data/tweets.js reads the files beside it and warns about the part it skipped', async () => {
    const r = await report(path.join('sample-2022', 'data', 'tweets.js'), { asOf: '2025-05-31' });
    expect(r.account.handle).toBe('tidepool_lab');
    expect(r.account.followers).toBe(12);
    expect(r.input.complete).toBe(false);
    expect(r.input.warnings.join(' ')).toMatch(/tweets-part1\.js/);
    // part0 holds 24 rows, one of them the dropped first version of the edited tweet.
    expect(r.account.posts).toBe(23);
  });
});
