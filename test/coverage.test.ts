/**
 * What a score covers (docs/metrics.md "What a score covers"): the share of the category weight that
 * was graded, the overall score withheld below the minimum, the partial score beside it, and gates that
 * never pass on what was not measured unless the user opts in (docs/reports.md "Gates on a partial score").
 *
 * Shares with the default weights (engagement 30, conversation 30, amplification 15, audience 15,
 * habits 10), split evenly among each category's audits: audience 15 / 2 = 7.5 each; engagement 30;
 * conversation 30 / 3 = 10 each; amplification 15; habits 10 / 3 = 3.333 each.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/model/config.js';
import type { AuditResult, Report } from '../src/model/report.js';
import { gateReport } from '../src/report/exit-code.js';
import { computeScores } from '../src/report/scores.js';
import { parse } from 'csv-parse/sync';
import { runCli, withTempDir } from './helpers.js';
import { auditResult, reportWith } from './unit/builders.js';

const W = DEFAULT_CONFIG.categoryWeights;

/** The ten audits in report order, each graded with `score` or n/a (null). */
function tenAudits(scores: Record<string, number | null>): AuditResult[] {
  const ids: Array<[string, AuditResult['category']]> = [
    ['follow-ratio', 'audience'],
    ['follow-back', 'audience'],
    ['engagement-rate', 'engagement'],
    ['conversation-share', 'conversation'],
    ['responsiveness', 'conversation'],
    ['two-way', 'conversation'],
    ['sharing', 'amplification'],
    ['automation', 'habits'],
    ['cadence', 'habits'],
    ['freshness', 'habits'],
  ];
  return ids.map(([id, category]) => auditResult(id, category, scores[id] ?? null));
}

describe('coverage, partial and overall', () => {
  it('counts each audit’s share of its category weight: conversation with 2 of 3 audits graded', () => {
    const s = computeScores(
      tenAudits({ 'follow-ratio': 1, 'conversation-share': 0.5, responsiveness: 1, sharing: 1, cadence: 1, freshness: 0.5 }),
      W,
      0.5,
    );
    // graded: follow-ratio 7.5 + conversation-share 10 + responsiveness 10 + sharing 15 + cadence 3.333 + freshness 3.333
    // = 49.1667 of 100 → 0.4917, under 0.5.
    expect(s.coverage).toBe(0.4917);
    // categories: audience 100, engagement null, conversation (0.5 + 1) / 2 = 75, amplification 100, habits (1 + 0.5) / 2 = 75
    // partial = (100·15 + 75·30 + 100·15 + 75·10) / (15 + 30 + 15 + 10) = 6000 / 70 = 85.71 → 86
    expect(s.partial).toBe(86);
    expect(s.overall).toBeNull();
    expect(s.minCoverage).toBe(0.5);
    expect(s.leftOut).toEqual(['engagement']);
  });

  it('exactly at the minimum counts; just under it does not', () => {
    // engagement 30 + conversation-share 10 + two-way 10 = 50 of 100 → 0.5
    const audits = tenAudits({ 'engagement-rate': 1, 'conversation-share': 0.6, 'two-way': 0.6 });
    const at = computeScores(audits, W, 0.5);
    expect(at.coverage).toBe(0.5);
    // partial = (100·30 + 60·30) / 60 = 80
    expect([at.partial, at.overall]).toEqual([80, 80]);
    expect(at.leftOut).toEqual(['audience', 'amplification', 'habits']);
    const under = computeScores(audits, W, 0.5001);
    expect([under.partial, under.overall, under.minCoverage]).toEqual([80, null, 0.5001]);
  });

  it('custom weights: the shares follow them; a weight of 0 adds nothing', () => {
    const weights = { engagement: 0, conversation: 6, amplification: 0, audience: 2, habits: 2 };
    // conversation 2 of 3 graded: 6·2/3 = 4; audience 1 of 2: 1; habits 3 of 3: 2; engagement (weight 0) graded: 0
    // → 7 of 10 = 0.7
    const s = computeScores(
      tenAudits({ 'engagement-rate': 1, 'conversation-share': 1, 'two-way': 1, 'follow-back': 0, automation: 1, cadence: 1, freshness: 1 }),
      weights,
      0.7,
    );
    expect(s.coverage).toBe(0.7);
    // categories: engagement 100 (weight 0), conversation 100, audience 0, habits 100 → (100·6 + 0·2 + 100·2) / 10 = 80
    expect([s.partial, s.overall]).toEqual([80, 80]);
    expect(s.leftOut).toEqual(['amplification']);
  });

  it('everything graded: coverage 1, nothing left out', () => {
    const all = Object.fromEntries(tenAudits({}).map((a) => [a.id, 1]));
    expect(computeScores(tenAudits(all), W, 0.5)).toMatchObject({ coverage: 1, partial: 100, overall: 100, leftOut: [] });
  });
});

/** A report whose scores are those of `audits` under the default weights and `minCoverage`. */
function reportOf(audits: AuditResult[], minCoverage = 0.5): Report {
  const report = reportWith(null, audits);
  return { ...report, scores: computeScores(audits, W, minCoverage) };
}

describe('gates on a partial score', () => {
  // graded: follow-ratio 7.5 + follow-back 7.5 + conversation-share 10 + sharing 15 + cadence 3.333 + freshness 3.333
  // = 46.667 → 0.4667 (the LinkedIn export's shape); categories audience 100, conversation 90, amplification 100,
  // habits 100 → partial (1500 + 2700 + 1500 + 1000) / 70 = 95.71 → 96
  const partialAudits = tenAudits({ 'follow-ratio': 1, 'follow-back': 1, 'conversation-share': 0.9, sharing: 1, cadence: 1, freshness: 1 });
  const partial = reportOf(partialAudits);

  it('--fail-under fails with one line saying why, unless partial scores are allowed', () => {
    expect([partial.scores.overall, partial.scores.partial, partial.scores.coverage]).toEqual([null, 96, 0.4667]);
    const g = gateReport(partial, { failUnder: 95 });
    expect(g.exitCode).toBe(1);
    expect(g.reasons).toEqual([
      'the score covers 46 % of its weight, under the 50 % minimum (not measured: engagement-rate, responsiveness, two-way, automation); --allow-partial gates on the partial score 96 (--fail-under 95)',
    ]);
    expect(gateReport(partial, { failUnder: 95, allowPartial: true })).toEqual({ exitCode: 0, reasons: [], warnings: [] });
    expect(gateReport(partial, { failUnder: 97, allowPartial: true }).reasons).toEqual(['partial score (46 % of the weight measured) 96 is below --fail-under 97']);
    // A fully measured score gates as before; an empty window (no partial score either) fails even when allowed.
    const full = reportOf(tenAudits(Object.fromEntries(tenAudits({}).map((a) => [a.id, 0.9]))));
    expect([full.scores.overall, full.scores.coverage]).toEqual([90, 1]);
    expect(gateReport(full, { failUnder: 90 }).exitCode).toBe(0);
    expect(gateReport(full, { failUnder: 91 }).exitCode).toBe(1);
    const empty: Report = { ...partial, scores: { ...partial.scores, overall: null, partial: null } };
    expect(gateReport(empty, { failUnder: 10, allowPartial: true }).reasons).toEqual(['no overall score could be computed (--fail-under 10)']);
  });

  it('config minScore.overall: the same, named for the config key', () => {
    const g = gateReport(partial, { assert: { minScore: { overall: 60 } } });
    expect(g.reasons).toEqual([
      'assertion minScore.overall 60: the score covers 46 % of its weight, under the 50 % minimum (not measured: engagement-rate, responsiveness, two-way, automation); allowPartial: true gates on the partial score 96',
    ]);
    expect(gateReport(partial, { assert: { minScore: { overall: 60 } }, allowPartial: true }).exitCode).toBe(0);
    // A category with no score still fails, partial scores allowed or not.
    expect(gateReport(partial, { assert: { minScore: { engagement: 10 } }, allowPartial: true }).reasons).toEqual(['assertion minScore.engagement 10: no engagement score']);
  });

  it('an audit asserted at error that was not measured fails; at warn it is said; allowed partial scores let it pass', () => {
    const g = gateReport(partial, { assert: { audits: { 'two-way': 'error', automation: 'warn', sharing: 'error' } } });
    expect(g.exitCode).toBe(1);
    // The builders' audits carry no advice, so the reason is the display value.
    expect(g.reasons).toEqual(['assertion two-way: not measured — null']);
    expect(g.warnings).toEqual(['assertion automation: not measured — null']);
    expect(gateReport(partial, { assert: { audits: { 'two-way': 'error', automation: 'warn' } }, allowPartial: true })).toEqual({ exitCode: 0, reasons: [], warnings: [] });
  });
});

describe('CLI end to end', () => {
  const LINKEDIN = ['fixtures/linkedin/export', '--as-of', '2025-05-31'];
  const X_SAMPLE = ['fixtures/x-archive/sample-2022.zip', '--as-of', '2025-05-31'];

  it('a LinkedIn export (partial): overall n/a, the partial score and what was left out, in JSON and CSV', async () => {
    // Hand count in fixtures/EXPORTS-EXPECTED.md ("Coverage"): audience 15 × 2/3 (follow-ratio, follow-back; no
    // audience-quality) + amplification 15 + habits 10 × 2/3 (cadence, freshness) = 31.667 of 100 → 0.3167; conversation-share is not measured
    // (a LinkedIn comment may answer the account itself), so partial = (77·15 + 100·15 + 100·10) / 40 = 91.4 → 91.
    const r = await runCli([...LINKEDIN, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.scores).toMatchObject({ overall: null, partial: 91, coverage: 0.3167, minCoverage: 0.5, leftOut: ['engagement', 'conversation'] });
    const csv = parse((await runCli([...LINKEDIN, '--format', 'csv'])).stdout) as string[][];
    const [head, row] = [csv[0]!, csv[1]!];
    const cell = (name: string) => row[head.indexOf(name)];
    expect(head.slice(head.indexOf('coverage'), head.indexOf('coverage') + 9)).toEqual(['coverage', 'partial_score', 'left_out', 'replies_fetched', 'replies_needed', 'likes_fetched', 'likes_needed', 'reposts_fetched', 'reposts_needed']);
    expect(head.slice(-4)).toEqual(['actions_unanswered_replies', 'actions_unanswered_engagers', 'actions_one_way', 'actions_new_followers']);
    expect([cell('score_overall'), cell('coverage'), cell('partial_score'), cell('left_out')]).toEqual(['', '0.3167', '91', 'engagement;conversation']);
  });

  it('the headline of table, Markdown and HTML says how much was measured and keeps the caveat', async () => {
    const line = 'Overall n/a · 31 % of the weight measured, under the 50 % minimum; partial score 91 (not measured: audience-quality, engagement-rate, conversation-share, responsiveness, two-way, automation)';
    const table = (await runCli([...LINKEDIN], { columns: 200 })).stdout;
    expect(table.replace(/\n {2,}/g, ' ')).toContain(line); // wrapped lines joined
    const md = (await runCli([...LINKEDIN, '--format', 'markdown'])).stdout;
    expect(md).toContain('**Overall score: n/a** · 31 % of the weight measured, under the 50 % minimum; partial score 91 (not measured: audience-quality, engagement-rate, conversation-share, responsiveness, two-way, automation)');
    const html = (await runCli([...LINKEDIN, '--format', 'html'])).stdout;
    expect(html.replace(/&nbsp;/g, ' ')).toContain(line); // numbers keep their unit on their line in HTML
    const full = (await runCli([...X_SAMPLE], { columns: 200 })).stdout;
    expect(full).toContain('Overall 92/100 · 75 % of the weight measured (not measured: audience-quality, responsiveness, two-way)\n');
  });

  it('--fail-under on the LinkedIn export: exit 1 with the reason; --allow-partial or config allowPartial gates on 91', async () => {
    const failed = await runCli([...LINKEDIN, '--json', '--fail-under', '90']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'engage-audit: fixtures/linkedin/export: the score covers 31 % of its weight, under the 50 % minimum (not measured: audience-quality, engagement-rate, conversation-share, responsiveness, two-way, automation); --allow-partial gates on the partial score 91 (--fail-under 90)\n',
    );
    expect((await runCli([...LINKEDIN, '--json', '--fail-under', '90', '--allow-partial'])).code).toBe(0);
    expect((await runCli([...LINKEDIN, '--json', '--fail-under', '96', '--allow-partial'])).code).toBe(1); // 91 < 96
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'rc.json');
      await writeFile(config, JSON.stringify({ allowPartial: true, assert: { minScore: { overall: 90 }, audits: { 'two-way': 'error' } } }));
      const allowed = await runCli([...LINKEDIN, '--json', '--config', config, '--fail-under', '90']);
      expect([allowed.code, allowed.stderr]).toEqual([0, '']);
      await writeFile(config, JSON.stringify({ assert: { audits: { 'two-way': 'error' } } }));
      const asserted = await runCli([...LINKEDIN, '--json', '--config', config]);
      expect(asserted.code).toBe(1);
      // The reason is the audit's own advice: LinkedIn names nobody who replied (fixtures/EXPORTS-EXPECTED.md §2).
      expect(asserted.stderr).toMatch(/^engage-audit: fixtures\/linkedin\/export: assertion two-way: not measured — The LinkedIn export does not say who /);
      await writeFile(config, JSON.stringify({ minCoverage: 0.3 }));
      const lowered = JSON.parse((await runCli([...LINKEDIN, '--json', '--config', config])).stdout) as Report;
      expect(lowered.scores).toMatchObject({ overall: 91, partial: 91, minCoverage: 0.3 }); // 0.3167 ≥ 0.3
      await writeFile(config, JSON.stringify({ minCoverage: 1.5 }));
      expect((await runCli([...LINKEDIN, '--json', '--config', config])).code).toBe(2);
    });
  });

  it('the full X archive sample: 75 % measured, overall = partial, --fail-under passes without opting in', async () => {
    // fixtures/x-archive/EXPECTED.md audit table: responsiveness and two-way n/a (10 + 10 of the weight), audience-quality
    // n/a (5: a third of audience's 15), every other audit graded → 75 of 100 = 0.75; overall 92 as counted there.
    const r = await runCli([...X_SAMPLE, '--json', '--fail-under', '90']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).scores).toMatchObject({ overall: 92, partial: 92, coverage: 0.75, leftOut: [] });
  });

  it('the many-target summary and compare say n/a for the partial export, not its partial score', async () => {
    const many = (await runCli([...LINKEDIN.slice(0, 1), X_SAMPLE[0]!, '--as-of', '2025-05-31', '--format', 'markdown'])).stdout;
    const summary = many.slice(many.indexOf('## Summary'));
    const rows = summary.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Account') && !l.startsWith('| ---'));
    expect(rows.map((l) => l.split(' | ').slice(-2).join(' | '))).toEqual(['n/a (partial 91) | 31 % |', '92 | 75 % |']);
    const c = JSON.parse((await runCli(['compare', 'fixtures/linkedin/export', 'fixtures/linkedin/export.zip', '--json'])).stdout) as { scores: Array<{ name: string; old: unknown; new: unknown }> };
    expect(c.scores[0]).toMatchObject({ name: 'overall', old: null, new: null });
  });
});
