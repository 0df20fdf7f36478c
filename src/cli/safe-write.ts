/**
 * Every file the CLI writes (-o, pull -o, --posts-csv) goes through here. It is written under a
 * hidden temporary name in its own folder, flushed to the disk, and renamed into place only once it
 * is complete: a full disk, an error or an interruption removes the temporary file and leaves any
 * earlier file of that name exactly as it was. An output that is one of the inputs is refused first.
 */
import { unlinkSync } from 'node:fs';
import { chmod, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { EngageAuditError } from '../errors.js';

/** What the writer asks of the file system; tests pass one whose writes fail as a full disk does. */
export interface OutputFs {
  /** `wx`: a new file, which must not exist; `w`: an existing device or pipe, written in place. */
  open(file: string, flags: 'wx' | 'w', mode: number): Promise<OutputHandle>;
}

export interface OutputHandle {
  write(data: Uint8Array): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

const DISK: OutputFs = { open: (file, flags, mode) => open(file, flags, mode) };

/** Temporary files not yet renamed or removed, for a process that must end at once (a second Ctrl-C). */
const pending = new Set<string>();

/** Removes every temporary file still there; synchronous, for signal handlers and `exit`. */
export function removeTempFiles(): void {
  for (const file of pending) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
};

/** `CODE: what it means`, without the temporary name a system message would carry. */
export function writeErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && REASONS[code] !== undefined) return `${code}: ${REASONS[code]}`;
  return code ?? (error instanceof Error ? error.message : String(error));
}

function outputError(label: string, what: string, error: unknown): EngageAuditError {
  return error instanceof EngageAuditError ? error : new EngageAuditError('OUTPUT', `${label}: cannot write ${what} (${writeErrorReason(error)})`, { cause: error });
}

/** Bytes gathered before a write, and bytes in flight past which `drain` asks the producer to wait. */
const CHUNK = 1 << 16;
const HIGH_WATER = 1 << 20;

/** A file being written: `write` text, then `finish` and `commit` (or `discard`). */
export class OutputFile {
  private buffered: Array<string | Uint8Array> = [];
  private size = 0;
  private inFlight = 0;
  private writing: Promise<void> = Promise.resolve();
  private state: 'open' | 'finished' | 'done' = 'open';
  private closed = false;

  private constructor(
    /** How the user named it, as `-o report.json`. */
    private readonly label: string,
    private readonly what: string,
    private readonly final: string,
    /** Null when written in place (a device or a pipe such as /dev/null). */
    private readonly temp: string | null,
    private readonly handle: OutputHandle,
  ) {}

  /**
   * Opens `file` for writing: a new temporary file beside it, with the mode of the file it will
   * replace. `label` names it in errors (`-o report.json`), `what` says what it holds (`the report`).
   */
  static async open(label: string, what: string, file: string, fs: OutputFs = DISK): Promise<OutputFile> {
    let existing: Stats | null = null;
    try {
      existing = await stat(file);
    } catch {
      // a new file
    }
    if (existing?.isDirectory()) throw outputError(label, what, Object.assign(new Error('a folder'), { code: 'EISDIR' }));
    try {
      if (existing !== null && !existing.isFile()) return new OutputFile(label, what, file, null, await fs.open(file, 'w', 0o666));
      // A link is followed: the file it points to is replaced, and the link stays.
      const final = existing === null ? file : await realpath(file);
      // node:crypto loads only when a file is written, not for every command's start-up.
      const { randomBytes } = await import('node:crypto');
      const temp = path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      pending.add(temp); // before it exists: a second signal during the open still removes it
      const handle = await fs.open(temp, 'wx', 0o666).catch((error: unknown) => {
        pending.delete(temp);
        throw error;
      });
      const out = new OutputFile(label, what, final, temp, handle);
      if (existing !== null) await chmod(temp, existing.mode & 0o7777).catch(async (error: unknown) => {
        await out.discard();
        throw error;
      });
      return out;
    } catch (error) {
      throw outputError(label, what, error);
    }
  }

  private fail(error: unknown): EngageAuditError {
    return outputError(this.label, this.what, error);
  }

  /** Adds text (or bytes); it reaches the file in chunks. A failure shows in `drain`, `finish` or `commit`. */
  write(text: string | Uint8Array): void {
    if (this.state !== 'open') throw new Error(`${this.label}: written after it was finished`);
    this.buffered.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  private flush(): void {
    if (this.size === 0) return;
    const data = Buffer.concat(this.buffered.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
    this.buffered = [];
    this.size = 0;
    this.inFlight += data.length;
    const next = this.writing.then(async () => {
      for (let at = 0; at < data.length; ) at += (await this.handle.write(data.subarray(at))).bytesWritten;
      this.inFlight -= data.length;
    });
    next.catch(() => undefined); // the failure is met by whoever waits next
    this.writing = next;
  }

  /** A promise to wait for while much is waiting to be written (it rejects if writing failed), else undefined. */
  drain(): Promise<void> | undefined {
    return this.inFlight > HIGH_WATER ? this.writing.catch((error: unknown) => Promise.reject(this.fail(error))) : undefined;
  }

  /** Writes the rest and flushes it to the disk; the file keeps its temporary name until `commit`. */
  async finish(): Promise<void> {
    if (this.state !== 'open') return;
    this.flush();
    this.state = 'finished';
    try {
      await this.writing;
      if (this.temp !== null) await this.handle.sync();
      this.closed = true;
      await this.handle.close();
    } catch (error) {
      await this.discard();
      throw this.fail(error);
    }
  }

  /** Finishes the file and renames it into place. */
  async commit(): Promise<void> {
    await this.finish();
    if (this.state === 'done') return;
    this.state = 'done';
    if (this.temp === null) return;
    try {
      await rename(this.temp, this.final);
      pending.delete(this.temp);
    } catch (error) {
      await this.remove();
      throw this.fail(error);
    }
  }

  /** Closes and removes the temporary file: an earlier file of that name stays as it was. Never throws. */
  async discard(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'done';
    await this.writing.catch(() => undefined);
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    await this.remove();
  }

  private async remove(): Promise<void> {
    if (this.temp === null) return;
    await unlink(this.temp).catch(() => undefined);
    pending.delete(this.temp);
  }
}

/** A file the run reads or writes, as the user named it (`-o report.json`, `--config rc.json`, `x.zip`). */
export interface NamedPath {
  /** The option, or '' for a target. */
  flag: string;
  file: string;
}

const named = (p: NamedPath): string => (p.flag ? `${p.flag} ${p.file}` : p.file);

/** The real path of `full`: its nearest existing folder resolved (links and all), the rest as written. */
async function canonical(full: string): Promise<string> {
  const rest: string[] = [];
  for (let at = full; ; at = path.dirname(at)) {
    try {
      return path.join(await realpath(at), ...rest.reverse());
    } catch {
      if (path.dirname(at) === at) return full;
      rest.push(path.basename(at));
    }
  }
}

/**
 * Refuses (exit 2), before anything is read or written, an output that is one of the inputs (the
 * same file by device and inode, so links and `./x` are caught), that lies inside an input folder,
 * or that is another output. Inputs that are not paths (accounts, `-`) are left out.
 */
export async function refuseOverlaps(outputs: readonly NamedPath[], inputs: readonly NamedPath[], cwd: string): Promise<void> {
  const known = async (p: NamedPath) => {
    const full = path.resolve(cwd, p.file);
    const info = await stat(full).catch(() => null);
    return { p, info, real: await canonical(full) };
  };
  const ins = await Promise.all(inputs.filter((p) => p.file !== '-').map(known));
  const outs = await Promise.all(outputs.map(known));
  const same = (a: Stats | null, b: Stats | null): boolean => a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
  const refuse = (message: string): EngageAuditError =>
    new EngageAuditError('USAGE', message, { hint: 'Write the output to another file, outside the folders the run reads.' });
  for (const [k, out] of outs.entries()) {
    for (const input of ins) {
      if (input.info === null) continue;
      if (input.info.isDirectory()) {
        if (same(out.info, input.info) || out.real.startsWith(input.real + path.sep)) {
          throw refuse(`${named(out.p)} is inside the input folder ${named(input.p)}: the run would write into what it reads`);
        }
      } else if (same(out.info, input.info)) {
        throw refuse(`${named(out.p)} is the input ${named(input.p)}: writing it would destroy the input`);
      }
    }
    for (const other of outs.slice(k + 1)) {
      if (out.real === other.real || same(out.info, other.info)) throw refuse(`${named(out.p)} and ${named(other.p)} are the same file`);
    }
  }
}
