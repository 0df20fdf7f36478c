/** The compare command: two reports or datasets (or any two targets) → what changed. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ReportSchema, type AuditResult, type Report } from '../model/report.js';
import { DEFAULT_CONFIG } from '../model/defaults.js';
import { computeScores } from '../report/scores.js';
import { compareReports, type Change, type Comparison } from '../report/compare.js';
import { buildReport } from '../report/build-report.js';
import { loadDataset } from '../sources/index.js';
import { EngageAuditError } from '../errors.js';
import { forTerminal, toJson } from '../lib/text.js';
import type { Io } from './io.js';
import { untilSignal } from './until-signal.js';

interface Side {
  report: Report;
  followers: readonly string[] | null;
  following: readonly string[] | null;
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
    return { report: parsed.data, followers: null, following: null };
  }
  const dataset = await loadDataset(target, { cwd: io.cwd, ...(io.stdin ? { stdin: io.stdin } : {}) });
  try {
    const report = await buildReport(untilSignal(dataset, io.signal), { asOf, generatedAt: new Date(0).toISOString(), tool: { name: 'engage-audit', version } });
    return { report, followers: dataset.followerIds, following: dataset.followingIds };
  } finally {
    dataset.close?.();
  }
}

function fmt(v: number | string | null): string {
  if (v === null) return 'n/a';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? String(v) : Math.abs(v) < 1 ? v.toFixed(4) : v.toFixed(2);
}

function line(c: Change): string {
  const delta = c.delta === null ? '' : ` (${c.delta > 0 ? '+' : ''}${fmt(c.delta)})`;
  return `  ${c.name.padEnd(30)} ${fmt(c.old).padStart(10)} → ${fmt(c.new).padEnd(10)}${delta}`;
}

export function renderComparison(c: Comparison): string {
  const out: string[] = [];
  out.push(`engage-audit compare: ${c.old.target} (as of ${c.old.asOf?.slice(0, 10) ?? 'n/a'}) → ${c.new.target} (as of ${c.new.asOf?.slice(0, 10) ?? 'n/a'})`, '');
  if (c.warnings.length > 0) out.push(...c.warnings.map((w) => `Warning: ${w}`), '');
  out.push('Scores');
  for (const s of c.scores) out.push(line(s));
  if (c.role.old !== c.role.new) out.push(`  ${'role'.padEnd(30)} ${c.role.old.padStart(10)} → ${c.role.new}`);
  out.push('', 'Metrics');
  for (const m of c.metrics) out.push(line(m));
  out.push('', c.audits.length === 0 ? 'No audit changed status.' : 'Audits that changed status');
  for (const a of c.audits) out.push(`  ${a.id.padEnd(30)} ${String(a.old ?? 'absent').padStart(10)} → ${a.new ?? 'absent'}`);
  if (c.followers) {
    out.push('', `Followers: ${c.followers.gained.length} new, ${c.followers.lost.length} left`);
    if (c.followers.gained.length > 0) out.push(`  new: ${c.followers.gained.slice(0, 50).join(', ')}${c.followers.gained.length > 50 ? ', …' : ''}`);
    if (c.followers.lost.length > 0) out.push(`  left: ${c.followers.lost.slice(0, 50).join(', ')}${c.followers.lost.length > 50 ? ', …' : ''}`);
  } else out.push('', 'Who followed and who left needs follower lists on both sides (datasets or exports, not reports).');
  if (c.following) out.push(`Following: ${c.following.added.length} added, ${c.following.removed.length} removed`);
  // Targets, roles, audit ids and follower ids come from the inputs: every line goes through forTerminal.
  return `${out.map((l) => forTerminal(l)).join('\n')}\n`;
}

export async function runCompare(oldTarget: string, newTarget: string, opts: { json?: boolean; asOf?: number | undefined }, io: Io, version: string): Promise<number> {
  const a = await load(oldTarget, io, version, opts.asOf);
  const b = await load(newTarget, io, version, opts.asOf);
  // A comparison of inputs read in part would report changes that are not there.
  if (io.signal?.aborted) throw new EngageAuditError('INTERRUPTED', 'compare: interrupted before both inputs were read', { hint: 'Run it again.' });
  const c = compareReports(a.report, b.report, { oldFollowers: a.followers, newFollowers: b.followers, oldFollowing: a.following, newFollowing: b.following });
  io.stdout(opts.json ? `${toJson(c, 2)}\n` : renderComparison(c));
  return 0;
}
