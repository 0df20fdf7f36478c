/**
 * Reads a large X archive on two threads. A reader thread (reader-worker.ts) inflates and checks
 * the tweets files. It keeps the selected parts of each record as tokens (lib/select-json.ts). The
 * main thread builds posts from the tokens and folds them into the metrics. Only compact token
 * buffers cross, moved rather than copied. At most `AHEAD` of them are in flight, so memory stays
 * flat.
 *
 * It is used for tweets files of 32 MB and more, when the machine has a second core and the
 * archive is a zip or folder on disk. ENGAGE_AUDIT_READER_THREAD=never|always overrides the choice.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngageAuditError, type ErrorCode } from '../../errors.js';
import type { Container, ReopenSpec } from '../container/index.js';

export type ReaderMessage =
  | { type: 'batch'; file: number; tokens: Uint8Array }
  | { type: 'done' }
  | { type: 'error'; code: ErrorCode; message: string; hint: string }
  | { type: 'crash'; message: string };

const AHEAD = 16;
/** Batches acknowledged in one message. */
const ACK = 4;
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

export interface ReaderThread {
  /** The token batches of the files, in order; once only. */
  batches(): AsyncGenerator<{ file: number; tokens: Uint8Array }>;
  /** Stops the thread (idempotent); the dataset's close calls it. */
  stop(): Promise<void>;
}

/**
 * Starts reading `files` on a reader thread at once, so that it inflates and checks while the main
 * thread reads the small files. The thread never keeps the process alive on its own.
 */
export function startReaderThread(spec: ReopenSpec, files: readonly string[]): ReaderThread {
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
  worker.unref(); // after the listeners: adding a 'message' listener refs the worker again
  let taken = 0;
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopped ??= worker.terminate().then(() => undefined));
  async function* batches(): AsyncGenerator<{ file: number; tokens: Uint8Array }> {
    try {
      for (;;) {
        const m = queue.shift();
        if (m === undefined) {
          if (failure !== null) throw failure;
          if (exited) throw new Error('the archive reader thread stopped without a word');
          worker.ref(); // waiting for it: now it must keep the process alive
          await new Promise<void>((resolve) => (notify = resolve));
          worker.unref();
          continue;
        }
        if (m.type === 'batch') {
          if (++taken === ACK) {
            worker.postMessage(ACK);
            taken = 0;
          }
          yield m;
        } else if (m.type === 'done') return;
        else if (m.type === 'error') throw new EngageAuditError(m.code, m.message, { hint: m.hint });
        else throw new Error(`the archive reader thread failed: ${m.message}`);
      }
    } finally {
      await stop();
    }
  }
  return { batches, stop };
}
