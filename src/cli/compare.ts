/** The compare command: two reports or datasets (or any two targets) → what changed. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ReportSchema, type AuditResult, type Report } from '../model/report.js';
import { DEFAULT_CONFIG } from '../model/defaults.js';
import { computeScores } from '../report/scores.js';
import { compareReports } from '../report/compare.js';
import { renderComparison } from '../reporters/compare.js';
import { buildReport } from '../report/build-report.js';
import { loadDataset } from '../sources/index.js';
import { EngageAuditError } from '../errors.js';
import { toJson } from '../lib/text.js';
import type { Io } from './io.js';
import { untilSignal } from './until-signal.js';
import { withHandles } from './compare-handles.js';

interface Side {
  report: Report;
  followers: readonly string[] | null;
  following: readonly string[] | null;
  /** Handles the input names account ids with (none for a report). */
  handles: ReadonlyMap<string, string>;
}

/**
 * A report written before scores said what they cover, and before `unavailable`: its own overall
 * score is kept as its partial score, its coverage is counted from its audits with the default
 * weights, and it keeps an overall score only where that coverage reaches the minimum (docs/metrics.md
 * "What a score covers").
 */
function fromEarlierVersion(json: unknown): unknown {
  const report = json as { scores?: Record<string, unknown>; audits?: unknown; unavailable?: unknown } | null;
  if (!report || typeof report !== 'object' || !report.scores || 'coverage' in report.scores || !Array.isArray(report.audits)) return json;
  const counted = computeScores(report.audits as AuditResult[], DEFAULT_CONFIG.categoryWeights, DEFAULT_CONFIG.minCoverage);
  // Like for like with a report of today: an overall that covered too little of the weight is no overall.
  const recorded = report.scores['overall'] ?? null;
  return { ...report, unavailable: report.unavailable ?? {}, scores: { ...counted, ...report.scores, partial: recorded, overall: counted.overall === null ? null : recorded } };
}

async function load(target: string, io: Io, version: string, asOf: number | undefined): Promise<Side> {
  const full = path.resolve(io.cwd, target);
  let text: string | null = null;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    text = null;
  }
  if (text !== null && /"schemaVersion"\s*:\s*1/.test(text.slice(0, 200)) && /"audits"/.test(text)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new EngageAuditError('MALFORMED', `${target}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = ReportSchema.safeParse(fromEarlierVersion(json));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new EngageAuditError('MALFORMED', `${target}: not an engage-audit report: ${issue.path.join('.')}: ${issue.message}`);
    }
    return { report: parsed.data, followers: null, following: null, handles: new Map() };
  }
  const dataset = await loadDataset(target, { cwd: io.cwd, ...(io.stdin ? { stdin: io.stdin } : {}) });
  try {
    const named = withHandles(dataset);
    const report = await buildReport(untilSignal(named.dataset, io.signal), { asOf, generatedAt: new Date(0).toISOString(), tool: { name: 'engage-audit', version } });
    return { report, followers: dataset.followerIds, following: dataset.followingIds, handles: named.handles };
  } finally {
    dataset.close?.();
  }
}

export async function runCompare(
  oldTarget: string,
  newTarget: string,
  opts: { json?: boolean; format?: 'table' | 'markdown' | 'json'; asOf?: number | undefined },
  io: Io,
  version: string,
): Promise<number> {
  const a = await load(oldTarget, io, version, opts.asOf);
  const b = await load(newTarget, io, version, opts.asOf);
  // A comparison of inputs read in part would report changes that are not there.
  if (io.signal?.aborted) throw new EngageAuditError('INTERRUPTED', 'compare: interrupted before both inputs were read', { hint: 'Run it again.' });
  // The newer input's handle wins: an account may have been renamed since.
  const handles = new Map([...a.handles, ...b.handles]);
  const c = compareReports(a.report, b.report, { oldFollowers: a.followers, newFollowers: b.followers, oldFollowing: a.following, newFollowing: b.following, handles });
  const format = opts.json ? 'json' : (opts.format ?? 'table');
  io.stdout(format === 'json' ? `${toJson(c, 2)}\n` : renderComparison(c, format));
  return 0;
}
