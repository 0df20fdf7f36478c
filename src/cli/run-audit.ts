/** The audit command: each target → dataset → report → the chosen format, and the exit code. */
import type { Dataset, Post } from '../model/dataset.js';
import type { Report } from '../model/report.js';
import { EngageAuditError, errorText, EXIT, exitCodeOf, interruptedExit, isEngageAuditError } from '../errors.js';
import { forTerminal } from '../lib/text.js';
import { loadDataset, type LoadOptions } from '../sources/index.js';
import { buildReport } from '../report/build-report.js';
import { gateReport } from '../report/exit-code.js';
import { renderMany, type Result } from '../reporters/many.js';
import { isBinaryFormat, type Format, type RenderOptions } from '../reporters/index.js';
import { redactReport } from '../report/redact.js';
import { redactor } from '../sources/redact-dataset.js';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openOutput, type Io } from './io.js';
import { refuseOverlaps, type NamedPath, type OutputFile } from './safe-write.js';
import { untilSignal } from './until-signal.js';
import type { AuditOptions } from './options.js';
import { startProgress, type Progress } from './progress.js';
import { DAY_MS } from '../lib/dates.js';
import { previousFor, readPrevious, refuseBeforePull, type Previous } from './previous.js';

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
    ...(io.stdin ? { stdin: io.stdin } : {}),
    platform: options.platform,
    includePrivate: options.includePrivate,
    ...('limits' in options ? { limits: options.limits } : {}),
    columns: options.columns,
    followers: options.followers,
    pull: {
      since,
      maxPosts: options.maxPosts,
      budget: options.budget,
      audience: options.audience,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      maxWaitMs: options.maxWaitMs,
      deadlineMs: options.deadlineMs,
      apiBase: options.apiBase,
      env: io.env,
      signal: io.signal,
      onEvent: progress ? (e) => progress.event(e) : undefined,
      userAgent: `engage-audit/${version}`,
      now: (io.now ? io.now() : new Date()).getTime(),
    },
  };
}

function useColor(options: AuditOptions, io: Io): boolean {
  if (options.color === false || options.outputs.length > 0) return false;
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  if (io.env['FORCE_COLOR'] === '0') return false;
  if (io.env['FORCE_COLOR'] !== undefined) return true;
  return io.isTTY;
}

/** `SOURCE_DATE_EPOCH` (seconds) pins `generatedAt` for byte-identical reports; else the clock. */
function generatedAt(io: Io): string {
  const epoch = io.env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return (io.now ? io.now() : new Date()).toISOString();
}

/**
 * Counts posts as they stream past, for the progress line. `pace`, when given, is awaited before
 * each batch: a slow consumer of the posts (the `--posts-csv` file) holds the reading back instead
 * of letting rows pile up in memory.
 */
export function counting(dataset: Dataset, onPosts: (n: number) => void, pace?: () => Promise<void> | undefined): Dataset {
  const source = dataset.posts;
  async function* posts(): AsyncGenerator<readonly Post[]> {
    let n = 0;
    for await (const batch of source) {
      const wait = pace?.();
      if (wait !== undefined) await wait;
      n += batch.length;
      onPosts(n);
      yield batch;
    }
  }
  return { ...dataset, posts: posts() };
}

async function auditOne(
  target: string,
  options: AuditOptions,
  io: Io,
  version: string,
  postsCsv?: PostsCsv | null,
  previous?: Previous | null,
): Promise<Report> {
  const onPost = postsCsv?.write;
  const progress = options.quiet ? null : await startProgress(io, target, options.verbose);
  let dataset: Dataset | undefined;
  try {
    dataset = await loadDataset(target, loadOptions(options, io, version, progress));
    // --redact: the rows of --posts-csv are redacted as a pulled dataset's posts are.
    const redact = onPost && options.redact ? redactor(dataset.account) : null;
    let read = 0;
    const watched = counting(
      untilSignal(dataset, io.signal),
      (n) => {
        read = n;
        progress?.reading(n);
      },
      postsCsv?.pace,
    );
    const report = await buildReport(watched, {
      since: options.since,
      until: options.until,
      asOf: options.asOf,
      days: options.days,
      generatedAt: generatedAt(io),
      tool: { name: 'engage-audit', version },
      config: options.config,
      actions: { max: options.actions, previous: previous ? previousFor(previous, dataset, options.previous!) : null },
      ...(onPost ? { onPost: (post: Post, engagements: number | null) => onPost(redact ? redact.post(post) : post, engagements, target) } : {}),
    });
    progress?.stop();
    if (!report.input.complete && !options.quiet) {
      io.stderr(`${forTerminal(`engage-audit: ${target}: the input is incomplete: ${report.input.warnings.join(' ')}`)}\n`);
    }
    if (options.verbose) {
      io.stderr(`${forTerminal(`engage-audit: ${target}: ${read} posts read, ${report.window.posts} in the window`)}\n`);
    }
    return report;
  } catch (error) {
    progress?.stop();
    throw error;
  } finally {
    dataset?.close?.();
  }
}

/**
 * Targets from the command line and from `--targets FILE` (one a line, `#` comments). A line naming a
 * file or folder that exists beside the list is read from there (README "Use"), named from the working
 * directory; any other line is taken as written (an account, or a path from the working directory).
 */
export async function collectTargets(targets: readonly string[], file: string | undefined, io: Io): Promise<string[]> {
  const out = [...targets];
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new EngageAuditError('USAGE', `--targets ${file}: cannot read it (${(error as Error).message})`);
    }
    const beside = path.dirname(path.resolve(io.cwd, file));
    for (const line of text.split(/\r?\n/)) {
      const t = line.replace(/(^|\s)#.*$/, '').trim();
      if (!t) continue;
      const there = path.resolve(beside, t);
      out.push(!path.isAbsolute(t) && existsSync(there) ? path.relative(io.cwd, there) || '.' : t);
    }
  }
  if (out.length === 0) throw new EngageAuditError('USAGE', 'no target: give an account, an export or --targets FILE');
  return out;
}

export async function runAudit(targets: string[], options: AuditOptions, io: Io, version: string): Promise<number> {
  const all = await collectTargets(targets, options.targetsFile, io);
  const given = (flag: string, file: string | undefined): NamedPath[] => (file === undefined ? [] : [{ flag, file }]);
  await refuseOverlaps(
    [...options.outputs.map(({ file }) => ({ flag: '-o', file })), ...given('--posts-csv', options.postsCsv)],
    [...all.map((file) => ({ flag: '', file })), ...given('--targets', options.targetsFile), ...given('--config', options.configFile), ...given('--previous', options.previous)],
    io.cwd,
  );
  // Both files are opened (under temporary names) before any audit starts, so that one that cannot
  // be written fails at once; they are renamed into place only at the end.
  const files: OutputFile[] = [];
  const notWritten = (why: string): void =>
    io.stderr(`${forTerminal(`engage-audit: --posts-csv ${options.postsCsv}: not written: ${why} (an earlier file of that name is left as it was)`)}\n`);
  const opened = async (flag: string, file: string | undefined, what: string): Promise<OutputFile | null> => {
    if (file === undefined) return null;
    const out = await openOutput(io, flag, file, what);
    files.push(out);
    return out;
  };
  let postsCommitted = false;
  if (options.outputs.length === 0 && isBinaryFormat(options.format) && io.isTTY) {
    throw new EngageAuditError('USAGE', `binary output to a terminal: --format ${options.format} writes a workbook`, { hint: `Write it to a file with -o report.${options.format}, or redirect standard output.` });
  }
  if (options.previous !== undefined && all.length > 1) throw new EngageAuditError('USAGE', '--previous is an earlier dataset of one account: give one target with it');
  const previous = options.previous === undefined ? null : await readPrevious(options.previous, io.cwd);
  if (previous !== null) await refuseBeforePull(previous, options.previous!, all[0]!, options.platform, io.cwd);
  try {
    const postsFile = await opened('--posts-csv', options.postsCsv, 'it');
    const reportFiles: Array<{ file: OutputFile; format: Format }> = [];
    for (const { file, format } of options.outputs) reportFiles.push({ file: (await opened('-o', file, 'the report'))!, format });
    const results = await auditAll(all, options, io, version, postsFile === null ? null : await postsCsvRows(postsFile, options.csvBom), previous);
    let worst: number = Math.max(EXIT.ok, ...results.map((r) => ('error' in r ? r.error.exitCode : EXIT.ok)));
    const reports = results.filter((r): r is { report: Report } => 'report' in r);

    const renderOptions = { color: useColor(options, io), ...(io.columns ? { width: io.columns } : {}) };
    const output = (format: Format) => renderOutput(results, format, renderOptions, options.csvBom);
    // The posts CSV is kept only from a run that audited something and was not interrupted.
    const dropPosts = (): string | null => (io.signal?.aborted ? 'the run was interrupted' : reports.length === 0 ? 'no target could be audited' : null);
    if (dropPosts() === null) await postsFile?.finish();
    for (const { file, format } of reportFiles) {
      file.write(await output(format));
      await file.finish();
    }
    if (postsFile !== null) {
      // Asked again: a signal that came while the files were finished still drops the posts CSV.
      const why = dropPosts();
      if (why === null) {
        await postsFile.commit();
        postsCommitted = true;
      } else notWritten(why);
    }
    for (const { file } of reportFiles) await file.commit();
    if (reportFiles.length === 0) {
      const text = await output(options.format);
      if (typeof text === 'string') io.stdout(text);
      else if (io.stdoutBytes) io.stdoutBytes(text);
      else throw new EngageAuditError('USAGE', `--format ${options.format}: standard output here takes text only`, { hint: `Write it to a file with -o report.${options.format}.` });
    }

    for (const r of reports) {
      const gate = gateReport(r.report, { failUnder: options.failUnder, failOn: options.failOn, assert: options.assert, allowPartial: options.allowPartial });
      if (gate.warnings.length > 0 && !options.quiet) io.stderr(`${forTerminal(`engage-audit: ${r.report.input.target}: warning: ${gate.warnings.join('; ')}`)}\n`);
      if (gate.exitCode !== 0) {
        worst = Math.max(worst, gate.exitCode);
        // A failing gate is an error: a CI log says why even with --quiet.
        io.stderr(`${forTerminal(`engage-audit: ${r.report.input.target}: ${gate.reasons.join('; ')}`)}\n`);
      }
    }
    return io.signal?.aborted ? interruptedExit(io.signal) : worst;
  } catch (error) {
    if (io.signal?.aborted && files.length > 0 && options.postsCsv !== undefined && !postsCommitted) notWritten('the run was interrupted');
    throw error;
  } finally {
    // Whatever was not renamed into place is removed; earlier files stay as they were.
    for (const file of files) await file.discard();
  }
}

const TARGET_PARALLELISM = 3;

/**
 * Audits the targets a few at a time; a failing target is reported and the others go on. Every
 * target gets a result: its report, its error, or (when the run was interrupted before it started)
 * a "not started" error. One target's error, an output error or a bug ends the whole run.
 */
async function auditAll(all: readonly string[], options: AuditOptions, io: Io, version: string, postsCsv: PostsCsv | null, previous: Previous | null): Promise<Result[]> {
  const results: Array<Result | undefined> = new Array(all.length);
  const row = (target: string, error: EngageAuditError): Result => ({
    target,
    error: { code: error.code, exitCode: exitCodeOf(error, io.signal), message: error.message, hint: error.hint },
  });
  let next = 0;
  // An error that ends the whole run: the other workers stop taking targets.
  let fatal: unknown;
  const worker = async (): Promise<void> => {
    while (next < all.length && !io.signal?.aborted && fatal === undefined) {
      const i = next++;
      const target = all[i]!;
      try {
        const report = await auditOne(target, options, io, version, postsCsv, previous);
        results[i] = { report: options.redact ? redactReport(report) : report };
      } catch (error) {
        if (all.length === 1 || !isEngageAuditError(error) || error.code === 'OUTPUT') {
          fatal ??= error;
          return;
        }
        io.stderr(errorText(error, target));
        results[i] = row(target, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(TARGET_PARALLELISM, all.length) }, worker));
  if (fatal !== undefined) throw fatal;
  // Only an interruption leaves targets without a result.
  const notStarted = [...all.keys()].filter((i) => results[i] === undefined);
  if (notStarted.length > 0) {
    const error = (target: string) => new EngageAuditError('INTERRUPTED', `${target}: not started: the run was interrupted`, { hint: 'Run again to audit it.' });
    if (all.length === 1) throw error(all[0]!);
    for (const i of notStarted) results[i] = row(all[i]!, error(all[i]!));
    io.stderr(`${forTerminal(`engage-audit: ${notStarted.length} of ${all.length} targets were not started: the run was interrupted`)}\n`);
  }
  return results as Result[];
}

type PostsCsv = Awaited<ReturnType<typeof postsCsvRows>>;

/** `--posts-csv FILE`: one row per window post as the fold meets it, under a header. */
async function postsCsvRows(file: OutputFile, bom: boolean): Promise<{ write: (post: Post, engagements: number | null, target: string) => void; pace: () => Promise<void> | undefined }> {
  const { BOM, csvRow, csvTime } = await import('../lib/csv.js');
  const { POST_CSV_HEADER } = await import('../reporters/csv.js');
  file.write((bom ? BOM : '') + csvRow(['target', ...POST_CSV_HEADER]));
  return {
    write: (p, engagements, target) => {
      file.write(csvRow([target, p.id, p.url ?? null, csvTime(p.createdAt), p.kind, p.metrics.likes, p.metrics.replies, p.metrics.reposts, p.metrics.quotes, p.metrics.impressions, engagements, p.client, p.text ?? null]));
    },
    // While much waits to be written, the next posts wait for it (or for its failure) before they are read.
    pace: () => file.drain(),
  };
}

/** The report in `format`: bytes for a workbook, else text (a CSV after a byte-order mark with `--csv-bom`). */
async function renderOutput(results: readonly Result[], format: Format, options: RenderOptions, csvBom: boolean): Promise<string | Uint8Array> {
  if (isBinaryFormat(format)) return (await import('../reporters/xlsx.js')).renderXlsx(results);
  const text = await renderMany(results, format, options);
  return format === 'csv' && csvBom ? (await import('../lib/csv.js')).BOM + text : text;
}
