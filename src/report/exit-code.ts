/** DESIGN.md exit codes 0/1: a produced report below `--fail-under` or with an audit at `--fail-on`. */
import type { Category, Report } from '../model/report.js';

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
}

export interface GateResult {
  exitCode: 0 | 1;
  reasons: string[];
  /** Assertions at level `warn` that did not hold: said, but not failing. */
  warnings: string[];
}

export function gateReport(report: Report, gate: Gate): GateResult {
  const reasons: string[] = [];
  if (gate.failUnder !== undefined) {
    const overall = report.scores.overall;
    if (overall === null) reasons.push(`no overall score could be computed (--fail-under ${gate.failUnder})`);
    else if (overall < gate.failUnder) reasons.push(`overall score ${overall} is below --fail-under ${gate.failUnder}`);
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
    if (!audit || audit.status === 'pass' || audit.status === 'n/a') continue;
    (level === 'error' ? reasons : warnings).push(`assertion ${id}: ${audit.status} (${audit.displayValue})`);
  }
  for (const [name, min] of Object.entries(gate.assert?.minScore ?? {})) {
    const score = name === 'overall' ? report.scores.overall : report.scores.categories[name as Category];
    if (score === null || score === undefined) reasons.push(`assertion minScore.${name} ${min}: no ${name} score`);
    else if (score < min!) reasons.push(`assertion minScore.${name}: ${score} is below ${min}`);
  }
  return { exitCode: reasons.length > 0 ? 1 : 0, reasons, warnings };
}
