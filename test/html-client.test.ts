/**
 * The HTML report as a client reads it (docs/reports.md "HTML report"): the account and its source,
 * never a local path; human words for what the source lacks; a footer that names the tool, not a file
 * the client does not have; charts with counts and shares; the engagement chart's true reason; score
 * colours that agree with the audits; numbers that keep their unit. Expected values counted by hand
 * from the fixtures (fixtures/EXPORTS-EXPECTED.md and the JSON report).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { niceTicks } from '../src/reporters/charts.js';
import { keepUnits } from '../src/reporters/html.js';
import { HOMEPAGE } from '../src/reporters/format.js';
import { CAPABILITY_KEYS, needTitle } from '../src/model/capabilities.js';
import { ROOT, runCli } from './helpers.js';

const X = ['fixtures/x-archive/sample-2022.zip', '--as-of', '2025-05-31'];
const MASTODON = ['fixtures/mastodon-archive/sample', '--as-of', '2025-08-31'];
const html = async (args: readonly string[]): Promise<string> => {
  const r = await runCli([...args, '--format', 'html']);
  expect(r.code).toBe(0);
  return r.stdout;
};
/** The page's text as a reader sees it: tags dropped, entities of spaces and quotes read. */
const text = (page: string): string => page.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&#39;/g, "'");
/** Each score's colour class, number and name, in page order. */
const gauges = (page: string) => [...page.matchAll(/<div class="score"><div class="gauge g-(\w+)">([^<]+)<\/div><div>(\w+)<\/div>(.*?)<\/div>\n/g)].map((m) => ({ colour: m[1], score: m[2], name: m[3], badges: text(m[4]!).trim().replace(/\s+/g, ' ') }));

describe('HTML report for a client', () => {
  it('names the account and its source, never the path of the input, relative or absolute', async () => {
    for (const args of [X, [path.join(ROOT, X[0]!), ...X.slice(1)]]) {
      const page = await html(args);
      expect(page).toContain('<p class="sub">X archive · window 2025-02-03 (first post) → 2025-05-31');
      expect(page).toContain('<h1>Engagement audit: @tidepool_lab');
      expect(page).not.toContain('sample-2022');
      expect(page).not.toContain('fixtures/');
      expect(page).not.toContain(ROOT);
    }
    expect(await html(MASTODON)).toContain('<p class="sub">Mastodon archive · window');
  });

  it('says what the source lacks in words, each key once, and no raw key', async () => {
    const page = await html(MASTODON);
    const section = /<h2>Not available from this source<\/h2><div class="card"><ul>(.*?)<\/ul>/.exec(page)![1]!;
    const names = [...section.matchAll(/<li><strong>(.*?)<\/strong>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
    // The keys of input.availability in the JSON report, in its order, each in CAPABILITY_TITLES' words.
    const report = JSON.parse((await runCli([...MASTODON, '--format', 'json'])).stdout) as { input: { availability: Record<string, string> } };
    expect(names).toEqual(Object.keys(report.input.availability).map(needTitle));
    expect(names).toContain('Who replied to, reposted or liked the posts');
    expect(names).toContain('Follower count');
    for (const key of CAPABILITY_KEYS.filter((k) => /[A-Z]/.test(k))) expect(text(page)).not.toContain(key);
    expect(needTitle('date')).toBe('A report date');
    expect(needTitle('constructor')).toBe('constructor'); // a key from a hostile file is shown as given
  });

  it('ends with the tool, its version, the time without milliseconds and its home page, not a file path', async () => {
    const page = await html(X);
    // SOURCE_DATE_EPOCH 1767225600 is 2026-01-01T00:00:00Z.
    expect(page).toContain(`<p class="muted">engage-audit 0.1.0 · generated 2026-01-01T00:00:00Z · ${HOMEPAGE}</p>`);
    expect(page).not.toContain('every number is defined in docs/metrics.md');
    const homepage = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { homepage?: string }).homepage;
    if (homepage !== undefined) expect(HOMEPAGE).toBe(homepage);
  });

  it('draws the mix, the layers and the audits with their numbers', async () => {
    const page = await html(X);
    const words = text(page).replace(/\s+/g, ' ');
    // 32 posts: 13 original + 4 threads = 17 broadcast, 6 replies, 5 reposts, 4 quotes.
    expect(words).toContain('Broadcast 17 53.1 % Replies 6 18.8 % Reposts 5 15.6 % Quotes 4 12.5 %');
    expect(page).toContain('<i style="width:53.13%;background:#2563eb" title="Broadcast: 17 (53.1&nbsp;%)"></i>');
    // L1 9 and 18 estimated inbound: on a square-root scale of 18, L1 is √(9/18) = 70.71 % long.
    expect(words).toMatch(/L1: talked with 9 Two-way n\/a L2: depth 2 in the threads n\/a L3: deeper in the threads n\/a Estimated inbound 18/);
    expect(page).toContain('<i style="width:70.71%;background:#4f46e5"></i>');
    // 11 audits: 5 pass, 3 warn, 0 fail, 3 n/a.
    expect(words).toContain('pass 5 45.5 % warn 3 27.3 % fail 0 0.0 % n/a 3 27.3 %');
  });

  it('charts engagements per own post for a Mastodon archive without a follower count, and says why there is no rate', async () => {
    const page = await html(MASTODON);
    expect(page).not.toContain('no engagement counts');
    expect(page).toContain('<h2>Engagements per own post, per month</h2>');
    expect(text(page)).toContain('No engagement rate: it divides by the follower count, and the Mastodon archive holds no follower list or count');
    // Own posts (originals + quotes) 4, 4, 4; likes + reposts 24, 29, 24.
    for (const t of ['2025-06: 6 engagements per own post (24 on 4)', '2025-07: 7.25 engagements per own post (29 on 4)', '2025-08: 6 engagements per own post (24 on 4)']) expect(page).toContain(`title="${t}"`);
    const ticks = (chart: string) => [...chart.matchAll(/<div class="tick" style="bottom:[\d.]+%"><span>([^<]*)<\/span>/g)].map((m) => m[1]);
    const [posts, engagement] = page.split('<figure class="chart"').slice(1);
    expect(ticks(engagement!)).toEqual(['0', '2', '4', '6', '8']);
    expect(ticks(posts!)).toEqual(['0', '5', '10']); // 10 posts in July at most: whole steps
  });

  it('picks nice, distinct axis ticks with enough decimals, and none without data', () => {
    expect(niceTicks(7.25)).toEqual({ ticks: [0, 2, 4, 6, 8], decimals: 0 });
    expect(niceTicks(0.3)).toEqual({ ticks: [0, 0.1, 0.2, 0.3], decimals: 1 });
    // Rates in percent: 0.0466 % at most steps by 0.02 with two decimals (not "0.00 %" three times).
    expect(niceTicks(0.0466)).toEqual({ ticks: [0, 0.02, 0.04, 0.06], decimals: 2 });
    expect(niceTicks(0.9)).toEqual({ ticks: [0, 0.25, 0.5, 0.75, 1], decimals: 2 });
    expect(niceTicks(3, 4, true)).toEqual({ ticks: [0, 1, 2, 3], decimals: 0 });
    expect(niceTicks(0)).toEqual({ ticks: [], decimals: 0 });
  });

  it('colours a score by the worse of its band and its worst audit, with the audits beside it', async () => {
    expect(gauges(await html(MASTODON))).toEqual([
      { colour: 'na', score: 'n/a', name: 'overall', badges: '2 warn 2 pass 7 n/a' },
      { colour: 'na', score: 'n/a', name: 'engagement', badges: '1 n/a' },
      { colour: 'mid', score: '95', name: 'conversation', badges: '1 warn 2 n/a' },
      { colour: 'good', score: '100', name: 'amplification', badges: '1 pass' },
      { colour: 'na', score: 'n/a', name: 'audience', badges: '3 n/a' },
      { colour: 'mid', score: '95', name: 'habits', badges: '1 warn 1 pass 1 n/a' },
    ]);
    const x = gauges(await html(X));
    expect(x[0]).toEqual({ colour: 'mid', score: '92', name: 'overall', badges: '3 warn 5 pass 3 n/a' });
  });

  it('keeps every number with its "%" on one line', async () => {
    expect(keepUnits('<b>46.57 %</b> and 5 % but 50%')).toBe('<b>46.57&nbsp;%</b> and 5&nbsp;% but 50%');
    const page = (await html(X)).replace(/<style>[\s\S]*?<\/style>/, '');
    expect(page.match(/\d %/g)).toBeNull();
    expect(page.match(/\d&nbsp;%/g)!.length).toBeGreaterThan(10);
  });
});
