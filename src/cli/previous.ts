/**
 * `--previous <file>`: an earlier saved dataset of the same account, read for its follower list so that
 * next actions can list the followers gained since (docs/reports.md "Next actions").
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, SavedDataset } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';

export type Previous = Pick<SavedDataset, 'platform' | 'account' | 'followerIds' | 'asOf'>;

export async function readPrevious(file: string, cwd: string): Promise<Previous> {
  // Loaded here: the schema library is read only when a dataset is.
  const { WHOLE_FILE_LIMIT } = await import('../sources/dataset/source.js');
  const { parseSavedDataset } = await import('../sources/saved-dataset.js');
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    if ((await stat(full)).size > WHOLE_FILE_LIMIT) throw new EngageAuditError('MALFORMED', `--previous ${file}: larger than a saved dataset can be`);
    text = await readFile(full, 'utf8');
  } catch (error) {
    if (error instanceof EngageAuditError) throw error;
    throw new EngageAuditError('TARGET_NOT_FOUND', `--previous ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
      hint: 'Give an earlier dataset of the account saved by `engage-audit pull <target> -o dataset.json`.',
    });
  }
  const { platform, account, followerIds, asOf } = parseSavedDataset(text, `--previous ${file}`);
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
