/**
 * The HTML report in a real browser (headless Chromium): the charts render, and a report built from
 * hostile input runs no script. `.ci/run` installs Chromium when it is missing.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, dumpDom, screenshot } from './browser/chromium.js';
import { runCli, withTempDir } from './helpers.js';

describe.skipIf(CHROMIUM === null && process.env['CI'] === undefined)('HTML report in headless Chromium', () => {
  it('renders the sample report with its five charts', async () => {
    await withTempDir(async (dir) => {
      const html = path.join(dir, 'report.html');
      const r = await runCli(['fixtures/x-archive/sample-2022.zip', '--format', 'html', '--as-of', '2025-05-31', '-o', html]);
      expect(r.code).toBe(0);
      const dom = await dumpDom(html);
      // Posts and engagement per month, mix, layers and audits, drawn in HTML and CSS.
      expect((dom.match(/<figure class="[a-z]+" role="img"/g) ?? []).length).toBe(5);
      // Four months (Feb–May 2025) of stacked bars; April is empty, so 3 months hold rects.
      expect(dom).toContain('2025-02: 4 original');
      const png = path.join(dir, 'report.png');
      await screenshot(html, png);
      const bytes = await readFile(png);
      expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect((await stat(png)).size).toBeGreaterThan(20_000); // a blank page is a few KB
    });
  }, 90_000);

  it('runs no script from hostile posts, handles or names', async () => {
    await withTempDir(async (dir) => {
      const html = path.join(dir, 'hostile.html');
      await writeFile(html, (await runCli(['fixtures/hostile/dataset.json', '--format', 'html'])).stdout);
      const dom = await dumpDom(html);
      expect(dom.match(/<html[^>]*>/)?.[0]).toBe('<html lang="en">'); // an injected script or handler would add data-pwned here
      expect(dom).not.toContain('data-pwned="');
      expect(dom).toContain('data-pwned'); // the payload is there, as text
      expect(dom).not.toMatch(/<img|<script/i);
    });
  }, 90_000);
});
