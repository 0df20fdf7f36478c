/** The audit command: each target → dataset → report → the chosen format, and the exit code. */
import type { Dataset, Post } from '../model/dataset.js';
import type { Report } from '../model/report.js';
import { EngageAuditError, EXIT, isEngageAuditError } from '../errors.js';
import { loadDataset, type LoadOptions } from '../sources/index.js';
import { buildReport } from '../report/build-report.js';
import { gateReport } from '../report/exit-code.js';
import { renderMany, type Result } from '../reporters/many.js';
import { redactReport } from '../report/redact.js';
import { redactor } from '../sources/redact-dataset.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
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
    ...(io.stdin ? { stdin: io.stdin } : {}),
    platform: options.platform,
    includePrivate: options.includePrivate,
    ...('limits' in options ? { limits: options.limits } : {}),
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
      now: (io.now ? io.now() : new Date()).getTime(),
    },
  };
}

function useColor(options: AuditOptions, io: Io): boolean {
  if (options.color === false || options.output !== undefined) return false;
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

type PostsCsv = Awaited<ReturnType<typeof openPostsCsv>>;

async function auditOne(
  target: string,
  options: AuditOptions,
  io: Io,
  version: string,
  postsCsv?: PostsCsv | null,
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
      dataset,
      (n) => {
        read = n;
        progress?.update(`Reading ${target}: ${n.toLocaleString('en-US')} posts`);
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
      ...(onPost ? { onPost: (post: Post, engagements: number | null) => onPost(redact ? redact.post(post) : post, engagements, target) } : {}),
    });
    progress?.stop();
    if (!report.input.complete && !options.quiet) {
      io.stderr(`engage-audit: ${target}: the input is incomplete: ${report.input.warnings.join(' ')}\n`);
    }
    if (options.verbose) {
      io.stderr(`engage-audit: ${target}: ${read} posts read, ${report.window.posts} in the window\n`);
    }
    return report;
  } catch (error) {
    progress?.stop();
    throw error;
  } finally {
    dataset?.close?.();
  }
}

/** Targets from the command line and from `--targets FILE` (one a line, `#` comments). */
export async function collectTargets(targets: readonly string[], file: string | undefined, io: Io): Promise<string[]> {
  const out = [...targets];
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(path.resolve(io.cwd, file), 'utf8');
    } catch (error) {
      throw new EngageAuditError('USAGE', `--targets ${file}: cannot read it (${(error as Error).message})`);
    }
    for (const line of text.split(/\r?\n/)) {
      const t = line.replace(/(^|\s)#.*$/, '').trim();
      if (t) out.push(t);
    }
  }
  if (out.length === 0) throw new EngageAuditError('USAGE', 'no target: give an account, an export or --targets FILE');
  return out;
}

export async function runAudit(targets: string[], options: AuditOptions, io: Io, version: string): Promise<number> {
  const all = await collectTargets(targets, options.targetsFile, io);
  const postsCsv = options.postsCsv === undefined ? null : await openPostsCsv(io, options.postsCsv);
  const results: Result[] = new Array(all.length);
  let worst: number = EXIT.ok;
  // Targets run a few at a time; a failing target is reported and the others go on.
  let next = 0;
  // An error that ends the whole run (one target, or a bug): the other workers stop taking targets.
  let fatal: unknown;
  const worker = async (): Promise<void> => {
    while (next < all.length && !io.signal?.aborted && fatal === undefined) {
      const i = next++;
      const target = all[i]!;
      try {
        const report = await auditOne(target, options, io, version, postsCsv);
        results[i] = { report: options.redact ? redactReport(report) : report };
      } catch (error) {
        if (all.length === 1 || !isEngageAuditError(error)) {
          fatal ??= error;
          return;
        }
        io.stderr(`engage-audit: ${error.message}\n  hint: ${error.hint}\n`);
        worst = Math.max(worst, error.exitCode);
        results[i] = { target, error: { code: error.code, exitCode: error.exitCode, message: error.message, hint: error.hint } };
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(TARGET_PARALLELISM, all.length) }, worker));
  } finally {
    await postsCsv?.close().catch((error: unknown) => {
      fatal ??= error;
    });
  }
  if (fatal !== undefined) throw fatal;
  const done = results.filter((r): r is Result => r !== undefined);
  if (!done.some((r) => 'report' in r)) return io.signal?.aborted ? EXIT.interrupted : worst;

  const text = await renderMany(done, options.format, { color: useColor(options, io), ...(io.columns ? { width: io.columns } : {}) });
  if (options.output !== undefined) {
    try {
      await writeOutput(io, options.output, text);
    } catch (error) {
      throw new EngageAuditError('USAGE', `-o ${options.output}: cannot write the report (${(error as Error).message})`, {
        hint: 'Check that the folder exists and is writable.',
      });
    }
  } else io.stdout(text);

  for (const r of done) {
    if (!('report' in r)) continue;
    const gate = gateReport(r.report, { failUnder: options.failUnder, failOn: options.failOn, assert: options.assert });
    if (gate.warnings.length > 0 && !options.quiet) io.stderr(`engage-audit: ${r.report.input.target}: warning: ${gate.warnings.join('; ')}\n`);
    if (gate.exitCode !== 0) {
      worst = Math.max(worst, gate.exitCode);
      if (!options.quiet) io.stderr(`engage-audit: ${r.report.input.target}: ${gate.reasons.join('; ')}\n`);
    }
  }
  return io.signal?.aborted ? EXIT.interrupted : worst;
}

const TARGET_PARALLELISM = 3;

/** `--posts-csv FILE`: a stream that takes one row per window post as the fold meets it. */
async function openPostsCsv(
  io: Io,
  file: string,
): Promise<{ write: (post: Post, engagements: number | null, target: string) => void; pace: () => Promise<void> | undefined; close: () => Promise<void> }> {
  const { createWriteStream } = await import('node:fs');
  const { csvRow } = await import('../lib/csv.js');
  const { POST_CSV_HEADER } = await import('../reporters/csv.js');
  const stream = createWriteStream(path.resolve(io.cwd, file));
  // Fail before any audit starts if the file cannot be written.
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e) => reject(new EngageAuditError('USAGE', `--posts-csv ${file}: cannot write it (${e.message})`)));
  });
  const failed = new Promise<never>((_, reject) => stream.on('error', (e) => reject(new EngageAuditError('USAGE', `--posts-csv ${file}: cannot write it (${e.message})`))));
  failed.catch(() => undefined);
  stream.write(csvRow(['target', ...POST_CSV_HEADER]));
  return {
    write: (p, engagements, target) => {
      stream.write(csvRow([target, p.id, p.url ?? null, p.createdAt, p.kind, p.metrics.likes, p.metrics.replies, p.metrics.reposts, p.metrics.quotes, p.metrics.impressions, engagements, p.client, p.text ?? null]));
    },
    // Rows past the stream's buffer wait for it to drain (or for it to fail) before more posts are read.
    pace: () => (stream.writableNeedDrain ? Promise.race([once(stream, 'drain').then(() => undefined), failed]) : undefined),
    close: () => Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failed]),
  };
}
