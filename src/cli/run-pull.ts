/** The pull command: fetch (or read) a target and save its normalized dataset, to audit offline later. */
import { EngageAuditError, EXIT } from '../errors.js';
import { loadDataset, WHOLE_FILE_LIMIT } from '../sources/index.js';
import { redactSaved, toSaved } from '../sources/saved-dataset.js';
import type { SavedDataset } from '../model/dataset.js';
import { parseCliDate } from '../lib/dates.js';
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
  let saved;
  try {
    const dataset = await loadDataset(target, loadOptions({ ...settings, since, days }, io, version, progress));
    try {
      saved = await toSaved(dataset);
      if (raw.redact) saved = redactSaved(saved);
    } finally {
      dataset.close?.();
    }
  } finally {
    progress?.stop();
  }
  const text = datasetText(saved, target);
  if (raw.output !== undefined) {
    try {
      await writeOutput(io, raw.output, text);
    } catch (error) {
      throw new EngageAuditError('USAGE', `-o ${raw.output}: cannot write the dataset (${(error as Error).message})`);
    }
  } else io.stdout(text);
  if (!raw.quiet) {
    const where = raw.output ?? 'standard output';
    io.stderr(`engage-audit: saved ${saved.posts.length} posts${saved.interactions ? ` and ${saved.interactions.length} interactions` : ''} of ${saved.account.handle ?? target} to ${where}${saved.complete ? '' : ` (incomplete: ${saved.warnings.join(' ')})`}\n`);
  }
  return io.signal?.aborted ? EXIT.interrupted : EXIT.ok;
}

/**
 * The dataset as the file it is saved to. A dataset is read back whole, so one larger than that
 * (or than one string can be) is refused with what to do instead, rather than saved unreadable.
 */
export function datasetText(saved: SavedDataset, target: string, limit = WHOLE_FILE_LIMIT): string {
  const tooLarge = (): EngageAuditError =>
    new EngageAuditError('USAGE', `${target}: ${saved.posts.length} posts make a dataset larger than one file can be read back (${limit >= 1 << 20 ? `${Math.round(limit / 1024 ** 2)} MB` : `${limit} bytes`})`, {
      hint: 'Audit the export itself (archives are streamed, with no such limit), or pull a shorter window with --since or --days.',
    });
  let text: string;
  try {
    text = `${JSON.stringify(saved)}\n`;
  } catch (error) {
    if (error instanceof RangeError) throw tooLarge();
    throw error;
  }
  if (Buffer.byteLength(text) > limit) throw tooLarge();
  return text;
}
