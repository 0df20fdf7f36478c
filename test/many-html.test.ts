/**
 * The HTML page of several accounts: a summary in the report's words and units, one row per target
 * (errors too), each account linking to its section, sortable by `#sort=<key>-asc|desc` through one
 * script the page's CSP allows by its hash — and input text that stays inert.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, dumpDom, dumpDomAt } from './browser/chromium.js';
import { runCli, withTempDir } from './helpers.js';

// Posts in the window: x sample 32, Mastodon sample 26, hostile 24, LinkedIn 27 (fixtures' expected
// files); engagement rate known for x (46.57 %) and hostile (1.30 %) only; overall score x 92,
// hostile 60, the other two n/a (partial).
const TARGETS = ['fixtures/x-archive/sample-2022.zip', 'fixtures/mastodon-archive/sample', 'fixtures/hostile/dataset.json', 'missing.zip', 'fixtures/linkedin/export'];

let built: Promise<string> | undefined;
/** The page of TARGETS, built once for the file. */
function page(): Promise<string> {
  built ??= runCli([...TARGETS, '--format', 'html']).then((r) => {
    expect(r.code).toBe(3); // missing.zip
    return r.stdout;
  });
  return built;
}

/** The summary's rows in DOM order: the account section each links to (1-based), or "error". */
function rowOrder(html: string): Array<number | 'error'> {
  const body = /<table id="summary">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
  return [...body.matchAll(/<tr( class="error")?>([\s\S]*?)<\/tr>/g)].map((m) => (m[1] ? 'error' : Number(/href="#account-(\d+)"/.exec(m[2]!)![1])));
}

describe('multi-account HTML page', () => {
  it('has one row per target in the targets’ order, headed in the report’s words, each account linking to its section', async () => {
    const html = await page();
    expect(rowOrder(html)).toEqual([1, 2, 3, 'error', 5]);
    for (const n of [1, 2, 3, 5]) expect(html).toContain(`<section id="account-${n}">`);
    expect(html).not.toContain('id="account-4"');
    const heads = [...html.matchAll(/<th data-key="(\w+)"[^>]*><a href="#sort=([\w-]+)">([^<]+)<\/a><\/th>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(heads).toEqual([
      ['account', 'account-asc', 'Account'],
      ['platform', 'platform-asc', 'Platform'],
      ['posts', 'posts-desc', 'Posts'],
      ['followers', 'followers-desc', 'Followers'],
      ['engagement', 'engagement-desc', 'Engagement rate'],
      ['replies', 'replies-desc', 'Reply share'],
      ['give', 'give-desc', 'Give share'],
      ['role', 'role-asc', 'Role'],
      ['score', 'score-desc', 'Overall score'],
      ['measured', 'measured-desc', 'Measured'],
    ]);
    // The x sample's row: the report's units, and its score coloured as good (90 and over).
    const x = /<tr><td[^>]*><a href="#account-1">[\s\S]*?<\/tr>/.exec(html)![0];
    expect([...x.matchAll(/<td[^>]*>(?:<a[^>]*>)?([^<]*)/g)].map((m) => m[1])).toEqual(['@tidepool_lab', 'X', '32', '12', '46.57 %', '18.8 %', 'n/a', 'Undetermined', '92', '75 %']);
    expect(x).toContain('<td class="num s-good" data-v="92">92</td>');
    expect(html).toContain('<td class="num s-na">n/a (partial 97)</td>'); // Mastodon: no overall, sorts with n/a
    expect(html).toContain('<tr class="error"><td data-v="missing.zip">missing.zip: no such file or folder');
  });

  it('allows exactly its one script, by the SHA-256 of its text, and nothing inline', async () => {
    const html = await page();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]![1]!, 'utf8').digest('base64');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp).toBe(`default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'`);
    // One account's page stays without any script.
    const one = (await runCli(['fixtures/x-archive/sample-2022.zip', '--format', 'html'])).stdout;
    expect(one).not.toMatch(/<script|script-src/);
  });

  it('keeps a hostile account name and target inert: escaped text, no markup, no id from input', async () => {
    const html = await page();
    expect(html).toContain('<a href="#account-3">@&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</a>');
    expect(html).not.toMatch(/<img|<script>(?!\(function)/);
    expect([...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1])).toEqual(['account-1', 'account-2', 'account-3', 'account-5']);
  });
});

describe.skipIf(CHROMIUM === null && process.env['CI'] === undefined)('multi-account HTML page in headless Chromium', () => {
  it('orders the rows by #sort=: numbers as numbers, text as text, n/a last both ways, else the targets’ order', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'all.html');
      await writeFile(file, await page());
      const at = async (fragment: string) => rowOrder(await dumpDomAt(file, fragment));
      expect(await at('sort=posts-asc')).toEqual([3, 2, 5, 1, 'error']); // 24, 26, 27, 32, n/a
      expect(await at('sort=engagement-asc')).toEqual([3, 1, 2, 'error', 5]); // 1.30 %, 46.57 %, then n/a in order
      expect(await at('sort=engagement-desc')).toEqual([1, 3, 2, 'error', 5]);
      // Text: `"><img…` (punctuation first), dana@…, maren…, missing.zip, tidepool_lab — without the @.
      expect(await at('sort=account-asc')).toEqual([3, 2, 5, 'error', 1]);
      const dom = await dumpDomAt(file, 'sort=score-desc');
      expect(rowOrder(dom)).toEqual([1, 3, 2, 'error', 5]); // 92, 60, n/a…
      expect(dom).toMatch(/<th data-key="score"[^>]*aria-sort="descending"[^>]*><a href="#sort=score-asc">/);
      const plain = await dumpDom(file);
      expect(rowOrder(plain)).toEqual([1, 2, 3, 'error', 5]);
      // The hostile name ran nothing: the script's own changes only.
      expect(plain.match(/<html[^>]*>/)?.[0]).toBe('<html lang="en">');
      expect(plain).not.toMatch(/<img/i);
    });
  }, 90_000);
});
