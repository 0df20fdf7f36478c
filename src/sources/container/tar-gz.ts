/**
 * A `.tar.gz` (older Mastodon archives). It has no directory, so it is read at most twice: once to
 * the end to list its files and hold the archive limits, and once more, in order and only as far as
 * the loader asks, to stream the files it opens. Media are never kept.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import { EngageAuditError } from '../../errors.js';
import { byteSize } from '../../lib/format.js';
import type { Container } from './entries.js';
import { type ArchiveLimits, bomb, DEFAULT_LIMITS, newerEntryTime } from './limits.js';

/** What a `.tar.gz` may unpack to beyond `compressionRatio` times its size: a small archive (headers, short JSON) passes whatever its ratio. */
const TAR_RATIO_FLOOR = 1 << 20;
/** The most a `.tar.gz`'s files other than media may hold, all together. */
const TAR_KEPT_MAX = 2 * 1024 ** 3;
/** Files up to this size are kept from the first read; larger ones are streamed by the second. */
const HOLD_MAX = 1 << 20;

/** A file an audit may read (not media), as a read of the archive meets it; its stream must be read to its end. */
interface TarFile {
  name: string;
  size: number;
  stream: AsyncIterable<Buffer>;
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function drain(stream: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of stream) void chunk;
}

/**
 * Reads the archive from its start, in order, handing each file other than media to `visit` and
 * skipping the others. The archive limits are held as it is read: entries are counted as they are
 * met; the whole stream, skipped entries included (gzip must inflate them to reach the next), may
 * unpack to at most `unpackedBytes` and at most `compressionRatio` times the file's size (beyond a
 * 1 MB floor), each entry checked by the size its header declares before its content is inflated,
 * and the inflated bytes counted as they come; the files other than media may hold at most
 * `keptMax` (2 GB) by their headers. Resolves with the newest entry time; `signal` stops the read.
 */
async function readTarGz(file: string, label: string, limits: ArchiveLimits, keptMax: number, visit: (f: TarFile) => Promise<void>, signal?: AbortSignal): Promise<number | null> {
  const [{ createGunzip }, tar] = await Promise.all([import('node:zlib'), import('tar-stream')]);
  const packed = (await stat(file)).size;
  const keptLimit = Math.min(limits.unpackedBytes, keptMax);
  const ratioLimit = limits.compressionRatio * packed + TAR_RATIO_FLOOR;
  const extract = tar.extract();
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    fail = reject;
    extract.on('finish', resolve);
    signal?.addEventListener('abort', () => resolve(), { once: true });
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
    // An entry's stream holds exactly the bytes its header declares, so the headers bound what is kept.
    kept += size;
    if (kept > keptLimit) return refuse(`unpacks to more than ${byteSize(keptLimit)} of files other than media`);
    visit({ name, size, stream }).then(() => next(), fail);
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
    return madeAt;
  } finally {
    // Refused, failed or stopped part-way: the file is closed, not left open behind a stopped pipe.
    raw.destroy();
    gunzip.destroy();
    if (signal?.aborted) extract.destroy();
  }
}

/**
 * Opens a `.tar.gz`. The first read lists its files, holds the limits (refusing a bomb before the
 * loader sees anything) and keeps the small files; the larger ones are streamed as the loader opens
 * them. `keptMax` is the limit on files other than media (2 GB; smaller only in tests).
 */
export async function openTarGz(file: string, label = file, limits: ArchiveLimits = DEFAULT_LIMITS, keptMax = TAR_KEPT_MAX): Promise<Container> {
  /** Each file's place among the files other than media, the last of a name counting, and its declared size. */
  const order = new Map<string, number>();
  const sizes = new Map<string, number>();
  /** Files at hand: the small ones, and those a later read met before they were asked for. */
  const held = new Map<string, Promise<Buffer>>();
  const opened = new Set<string>();
  let place = 0;
  const madeAt = await readTarGz(file, label, limits, keptMax, async ({ name, size, stream }) => {
    order.set(name, place++);
    sizes.set(name, size);
    held.delete(name);
    if (size <= HOLD_MAX) held.set(name, collect(stream));
    await (held.get(name) ?? drain(stream));
  });
  const missing = (name: string): EngageAuditError => new EngageAuditError('MALFORMED', `${label}: ${name} is listed but missing`);
  const later = () => new LaterRead((visit, signal) => readTarGz(file, label, limits, keptMax, visit, signal), order, held, opened, missing);
  let read: LaterRead | null = null;
  return {
    kind: 'tar.gz',
    label,
    madeAt,
    names: [...order.keys()],
    size: (name) => sizes.get(name) ?? null,
    open: async (name) => {
      const at = order.get(name);
      if (at === undefined) throw missing(name);
      const buf = held.get(name);
      held.delete(name);
      opened.add(name);
      if (buf) return Readable.from([await buf]);
      // A file opened twice, or one the read has passed, takes a read from the start again.
      if (read === null || !read.reaches(at)) {
        read?.stop();
        read = later();
      }
      return read.ask(name);
    },
    close: () => {
      read?.stop();
      held.clear();
    },
  };
}

type Waiter = { resolve: (stream: Readable) => void; reject: (error: unknown) => void };

/**
 * A read of the archive from its start that goes only as far as the loader asks: a file asked for
 * is streamed to it as it is read; a file met on the way that was not asked for yet is held until it
 * is. While nothing is asked, the read waits.
 */
class LaterRead {
  private readonly asked = new Map<string, Waiter>();
  private readonly stopper = new AbortController();
  private wake: () => void = () => undefined;
  /** The file being streamed to the loader. */
  private current: PassThrough | null = null;
  /** The place of the next file this read meets; `Infinity` once it has ended. */
  private place = 0;

  constructor(
    read: (visit: (f: TarFile) => Promise<void>, signal: AbortSignal) => Promise<number | null>,
    private readonly order: ReadonlyMap<string, number>,
    private readonly held: Map<string, Promise<Buffer>>,
    private readonly opened: ReadonlySet<string>,
    private readonly missing: (name: string) => EngageAuditError,
  ) {
    read((f) => this.visit(f), this.stopper.signal).then(
      () => this.end(null),
      (error: unknown) => this.end(error),
    );
  }

  /** Whether this read has yet to meet the file at `at`. */
  reaches(at: number): boolean {
    return this.place <= at;
  }

  ask(name: string): Promise<Readable> {
    return new Promise((resolve, reject) => {
      this.asked.set(name, { resolve, reject });
      this.wake();
    });
  }

  stop(): void {
    this.stopper.abort();
    this.current?.destroy();
    this.wake();
  }

  private async visit({ name, stream }: TarFile): Promise<void> {
    while (this.asked.size === 0 && !this.stopper.signal.aborted) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.stopper.signal.aborted) return;
    const at = this.place++;
    const current = this.order.get(name) === at;
    const waiter = current ? this.asked.get(name) : undefined;
    if (waiter) {
      this.asked.delete(name);
      return this.stream(stream, waiter);
    }
    if (!current || this.opened.has(name) || this.held.has(name)) return drain(stream);
    const content = collect(stream);
    content.catch(() => undefined);
    this.held.set(name, content);
    await content;
  }

  /**
   * Streams a file to the loader at the pace it reads. If the loader asks for another file before
   * this one is read, the rest of this one is buffered so the read can go on; if it stops early, the
   * rest is skipped.
   */
  private async stream(stream: AsyncIterable<Buffer>, waiter: Waiter): Promise<void> {
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    this.current = out;
    waiter.resolve(out);
    for await (const chunk of stream) {
      if (out.destroyed || out.write(chunk) || this.asked.size > 0) continue;
      await new Promise<void>((resolve) => {
        const go = (): void => {
          out.off('drain', go).off('close', go);
          resolve();
        };
        this.wake = go;
        out.on('drain', go).on('close', go);
      });
    }
    out.end();
    this.current = null;
  }

  private end(error: unknown): void {
    this.place = Infinity;
    if (error !== null) this.current?.destroy(error as Error);
    for (const [name, waiter] of this.asked) waiter.reject(error ?? this.missing(name));
    this.asked.clear();
  }
}
