/**
 * The source registry: what a target on the command line is, and which reader opens it. Detection is
 * by content (zip magic bytes, the `window.YTD` wrapper, JSON), not by extension alone.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';
import { looksLikeZip, openFolder, openZip, sniff } from './container.js';
import { loadXArchive } from './x-archive/index.js';
import { datasetFromSaved, parseSavedDataset } from './saved-dataset.js';

export interface LoadOptions {
  /** Where relative paths start. */
  cwd?: string;
  /** Reads standard input, for the `-` target. */
  stdin?: () => Promise<string>;
}

export const SOURCES = [
  { id: 'x-archive', description: 'X/Twitter account archive: the .zip as downloaded, the extracted folder, or data/tweets.js' },
  { id: 'dataset', description: 'a dataset saved by `engage-audit pull -o FILE` (.json), or `-` for one on standard input' },
] as const;

function looksLikeHandle(target: string): boolean {
  return /^@|^did:|^https?:\/\/|^x:/i.test(target);
}

export async function loadDataset(target: string, options: LoadOptions = {}): Promise<Dataset> {
  if (target === '-') {
    if (!options.stdin) throw new EngageAuditError('USAGE', '`-` reads a dataset from standard input, which is not available here');
    return datasetFromSaved(parseSavedDataset(await options.stdin(), 'standard input'), '-');
  }
  const full = path.resolve(options.cwd ?? process.cwd(), target);
  let info;
  try {
    info = await stat(full);
  } catch {
    if (looksLikeHandle(target)) {
      throw new EngageAuditError('USAGE', `${target}: live pulls from platform APIs are not available in this version`, {
        hint: 'Download the account archive and pass its path.',
      });
    }
    throw new EngageAuditError('TARGET_NOT_FOUND', `${target}: no such file or folder`);
  }
  if (info.isDirectory()) return loadXArchive(await openFolder(full, target), { target });
  if (!info.isFile()) throw new EngageAuditError('UNKNOWN_FORMAT', `${target}: not a file or folder`);
  if (info.size === 0) throw new EngageAuditError('EMPTY_INPUT', `${target}: the file is empty`);

  const head = await sniff(full, 512);
  if (looksLikeZip(head)) return loadXArchive(await openZip(full, target), { target });
  const text = head.toString('latin1').replace(/^\xEF\xBB\xBF/, '').trimStart();
  if (text.startsWith('window.')) {
    const folder = await openFolder(path.dirname(full), path.dirname(target) || '.', false);
    return loadXArchive(folder, { target, onlyTweetFile: path.basename(full) });
  }
  if (text.startsWith('{')) {
    return datasetFromSaved(parseSavedDataset(await readFile(full, 'utf8'), target), target);
  }
  if (head.subarray(0, 2).toString('latin1') === 'PK') {
    throw new EngageAuditError('BAD_ZIP', `${target}: starts like a zip but its header is damaged`);
  }
  throw new EngageAuditError('UNKNOWN_FORMAT', `${target}: not a recognised export (not a zip, an X archive file or a dataset .json)`);
}
