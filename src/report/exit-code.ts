/** DESIGN.md exit codes 0/1: a produced report below `--fail-under` or with an audit at `--fail-on`. */
import type { Report } from '../model/report.js';

export type FailOn = 'warn' | 'fail' | 'none';

export interface Gate {
  failUnder?: number | undefined;
  failOn?: FailOn | undefined;
}

export interface GateResult {
  exitCode: 0 | 1;
  reasons: string[];
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
  return { exitCode: reasons.length > 0 ? 1 : 0, reasons };
}
