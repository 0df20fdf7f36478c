/**
 * The Threads pull against the Threads API served on 127.0.0.1 from fixtures/api/threads: the hand
 * count of fixtures/api/threads/EXPECTED.md, and the faults an agency meets (expired token, missing
 * insights permission, throttling part-way, an account that is not the token's).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import type { ApiServer, Fault } from './support/api-server.js';
import { startThreadsServer, threadsError, THREADS_FIXTURES, THREADS_TEST_TOKEN } from './support/threads-server.js';
import { runCli, withTempDir } from './helpers.js';

const TARGET = 'threads:@dana.example';
/** The token the fixtures' `paging.next` URLs repeat: it must never leave the pull either. */
const FIXTURE_TOKEN = 'FAKE-THREADS-TOKEN-never-log-me';

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(faults: Fault[] = [], latencyMs = 0): Promise<ApiServer> {
  server = await startThreadsServer({ faults, latencyMs });
  return server;
}

const run = (argv: string[], env: Record<string, string> = { THREADS_TOKEN: THREADS_TEST_TOKEN }) =>
  runCli([...argv, '--api-base', server!.url], { env: { SOURCE_DATE_EPOCH: '1767225600', ...env } });
const audit = (extra: string[] = [], env?: Record<string, string>) => run([TARGET, '--json', '--as-of', '2025-10-31', ...extra], env);

const isInsights = (p: string) => /\/(insights|threads_insights)$/.test(p);

function expectNoToken(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(THREADS_TEST_TOKEN);
    expect(t).not.toContain(FIXTURE_TOKEN);
  }
}

describe('threads pull: the hand count of fixtures/api/threads/EXPECTED.md', () => {
  it('gives every figure counted by hand, from 29 posts, 27 insights and 10 conversations', async () => {
    await serve([], 1);
    const r = await audit();
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.account).toEqual({ id: '26110483920577164', handle: 'dana.example', displayName: 'Dana Okonkwo-Reyes', followers: 3480, following: null, posts: null });
    expect(report.window).toMatchObject({ since: null, until: '2025-10-31T23:59:59.999Z', posts: 29 });
    const m = report.metrics;
    expect(m.audience).toEqual({ followers: 3480, following: null, followRatio: null, mutuals: null, followBackRate: null, reciprocationRate: null });
    expect(m.mix).toEqual({
      original: 11,
      thread: 2,
      reply: 12,
      repost: 2,
      quote: 2,
      total: 29,
      broadcastShare: 13 / 29,
      replyShare: 12 / 29,
      repostShare: 2 / 29,
      quoteShare: 2 / 29,
      replyToBroadcast: 12 / 13,
    });
    expect(m.engagement).toMatchObject({
      posts: 13,
      likes: 670,
      replies: 32,
      reposts: 40,
      quotes: 9,
      total: 751,
      perPostMean: 751 / 13,
      perPostMedian: 47,
      ratePerPostMean: 751 / 13 / 3480,
      ratePerPostMedian: 47 / 3480,
      impressions: 27830,
      rateByImpressions: 751 / 27830,
      conversationRate: 32 / 13 / 3480,
      amplificationRate: 49 / 13 / 3480,
      applauseRate: 670 / 13 / 3480,
      engagedAudience: { accounts: 5, share: 5 / 3480 },
    });
    expect(m.reciprocity).toEqual({ outbound: 17, inbound: 81, giveShare: 17 / 98, responseRatio: 12 / 32, likesGiven: null });
    expect(m.responsiveness).toEqual({ inboundReplies: 17, answered: 10, responseRate: 10 / 17, medianResponseMinutes: 37, answeredWithin24h: 0.9 });
    expect(m.layers).toMatchObject({ l1Outbound: 5, l1Inbound: 5, l1: 5, twoWay: 5, l2: 1, l3: 1, estimatedInbound: null, weighted: 10.75, score: 24 });
    expect(m.cadence).toMatchObject({ days: 57, postsPerDay: 29 / 57, maxPerDay: 3, busiestDay: '2025-10-07', burstDays: 0, schedulerShare: null, daysSinceLastPost: 3 });
    // Following and likes given are unknown (null with the reason), never 0.
    expect(report.unavailable['audience.following']).toMatch(/no following count/);
    expect(report.unavailable['reciprocity.likesGiven']).toMatch(/Threads API/);
    // Every conversation was read; the Threads API never lists likers or reposters, so no such list is needed.
    expect(report.input.coverage?.replies).toEqual({ needed: 10, fetched: 10, cut: null, capped: 0 });
    expect(report.input.coverage?.likes).toEqual({ needed: 0, fetched: 0, cut: null, capped: 0 });
    expect(report.input.coverage?.complete).toBe(true);
    // The token goes in the header, never in a URL; the `next` URLs of the pages are not followed.
    expect(server!.requests.some((q) => q.includes('access_token'))).toBe(false);
    expect(server!.requests.filter((q) => q.includes('/insights?')).length).toBe(27);
    expect(server!.requests.filter((q) => q.includes('/conversation?')).length).toBe(11);
    expect(new Set(server!.requests).size).toBe(server!.requests.length);
    expectNoToken(r.stdout, r.stderr);
  });

  it('pull -o, then an offline audit of the saved file, gives the same report; the token is in neither', async () => {
    await serve();
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dana.json');
      const pulled = await run(['pull', TARGET, '-o', file]);
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toMatch(/saved 29 posts/);
      const saved = await readFile(file, 'utf8');
      expectNoToken(saved, pulled.stdout, pulled.stderr);
      const offline = await runCli([file, '--json', '--as-of', '2025-10-31']);
      const live = await audit();
      expect(JSON.parse(offline.stdout)).toEqual(JSON.parse(live.stdout));
    });
  });

  it('--since reads both lists from the window start: posts and replies since 2025-10-15', async () => {
    await serve();
    const report = JSON.parse((await audit(['--since', '2025-10-15'])).stdout) as Report;
    // Counted from EXPECTED.md: T12 T13 T14 T15 (original), R02 (thread), R04 A08 A09 A10 (reply).
    expect(report.metrics.mix).toMatchObject({ original: 4, thread: 1, reply: 4, repost: 0, quote: 0, total: 9 });
  });


  it('a reply to one of the account\'s own replies is a thread, even when it comes before that reply in the pages', async () => {
    const first = JSON.parse(await readFile(path.join(THREADS_FIXTURES, 'dana', 'replies', 'first.json'), 'utf8')) as { data: Array<Record<string, unknown>> };
    // Newest first: Dana adds to her answer A10 (18061252059117476) a day later, so this comes before A10.
    const more = { ...first.data[0], id: '18061259999999999', timestamp: '2025-10-25T10:00:00+0000', replied_to: { id: '18061252059117476' }, text: 'PS: mugs only.' };
    await serve([(req) => (req.path.endsWith('/replies') && !req.query.has('after') ? { status: 200, body: JSON.stringify({ ...first, data: [more, ...first.data] }) } : undefined)]);
    const report = JSON.parse((await audit()).stdout) as Report;
    expect(report.metrics.mix).toMatchObject({ original: 11, thread: 3, reply: 12, total: 30 });
  });

  it("one post's insights failing leaves its counts unknown, keeps every other post, and says so", async () => {
    // T15 (18061250613761218): 19 likes, no replies or reposts.
    await serve([(req) => (req.path === '/18061250613761218/insights' ? threadsError('unknown-user') : undefined)]);
    const report = JSON.parse((await audit()).stdout) as Report;
    expect(report.window.posts).toBe(29);
    expect(report.metrics.engagement).toMatchObject({ likes: 670 - 19, replies: 32, reposts: 40 });
    expect(report.input.complete).toBe(false);
    expect(report.input.warnings.join(' ')).toMatch(/The insights of 1 post could not be read \(first: .*does not exist/);
  });
});

describe('threads pull: faults', () => {
  it.each([
    ['token-expired', 'Session has expired'],
    ['token-invalid', 'Cannot parse access token'],
  ])('%s: exit 4, one line saying to renew the token, the token never shown', async (fault, said) => {
    await serve([() => threadsError(fault)]);
    const r = await audit(['--verbose']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^engage-audit: Threads refused THREADS_TOKEN: it has expired or is not a Threads token \\(.*${said}.*\\)\\. Renew it\\n {2}hint: .*sign in again[^\\n]*\\n$`));
    expectNoToken(r.stderr);
  });

  it('no THREADS_TOKEN: exit 4 with how to get one, and nothing asked', async () => {
    await serve();
    const r = await audit([], {});
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/THREADS_TOKEN is not set\n {2}hint: .*threads_manage_insights.*export THREADS_TOKEN=/);
    expect(server!.requests).toEqual([]);
  });

  it("another account than the token's: exit 4 naming the token's account and what to do, nothing else asked", async () => {
    await serve();
    const r = await run(['threads:@nosuch.example', '--json']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/reads only the token owner's account: THREADS_TOKEN belongs to @dana\.example, not @nosuch\.example\n {2}hint: Sign in to Threads as @nosuch\.example/);
    expect(server!.requests.map((q) => q.split('?')[0])).toEqual(['/me']);
  });

  it('without threads_manage_insights: followers and counts unavailable with the reason, posts and kinds kept', async () => {
    await serve([(req) => (isInsights(req.path) ? threadsError('permission-insights') : undefined)]);
    const r = await audit();
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.account.followers).toBeNull();
    expect(report.input.availability['likes']).toMatch(/threads_manage_insights/);
    expect(report.input.availability['followers']).toMatch(/threads_manage_insights/);
    expect(report.unavailable['engagement.likes']).toMatch(/threads_manage_insights/);
    expect(report.unavailable['responsiveness.inboundReplies']).toMatch(/threads_manage_insights/);
    expect(report.metrics.engagement.likes).toBeNull();
    expect(report.metrics.responsiveness.inboundReplies).toBeNull();
    expect(report.metrics.mix).toMatchObject({ original: 11, thread: 2, reply: 12, repost: 2, quote: 2, total: 29 });
    expect(report.metrics.cadence).toMatchObject({ days: 57, maxPerDay: 3 });
    // The refusal is asked once, not once per post.
    expect(server!.requests.filter((q) => isInsights(q.split('?')[0]!)).length).toBe(1);
  });

  it('throttled (code 4) part-way through the insights: a partial report, the stop stated, input.complete false', async () => {
    let served = 0;
    await serve([(req) => (req.path.endsWith('/insights') && ++served > 10 ? threadsError('throttled-app') : undefined)]);
    const r = await audit();
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.input.complete).toBe(false);
    expect(report.window.posts).toBeGreaterThan(0);
    expect(report.window.posts).toBeLessThan(29);
    expect(report.input.warnings.join(' ')).toMatch(/Stopped while reading posts and replies .*Application request limit reached/);
    expect(report.input.coverage?.replies.cut).toBe('rate-limit');
    expect(r.stderr).toMatch(/incomplete/);
  });

  it('throttled (code 17) during the conversations: the posts and counts kept, the threads coverage cut by the rate limit', async () => {
    let served = 0;
    await serve([(req) => (req.path.endsWith('/conversation') && ++served > 3 ? threadsError('throttled-user') : undefined)]);
    const report = JSON.parse((await audit(['--concurrency', '1'])).stdout) as Report;
    expect(report.input.complete).toBe(false);
    expect(report.window.posts).toBe(29);
    expect(report.metrics.engagement.likes).toBe(670);
    // Most replies first: T10 (two pages), then one more conversation, before the fourth request is refused.
    expect(report.input.coverage?.replies).toMatchObject({ needed: 10, fetched: 2, cut: 'rate-limit' });
  });
});
