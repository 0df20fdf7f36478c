/**
 * `--previous <file>`: an earlier saved dataset of the same account, read for its follower list so that
 * next actions can list the followers gained since (docs/reports.md "Next actions").
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, SavedDataset } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';

export type Previous = Pick<SavedDataset, 'platform' | 'account' | 'followerIds' | 'asOf'>;

const HINT = 'Give an earlier dataset of the account saved by `engage-audit pull <target> -o dataset.json`.';

/** A file that cannot be the earlier dataset: a usage error (exit 2) in one line, with the hint above. */
const notDataset = (file: string, why: string): EngageAuditError =>
  new EngageAuditError('USAGE', `--previous ${file} is not a saved dataset (engage-audit pull -o): ${why}`, { hint: HINT });

export async function readPrevious(file: string, cwd: string): Promise<Previous> {
  // Loaded here: the schema library is read only when a dataset is.
  const { WHOLE_FILE_LIMIT } = await import('../sources/dataset/source.js');
  const { parseSavedDataset } = await import('../sources/saved-dataset.js');
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    const info = await stat(full);
    if (!info.isFile()) throw notDataset(file, info.isDirectory() ? 'a folder' : 'not a file');
    if (info.size > WHOLE_FILE_LIMIT) throw notDataset(file, 'larger than a saved dataset can be');
    text = await readFile(full, 'utf8');
  } catch (error) {
    if (error instanceof EngageAuditError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw notDataset(file, code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (error as Error).message})`);
  }
  let saved: SavedDataset;
  try {
    saved = parseSavedDataset(text, `--previous ${file}`);
  } catch (error) {
    // The parser's message may quote the file's bytes (a zip's): only where the schema failed is said.
    const where = error instanceof EngageAuditError ? /: not an engage-audit dataset: (.*)$/.exec(error.message)?.[1] : undefined;
    throw notDataset(file, where === undefined ? 'not JSON' : where.split('\n')[0]!.slice(0, 120));
  }
  const { platform, account, followerIds, asOf } = saved;
  return { platform, account, followerIds, asOf: asOf ?? null };
}

/** The earlier dataset's follower list for `dataset`, refusing one of another platform or account. */
export function previousFor(previous: Previous, dataset: Dataset, file: string): { followerIds: readonly string[] | null; asOf: string | null } {
  const a = previous.account;
  const b = dataset.account;
  const other =
    previous.platform !== dataset.platform
      ? `a ${previous.platform} dataset, the target is ${dataset.platform}`
      : a.id !== null && b.id !== null
        ? a.id === b.id
          ? null
          : `account id ${a.id}, the target's is ${b.id}`
        : a.handle !== null && b.handle !== null && a.handle.toLowerCase() !== b.handle.toLowerCase()
          ? `@${a.handle}, the target is @${b.handle}`
          : null;
  if (other !== null) throw new EngageAuditError('USAGE', `--previous ${file} is ${other}: give an earlier dataset of the same account`);
  return { followerIds: previous.followerIds, asOf: previous.asOf ?? null };
}
