/**
 * The reader thread of a large X archive (reader-thread.ts): opens the same zip or folder, inflates
 * and checks each tweets file, and sends the selected parts of its records as token batches, at
 * most a few ahead of the main thread, which builds the posts and computes the metrics meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EngageAuditError } from '../../errors.js';
import { compileSelection } from '../../lib/select-json.js';
import { readEntry, reopenContainer, type ReopenSpec } from '../container/index.js';
import { TWEET_SELECTION } from './map-tweet.js';
import type { ReaderMessage } from './reader-thread.js';
import { readYtdTokens } from './ytd-reader.js';

const { spec, files, ahead } = workerData as { spec: ReopenSpec; files: string[]; ahead: number };
const port = parentPort!;
let credits = ahead;
let wake: (() => void) | null = null;
port.on('message', (n: number) => {
  credits += n;
  wake?.();
  wake = null;
});
const send = (message: ReaderMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

const select = compileSelection(TWEET_SELECTION);
try {
  const container = await reopenContainer(spec);
  try {
    for (let file = 0; file < files.length; file++) {
      const label = `${container.label}: ${files[file]}`;
      for await (const { tokens } of readEntry(container, files[file]!, (stream) => readYtdTokens(stream, label, { select }))) {
        while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
        credits -= 1;
        send({ type: 'batch', file, tokens }, [tokens.buffer as ArrayBuffer]);
      }
    }
  } finally {
    container.close();
  }
  send({ type: 'done' });
} catch (error) {
  if (error instanceof EngageAuditError) send({ type: 'error', code: error.code, message: error.message, hint: error.hint });
  else send({ type: 'crash', message: error instanceof Error ? error.message : String(error) });
}
port.close();
