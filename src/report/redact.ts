/**
 * `--redact`: other accounts' handles become stable pseudonyms in the report (top interactors,
 * warnings, audits' text) — the audited account keeps its own name.
 */
import type { Report } from '../model/report.js';
import { pseudonym, redactMentions } from '../lib/pseudonym.js';
import { redactActions } from './actions.js';

export function redactReport(report: Report): Report {
  const self = report.account.handle?.toLowerCase() ?? null;
  const keep = (h: string): boolean => h.toLowerCase() === self;
  const name = (account: string): string => (account.toLowerCase() === self ? account : pseudonym(account));
  const list = (l: Report['topInteractors']['outbound'] | null) => (l === null ? null : l.map((x) => ({ ...x, account: name(x.account) })));
  return {
    ...report,
    input: { ...report.input, warnings: report.input.warnings.map((w) => redactMentions(w, keep)) },
    topInteractors: { outbound: list(report.topInteractors.outbound), inbound: list(report.topInteractors.inbound), twoWay: list(report.topInteractors.twoWay) },
    ...(report.actions ? { actions: redactActions(report.actions, name) } : {}),
  };
}
