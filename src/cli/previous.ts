/**
 * `--previous <file>`: an earlier saved dataset of the same account, read for its follower list so that
 * next actions can list the followers gained since (docs/reports.md "Next actions").
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, SavedDataset } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';
import { isPseudonym } from '../lib/pseudonym.js';
import { LIVE_SOURCES } from '../sources/registry.js';
import { parseAccountTarget, type Target } from '../sources/targets.js';

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

/** What the earlier dataset is compared with: the audited dataset, or what a live target names before it is pulled. */
interface Audited {
  platform: string;
  account: { id: string | null; handle: string | null };
  /** Whether its follower ids are `--redact`'s stand-ins; null when it cannot be told (no ids). */
  redacted: boolean | null;
}

/**
 * Whether a follower list is `pull --redact`'s: every id a stand-in (docs/reports.md "Next actions").
 * Stand-ins are stable, so two redacted lists compare as the originals would; a redacted list and a
 * real one share no id at all.
 */
const redacted = (ids: readonly string[] | null): boolean | null => (ids === null || ids.length === 0 ? null : ids.every(isPseudonym));

/** Refuses an earlier dataset that is not of `audited`'s platform and account, or that cannot be compared with it (exit 2). */
function refuseOther(previous: Previous, audited: Audited, file: string): void {
  const a = previous.account;
  const b = audited.account;
  const before = redacted(previous.followerIds);
  const other =
    previous.platform !== audited.platform
      ? `a ${previous.platform} dataset, the target is ${audited.platform}`
      : a.id !== null && b.id !== null
        ? a.id === b.id
          ? null
          : `account id ${a.id}, the target's is ${b.id}`
        : a.handle !== null && b.handle !== null && a.handle.toLowerCase() !== b.handle.toLowerCase()
          ? `@${a.handle}, the target is @${b.handle}`
          : null;
  if (other !== null) throw new EngageAuditError('USAGE', `--previous ${file} is ${other}: give an earlier dataset of the same account`);
  if (before !== null && audited.redacted !== null && before !== audited.redacted) {
    const which = before ? 'is redacted (pull --redact), the audited dataset is not' : 'is not redacted, the audited dataset is (pull --redact)';
    throw new EngageAuditError('USAGE', `--previous ${file} ${which}: their follower ids cannot be compared; give both redacted or neither`);
  }
}

/**
 * Before a live pull: refuses an earlier dataset of another platform, of another account where the
 * target names it by id (a Bluesky DID; a handle may have been renamed, so handles are compared only
 * once the account is read), or a redacted one (a live pull never is), so that no request is sent
 * for nothing. A target that is a file is checked once read.
 */
export async function refuseBeforePull(previous: Previous, file: string, target: string, platform: string | undefined, cwd: string): Promise<void> {
  if (target === '-' || (await stat(path.resolve(cwd, target)).then(() => true, () => false))) return;
  let account: Target | null;
  try {
    account = parseAccountTarget(target, LIVE_SOURCES.some((s) => s.id === platform) ? platform : undefined);
  } catch {
    return; // the audit says what is wrong with the target
  }
  if (account === null || account.kind === 'stdin' || account.kind === 'path') return;
  const id = account.kind === 'bluesky' && account.actor.startsWith('did:') ? account.actor : null;
  refuseOther(previous, { platform: account.kind, account: { id, handle: null }, redacted: false }, file);
}

/**
 * The earlier dataset's follower list for `dataset`, refusing one of another platform or account, one
 * that cannot be compared with it (redacted and not), or one dated after it.
 */
export function previousFor(previous: Previous, dataset: Dataset, file: string): { followerIds: readonly string[] | null; asOf: string | null } {
  refuseOther(previous, { platform: dataset.platform, account: dataset.account, redacted: redacted(dataset.followerIds) }, file);
  const then = previous.asOf ?? null;
  const now = dataset.asOf ?? null;
  if (then !== null && now !== null && Date.parse(then) > Date.parse(now)) {
    const day = then.slice(0, 10) === now.slice(0, 10) ? (t: string) => t : (t: string) => t.slice(0, 10);
    throw new EngageAuditError('USAGE', `--previous ${file} is of ${day(then)}, after the audited dataset (${day(now)}): give an earlier dataset of the account`);
  }
  return { followerIds: previous.followerIds, asOf: then };
}
