/**
 * The source registry: what a target on the command line is, and which reader opens it. Detection is
 * by content (zip and gzip magic bytes, the CAR header, the `window.YTD` wrapper, JSON shapes, CSV
 * headers, file names inside a container), not by extension alone; `--platform` overrides it.
 */
import { constants as bufferConstants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';
import { byteSize } from '../lib/format.js';
import { type ArchiveLimits, type Container, DEFAULT_LIMITS, looksLikeGzip, looksLikeZip, openFolder, openTarGz, openZip, sniff } from './container/index.js';
import { readCapped } from '../lib/read-capped.js';
import { loadXArchive } from './x-archive/index.js';
import { parseAccountTarget } from './targets.js';
import { DEFAULT_PULL, type PullOptions } from './pull-options.js';
import type { ColumnMap } from './csv/columns.js';

export interface LoadOptions {
  /** Where relative paths start. */
  cwd?: string;
  /** Standard input's bytes, for the `-` target. */
  stdin?: () => AsyncIterable<Uint8Array>;
  /** `--platform`: how to read a handle that could belong to several platforms, or which export a path is. */
  platform?: string | undefined;
  /** Settings of API pulls; defaults as in DESIGN.md. */
  pull?: Partial<PullOptions>;
  /** Keep direct messages of a Mastodon archive. */
  includePrivate?: boolean | undefined;
  /** CSV: the column map (`--columns`) and the follower count (`--followers`). */
  columns?: ColumnMap | undefined;
  followers?: number | undefined;
  /** Limits on untrusted archives (zip bombs); defaults in DEFAULT_LIMITS. */
  limits?: ArchiveLimits | undefined;
}

export const SOURCES = [
  { id: 'bluesky', description: 'Bluesky public API: @name.bsky.social, a domain handle, did:plc:…, https://bsky.app/profile/…' },
  { id: 'mastodon', description: 'Mastodon public API: @user@instance, https://instance/@user (MASTODON_TOKEN optional, sent only to the instance MASTODON_INSTANCE names)' },
  { id: 'x', description: 'X API v2: x:@name, https://x.com/name or --platform x (X_BEARER_TOKEN required)' },
  { id: 'x-archive', description: 'X/Twitter account archive: the .zip as downloaded, the extracted folder, or data/tweets.js' },
  { id: 'mastodon-archive', description: 'Mastodon account archive: .zip, .tar.gz or folder (outbox.json, actor.json, likes.json)' },
  { id: 'bluesky-car', description: 'Bluesky repository export: the .car file' },
  { id: 'linkedin', description: 'LinkedIn data export: .zip or folder (Shares.csv, Comments.csv, Connections.csv …)' },
  { id: 'instagram', description: 'Instagram "Download your information" in JSON: .zip or folder' },
  { id: 'facebook', description: 'Facebook "Download your information" your_posts JSON, or a Meta Business Suite page CSV' },
  { id: 'csv', description: 'any post CSV: --platform csv --columns date=…,likes=…; presets for Meta Business Suite and Sprout Social' },
  { id: 'dataset', description: 'a dataset saved by `engage-audit pull -o FILE` (.json), or `-` for one on standard input' },
] as const;

export const EXPORT_PLATFORMS = ['x', 'bluesky', 'mastodon', 'linkedin', 'instagram', 'facebook', 'csv'] as const;

function pullOptions(options: LoadOptions): PullOptions {
  return { ...DEFAULT_PULL, env: {}, userAgent: 'engage-audit', ...options.pull };
}

/** Pulls an account from a platform's API, or null when the target names no account. */
async function loadAccount(target: string, options: LoadOptions): Promise<Dataset | null> {
  const platform = ['x', 'bluesky', 'mastodon'].includes(options.platform ?? '') ? options.platform : undefined;
  const parsed = parseAccountTarget(target, platform);
  if (parsed === null || parsed.kind === 'path') return null;
  if (parsed.kind === 'stdin') return loadDataset('-', options);
  const pull = pullOptions(options);
  if (parsed.kind === 'bluesky') return (await import('./bluesky/index.js')).pullBluesky(parsed.actor, target, pull);
  if (parsed.kind === 'mastodon') return (await import('./mastodon/index.js')).pullMastodon(parsed.user, parsed.instance, target, pull);
  return (await import('./x-api/index.js')).pullX(parsed.username, target, pull);
}

/** A dataset read from a container: with no date of its own, the newest entry time of a zip or tar.gz dates it. */
async function loadContainer(container: Container, target: string, options: LoadOptions): Promise<Dataset> {
  const dataset = await loadContainerFormat(container, target, options);
  if (dataset.asOf || container.madeAt === undefined || container.madeAt === null) return dataset;
  return { ...dataset, asOf: new Date(container.madeAt).toISOString(), asOfSource: 'entry-times' };
}

/** Which export a folder or archive holds, by the files in it (or as `--platform` says). */
async function loadContainerFormat(container: Container, target: string, options: LoadOptions): Promise<Dataset> {
  const names = container.names;
  const base = (n: string) => n.slice(n.lastIndexOf('/') + 1).toLowerCase();
  const forced = options.platform;
  if (names.length === 0) throw new EngageAuditError('EMPTY_INPUT', `${container.label}: the ${container.kind === 'folder' ? 'folder' : 'archive'} is empty`);
  const isX = names.some((n) => /^tweets?(-part\d+)?\.js$/.test(base(n)) || base(n) === 'manifest.js');
  const isMastodon = names.some((n) => base(n) === 'outbox.json');
  const isLinkedIn = names.some((n) => /^(shares(_\d+)?|connections)\.csv$/.test(base(n)));
  if (forced === 'x' || (!forced && isX)) return loadXArchive(container, { target });
  if (forced === 'mastodon' || (!forced && isMastodon)) {
    return (await import('./mastodon-archive/index.js')).loadMastodonArchive(container, { target, includePrivate: options.includePrivate ?? false });
  }
  if (forced === 'linkedin' || (!forced && isLinkedIn)) return (await import('./linkedin/index.js')).loadLinkedIn(container, { target });
  const { isInstagramExport, loadInstagram } = await import('./instagram/index.js');
  const { FACEBOOK_POSTS, loadFacebookPosts } = await import('./facebook/index.js');
  const isInstagram = isInstagramExport(names);
  const isFacebook = names.some((n) => FACEBOOK_POSTS.test(n));
  if (forced === 'instagram' || (!forced && isInstagram)) return loadInstagram(container, { target });
  if (forced === 'facebook' || (!forced && isFacebook)) return loadFacebookPosts(container, { target });
  throw new EngageAuditError(
    'UNKNOWN_FORMAT',
    `${container.label}: no export found (looked for data/tweets.js, outbox.json, Shares.csv or Connections.csv, Instagram's followers_and_following/, Facebook's your_posts….json)`,
  );
}

/** A saved dataset is read whole, from a file or standard input: it must fit in one string: 512 MB, or the engine's longest string if less. */
export const WHOLE_FILE_LIMIT = Math.min(512 * 1024 * 1024, bufferConstants.MAX_STRING_LENGTH);

/** A dataset past WHOLE_FILE_LIMIT: `size` when known beforehand (a file), else null (standard input, refused once it passed). */
function tooLargeToRead(target: string, size: number | null): EngageAuditError {
  const limit = byteSize(WHOLE_FILE_LIMIT);
  return new EngageAuditError('MALFORMED', `${target}: ${size === null ? `more than ${limit}` : byteSize(size)}, more than a saved dataset can be (${limit})`, {
    hint: 'Give the export it came from instead (exports are streamed and have no such limit), or pull a shorter window (--since, --days).',
  });
}

async function readWhole(full: string, target: string, size: number): Promise<Buffer> {
  if (size > WHOLE_FILE_LIMIT) throw tooLargeToRead(target, size);
  return readFile(full);
}

async function loadCsvFile(full: string, target: string, options: LoadOptions): Promise<Dataset> {
  const name = path.basename(full);
  if (/^(shares(_\d+)?|connections|comments|reactions)\.csv$/i.test(name) && (options.platform === undefined || options.platform === 'linkedin')) {
    const folder = await openFolder(path.dirname(full), path.dirname(target) || '.', false);
    return (await import('./linkedin/index.js')).loadLinkedIn({ ...folder, names: folder.names.filter((n) => n.toLowerCase().endsWith('.csv')) }, { target });
  }
  const csv = await import('./csv/index.js');
  // Read as a stream, row by row: a post CSV has no size limit but its lines' (1 MB).
  return csv.loadCsvPosts(() => createReadStream(full, { highWaterMark: 1 << 20 }), {
    target,
    label: target,
    columns: options.columns,
    followers: options.followers,
    ...(options.platform === 'facebook' || options.platform === 'instagram' ? { platform: options.platform } : {}),
  });
}

/** Opens a dataset from a container, closing the container if that fails (no file handle left open). */
async function closingOnError(container: Container, load: (c: Container) => Promise<Dataset>): Promise<Dataset> {
  try {
    return await load(container);
  } catch (error) {
    container.close();
    throw error;
  }
}

export async function loadDataset(target: string, options: LoadOptions = {}): Promise<Dataset> {
  if (target === '-') {
    if (!options.stdin) throw new EngageAuditError('USAGE', '`-` reads a dataset from standard input, which is not available here');
    const { datasetFromSaved, parseSavedDataset } = await import('./saved-dataset.js');
    // As a file is, but its size is known only once read: reading stops the moment it passes the limit.
    const bytes = await readCapped(options.stdin(), WHOLE_FILE_LIMIT, () => tooLargeToRead('standard input', null));
    return datasetFromSaved(parseSavedDataset(bytes.toString('utf8'), 'standard input'), '-');
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
  if (info.isDirectory()) return closingOnError(await openFolder(full, target), (c) => loadContainer(c, target, options));
  if (!info.isFile()) throw new EngageAuditError('UNKNOWN_FORMAT', `${target}: not a file or folder`);
  if (info.size === 0) throw new EngageAuditError('EMPTY_INPUT', `${target}: the file is empty`);

  const head = await sniff(full, 512);
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (looksLikeZip(head)) return closingOnError(await openZip(full, target, limits), (c) => loadContainer(c, target, options));
  if (looksLikeGzip(head)) {
    return closingOnError(await openTarGz(full, target, limits), (c) => loadContainer(c, target, options));
  }
  const { looksLikeCar, loadBlueskyCar } = await import('./bluesky-car/index.js');
  if (looksLikeCar(head)) return loadBlueskyCar(full, { target, label: target });
  const text = head.toString('latin1').replace(/^\xEF\xBB\xBF|^\xFF\xFE|^\xFE\xFF/, '').trimStart();
  if (text.startsWith('window.')) {
    const folder = await openFolder(path.dirname(full), path.dirname(target) || '.', false);
    return loadXArchive(folder, { target, onlyTweetFile: path.basename(full) });
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    if (/"kind"\s*:\s*"engage-audit-dataset"/.test(text) || (/^\{/.test(text) && path.extname(full) === '.json' && !/orderedItems|OrderedCollection/.test(text) && !/your_posts/i.test(full))) {
      const { datasetFromSaved, parseSavedDataset } = await import('./saved-dataset.js');
      return datasetFromSaved(parseSavedDataset((await readWhole(full, target, info.size)).toString('utf8'), target), target);
    }
    // One file of an extracted export: read its folder as that export.
    const folder = await openFolder(path.dirname(full), path.dirname(target) || '.', false);
    return loadContainer(folder, target, options);
  }
  if (head.subarray(0, 2).toString('latin1') === 'PK') throw new EngageAuditError('BAD_ZIP', `${target}: starts like a zip but its header is damaged`);
  if (/\.(csv|tsv|txt)$/i.test(full) || options.platform === 'csv' || /^[^\n]*,[^\n]*\n/.test(text) || head.includes(0x09)) return loadCsvFile(full, target, options);
  throw new EngageAuditError('UNKNOWN_FORMAT', `${target}: not a recognised export (not a zip, a tar.gz, a CAR, an X archive file, a CSV or a dataset .json)`);
}

