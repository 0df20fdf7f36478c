/** The pull command: fetch (or read) a target and save its normalized dataset, to audit offline later. */
import { EngageAuditError, EXIT } from '../errors.js';
import { loadDataset } from '../sources/index.js';
import { redactSaved, toSaved } from '../sources/saved-dataset.js';
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
  const text = `${JSON.stringify(saved)}\n`;
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
