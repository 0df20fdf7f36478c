/** The CLI's window on the world, injected so tests run `main` in process. The only writer of files. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Io {
  stdout: (text: string) => void;
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
  /** Aborted on Ctrl-C: pulls stop and keep what they fetched. */
  signal?: AbortSignal;
}

export async function writeOutput(io: Io, file: string, text: string | Iterable<string>): Promise<void> {
  await writeFile(path.resolve(io.cwd, file), text, 'utf8');
}

export function processIo(): Io {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY) && process.env['TERM'] !== 'dumb',
    // A terminal that reports 0 columns (some pseudo-terminals) would make the spinner redraw forever.
    stderrIsTTY: Boolean(process.stderr.isTTY) && (process.stderr.columns ?? 0) > 0,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    stdin: () => process.stdin,
  };
}
