/** The CLI's window on the world, injected so tests run `main` in process. Files are written through safe-write.ts only. */
import path from 'node:path';
import { EngageAuditError } from '../errors.js';
import { OutputFile, type OutputFs } from './safe-write.js';

export interface Io {
  stdout: (text: string) => void;
  /** Bytes to standard output (a workbook piped on); absent where only text is taken. */
  stdoutBytes?: (data: Uint8Array) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stdout is a terminal (colour, width). */
  isTTY: boolean;
  /** stderr is a terminal (progress spinner). */
  stderrIsTTY?: boolean;
  columns?: number;
  /** Standard input, read as a stream (the `-` target). */
  stdin?: () => AsyncIterable<Uint8Array>;
  /** The clock, read only here at the edge. */
  now?: () => Date;
  /**
   * Aborted on SIGINT or SIGTERM (the reason is the signal's name): pulls and reads stop and what was
   * fetched or read is written.
   */
  signal?: AbortSignal;
  /** How output files are written; tests pass one that fails as a full disk does. */
  outputFs?: OutputFs;
}

/** Opens an output file (`flag file`, as `-o report.json`) relative to the working directory. */
export function openOutput(io: Io, flag: string, file: string, what: string): Promise<OutputFile> {
  return OutputFile.open(`${flag} ${file}`, what, path.resolve(io.cwd, file), io.outputFs);
}

export function processIo(signal?: AbortSignal): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stdoutBytes: (data) => void process.stdout.write(data),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY) && process.env['TERM'] !== 'dumb',
    // A terminal that reports 0 columns (some pseudo-terminals) would make the spinner redraw forever.
    stderrIsTTY: Boolean(process.stderr.isTTY) && (process.stderr.columns ?? 0) > 0,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    stdin: () => untilAborted(process.stdin, signal),
    ...(signal ? { signal } : {}),
  };
}

/** Standard input's chunks; a signal ends the wait for an input that never closes. */
async function* untilAborted(stream: NodeJS.ReadStream, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  let cut = signal?.aborted ?? false;
  const stop = (): void => {
    cut = true;
    stream.destroy();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (!cut) for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    if (!cut) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (cut) throw new EngageAuditError('INTERRUPTED', 'standard input: interrupted before the dataset was read');
}
