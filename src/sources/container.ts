/**
 * A uniform view of an export as given: a zip (read through its central directory, entries inflated
 * as streams, never whole), an extracted folder, or a single file with its folder beside it.
 */
import { readCapped } from '../lib/read-capped.js';
import { createReadStream } from 'node:fs';
import { open as openFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { EngageAuditError } from '../errors.js';
import { byteSize } from '../lib/format.js';

export interface Container {
  kind: 'zip' | 'folder';
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

/** DOS times start in 1980: an entry at or before its first day records no time (some tools write zeros). */
const FIRST_ENTRY_TIME = Date.UTC(1980, 0, 2);

/** Keeps the newest usable entry time. */
function newerEntryTime(newest: number | null, time: number): number | null {
  if (!Number.isFinite(time) || time < FIRST_ENTRY_TIME) return newest;
  return newest === null || time > newest ? time : newest;
}

export type ReopenSpec =
  | { kind: 'zip'; file: string; label: string; limits: ArchiveLimits }
  | { kind: 'folder'; dir: string; label: string; recursive: boolean };

/** Opens the container a spec describes, on whichever thread calls it. */
export function reopenContainer(spec: ReopenSpec): Promise<Container> {
  return spec.kind === 'zip' ? openZip(spec.file, spec.label, spec.limits) : openFolder(spec.dir, spec.label, spec.recursive);
}

const ZIP_MAGIC = [0x50, 0x4b];

export async function sniff(file: string, bytes = 64): Promise<Buffer> {
  const handle = await openFile(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head[0] === ZIP_MAGIC[0] && head[1] === ZIP_MAGIC[1] && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
}

function zipError(label: string, error: unknown): EngageAuditError {
  const reason = error instanceof Error ? error.message : String(error);
  return new EngageAuditError('BAD_ZIP', `${label}: not a readable zip (${reason})`, { cause: error });
}

/**
 * Limits on untrusted archives (SECURITY.md). The defaults are generous for a real 1 GB X archive
 * with its media; a zip bomb or a hostile archive stops quickly with exit 3, before anything is
 * inflated. The config file's `limits` changes them.
 */
export interface ArchiveLimits {
  /** Entries in one zip. */
  entries: number;
  /** Bytes once unpacked, all entries together (as the central directory declares them). */
  unpackedBytes: number;
  /** Unpacked ÷ packed size of one entry above 1 MB (text deflates 5–20×, a bomb 1000× and more). */
  compressionRatio: number;
}

const BOMB_HINT = 'If the archive is genuine, raise the limit in the config file (limits).';

function bomb(label: string, why: string, kind: 'zip' | 'archive'): EngageAuditError {
  return new EngageAuditError('BAD_ZIP', `${label}: ${why}: refused as a possible ${kind} bomb (limits in SECURITY.md)`, { hint: BOMB_HINT });
}

export const DEFAULT_LIMITS: ArchiveLimits = { entries: 500_000, unpackedBytes: 64 * 1024 ** 3, compressionRatio: 200 };

export async function openZip(file: string, label = file, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<Container> {
  // Loaded here, not at the top: a folder (and its reader thread) has no use for them.
  const [{ default: zipReader }, zlib] = await Promise.all([import('yauzl'), import('node:zlib')]);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    zipReader.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, z) =>
      err || !z ? reject(zipError(label, err)) : resolve(z),
    );
  });
  const entries = new Map<string, yauzl.Entry>();
  let madeAt: number | null = null;
  let unpacked = 0;
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const refuse = (why: string): void => {
      zip.close();
      reject(bomb(label, why, 'zip'));
    };
    zip.on('entry', (entry: yauzl.Entry) => {
      count++;
      unpacked += entry.uncompressedSize;
      if (count > limits.entries) return refuse(`more than ${limits.entries} entries`);
      if (unpacked > limits.unpackedBytes) return refuse(`more than ${byteSize(limits.unpackedBytes)} once unpacked`);
      if (entry.uncompressedSize > 1 << 20 && entry.uncompressedSize > limits.compressionRatio * Math.max(1, entry.compressedSize)) {
        return refuse(`${entry.fileName} would unpack ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))} times its size`);
      }
      // A DOS time has no zone: read as UTC, it is at most a day off (an extended timestamp is UTC).
      madeAt = newerEntryTime(madeAt, (entry.getLastModDate as (o: { timezone: 'UTC' }) => Date).call(entry, { timezone: 'UTC' }).getTime());
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName.replace(/\\/g, '/'), entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err) => {
      zip.close();
      reject(zipError(label, err));
    });
    zip.readEntry();
  });
  return {
    kind: 'zip',
    label,
    madeAt,
    names: [...entries.keys()],
    size: (name) => entries.get(name)?.uncompressedSize ?? null,
    open: (name) =>
      new Promise<Readable>((resolve, reject) => {
        const entry = entries.get(name);
        if (!entry) return reject(new EngageAuditError('MALFORMED', `${label}: ${name} is listed but missing`));
        // The raw bytes, inflated here with large chunks (fewer callbacks on the main thread) and
        // checked against the entry's CRC-32 and size: yauzl does not check the CRC, and a flipped
        // bit must not pass for data.
        const method = entry.compressionMethod;
        if (method !== 0 && method !== 8) {
          return reject(new EngageAuditError('BAD_ZIP', `${label}: ${name}: compression method ${method} is not supported (only stored and deflated)`));
        }
        // yauzl takes `decompress: false` only for deflated entries; stored ones come raw anyway.
        const options = method === 0 ? {} : { decompress: false };
        zip.openReadStream(entry, options as yauzl.ZipFileOptions, (err, raw) => {
          if (err || !raw) return reject(zipError(`${label}: ${name}`, err));
          resolve(verified(raw, entry, `${label}: ${name}`, zlib));
        });
      }),
    close: () => zip.close(),
    reopen: { kind: 'zip', file, label, limits },
  };
}

const INFLATE_CHUNK = 1 << 20;

/** Inflates (when deflated) and checks size and CRC-32 as the bytes pass; a mismatch is BAD_ZIP. */
function verified(raw: Readable, entry: yauzl.Entry, where: string, { crc32, createInflateRaw }: typeof import('node:zlib')): Readable {
  const method = entry.compressionMethod;
  let crc = 0;
  let size = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > entry.uncompressedSize) return done(new EngageAuditError('BAD_ZIP', `${where}: holds more data than its zip entry says (a damaged or hostile zip)`));
      done(null, chunk);
    },
    flush(done) {
      if (size !== entry.uncompressedSize) return done(new EngageAuditError('BAD_ZIP', `${where}: ends after ${size} of ${entry.uncompressedSize} bytes: the zip is damaged`));
      if (crc >>> 0 !== entry.crc32 >>> 0) return done(new EngageAuditError('BAD_ZIP', `${where}: its checksum (CRC-32) does not match: the zip is damaged`));
      done();
    },
  });
  // A consumer that stops early destroys `check`; the streams behind it (and the zip's file reads)
  // go with it.
  check.on('close', () => raw.destroy());
  const fail = (error: Error): void => {
    check.destroy(error instanceof EngageAuditError ? error : new EngageAuditError('BAD_ZIP', `${where}: could not be inflated (${error.message}): the zip is damaged`));
  };
  raw.on('error', fail);
  if (method === 0) return raw.pipe(check);
  const inflate = createInflateRaw({ chunkSize: INFLATE_CHUNK });
  inflate.on('error', fail);
  check.on('close', () => inflate.destroy());
  return raw.pipe(inflate).pipe(check);
}

/** Lists files below a folder (media folders are skipped: they hold nothing the audit reads). */
export async function openFolder(dir: string, label = dir, recursive = true): Promise<Container> {
  const names: string[] = [];
  const sizes = new Map<string, number>();
  async function walk(rel: string, depth: number): Promise<void> {
    if (depth > 6) return;
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!recursive || /media$/i.test(e.name) || e.name === 'node_modules' || e.name.startsWith('.')) continue;
        await walk(name, depth + 1);
      } else if (e.isFile()) {
        names.push(name);
      }
    }
  }
  await walk('', 0);
  return {
    kind: 'folder',
    label,
    names,
    size: (name) => sizes.get(name) ?? null,
    open: async (name) => {
      const full = path.join(dir, name);
      const s = await stat(full);
      sizes.set(name, s.size);
      return createReadStream(full, { highWaterMark: 1 << 20 });
    },
    close: () => undefined,
    reopen: { kind: 'folder', dir, label, recursive },
  };
}

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
  // The size a folder or a zip declares is known once the entry is open: refused before a byte is
  // read. What a zip declares is also checked as the bytes pass (verified), and so is the count here.
  const declared = container.size(name);
  if (declared !== null && declared > limit) throw tooLarge();
  return readCapped(stream as AsyncIterable<Buffer>, limit, tooLarge);
}

export function looksLikeGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** What a `.tar.gz` may unpack to beyond `compressionRatio` times its size: a small archive (headers, short JSON) passes whatever its ratio. */
const TAR_RATIO_FLOOR = 1 << 20;
/** The most a `.tar.gz`'s kept files (all but media) may hold in memory. */
const TAR_KEPT_MAX = 2 * 1024 ** 3;

/**
 * A `.tar.gz` (older Mastodon archives): read once, in order, keeping the files an audit reads (not
 * media) in memory and skipping the others unkept. It has no directory to check beforehand, so the
 * archive limits are held as it is read: entries are counted as they are met; the whole stream,
 * skipped entries included (gzip must inflate them to reach the next), may unpack to at most
 * `unpackedBytes` and at most `compressionRatio` times the file's size (beyond a 1 MB floor), each
 * entry checked by the size its header declares before its content is inflated, and the inflated
 * bytes counted as they come; the files kept may hold at most 2 GB. Mastodon writes the media first
 * and actor.json last, so the stream is always read to its end.
 */
export async function openTarGz(file: string, label = file, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<Container> {
  const packed = (await stat(file)).size;
  const keptLimit = Math.min(limits.unpackedBytes, TAR_KEPT_MAX);
  const ratioLimit = limits.compressionRatio * packed + TAR_RATIO_FLOOR;
  const { createGunzip } = await import('node:zlib');
  const tar = await import('tar-stream');
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    fail = reject;
    extract.on('finish', resolve);
  });
  extract.on('error', (err: Error) => fail(new EngageAuditError('BAD_ZIP', `${label}: not a readable .tar.gz (${err.message})`)));
  const refuse = (why: string): void => {
    fail(bomb(label, why, 'archive'));
    extract.destroy();
  };
  /** Whether `size` bytes unpacked from the whole stream break a limit; if so the archive is refused and reading stops. */
  const overLimit = (size: number): boolean => {
    if (size > limits.unpackedBytes) refuse(`unpacks to more than ${byteSize(limits.unpackedBytes)}`);
    else if (size > ratioLimit) refuse(`unpacks to more than ${limits.compressionRatio} times its size`);
    else return false;
    return true;
  };
  const tooMuchKept = (bytes: number): boolean => {
    if (bytes <= keptLimit) return false;
    refuse(`unpacks to more than ${byteSize(keptLimit)} of files other than media`);
    return true;
  };
  let entries = 0;
  /** Where the entries met so far end in the unpacked stream, by the sizes their headers declare. */
  let declared = 0;
  let kept = 0;
  let madeAt: number | null = null;
  extract.on('entry', (header, stream, next) => {
    entries++;
    if (header.mtime) madeAt = newerEntryTime(madeAt, header.mtime.getTime());
    if (entries > limits.entries) return refuse(`more than ${limits.entries} entries`);
    // The size its header declares: a bomb is refused before its content is inflated.
    const size = typeof header.size === 'number' ? header.size : 0;
    declared += 512 + Math.ceil(size / 512) * 512;
    if (overLimit(declared)) return;
    const name = header.name.replace(/^\.\//, '');
    const keep = header.type === 'file' && !/(^|\/)media_attachments\//.test(name) && !/\.(jpe?g|png|gif|webp|mp4|webm|mp3|ogg)$/i.test(name);
    stream.on('error', fail);
    if (!keep) {
      stream.on('end', next);
      stream.resume();
      return;
    }
    if (tooMuchKept(kept + size)) return;
    const chunks: Buffer[] = [];
    // The bytes are counted too, in case the header says less than follows.
    stream.on('data', (c: Buffer) => {
      kept += c.length;
      if (tooMuchKept(kept)) stream.destroy();
      else chunks.push(c);
    });
    stream.on('end', () => {
      files.set(name, Buffer.concat(chunks));
      next();
    });
  });
  const gunzip = createGunzip();
  // Every byte gzip gives counts, whether the entry it belongs to is kept or skipped.
  let inflated = 0;
  gunzip.on('data', (c: Buffer) => {
    inflated += c.length;
    overLimit(inflated);
  });
  gunzip.on('error', (err) => extract.destroy(new EngageAuditError('BAD_ZIP', `${label}: not a readable .tar.gz (${err.message})`)));
  const raw = createReadStream(file);
  raw.pipe(gunzip).pipe(extract);
  try {
    await done;
  } finally {
    // Refused or failed part-way: the file is closed, not left open behind a stopped pipe.
    raw.destroy();
    gunzip.destroy();
  }
  const { Readable } = await import('node:stream');
  return {
    kind: 'zip',
    label,
    madeAt,
    names: [...files.keys()],
    size: (name) => files.get(name)?.length ?? null,
    open: async (name) => {
      const buf = files.get(name);
      if (!buf) throw new EngageAuditError('MALFORMED', `${label}: ${name} is listed but missing`);
      return Readable.from([buf]);
    },
    close: () => files.clear(),
  };
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
