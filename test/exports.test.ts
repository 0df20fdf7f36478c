/**
 * Every export fixture against its hand count (fixtures/EXPORTS-EXPECTED.md, EXPORTS2-EXPECTED.md),
 * written from the definitions without the code: each format dropped on the command line gives a full
 * report with the unavailable figures marked as such, never 0.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import { FIXTURES, expectSubset, runCli } from './helpers.js';

interface Expected {
  args?: string[];
  asOf: string;
  window: unknown;
  account: unknown;
  availabilityKeys: string[];
  metrics: Record<string, Record<string, unknown>>;
  role: { label: string };
  scores: unknown;
  audits: Record<string, unknown>;
  monthly: unknown[];
  topInteractorsOutbound: unknown[];
}

/** A missing or unreadable expectation file fails the suite: it is never read as "no cases". */
function load(file: string): Record<string, Expected> {
  return JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, Expected>;
}

const sets = { ...load('exports-expected.json'), ...load('exports2-expected.json') };

/** Fixture key → the paths that must all give that report (zip, folder, tar.gz …). */
const TARGETS: Record<string, string[]> = {
  'mastodon-archive': ['mastodon-archive/sample', 'mastodon-archive/sample.zip', 'mastodon-archive/sample.tar.gz'],
  linkedin: ['linkedin/export', 'linkedin/export.zip'],
  'linkedin-2018': ['linkedin/shares-2018/Shares.csv'],
  'bluesky-car': ['bluesky-car/repo.car'],
  instagram: ['instagram/export', 'instagram/export.zip'],
  'instagram-legacy': ['instagram/legacy-2022'],
  'facebook-posts': ['facebook/your-posts'],
  'facebook-page': ['facebook/page-export.csv'],
  sprout: ['csv/sprout-posts.csv'],
  'custom-csv': ['csv/custom.csv'],
};

async function reportOf(target: string, e: Expected): Promise<Report> {
  const r = await runCli([path.join('fixtures', target), '--json', '--as-of', e.asOf, ...(e.args ?? [])]);
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('export fixtures match their hand count', () => {
  it('every fixture has a hand count, and every hand count a fixture', () => {
    expect(Object.keys(sets).sort()).toEqual(Object.keys(TARGETS).sort());
  });

  for (const [key, targets] of Object.entries(TARGETS)) {
    const e = sets[key];
    it(`${key}: ${targets.join(', ')}`, async () => {
      expect(e, `no hand count for ${key}`).toBeDefined();
      const reports: Report[] = [];
      for (const target of targets) {
        const report = await reportOf(target, e!);
        expect(report.window.asOf).toBe(e!.asOf);
        expectSubset(report.window, e!.window, 'window');
        expectSubset(report.account, e!.account, 'account');
        expect(Object.keys(report.input.availability).sort()).toEqual([...e!.availabilityKeys].sort());
        for (const [family, values] of Object.entries(e!.metrics)) {
          const { ledger: _ledger, ...rest } = values;
          expectSubset((report.metrics as unknown as Record<string, unknown>)[family], rest, `metrics.${family}`);
        }
        expect(report.role.label).toBe(e!.role.label);
        expectSubset(report.scores, e!.scores, 'scores');
        for (const a of report.audits) expectSubset({ status: a.status, value: a.value, score: a.score }, e!.audits[a.id], `audits.${a.id}`);
        expectSubset(report.monthly, e!.monthly, 'monthly');
        expectSubset(report.topInteractors.outbound, e!.topInteractorsOutbound, 'topInteractors.outbound');
        reports.push(report);
      }
      // The same export as a folder, a zip or a tar.gz gives the same metrics.
      for (const r of reports.slice(1)) expect(r.metrics).toEqual(reports[0]!.metrics);
    });
  }
});
