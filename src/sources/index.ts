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
import { parseAccountTarget } from './targets.js';
import { DEFAULT_PULL, type PullOptions } from './api-common.js';

export interface LoadOptions {
  /** Where relative paths start. */
  cwd?: string;
  /** Reads standard input, for the `-` target. */
  stdin?: () => Promise<string>;
  /** `--platform`: how to read a handle that could belong to several platforms. */
  platform?: string | undefined;
  /** Settings of API pulls; defaults as in DESIGN.md. */
  pull?: Partial<PullOptions>;
}

export const SOURCES = [
  { id: 'x-archive', description: 'X/Twitter account archive: the .zip as downloaded, the extracted folder, or data/tweets.js' },
  { id: 'dataset', description: 'a dataset saved by `engage-audit pull -o FILE` (.json), or `-` for one on standard input' },
  { id: 'bluesky', description: 'Bluesky public API: @name.bsky.social, a domain handle, did:plc:…, https://bsky.app/profile/…' },
  { id: 'mastodon', description: 'Mastodon public API: @user@instance, https://instance/@user (MASTODON_TOKEN optional)' },
  { id: 'x', description: 'X API v2: x:@name, https://x.com/name or --platform x (X_BEARER_TOKEN required)' },
] as const;

function pullOptions(options: LoadOptions): PullOptions {
  return {
    ...DEFAULT_PULL,
    env: {},
    userAgent: 'engage-audit',
    ...options.pull,
  };
}

/** Pulls an account from a platform's API, or null when the target names no account. */
async function loadAccount(target: string, options: LoadOptions): Promise<Dataset | null> {
  const parsed = parseAccountTarget(target, options.platform);
  if (parsed === null || parsed.kind === 'path') return null;
  if (parsed.kind === 'stdin') return loadDataset('-', options);
  const pull = pullOptions(options);
  if (parsed.kind === 'bluesky') return (await import('./bluesky/index.js')).pullBluesky(parsed.actor, target, pull);
  if (parsed.kind === 'mastodon') return (await import('./mastodon/index.js')).pullMastodon(parsed.user, parsed.instance, target, pull);
  return (await import('./x-api/index.js')).pullX(parsed.username, target, pull);
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
    const pulled = await loadAccount(target, options);
    if (pulled) return pulled;
    throw new EngageAuditError('TARGET_NOT_FOUND', `${target}: no such file or folder, and not an account handle`);
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
