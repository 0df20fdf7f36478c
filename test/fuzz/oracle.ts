/**
 * What every fuzzed CLI run must satisfy (the "Hardening" issue): a valid report (exit 0 or 1) or a
 * known error (exit 2 or 3) with one line naming the problem and a hint — never exit 5, a stack trace,
 * an exception that escapes, a hang, or a silent empty success; and within a few seconds.
 */
import { ReportSchema } from '../../src/model/report.js';
import type { IsolatedRun } from './isolated-cli.js';

/** A run slower than this counts as a hang even when it ends (fixtures are a few KB). */
export const SLOW_MS = 5000;

/** Numbers of the report that are counts, shares or scores: never negative. */
function negativeNumbers(value: unknown, where: string, out: string[]): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${where} = ${value}`);
    else if (value < 0) out.push(`${where} = ${value}`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => negativeNumbers(v, `${where}[${i}]`, out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) negativeNumbers(v, `${where}.${k}`, out);
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '') ?? '';
}

export interface Judgement {
  /** Problems found; empty when the run is acceptable. */
  problems: string[];
  /** A short signature to group cases by behaviour ("exit 3", "exit 5 RangeError…"). */
  signature: string;
}

/**
 * Judges one run. `format` is the report format asked for; `names` are strings one of which an error
 * line should contain (the target or the file that was changed).
 */
export function judge(run: IsolatedRun, format: string, names: readonly string[] = []): Judgement {
  const problems: string[] = [];
  if (run.status === 'timeout') return { problems: [`hang: no answer after ${Math.round(run.ms)} ms (worker terminated)`], signature: 'hang' };
  if (run.status === 'crashed') return { problems: [`crash: the worker died (${run.error}) after ${Math.round(run.ms)} ms`], signature: `crash ${run.error ?? ''}` };
  if (run.thrown !== null) problems.push(`main() threw instead of returning an exit code: ${firstLine(run.thrown)}`);
  for (const u of run.uncaught) problems.push(`uncaught exception or rejection: ${firstLine(u)}`);
  if (run.ms > SLOW_MS) problems.push(`slow: ${Math.round(run.ms)} ms`);
  const code = run.code;
  if (code === 5) {
    const err = run.stderr.split('\n')[1] ?? run.stderr;
    problems.push(`exit 5 (internal error): ${err.trim()}`);
    return { problems, signature: `exit 5 ${err.trim().replace(/\d+/g, 'N').slice(0, 80)}` };
  }
  if (code === null || ![0, 1, 2, 3].includes(code)) problems.push(`exit ${code}`);
  if (/\n\s+at .+[:(]\d+/.test(run.stderr)) problems.push('a stack trace on stderr');

  if (code === 2 || code === 3) {
    const lines = run.stderr.trimEnd().split('\n');
    const start = lines.findIndex((l) => l.startsWith('engage-audit: '));
    const hintAt = lines.findIndex((l) => /^ {2}hint: \S/.test(l));
    const message = lines.slice(Math.max(0, start), hintAt === -1 ? undefined : hintAt).join('\n');
    if (start === -1) problems.push(`exit ${code} without an "engage-audit: …" line: ${JSON.stringify(run.stderr.slice(0, 200))}`);
    if (hintAt === -1) problems.push(`exit ${code} without a hint line: ${JSON.stringify(run.stderr.slice(0, 200))}`);
    else if (start !== -1 && hintAt - start > 1) {
      problems.push(`the error message spans ${hintAt - start} lines, not one: ${JSON.stringify(message.slice(0, 160))}`);
    }
    if (names.length > 0 && !names.some((n) => message.includes(n))) problems.push(`the error line names neither ${names.join(' nor ')}: ${message}`);
    if (run.stdout !== '') problems.push(`exit ${code} with output on stdout`);
    return { problems, signature: `exit ${code}` };
  }
  if (code === 0 || code === 1) {
    if (run.stdout.trim() === '') problems.push(`exit ${code} with nothing on stdout`);
    if (format === 'json') {
      let report: unknown;
      try {
        report = JSON.parse(run.stdout);
      } catch (error) {
        problems.push(`the JSON report does not parse: ${(error as Error).message}`);
        return { problems, signature: `exit ${code} bad json` };
      }
      const parsed = ReportSchema.safeParse(report);
      if (!parsed.success) problems.push(`the report breaks its schema: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      const r = report as {
        window?: { posts?: number; since?: string | null; until?: string | null; asOf?: string | null };
        account?: { posts?: number | null };
        input?: { warnings?: string[]; complete?: boolean };
        metrics?: unknown;
        scores?: { overall?: number | null; categories?: Record<string, number | null> };
        monthly?: unknown[];
      };
      const negatives: string[] = [];
      negativeNumbers(r.metrics, 'metrics', negatives);
      negativeNumbers(r.account, 'account', negatives);
      negativeNumbers(r.window, 'window', negatives);
      negativeNumbers(r.scores, 'scores', negatives);
      if (negatives.length > 0) problems.push(`negative or non-finite numbers in the report: ${negatives.slice(0, 3).join(', ')}`);
      for (const s of [r.scores?.overall, ...Object.values(r.scores?.categories ?? {})]) {
        if (typeof s === 'number' && (s > 100 || !Number.isInteger(s))) problems.push(`a score outside 0–100: ${s}`);
      }
      for (const [key, value] of Object.entries(r.window ?? {})) {
        if (key === 'asOfSource') continue; // a name, not a time
        if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value)) problems.push(`window.${key} is not an ISO time: ${value}`);
      }
      const months = (r.monthly ?? []).map((m) => (m as { month?: unknown }).month);
      const badMonth = months.find((m) => typeof m !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(m));
      if (badMonth !== undefined) problems.push(`monthly has a month that is not YYYY-MM: ${JSON.stringify(badMonth)} (${months.length} rows)`);
      const empty = (r.window?.posts ?? 0) === 0 && (r.account?.posts ?? 0) === 0;
      if (empty && (r.input?.warnings?.length ?? 0) === 0 && run.stderr.trim() === '') {
        problems.push('silent empty success: exit 0, no posts read, no warning on stderr or in input.warnings');
      }
      return { problems, signature: `exit ${code}${empty ? ' empty' : ''}` };
    }
    if (/\bNaN\b|\bInfinity\b|\bundefined\b|\[object Object\]/.test(run.stdout)) {
      problems.push(`the ${format} report shows ${/\bNaN\b|\bInfinity\b|\bundefined\b|\[object Object\]/.exec(run.stdout)![0]}`);
    }
    return { problems, signature: `exit ${code}` };
  }
  return { problems, signature: `exit ${code}` };
}
