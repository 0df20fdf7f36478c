/** A zip, read through its central directory: limits held before anything is inflated, entries inflated as streams, never whole. */
import { Transform, type Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { EngageAuditError } from '../../errors.js';
import { byteSize } from '../../lib/format.js';
import type { Container } from './entries.js';
import type { PullEvent } from '../api-common.js';
import { reportBytes } from '../read-progress.js';
import { type ArchiveLimits, bomb, DEFAULT_LIMITS, newerEntryTime } from './limits.js';

function zipError(label: string, error: unknown): EngageAuditError {
  const reason = error instanceof Error ? error.message : String(error);
  return new EngageAuditError('BAD_ZIP', `${label}: not a readable zip (${reason})`, { cause: error });
}

export async function openZip(file: string, label = file, limits: ArchiveLimits = DEFAULT_LIMITS, onEvent?: (event: PullEvent) => void): Promise<Container> {
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
          resolve(verified(reportBytes(raw, entry.compressedSize, name, onEvent), entry, `${label}: ${name}`, zlib));
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

