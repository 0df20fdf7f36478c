/** The container contract and the helpers loaders read entries with. */
import type { Readable } from 'node:stream';
import { EngageAuditError } from '../../errors.js';
import { readCapped } from '../../lib/read-capped.js';
import type { ArchiveLimits } from './limits.js';

/**
 * A uniform view of an export as given: a zip (read through its central directory, entries inflated
 * as streams, never whole), an extracted folder, a `.tar.gz`, or a single file with its folder beside it.
 */
export interface Container {
  kind: 'zip' | 'folder' | 'tar.gz';
  /** The path the user gave, for messages. */
  label: string;
  /** Entry names with `/` separators, relative to the container root. */
  names: readonly string[];
  size(name: string): number | null;
  open(name: string): Promise<Readable>;
  close(): void;
  /** How another thread opens the same container (zips and folders on disk only). */
  reopen?: ReopenSpec;
  /**
   * The newest entry time recorded inside a zip or tar.gz (epoch ms), null when none is usable.
   * A folder has none: the modification times of extracted files change on copy.
   */
  madeAt?: number | null;
}

export type ReopenSpec =
  | { kind: 'zip'; file: string; label: string; limits: ArchiveLimits }
  | { kind: 'folder'; dir: string; label: string; recursive: boolean };

/**
 * A file of a zip that does not parse may be a damaged zip rather than a bad export: the entry's
 * CRC-32 is only known at its end, after the parser has stopped. When `error` is a parse error (or
 * a cut-off file) in a zip entry, the entry is read again to its end; if that fails the zip's own
 * checks, the zip's error is the one to report, else `error` stands.
 */
export async function zipDamageOr(container: Container, name: string, error: unknown): Promise<unknown> {
  if (container.kind !== 'zip' || container.reopen === undefined || !(error instanceof EngageAuditError)) return error;
  if (error.code !== 'MALFORMED' && error.code !== 'TRUNCATED') return error;
  try {
    const stream = await container.open(name);
    for await (const chunk of stream as AsyncIterable<Buffer>) void chunk;
  } catch (damage) {
    if (damage instanceof EngageAuditError && damage.code === 'BAD_ZIP') return damage;
  }
  return error;
}

/**
 * The items `read` makes of one entry's stream (records of it, say), the stream closed at the end
 * or when the consumer stops. A read error in a zip entry goes through `zipDamageOr`.
 */
export async function* readEntry<T>(container: Container, name: string, read: (stream: AsyncIterable<Buffer>) => AsyncIterable<T>): AsyncGenerator<T> {
  const stream = await container.open(name);
  try {
    yield* read(stream as AsyncIterable<Buffer>);
  } catch (error) {
    stream.destroy();
    throw await zipDamageOr(container, name, error);
  } finally {
    stream.destroy();
  }
}

/** Reads a small entry (a manifest, an account file) whole. */
export async function readSmall(container: Container, name: string, limit = 64 << 20): Promise<Buffer> {
  const stream = await container.open(name);
  const tooLarge = (): EngageAuditError => {
    stream.destroy();
    return new EngageAuditError('MALFORMED', `${container.label}: ${name} is larger than ${limit} bytes, too large for its kind`);
  };
  // The size a folder, a zip or a tar.gz declares is known once the entry is open: refused before a byte is
  // read. What a zip declares is also checked as the bytes pass (verified), and so is the count here.
  const declared = container.size(name);
  if (declared !== null && declared > limit) throw tooLarge();
  return readCapped(stream as AsyncIterable<Buffer>, limit, tooLarge);
}

/** The entry whose base name is `base` (case-insensitive), the shallowest first. */
export function findEntry(container: Container, base: string | RegExp): string | undefined {
  const test = typeof base === 'string' ? (n: string) => n.toLowerCase() === base.toLowerCase() : (n: string) => base.test(n);
  return container.names
    .filter((n) => test(n.slice(n.lastIndexOf('/') + 1)))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0];
}

export function findEntries(container: Container, base: RegExp): string[] {
  return container.names.filter((n) => base.test(n.slice(n.lastIndexOf('/') + 1))).sort();
}

/** A small JSON entry, parsed; errors name the file. */
export async function readJsonEntry(container: Container, name: string, limit?: number): Promise<unknown> {
  const buf = await readSmall(container, name, limit);
  try {
    return JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new EngageAuditError('MALFORMED', `${container.label}: ${name} is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * The account's name from a file an export may hold (LinkedIn's Profile.csv, Facebook's
 * profile_information.json): a file that cannot be read leaves the account unnamed with a warning,
 * since the audit does not need it.
 */
export async function accountNameOf(read: () => Promise<string | null>, warnings: string[]): Promise<string | null> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof EngageAuditError) || error.code !== 'MALFORMED') throw error;
    warnings.push(`${error.message} (so the account is unnamed)`);
    return null;
  }
}
