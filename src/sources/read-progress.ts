/** The progress figure of a long read (docs/reports.md "Progress"): bytes of an input consumed, of its total. */
import type { Readable } from 'node:stream';
import type { PullEvent } from './api-common.js';

/** Reports the bytes `stream` has given, of `total` (the file, or a zip entry's compressed size), as they pass. */
export function reportBytes(stream: Readable, total: number, entry: string | null, onEvent: ((event: PullEvent) => void) | undefined): Readable {
  if (!onEvent) return stream;
  let bytes = 0;
  stream.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    onEvent({ type: 'read', bytes, total, entry });
  });
  return stream;
}
