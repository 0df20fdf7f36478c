/** The audit command: each target → dataset → report → the chosen format, and the exit code. */
import type { Dataset, Post } from '../model/dataset.js';
import type { Report } from '../model/report.js';
import { EngageAuditError, EXIT, isEngageAuditError } from '../errors.js';
import { loadDataset, type LoadOptions } from '../sources/index.js';
import { buildReport } from '../report/build-report.js';
import { gateReport } from '../report/exit-code.js';
import { render } from '../reporters/index.js';
import { writeOutput, type Io } from './io.js';
import type { AuditOptions } from './options.js';
import { startProgress, type Progress } from './progress.js';
import { DAY_MS } from '../lib/dates.js';

/** The load settings of a target: paths, stdin, and how to pull a live account. */
export function loadOptions(
  options: AuditOptions | (import('./options.js').PullSettings & { since?: number | undefined; days?: number | undefined; asOf?: number | undefined; until?: number | undefined }),
  io: Io,
  version: string,
  progress: Progress | null,
): LoadOptions {
  // Paging stops at the window start; with --days and no fixed end, at N days before now (a superset).
  const end = options.asOf ?? options.until ?? (io.now ? io.now() : new Date()).getTime();
  const since = options.since ?? (options.days !== undefined ? end - options.days * DAY_MS : undefined);
  return {
    cwd: io.cwd,
    ...(io.readStdin ? { stdin: io.readStdin } : {}),
    platform: options.platform,
    includePrivate: options.includePrivate,
    columns: options.columns,
    followers: options.followers,
    pull: {
      since,
      maxPosts: options.maxPosts,
      threads: options.threads,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      maxWaitMs: options.maxWaitMs,
      apiBase: options.apiBase,
      env: io.env,
      signal: io.signal,
      onEvent: progress ? (e) => progress.event(e) : undefined,
      userAgent: `engage-audit/${version}`,
    },
  };
}

function useColor(options: AuditOptions, io: Io): boolean {
  if (options.color === false || options.output !== undefined) return false;
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.env['FORCE_COLOR'] !== undefined && io.env['FORCE_COLOR'] !== '0') return true;
  return io.isTTY;
}

/** `SOURCE_DATE_EPOCH` (seconds) pins `generatedAt` for byte-identical reports; else the clock. */
function generatedAt(io: Io): string {
  const epoch = io.env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return (io.now ? io.now() : new Date()).toISOString();
}

/** Counts posts as they stream past, for the progress line. */
function counting(dataset: Dataset, onPosts: (n: number) => void): Dataset {
  const source = dataset.posts;
  async function* posts(): AsyncGenerator<readonly Post[]> {
    let n = 0;
    for await (const batch of source) {
      n += batch.length;
      onPosts(n);
      yield batch;
    }
  }
  return { ...dataset, posts: posts() };
}

async function auditOne(target: string, options: AuditOptions, io: Io, version: string): Promise<Report> {
  const progress = options.quiet ? null : await startProgress(io, target, options.verbose);
  let dataset: Dataset | undefined;
  try {
    dataset = await loadDataset(target, loadOptions(options, io, version, progress));
    const watched = progress ? counting(dataset, (n) => progress.update(`Reading ${target}: ${n.toLocaleString('en-US')} posts`)) : dataset;
    const report = await buildReport(watched, {
      since: options.since,
      until: options.until,
      asOf: options.asOf,
      days: options.days,
      generatedAt: generatedAt(io),
      tool: { name: 'engage-audit', version },
    });
    progress?.stop();
    if (!report.input.complete && !options.quiet) {
      io.stderr(`engage-audit: ${target}: the input is incomplete: ${report.input.warnings.join(' ')}\n`);
    }
    if (options.verbose) {
      io.stderr(`engage-audit: ${target}: ${report.account.posts ?? 0} posts read, ${report.window.posts} in the window\n`);
    }
    return report;
  } catch (error) {
    progress?.stop();
    throw error;
  } finally {
    dataset?.close?.();
  }
}

export async function runAudit(targets: string[], options: AuditOptions, io: Io, version: string): Promise<number> {
  const reports: Report[] = [];
  let worst: number = EXIT.ok;
  for (const target of targets) {
    if (io.signal?.aborted) break;
    try {
      reports.push(await auditOne(target, options, io, version));
    } catch (error) {
      if (targets.length === 1 || !isEngageAuditError(error)) throw error;
      io.stderr(`engage-audit: ${error.message}\n  hint: ${error.hint}\n`);
      worst = Math.max(worst, error.exitCode);
    }
  }
  if (reports.length === 0) return io.signal?.aborted ? EXIT.interrupted : worst;

  const color = useColor(options, io);
  let text: string;
  if (options.format === 'json' && reports.length > 1) text = `${JSON.stringify(reports, null, 2)}\n`;
  else {
    const parts: string[] = [];
    for (const report of reports) parts.push(await render(report, options.format, { color, ...(io.columns ? { width: io.columns } : {}) }));
    text = parts.join('\n');
  }
  if (options.output !== undefined) {
    try {
      await writeOutput(io, options.output, text);
    } catch (error) {
      throw new EngageAuditError('USAGE', `-o ${options.output}: cannot write the report (${(error as Error).message})`, {
        hint: 'Check that the folder exists and is writable.',
      });
    }
  } else io.stdout(text);

  for (const report of reports) {
    const gate = gateReport(report, { failUnder: options.failUnder, failOn: options.failOn });
    if (gate.exitCode !== 0) {
      worst = Math.max(worst, gate.exitCode);
      if (!options.quiet) io.stderr(`engage-audit: ${report.input.target}: ${gate.reasons.join('; ')}\n`);
    }
  }
  return io.signal?.aborted ? EXIT.interrupted : worst;
}
