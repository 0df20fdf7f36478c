/** Exit codes 0/1 (README "Exit codes"): a produced report below `--fail-under` or with an audit at `--fail-on`. */
import type { Category, Report } from '../model/report.js';
import { COVERAGE_KINDS } from '../model/names.js';
import { belowMinimum, coveragePercent, shortfallText } from './scores.js';

export type FailOn = 'warn' | 'fail' | 'none';

/** LHCI-style assertions from the config file: per audit `error` (must pass), `warn` (say so) or `off`. */
export interface Assertions {
  audits?: Record<string, 'error' | 'warn' | 'off'>;
  /** Lowest acceptable score, 0–100, overall or per category. */
  minScore?: Partial<Record<'overall' | Category, number>>;
}

export interface Gate {
  failUnder?: number | undefined;
  failOn?: FailOn | undefined;
  assert?: Assertions | undefined;
  /**
   * `--allow-partial` / config `allowPartial`: below the coverage minimum the partial score is gated
   * instead, and an audit that was not measured (n/a) passes its assertion.
   */
  allowPartial?: boolean | undefined;
}

export interface GateResult {
  exitCode: 0 | 1;
  reasons: string[];
  /** Assertions at level `warn` that did not hold: said, but not failing. */
  warnings: string[];
}

/**
 * The overall score a gate compares (docs/metrics.md "What a score covers"), or why there is none:
 * below the coverage minimum it is the partial score only when the user allowed it.
 */
function gatedOverall(report: Report, allowPartial: boolean, optIn: string): { score: number; name: string } | { missing: string } {
  const { scores } = report;
  if (scores.overall !== null) return { score: scores.overall, name: 'overall score' };
  if (!belowMinimum(scores)) return { missing: 'no overall score could be computed' };
  if (allowPartial) return { score: scores.partial!, name: `partial score (${coveragePercent(scores.coverage)} of the weight measured)` };
  return { missing: `${shortfallText(scores)}; ${optIn} gates on the partial score ${scores.partial}` };
}

export function gateReport(report: Report, gate: Gate): GateResult {
  const reasons: string[] = [];
  const allowPartial = gate.allowPartial ?? false;
  // A pull that fetched only part of who interacted grades part of the window: a gate does not pass on it.
  const coverage = report.input.coverage;
  const gated = gate.failUnder !== undefined || (gate.failOn ?? 'none') !== 'none' || Object.keys(gate.assert?.audits ?? {}).length > 0 || Object.keys(gate.assert?.minScore ?? {}).length > 0;
  if (gated && coverage && !coverage.complete && !allowPartial) {
    const short = COVERAGE_KINDS.filter((k) => coverage[k].fetched < coverage[k].needed || coverage[k].capped > 0).map((k) => `${k} ${coverage[k].fetched} of ${coverage[k].needed}${coverage[k].capped > 0 ? `, ${coverage[k].capped} cut short` : ''}`);
    reasons.push(`the pull fetched only part of who interacted (${short.join('; ')}): its figures describe part of the window; --allow-partial gates on them anyway`);
  } else if (gated && !report.input.complete && !allowPartial) {
    // Pages cut short, a partial archive, Ctrl-C: the report's own warnings say what is missing.
    reasons.push('the input is incomplete (its warnings say what is missing): the figures describe part of it; --allow-partial gates on them anyway');
  }
  // Audience quality from the newest followers or a list cut short describes part of the followers.
  if (gated && report.metrics.audienceQuality?.partial === true && !allowPartial) {
    reasons.push('audience quality was classified from part of the followers (the newest, or a list cut short): --allow-partial gates on it anyway');
  }
  if (gate.failUnder !== undefined) {
    const overall = gatedOverall(report, allowPartial, '--allow-partial');
    if ('missing' in overall) reasons.push(`${overall.missing} (--fail-under ${gate.failUnder})`);
    else if (overall.score < gate.failUnder) reasons.push(`${overall.name} ${overall.score} is below --fail-under ${gate.failUnder}`);
  }
  const failOn = gate.failOn ?? 'none';
  if (failOn !== 'none') {
    const bad = report.audits.filter((a) => a.status === 'fail' || a.status === 'error' || (failOn === 'warn' && a.status === 'warn'));
    if (bad.length > 0) reasons.push(`audits at --fail-on ${failOn}: ${bad.map((a) => `${a.id} (${a.status})`).join(', ')}`);
  }
  const warnings: string[] = [];
  for (const [id, level] of Object.entries(gate.assert?.audits ?? {})) {
    if (level === 'off') continue;
    const audit = report.audits.find((a) => a.id === id);
    if (!audit || audit.status === 'pass' || (audit.status === 'n/a' && allowPartial)) continue;
    // An audit the source could not measure does not hold: it is not a pass (an n/a audit's advice says why).
    const said = audit.status === 'n/a' ? `not measured — ${audit.advice || audit.displayValue}` : `${audit.status} (${audit.displayValue})`;
    (level === 'error' ? reasons : warnings).push(`assertion ${id}: ${said}`);
  }
  for (const [name, min] of Object.entries(gate.assert?.minScore ?? {})) {
    const category = report.scores.categories[name as Category] ?? null;
    const score = name === 'overall' ? gatedOverall(report, allowPartial, 'allowPartial: true') : category === null ? { missing: `no ${name} score` } : { score: category };
    if ('missing' in score) reasons.push(`assertion minScore.${name} ${min}: ${score.missing}`);
    else if (score.score < min!) reasons.push(`assertion minScore.${name}: ${score.score} is below ${min}`);
  }
  return { exitCode: reasons.length > 0 ? 1 : 0, reasons, warnings };
}
