/**
 * Reading a large X archive on two threads: a reader thread (reader-worker.ts) inflates and checks
 * the tweets files and keeps the selected parts of each record as tokens; the main thread builds
 * posts from the tokens and folds them into the metrics. Only compact token buffers cross, moved
 * rather than copied, and at most `AHEAD` of them are in flight, so memory stays flat.
 *
 * Used for tweets files of 32 MB and more when the machine has a second core and the archive is a
 * zip or folder on disk; ENGAGE_AUDIT_READER_THREAD=never|always overrides the choice.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngageAuditError, type ErrorCode } from '../../errors.js';
import type { Container, ReopenSpec } from '../container.js';

export type ReaderMessage =
  | { type: 'batch'; file: number; tokens: Uint8Array; count: number }
  | { type: 'done' }
  | { type: 'error'; code: ErrorCode; message: string; hint: string }
  | { type: 'crash'; message: string };

const AHEAD = 4;
const THRESHOLD = 32 << 20;
/** Built code only: the worker is a compiled .js file beside this one. */
const WORKER = import.meta.url.endsWith('.js') ? new URL('./reader-worker.js', import.meta.url) : null;

/** Whether to read these tweets files on a reader thread (see the file comment). */
export async function useReaderThread(container: Container, files: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const setting = env['ENGAGE_AUDIT_READER_THREAD'];
  if (WORKER === null || container.reopen === undefined || setting === 'never') return false;
  if (setting === 'always') return true;
  if (availableParallelism() < 2) return false;
  let total = 0;
  for (const name of files) {
    let size = container.size(name);
    if (size === null && container.reopen.kind === 'folder') size = (await stat(path.join(container.reopen.dir, name)).catch(() => null))?.size ?? null;
    total += size ?? 0;
  }
  return total >= THRESHOLD;
}

/** The token batches of `files`, in order, read on a reader thread. */
export async function* readOnThread(spec: ReopenSpec, files: readonly string[]): AsyncGenerator<{ file: number; tokens: Uint8Array; count: number }> {
  const worker = new Worker(WORKER!, { workerData: { spec, files, ahead: AHEAD } });
  const queue: ReaderMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let notify: (() => void) | null = null;
  const poke = (): void => {
    notify?.();
    notify = null;
  };
  worker.on('message', (m: ReaderMessage) => {
    queue.push(m);
    poke();
  });
  worker.on('error', (error: Error) => {
    failure = error;
    poke();
  });
  worker.on('exit', () => {
    exited = true;
    poke();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (m === undefined) {
        if (failure !== null) throw failure;
        if (exited) throw new Error('the archive reader thread stopped without a word');
        await new Promise<void>((resolve) => (notify = resolve));
        continue;
      }
      if (m.type === 'batch') {
        worker.postMessage(1);
        yield m;
      } else if (m.type === 'done') return;
      else if (m.type === 'error') throw new EngageAuditError(m.code, m.message, { hint: m.hint });
      else throw new Error(`the archive reader thread failed: ${m.message}`);
    }
  } finally {
    await worker.terminate();
  }
}
