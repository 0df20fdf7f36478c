/**
 * Progress on stderr: an ora spinner when stderr is a terminal (pages, posts, threads, rate-limit
 * waits), plain lines with --verbose otherwise. Notes (a token's line end left out) are printed as
 * lines in every mode but --quiet. stdout carries the report alone.
 */
import type { PullEvent } from '../sources/api-common.js';
import { forTerminal } from '../lib/text.js';
import { byteSize } from '../lib/format.js';
import type { Io } from './io.js';

export interface Progress {
  update(text: string): void;
  /** Posts read so far from a target: the spinner shows them with the bytes read. */
  reading(posts: number): void;
  event(event: PullEvent): void;
  stop(): void;
}

const secs = (ms: number): string => (ms >= 90_000 ? `${Math.round(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`);

export function describeEvent(event: PullEvent): string {
  switch (event.type) {
    case 'page':
      return `${event.pages} page${event.pages === 1 ? '' : 's'}, ${event.posts.toLocaleString('en-US')} posts`;
    case 'threads':
      return `who interacted: ${event.done}/${event.total} requests`;
    case 'audience':
      return `${event.stage}: ${event.done.toLocaleString('en-US')}${event.total === null ? '' : `/${event.total.toLocaleString('en-US')}`}`;
    case 'wait':
      return `rate limited: waiting ${secs(event.ms)}`;
    case 'retry':
      return `${event.reason}: retrying in ${secs(event.waitMs)}`;
    case 'note':
      return `note: ${event.message}`;
    case 'read':
      return `read ${event.entry === null ? '' : `${event.entry} `}${byteSize(event.bytes)} of ${byteSize(event.total)}`;
  }
}

/** Rate-limit waits this long or longer are printed on a non-terminal standard error without --verbose. */
const LONG_WAIT_MS = 10_000;

export async function startProgress(io: Io, label: string, verbose = false): Promise<Progress> {
  const line = (e: PullEvent): void => io.stderr(`${forTerminal(`engage-audit: ${label}: ${describeEvent(e)}`)}\n`);
  // Bytes read: the latest figure, and the tenth of the total last printed (--verbose prints one line a tenth).
  type ReadEvent = Extract<PullEvent, { type: 'read' }>;
  let read: ReadEvent | null = null;
  let tenth = -1;
  let posts = 0;
  const readText = (posts: number): string => `Reading ${label}: ${read ? `${byteSize(read.bytes)} of ${byteSize(read.total)}, ` : ''}${posts.toLocaleString('en-US')} posts`;
  const onRead = (e: PullEvent): e is ReadEvent => {
    if (e.type !== 'read') return false;
    if (read?.entry !== e.entry) tenth = -1;
    read = e;
    return true;
  };
  if (!io.stderrIsTTY) {
    return {
      update: () => undefined,
      reading: () => undefined,
      event: (e) => {
        if (onRead(e)) {
          const now = e.total > 0 ? Math.floor((10 * e.bytes) / e.total) : 10;
          if (verbose && now > tenth) line(e);
          tenth = Math.max(tenth, now);
          return;
        }
        // A long rate-limit wait is said even without --verbose, so a CI log shows why nothing moves.
        if (e.type === 'note' || (e.type === 'wait' && e.ms >= LONG_WAIT_MS) || (verbose && ((e.type !== 'threads' && e.type !== 'audience') || e.done === e.total))) line(e);
      },
      stop: () => undefined,
    };
  }
  const { default: ora } = await import('ora');
  const plain = (io.env['NO_COLOR'] ?? '') !== '' || io.env['FORCE_COLOR'] === '0';
  const spinner = ora({ text: forTerminal(label), stream: process.stderr, discardStdin: false, ...(plain ? { color: false as const } : {}) }).start();
  let last = 0;
  const set = (text: string, force: boolean): void => {
    const now = Date.now();
    if (!force && now - last < 100) return; // redraw at most ten times a second
    last = now;
    spinner.text = forTerminal(text);
  };
  return {
    update: (text) => set(text, false),
    reading: (n) => {
      posts = n;
      set(readText(n), false);
    },
    event: (e) => {
      if (onRead(e)) return set(readText(posts), e.bytes === e.total);
      if (e.type !== 'note') return set(`${label}: ${describeEvent(e)}`, e.type === 'wait' || e.type === 'retry');
      spinner.clear();
      line(e);
    },
    stop: () => spinner.stop(),
  };
}
