/** The pull command: fetch (or read) a target and save its normalized dataset, to audit offline later. */
import { EngageAuditError, EXIT, interruptedExit } from '../errors.js';
import { loadDataset, WHOLE_FILE_LIMIT } from '../sources/index.js';
import { savedText, type SavedText } from '../sources/saved-dataset.js';
import { parseCliDate } from '../lib/dates.js';
import { forTerminal, inertJson } from '../lib/text.js';
import { openOutput, type Io } from './io.js';
import { parsePullOptions, type RawPullOptions } from './options.js';
import { startProgress } from './progress.js';
import { loadOptions } from './run-audit.js';
import { untilSignal } from './until-signal.js';
import { refuseOverlaps, type OutputFile } from './safe-write.js';

export async function runPull(
  target: string,
  raw: RawPullOptions & { output?: string; since?: string; days?: string; quiet?: boolean; verbose?: boolean; redact?: boolean },
  io: Io,
  version: string,
): Promise<number> {
  const settings = parsePullOptions(raw);
  let since: number | undefined;
  if (raw.since !== undefined) {
    since = parseCliDate(raw.since, false);
    if (Number.isNaN(since)) throw new EngageAuditError('USAGE', `--since ${JSON.stringify(raw.since)} is not a date: use YYYY-MM-DD or ISO-8601`);
  }
  let days: number | undefined;
  if (raw.days !== undefined) {
    days = Number(raw.days);
    if (!Number.isInteger(days) || days < 1) throw new EngageAuditError('USAGE', `--days ${JSON.stringify(raw.days)}: give a whole number of days from 1`);
  }
  if (raw.output !== undefined) await refuseOverlaps([{ flag: '-o', file: raw.output }], [{ flag: '', file: target }], io.cwd);
  // Opened (under a temporary name) before the pull, so that a file that cannot be written fails at once.
  const out = raw.output === undefined ? null : await openOutput(io, '-o', raw.output, 'the dataset');
  try {
    const saved = await pulled(target, raw, settings, { since, days }, io, version);
    const chunks = joined(saved.pieces, 1 << 20);
    if (out !== null) await writeAll(out, chunks);
    else for (const chunk of chunks) io.stdout(inertJson(chunk));
    if (!raw.quiet) {
      const where = raw.output ?? 'standard output';
      const { head } = saved;
      io.stderr(`${forTerminal(`engage-audit: saved ${saved.posts} posts${saved.interactions !== null ? ` and ${saved.interactions} interactions` : ''} of ${head.account.handle ?? target} to ${where}${head.complete ? '' : ` (incomplete: ${head.warnings.join(' ')})`}`)}\n`);
    }
    return io.signal?.aborted ? interruptedExit(io.signal) : EXIT.ok;
  } finally {
    await out?.discard();
  }
}

/** Loads the target and turns it into the saved dataset's text; a signal stops the reading of an export. */
async function pulled(
  target: string,
  raw: { quiet?: boolean; verbose?: boolean; redact?: boolean },
  settings: ReturnType<typeof parsePullOptions>,
  window: { since: number | undefined; days: number | undefined },
  io: Io,
  version: string,
): Promise<SavedText> {
  const progress = raw.quiet ? null : await startProgress(io, target, raw.verbose ?? false);
  try {
    const dataset = await loadDataset(target, loadOptions({ ...settings, ...window }, io, version, progress));
    try {
      return await savedText(untilSignal(dataset, io.signal), { redact: raw.redact ?? false, limit: WHOLE_FILE_LIMIT });
    } finally {
      dataset.close?.();
    }
  } finally {
    progress?.stop();
  }
}

/** Writes `chunks` to `out`, waiting while much is in flight, and renames it into place. */
async function writeAll(out: OutputFile, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    out.write(chunk);
    await out.drain();
  }
  await out.commit();
}

/** `pieces` joined into strings of about `size` characters, for fewer, larger writes. */
function* joined(pieces: readonly string[], size: number): Generator<string> {
  let chunk = '';
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}
