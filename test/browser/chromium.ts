/** Headless Chromium (Debian's `chromium`), for looking at the HTML report as a browser shows it. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

/** The DOM of the page opened at `#fragment` (a page that reads its location, like the sortable summary). */
export async function dumpDomAt(htmlFile: string, fragment: string): Promise<string> {
  return chromium(['--virtual-time-budget=2000', '--dump-dom', `file://${htmlFile}#${fragment}`]);
}
