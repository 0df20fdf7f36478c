/**
 * Every source the tool reads × every metric, audit, the layer score, the role and the scores
 * (docs/metrics.md "What each source can tell", "What each number needs", "What a score covers"):
 * each value is there or `null` with its reason; nothing is graded from a missing input; `inspect`'s
 * verdicts (the same declarations) agree with the report; the coverage is counted again here, by its
 * definition, from the audits' statuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatItGives } from '../src/cli/inspect.js';
import { CAPABILITY_KEYS, missingFacts } from '../src/model/capabilities.js';
import { DEFAULT_CONFIG } from '../src/model/defaults.js';
import { CATEGORIES } from '../src/model/names.js';
import type { Report } from '../src/model/report.js';
import { buildReport } from '../src/report/build-report.js';
import { SOURCE_CASES, startSourceServers, stopSourceServers } from './support/source-cases.js';

beforeAll(startSourceServers);
afterAll(stopSourceServers);

/** Every metric leaf as `group.field` (a record of numbers as `group.field.key`) with its value. */
function leaves(metrics: Report['metrics']): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [group, fields] of Object.entries(metrics)) {
    for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value) && field !== 'clients') {
        for (const [key, v] of Object.entries(value)) out.push([`${group}.${field}.${key}`, v]);
      } else out.push([`${group}.${field}`, value]);
    }
  }
  return out;
}

/** What lets a source count each kind: a reply to others only where threads can be told apart. */
const KIND_KEYS = { thread: ['threadPosts'], reply: ['replyPosts', 'threadPosts'], repost: ['repostPosts'], quote: ['quotePosts'] } as const;

describe('every source × every number: a value, or null with the reason', () => {
  it.each(SOURCE_CASES.map((c) => [`${c.source}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const dataset = await c.load();
    const report = await buildReport(dataset, { generatedAt: '2026-01-01T00:00:00.000Z', tool: { name: 'engage-audit', version: 'test' } });
    dataset.close?.();
    const missing = report.input.availability;
    const gives = whatItGives({ ...missing, ...missingFacts({ dated: report.window.asOf !== null, platform: report.input.platform, benchmarks: DEFAULT_CONFIG.benchmarks }) });

    // inspect's capability list is the report's availability, key for key.
    for (const key of CAPABILITY_KEYS) expect(gives.capabilities[key], key).toBe(missing[key] ?? true);

    // Every null metric has its reason, and only null metrics have one.
    const values = leaves(report.metrics);
    for (const [leaf, value] of values) {
      if (value === null) expect(report.unavailable[leaf], `${leaf} is null without a reason`).toEqual(expect.any(String));
      else expect(report.unavailable[leaf], `${leaf} = ${String(value)} has a reason`).toBeUndefined();
    }
    expect(Object.keys(report.unavailable).filter((k) => !values.some(([leaf]) => leaf === k))).toEqual([]);

    // What inspect says a source cannot give is null in the report, with inspect's reason.
    for (const [group, verdict] of Object.entries(gives.metrics)) {
      if (verdict === true) continue;
      for (const [field, why] of Object.entries(verdict)) {
        const value = (report.metrics as unknown as Record<string, Record<string, unknown>>)[group]![field];
        const nulls = value !== null && typeof value === 'object' ? Object.keys(value).map((k) => `${group}.${field}.${k}`) : [`${group}.${field}`];
        for (const leaf of nulls) expect(report.unavailable[leaf], leaf).toBe(why);
      }
    }

    // A kind count of 0 means counted: the source sees that kind.
    for (const [kind, keys] of Object.entries(KIND_KEYS)) {
      const n = report.metrics.mix[kind as keyof typeof KIND_KEYS];
      expect(n === null, `mix.${kind}`).toBe(keys.some((key) => missing[key] !== undefined));
      for (const row of report.monthly) expect(row[kind as keyof typeof KIND_KEYS] === null, `${row.month} ${kind}`).toBe(n === null);
    }

    // Audits: an input the source lacks makes the audit n/a with the source's reason; graded only when inspect says yes.
    for (const audit of report.audits) {
      const verdict = gives.audits[audit.id];
      if (verdict !== true) expect({ status: audit.status, score: audit.score, advice: audit.advice }, audit.id).toEqual({ status: 'n/a', score: null, advice: verdict });
      if (['pass', 'warn', 'fail'].includes(audit.status)) expect(verdict, audit.id).toBe(true);
    }

    // The layer score and the role follow the same declarations.
    if (gives.layerScore !== true) {
      expect(report.metrics.layers.score).toBeNull();
      expect(report.unavailable['layers.score']).toBe(gives.layerScore);
    }
    if (gives.role !== true) {
      expect(report.role.label).toBe('Undetermined');
      expect(report.role.reason).toContain(gives.role);
    }

    // Coverage, counted by its definition: each category's weight split among its audits; graded audits count.
    const weights = DEFAULT_CONFIG.categoryWeights;
    let graded = 0;
    let total = 0;
    for (const category of CATEGORIES) {
      const own = report.audits.filter((a) => a.category === category);
      total += weights[category];
      graded += (weights[category] * own.filter((a) => ['pass', 'warn', 'fail'].includes(a.status)).length) / own.length;
      expect(report.scores.leftOut.includes(category), category).toBe(report.scores.categories[category] === null);
    }
    expect(report.scores.coverage).toBeCloseTo(graded / total, 4);
    const emptyWindow = report.window.posts === 0;
    expect(report.scores.overall).toBe(!emptyWindow && report.scores.coverage >= DEFAULT_CONFIG.minCoverage ? report.scores.partial : null);
  });
});

describe('inspect counts posts by kind as the report does', () => {
  it.each(['facebook/your-posts', 'linkedin/export', 'x-archive/sample-2022.zip'])('%s', async (target) => {
    const { runCli } = await import('./helpers.js');
    const inspect = JSON.parse((await runCli(['inspect', `fixtures/${target}`, '--json'])).stdout) as { posts: { byKind: Record<string, number | null> } };
    const report = JSON.parse((await runCli([`fixtures/${target}`, '--json'])).stdout) as Report;
    const { original, thread, reply, repost, quote } = report.metrics.mix;
    // Both over every post (the report's default window is the whole history).
    expect(inspect.posts.byKind).toEqual({ original, thread, reply, repost, quote });
  });
});
