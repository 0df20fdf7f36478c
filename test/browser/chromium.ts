/** Headless Chromium (Debian's `chromium`), for looking at the HTML report as a browser shows it. */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;

/** Flags for a closed, root-run sandbox: no network chatter, a fresh profile each time. */
async function chromium(args: string[]): Promise<string> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
  const profile = await mkdtemp(path.join(tmpdir(), 'engage-audit-chromium-'));
  try {
    const { stdout } = await run(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`, ...args],
      { timeout: 60_000, maxBuffer: 1 << 26 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

export async function screenshot(htmlFile: string, png: string, width = 1000, height = 2600): Promise<void> {
  await chromium([`--window-size=${width},${height}`, `--screenshot=${png}`, `file://${htmlFile}`]);
}

/** The DOM after the page loaded (and after any script would have run). */
export async function dumpDom(htmlFile: string): Promise<string> {
  return chromium(['--virtual-time-budget=2000', '--dump-dom', `file://${htmlFile}`]);
}

/**
 * A page in one headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
 * the browser reads JSON messages from fd 3 and writes them to fd 4, each ended by a NUL). Lets a test
 * measure layout, which `--dump-dom` cannot do under the page's CSP (no script runs in the page).
 */
export interface Page {
  /** Loads a file and waits for its load event. */
  open(file: string): Promise<void>;
  /** The viewport's width (and height) in CSS pixels. */
  resize(width: number, height?: number): Promise<void>;
  /** Lays the page out for `print` (as the browser's print to PDF does) or back for the screen. */
  media(kind: 'print' | 'screen'): Promise<void>;
  /** The value of a JavaScript expression evaluated in the page (returned by value). */
  evaluate<T>(expression: string): Promise<T>;
}

/** Runs `use` with one page of one browser, and closes the browser after, whatever happens. */
export async function withPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
  const profile = await mkdtemp(path.join(tmpdir(), 'engage-audit-chromium-'));
  const child = spawn(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  const waiters: Array<{ method: string; resolve: () => void }> = [];
  let buffer = '';
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as { id?: number; method?: string; result?: Record<string, unknown>; error?: { message: string } };
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined) {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) p?.reject(new Error(message.error.message));
        else p?.resolve(message.result ?? {});
      } else if (message.method) {
        const i = waiters.findIndex((w) => w.method === message.method);
        if (i >= 0) waiters.splice(i, 1)[0]!.resolve();
      }
    }
  });
  child.on('exit', () => failAll(new Error(`chromium exited: ${stderr.trim().split('\n').at(-1) ?? ''}`)));
  child.on('error', (e) => failAll(e));
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  const event = (method: string) => new Promise<void>((resolve) => waiters.push({ method, resolve }));
  try {
    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const on = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
    await on('Page.enable');
    let size = { width: 1280, height: 900 };
    const page: Page = {
      async open(file) {
        const loaded = event('Page.loadEventFired');
        await on('Page.navigate', { url: pathToFileURL(file).href });
        await loaded;
      },
      async resize(width, height = size.height) {
        size = { width, height };
        await on('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
      },
      async media(kind) {
        await on('Emulation.setEmulatedMedia', { media: kind === 'print' ? 'print' : '' });
      },
      async evaluate<T>(expression: string) {
        const r = (await on('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as { result: { value: T }; exceptionDetails?: { exception?: { description?: string }; text: string } };
        if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
        return r.result.value;
      },
    };
    await page.resize(size.width, size.height);
    return await use(page);
  } finally {
    child.kill();
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
    await rm(profile, { recursive: true, force: true });
  }
}

/** The DOM of the page opened at `#fragment` (a page that reads its location, like the sortable summary). */
export async function dumpDomAt(htmlFile: string, fragment: string): Promise<string> {
  return chromium(['--virtual-time-budget=2000', '--dump-dom', `file://${htmlFile}#${fragment}`]);
}
