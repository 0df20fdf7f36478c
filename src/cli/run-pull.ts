/** The pull command: fetch (or read) a target and save its normalized dataset, to audit offline later. */
import { EngageAuditError, EXIT } from '../errors.js';
import { loadDataset, WHOLE_FILE_LIMIT } from '../sources/index.js';
import { savedText, type SavedText } from '../sources/saved-dataset.js';
import { parseCliDate } from '../lib/dates.js';
import { forTerminal, inertJson } from '../lib/text.js';
import { writeOutput, type Io } from './io.js';
import { parsePullOptions, type RawPullOptions } from './options.js';
import { startProgress } from './progress.js';
import { loadOptions } from './run-audit.js';

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
  const progress = raw.quiet ? null : await startProgress(io, target, raw.verbose ?? false);
  let saved: SavedText;
  try {
    const dataset = await loadDataset(target, loadOptions({ ...settings, since, days }, io, version, progress));
    try {
      saved = await savedText(dataset, { redact: raw.redact ?? false, limit: WHOLE_FILE_LIMIT });
    } finally {
      dataset.close?.();
    }
  } finally {
    progress?.stop();
  }
  const chunks = joined(saved.pieces, 1 << 20);
  if (raw.output !== undefined) {
    try {
      await writeOutput(io, raw.output, chunks);
    } catch (error) {
      throw new EngageAuditError('USAGE', `-o ${raw.output}: cannot write the dataset (${(error as Error).message})`);
    }
  } else for (const chunk of chunks) io.stdout(inertJson(chunk));
  if (!raw.quiet) {
    const where = raw.output ?? 'standard output';
    const { head } = saved;
    io.stderr(`${forTerminal(`engage-audit: saved ${saved.posts} posts${saved.interactions !== null ? ` and ${saved.interactions} interactions` : ''} of ${head.account.handle ?? target} to ${where}${head.complete ? '' : ` (incomplete: ${head.warnings.join(' ')})`}`)}\n`);
  }
  return io.signal?.aborted ? EXIT.interrupted : EXIT.ok;
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
