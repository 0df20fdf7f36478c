/**
 * Loading a target: what it is (an account, a folder, an archive, a file), and which source of the
 * registry (registry.ts) reads it. Detection is by content (zip and gzip magic bytes, the CAR header,
 * the `window.YTD` wrapper, JSON shapes, CSV headers, file names inside a container), not by extension
 * alone; `--platform` overrides it.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';
import { type Container, DEFAULT_LIMITS, looksLikeGzip, looksLikeZip, openFolder, openTarGz, openZip, sniff } from './container/index.js';
import { type LoadOptions, parentFolder, type Probe } from './contract.js';
import { readStdinDataset } from './dataset/source.js';
import { DEFAULT_PULL } from './pull-options.js';
import { EXPORT_SOURCES, LIVE_SOURCES } from './registry.js';
import { parseAccountTarget } from './targets.js';

export type { LoadOptions } from './contract.js';
export { WHOLE_FILE_LIMIT } from './dataset/source.js';
export { SOURCES } from './registry.js';

/** Pulls an account from a platform's API, or null when the target names no account. */
async function loadAccount(target: string, options: LoadOptions): Promise<Dataset | null> {
  const platform = LIVE_SOURCES.some((s) => s.id === options.platform) ? options.platform : undefined;
  if (parseAccountTarget(target, platform)?.kind === 'stdin') return loadDataset('-', options);
  for (const source of LIVE_SOURCES) {
    const account = source.parseTarget(target, platform);
    if (account) return source.pull(account, target, { ...DEFAULT_PULL, env: {}, userAgent: 'engage-audit', ...options.pull });
  }
  return null;
}

/** The first source that reads the probe: the one `--platform` names for a container, else the first that detects it. */
async function sourceFor(probe: Probe, options: LoadOptions) {
  const forced = probe.kind === 'container' ? options.platform : undefined;
  for (const source of EXPORT_SOURCES) {
    if (!source.reads.includes(probe.kind)) continue;
    if (forced === undefined ? await source.detect(probe, options) : source.platforms.includes(forced)) return source;
  }
  return null;
}

/** A dataset read from a container: with no date of its own, the newest entry time of a zip or tar.gz dates it. */
async function loadContainer(container: Container, target: string, options: LoadOptions): Promise<Dataset> {
  const probe: Probe = { kind: 'container', container, target };
  if (container.names.length === 0) throw new EngageAuditError('EMPTY_INPUT', `${container.label}: the ${container.kind === 'folder' ? 'folder' : 'archive'} is empty`);
  const source = await sourceFor(probe, options);
  if (!source) {
    throw new EngageAuditError(
      'UNKNOWN_FORMAT',
      `${container.label}: no export found (looked for data/tweets.js, outbox.json, Shares.csv or Connections.csv, Instagram's followers_and_following/, Facebook's your_posts….json)`,
    );
  }
  const dataset = await source.load(probe, options);
  if (dataset.asOf || container.madeAt === undefined || container.madeAt === null) return dataset;
  return { ...dataset, asOf: new Date(container.madeAt).toISOString(), asOfSource: 'entry-times' };
}

/** Opens a dataset from a container, closing the container if that fails (no file handle left open). */
async function closingOnError(open: Promise<Container>, target: string, options: LoadOptions): Promise<Dataset> {
  const container = await open;
  try {
    return await loadContainer(container, target, options);
  } catch (error) {
    container.close();
    throw error;
  }
}

export async function loadDataset(target: string, options: LoadOptions = {}): Promise<Dataset> {
  if (target === '-') {
    if (!options.stdin) throw new EngageAuditError('USAGE', '`-` reads a dataset from standard input, which is not available here');
    return readStdinDataset(options.stdin);
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
  // A file's followers are what it holds: --audience reads live accounts only (a note, not an error, so a list of targets may mix both).
  if (options.pull?.audience) options.pull.onEvent?.({ type: 'note', message: `--audience reads live accounts only: ${target} is a file, so it adds nothing to it.` });
  if (info.isDirectory()) return closingOnError(openFolder(full, target), target, options);
  if (!info.isFile()) throw new EngageAuditError('UNKNOWN_FORMAT', `${target}: not a file or folder`);
  if (info.size === 0) throw new EngageAuditError('EMPTY_INPUT', `${target}: the file is empty`);

  const head = await sniff(full, 512);
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (looksLikeZip(head)) return closingOnError(openZip(full, target, limits, options.pull?.onEvent), target, options);
  if (looksLikeGzip(head)) return closingOnError(openTarGz(full, target, limits), target, options);
  if (head.subarray(0, 2).toString('latin1') === 'PK') throw new EngageAuditError('BAD_ZIP', `${target}: starts like a zip but its header is damaged`);
  const text = head.toString('latin1').replace(/^\xEF\xBB\xBF|^\xFF\xFE|^\xFE\xFF/, '').trimStart();
  const probe: Probe = { kind: 'file', file: full, target, head, text, size: info.size, json: text.startsWith('{') || text.startsWith('[') };
  const source = await sourceFor(probe, options);
  if (source) return source.load(probe, options);
  // One file of an extracted export: read its folder as that export.
  if (probe.json) return loadContainer(await parentFolder(full, target), target, options);
  throw new EngageAuditError('UNKNOWN_FORMAT', `${target}: not a recognised export (not a zip, a tar.gz, a CAR, an X archive file, a CSV or a dataset .json)`);
}
