/**
 * Live pulls against a real HTTP server on 127.0.0.1 serving the recorded-shape pages of
 * fixtures/api/: faults (5xx, 429 in each header style, timeouts, bad bodies, unknown accounts, cursor
 * loops) end in a report with what was fetched, or one clear line and exit 4.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pullBluesky } from '../src/sources/bluesky/index.js';
import { pullMastodon } from '../src/sources/mastodon/index.js';
import { DEFAULT_PULL, type PullOptions } from '../src/sources/api-common.js';
import { audit, type Report } from '../src/index.js';
import { startApiServer, type ApiServer, type Fault, type Platform } from './support/api-server.js';
import { FIXTURES, ROOT, expectSubset, runCli, withTempDir } from './helpers.js';

const ACCOUNTS = {
  bluesky: { dir: 'bluesky/alice', target: '@alice.bsky.social' },
  mastodon: { dir: 'mastodon/bob', target: '@bob@social.example' },
  x: { dir: 'x/carol', target: 'x:@carol_codes' },
} as const;
const TOKEN = 'x-test-token-0123456789';

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(platform: Platform, faults: Fault[] = [], latencyMs = 0): Promise<string> {
  server = await startApiServer({ platform, root: path.join(FIXTURES, 'api', ACCOUNTS[platform].dir), faults, latencyMs, token: TOKEN });
  return server.url;
}

function pullOptions(apiBase: string, extra: Partial<PullOptions> = {}): PullOptions {
  return { ...DEFAULT_PULL, apiBase, env: {}, userAgent: 'engage-audit/test', retryBaseMs: 1, ...extra };
}

/**
 * The hand count of fixtures/api/EXPECTED.md names who interacted on Bluesky and Mastodon only: X pulls
 * here ask for nobody (`--budget 0`); test/x-threads.test.ts and test/pull-coverage.test.ts cover X's.
 */
async function live(platform: Platform, argv: string[] = [], env: Record<string, string> = {}) {
  const budget = platform === 'x' && !argv.includes('--budget') ? ['--budget', '0'] : [];
  return runCli([ACCOUNTS[platform].target, '--api-base', server!.url, '--json', ...budget, ...argv], { env: { SOURCE_DATE_EPOCH: '1767225600', X_BEARER_TOKEN: TOKEN, ...env } });
}

const metricsOf = (stdout: string): Report['metrics'] => (JSON.parse(stdout) as Report).metrics;

describe.each(['bluesky', 'mastodon', 'x'] as const)('%s pull', (platform) => {
  it('pulls every page once, never repeats a request, and pipes clean JSON', async () => {
    await serve(platform, [], 2);
    const r = await live(platform);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.input).toMatchObject({ platform, source: 'api', complete: true, warnings: [] });
    expect(new Set(server!.requests).size).toBe(server!.requests.length);
    expect(report.window.posts).toBeGreaterThanOrEqual(25);
  });

  it('a gate does not pass on a pull whose pages were cut short, unless partial figures are allowed', async () => {
    const laterPage = (r: { query: URLSearchParams }) => r.query.has('cursor') || r.query.has('max_id') || r.query.has('pagination_token');
    await serve(platform, [(r) => (laterPage(r) ? { status: 400, body: '{"error":"InvalidRequest","message":"refused by the test"}' } : undefined)]);
    const cut = await live(platform, ['--fail-under', '0']);
    expect((JSON.parse(cut.stdout) as Report).input.complete).toBe(false);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/the input is incomplete \(its warnings say what is missing\).*--allow-partial/);
    expect((await live(platform, ['--fail-under', '0', '--allow-partial'])).code).toBe(0);
  });

  it('rides out a 500 on the second page with the same report', async () => {
    await serve(platform);
    const clean = await live(platform);
    const cleanRequests = server!.requests.length;
    await server!.close();
    const laterPage = (r: { query: URLSearchParams }) => r.query.has('cursor') || r.query.has('max_id') || r.query.has('pagination_token');
    let fired = false;
    await serve(platform, [(r) => (laterPage(r) && !fired ? ((fired = true), { status: 500, body: '{"error":"InternalServerError"}' }) : undefined)]);
    const retried = await live(platform);
    expect(retried.code).toBe(0);
    expect(metricsOf(retried.stdout)).toEqual(metricsOf(clean.stdout));
    expect(server!.requests.length).toBe(cleanRequests + 1);
  });

  it('exits 4 with one line for an unknown account', async () => {
    await serve(platform);
    const target = { bluesky: '@nobody.bsky.social', mastodon: '@nobody@social.example', x: 'x:@nobody_here' }[platform];
    const r = await runCli([target, '--api-base', server!.url], { env: { X_BEARER_TOKEN: TOKEN } });
    expect(r.code).toBe(4);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/engage-audit: .*(no account|knows no account)/);
    expect(r.stdout).toBe('');
  });
});

describe('rate limits in each header style', () => {
  const resetIn = (s: number) => ({
    bluesky: { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + s) },
    mastodon: { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date(Date.now() + s * 1000).toISOString().replace('Z', '000Z') },
    x: { 'x-rate-limit-limit': '900', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + s) },
  });
  it.each(['bluesky', 'mastodon', 'x'] as const)('%s: waits for the reset and completes', async (platform) => {
    let fired = false;
    await serve(platform, [(r) => (!fired && /statuses$|getAuthorFeed$|tweets$/.test(r.path) ? ((fired = true), { status: 429, headers: resetIn(1)[platform], body: '{"error":"Too many requests"}' }) : undefined)]);
    const started = Date.now();
    const r = await live(platform);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).input.complete).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200); // it did wait
  });

  it('a reset beyond --max-wait keeps what was fetched: incomplete report, exit 0', async () => {
    await serve('bluesky', [(r) => (r.query.get('cursor') === 'c2' ? { status: 429, headers: { 'retry-after': '3600' }, body: '{"error":"RateLimitExceeded"}' } : undefined)]);
    const r = await live('bluesky', ['--max-wait', '5']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.input.complete).toBe(false);
    expect(report.input.warnings.join(' ')).toMatch(/Stopped while reading the author feed \(page 2\): .*asks to wait 60 min, more than the 5 s allowed/);
    expect(report.window.posts).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/the input is incomplete/);
  });
});

describe('faults that end a stage keep what was fetched', () => {
  it('a thread that times out, one with malformed JSON, one with an HTML page', async () => {
    const url = await serve('bluesky');
    const clean = await audit(await pullBluesky('alice.bsky.social', ACCOUNTS.bluesky.target, pullOptions(url)), { generatedAt: 'x' });
    await server!.close();
    let threadNo = 0;
    const broken = new Map<string, string>();
    const url2 = await serve('bluesky', [
      (r) => {
        if (!r.path.endsWith('getPostThread')) return undefined;
        const uri = r.query.get('uri')!;
        if (!broken.has(uri) && broken.size < 3) broken.set(uri, ['hang', 'json', 'html'][threadNo++]!);
        const kind = broken.get(uri);
        if (kind === 'hang') return { hang: true };
        if (kind === 'json') return { status: 200, body: '{"thread": {"post": ' };
        if (kind === 'html') return { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' };
        return undefined;
      },
    ]);
    const started = Date.now();
    const dataset = await pullBluesky('alice.bsky.social', ACCOUNTS.bluesky.target, pullOptions(url2, { timeoutMs: 150 }));
    const report = await audit(dataset, { generatedAt: 'x' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report.input.complete).toBe(false);
    expect(report.input.warnings.join(' ')).toMatch(/3 of \d+ lists of who interacted could not be fetched/);
    // Posts and their counts are all there; only replies from the three threads are missing.
    expect(report.metrics.mix).toEqual(clean.metrics.mix);
    expect(report.metrics.engagement).toMatchObject({ total: clean.metrics.engagement.total });
    expect(report.metrics.responsiveness.inboundReplies!).toBeLessThanOrEqual(clean.metrics.responsiveness.inboundReplies!);
  });

  it('an HTML error page on page 2 stops paging with the first page kept', async () => {
    const url = await serve('mastodon', [(r) => (r.query.has('max_id') ? { status: 503, headers: { 'content-type': 'text/html' }, body: '<html><h1>503</h1></html>' } : undefined)]);
    const dataset = await pullMastodon('bob', 'social.example', ACCOUNTS.mastodon.target, pullOptions(url));
    const report = await audit(dataset, { generatedAt: 'x' });
    expect(report.input.complete).toBe(false);
    expect(report.input.warnings[0]).toMatch(/Stopped while reading statuses \(page 2\): .*503 \(an HTML error page\)/);
    const firstPage = JSON.parse(await readFile(path.join(FIXTURES, 'api/mastodon/bob/statuses/first.json'), 'utf8')) as unknown[];
    expect(report.window.posts).toBe(firstPage.length);
  });

  it('a cursor loop stops paging with a warning', async () => {
    // Page 2 answers with page 1's cursor again, forever.
    const page1 = JSON.parse(await readFile(path.join(FIXTURES, 'api/bluesky/alice/app.bsky.feed.getAuthorFeed/first.json'), 'utf8')) as { cursor: string };
    const page2 = JSON.parse(await readFile(path.join(FIXTURES, `api/bluesky/alice/app.bsky.feed.getAuthorFeed/${page1.cursor}.json`), 'utf8')) as { cursor?: string };
    const url2 = await serve('bluesky', [(r) => (r.path.endsWith('getAuthorFeed') && r.query.get('cursor') ? { status: 200, body: JSON.stringify({ ...page2, cursor: page1.cursor }) } : undefined)]);
    const dataset = await pullBluesky('alice.bsky.social', ACCOUNTS.bluesky.target, pullOptions(url2, { budget: 0 }));
    const report = await audit(dataset, { generatedAt: 'x' });
    expect(report.input.warnings.join(' ')).toMatch(/same next-page cursor twice \(after 2 pages\)/);
    expect(server!.requests.filter((q) => q.includes('getAuthorFeed'))).toHaveLength(2);
  });
});

describe('a Bluesky AppView that sends no quoteCount (older or self-hosted; recordings before mid-2024)', () => {
  const feedPage = (cursor: string | null): { feed: Array<{ post: Record<string, unknown> }> } =>
    JSON.parse(readFileSync(path.join(FIXTURES, `api/bluesky/alice/app.bsky.feed.getAuthorFeed/${cursor ?? 'first'}.json`), 'utf8')) as { feed: Array<{ post: Record<string, unknown> }> };
  /** The recorded pages with every quoteCount taken out, as such an AppView answers. */
  const withoutQuoteCount: Fault = (r) => {
    if (!r.path.endsWith('getAuthorFeed')) return undefined;
    const page = feedPage(r.query.get('cursor'));
    const feed = page.feed.map((item) => {
      const { quoteCount: _dropped, ...post } = item.post;
      return { ...item, post };
    });
    return { status: 200, body: JSON.stringify({ ...page, feed }) };
  };

  it('quotes are unavailable with the reason, never 0; the other counts are as before', async () => {
    const clean = await pullBluesky('alice.bsky.social', ACCOUNTS.bluesky.target, pullOptions(await serve('bluesky'), { budget: 0 }));
    expect(clean.availability.quotes).toBeUndefined();
    const cleanReport = await audit(clean, { generatedAt: 'x' });
    await server!.close();
    const dataset = await pullBluesky('alice.bsky.social', ACCOUNTS.bluesky.target, pullOptions(await serve('bluesky', [withoutQuoteCount]), { budget: 0 }));
    expect(dataset.availability.quotes).toMatch(/sends no quote counts/);
    const report = await audit(dataset, { generatedAt: 'x' });
    // Hand count of the recording: alice's own posts were quoted 3 times (3lkkoj53g7s2m and 3lix5qp4uika2 on
    // the first page, 3leta2ukkpccq on page c3), once each.
    expect(cleanReport.metrics.engagement).toMatchObject({ counted: ['likes', 'replies', 'reposts', 'quotes'], quotes: 3 });
    expect(report.metrics.engagement).toMatchObject({ counted: ['likes', 'replies', 'reposts'], quotes: null });
    expect(report.metrics.engagement.total).toBe(cleanReport.metrics.engagement.total! - 3);
    expect(report.metrics.engagement.likes).toBe(cleanReport.metrics.engagement.likes);
    expect(report.input.availability.quotes).toMatch(/sends no quote counts/);
  });
});

describe('tokens and targets', () => {
  it('X without X_BEARER_TOKEN: exit 4 and how to set it', async () => {
    await serve('x');
    const r = await runCli(['x:@carol_codes', '--api-base', server!.url], { env: {} });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/X_BEARER_TOKEN is not set\n {2}hint: .*export X_BEARER_TOKEN=/);
    expect(server!.requests).toEqual([]);
  });

  it('X with a wrong token: exit 4, and the token is never printed', async () => {
    await serve('x');
    const r = await runCli(['x:@carol_codes', '--api-base', server!.url, '--verbose'], { env: { X_BEARER_TOKEN: 'wrong-token-SENTINEL' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/X refused the bearer token/);
    expect(r.stderr + r.stdout).not.toContain('wrong-token-SENTINEL');
  });

  it('an ambiguous @name exits 2 with the choices', async () => {
    const r = await runCli(['@carol']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x:@carol \(X\), @carol\.bsky\.social \(Bluesky\)/);
  });
});

describe('pull and re-audit', () => {
  it.each(['bluesky', 'mastodon', 'x'] as const)('%s: the saved dataset audits to the live report', async (platform) => {
    await serve(platform);
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      const pulled = await runCli(['pull', ACCOUNTS[platform].target, '--api-base', server!.url, '-o', file], { env: { X_BEARER_TOKEN: TOKEN } });
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toMatch(/saved \d+ posts/);
      const saved = await readFile(file, 'utf8');
      expect(saved).not.toContain(TOKEN);
      const offline = await runCli([file, '--json', '--as-of', '2025-12-31']);
      // The default budget on both sides, so that X's likers and reposters and their coverage round-trip too.
      const liveRun = await live(platform, ['--as-of', '2025-12-31', ...(platform === 'x' ? ['--budget', '150'] : [])]);
      expect(JSON.parse(offline.stdout)).toEqual(JSON.parse(liveRun.stdout));
    });
  });

  it('without --as-of, a pull dates its report by the time of the pull, and a saved pull keeps it', async () => {
    await serve('mastodon', [], 1);
    const now = () => new Date('2026-01-01T00:00:00.000Z'); // the clock, fixed
    const liveRun = JSON.parse((await runCli([ACCOUNTS.mastodon.target, '--api-base', server!.url, '--json'], { now })).stdout) as Report;
    expect([liveRun.window.asOf, liveRun.window.asOfSource]).toEqual(['2026-01-01T00:00:00.000Z', 'pull']);
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      await runCli(['pull', ACCOUNTS.mastodon.target, '--api-base', server!.url, '-o', file], { now });
      const offline = JSON.parse((await runCli([file, '--json'])).stdout) as Report;
      expect([offline.window.asOf, offline.window.asOfSource]).toEqual(['2026-01-01T00:00:00.000Z', 'pull']);
    });
  });

  it('Ctrl-C during a pull writes the partial dataset and exits 130', async () => {
    await serve('bluesky', [], 150);
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'partial.json');
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/engage-audit.js'), 'pull', ACCOUNTS.bluesky.target, '--api-base', server!.url, '-o', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Wait until the first page has been served, then interrupt.
      while (!server!.requests.some((q) => q.includes('getAuthorFeed'))) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(130);
      const saved = JSON.parse(await readFile(file, 'utf8')) as { complete: boolean; warnings: string[]; posts: unknown[] };
      expect(saved.complete).toBe(false);
      expect(saved.warnings.join(' ')).toMatch(/Interrupted while/);
      expect(stderr).toMatch(/saved \d+ posts/);
    });
  });
});

describe('the reports match the hand count of fixtures/api/EXPECTED.md', () => {
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'api/expected.json'), 'utf8')) as Record<string, {
    asOf: string; window: unknown; account: unknown; metrics: Record<string, unknown>; role: { label: string }; scores: unknown;
    audits: Record<string, unknown>; monthly: unknown[]; topInteractors: unknown;
  }>;
  it.each([
    ['bluesky', 'bluesky-alice'],
    ['mastodon', 'mastodon-bob'],
    ['x', 'x-carol'],
  ] as const)('%s', async (platform, key) => {
    const e = expected[key]!;
    await serve(platform, [], 1);
    const r = await live(platform, ['--as-of', e.asOf]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.window.asOf).toBe(e.asOf);
    expectSubset(report.window, e.window, 'window');
    expectSubset(report.account, e.account, 'account');
    for (const [family, values] of Object.entries(e.metrics)) {
      const { ledger: _ledger, ...rest } = values as Record<string, unknown>;
      expectSubset((report.metrics as unknown as Record<string, unknown>)[family], rest, `metrics.${family}`);
    }
    expect(report.role.label).toBe(e.role.label);
    expectSubset(report.scores, e.scores, 'scores');
    for (const a of report.audits) expectSubset({ status: a.status, value: a.value, score: a.score }, e.audits[a.id], `audits.${a.id}`);
    expectSubset(report.monthly, e.monthly, 'monthly');
    expectSubset(report.topInteractors, e.topInteractors, 'topInteractors');
    // The ledger's points add up to the weighted total it explains.
    expect(report.metrics.layers.ledger.reduce((s, l) => s + l.points, 0)).toBeCloseTo(report.metrics.layers.weighted ?? 0, 9);
  });
});
