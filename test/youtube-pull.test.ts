/**
 * The YouTube pull through the command line against a fake Data API v3 on 127.0.0.1
 * (test/support/youtube-server.ts): the hand count of fixtures/api/youtube/EXPECTED.md, the key's
 * faults (expired, not valid, unset, API not enabled), an unknown channel, comments turned off on a
 * video, the daily quota running out part-way, and a saved pull audited offline. The key never
 * appears in a URL, an output or a saved file.
 */
import { readFile } from 'node:fs/promises';
import { render } from '../src/reporters/index.js';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { expectSubset, runCli, withTempDir } from './helpers.js';
import type { ApiServer, Fault } from './support/api-server.js';
import { startYouTubeServer, YT_KEY, ytError } from './support/youtube-server.js';

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ENV = { SOURCE_DATE_EPOCH: '1767225600', YOUTUBE_API_KEY: YT_KEY };
const AS_OF = ['--as-of', '2025-10-31'];

async function audit(faults: Fault[] = [], argv: string[] = [], env: Record<string, string> = ENV) {
  server = await startYouTubeServer({ faults });
  const r = await runCli([argv[0] ?? 'yt:@evan.example', '--api-base', server.url, '--json', ...AS_OF, ...argv.slice(1)], { env });
  expect(`${r.stdout}${r.stderr}`).not.toContain(YT_KEY);
  for (const url of server.requests) expect(url).not.toMatch(/[?&]key=|AIza/);
  return r;
}

const report = (stdout: string): Report => JSON.parse(stdout) as Report;
/** A fault answering one of fixtures/api/youtube/errors/ to the requests `when` picks. */
const serve =
  (name: string, when: (path: string, query: URLSearchParams) => boolean): Fault =>
  (r) =>
    when(r.path, r.query) ? ytError(name) : undefined;

/** EXPECTED.md's metrics, counted by hand (docs/metrics.md: engagedAudience counts depth-1 accounts). */
const EXPECTED = {
  window: { posts: 16 },
  account: { id: 'UCcY125Istz4Gip1yODemb8Q', handle: 'evan.example', displayName: 'Evan Marlowe Woodshop', followers: 48300, following: null, posts: 16 },
  metrics: {
    audience: { followers: 48300, following: null, followRatio: null },
    // A channel's comments are not posts: what it gives others is unknown (n/a), never 0.
    mix: { original: 16, thread: null, reply: null, repost: null, quote: null, total: 16, broadcastShare: null, replyShare: null, repostShare: null, quoteShare: null },
    engagement: {
      posts: 16,
      likes: 8462,
      replies: 52,
      reposts: null,
      quotes: null,
      total: 8514,
      perPostMean: 532.125,
      perPostMedian: 487.5,
      ratePerPostMean: 532.125 / 48300,
      ratePerPostMedian: 487.5 / 48300,
      impressions: 167600,
      rateByImpressions: 8514 / 167600,
      conversationRate: 52 / 16 / 48300,
      amplificationRate: null,
      applauseRate: 8462 / 16 / 48300,
      engagedAudience: { accounts: 7, share: 7 / 48300 },
    },
    reciprocity: { outbound: null, inbound: 52, giveShare: null, responseRatio: null, likesGiven: null },
    responsiveness: { inboundReplies: 29, answered: 13, responseRate: 13 / 29, medianResponseMinutes: 40, answeredWithin24h: 12 / 13 },
    // Whom the channel talks with elsewhere is unknown: L1, two-way and the layer score need it.
    layers: { l1Outbound: null, l1Inbound: 7, l1: null, twoWay: null, l2: 1, l3: 0, weighted: null, score: null },
    cadence: { days: 57, postsPerDay: 16 / 57, maxPerDay: 1, burstDays: 0, daysSinceLastPost: 4 },
  },
};

describe('youtube: the hand count of EXPECTED.md', () => {
  it('yt:@evan.example: every metric, with what YouTube cannot tell null and why', async () => {
    const r = await audit();
    expect(r.code).toBe(0);
    const rep = report(r.stdout);
    expectSubset(rep, EXPECTED);
    expect(rep.input.availability).toMatchObject({ reposts: expect.stringMatching(/no reposts/), following: expect.stringMatching(/subscribes/), likesGiven: expect.any(String) });
    expect(rep.input.availability['followers']).toBeUndefined();
    expect(rep.unavailable['reciprocity.likesGiven']).toBeTruthy();
    // No published YouTube benchmark is configured: the rate is reported, not graded, and says why.
    expect(rep.audits.find((a) => a.id === 'engagement-rate')).toMatchObject({ status: 'n/a', advice: expect.stringMatching(/no engagement benchmark for youtube/) });
    // Every thread of a video with comments; likers cannot be asked for, and the report says so.
    // YouTube never names likers: no list is needed for them, so the pull is complete.
    expect(rep.input.coverage).toMatchObject({ replies: { needed: 12, fetched: 12, cut: null }, likes: { needed: 0, fetched: 0, cut: null }, complete: true });
    expect(rep.input.complete).toBe(true);
    // Lists no post needed (YouTube never names likers or reposters) are left out of the line.
    expect(await render(rep, 'table')).toContain('Who interacted: complete (12 threads)');
    // The thread that embeds 5 of its 7 replies was read whole (the channel's answer is in the rest).
    const replies = server!.requests.filter((u) => u.startsWith('/comments?'));
    expect(replies.map((u) => new URLSearchParams(u.split('?')[1]).get('parentId'))).toEqual(['Ugx1QsI97ccU9eBfvGnRyw4AaABAg', 'Ugx1QsI97ccU9eBfvGnRyw4AaABAg']);
    // V07 (comments off) and the videos with no comments cost no request.
    const asked = server!.requests.filter((u) => u.startsWith('/commentThreads?') && !u.includes('pageToken')).map((u) => new URLSearchParams(u.split('?')[1]).get('videoId'));
    expect(asked.sort()).toEqual(['35UhNcYw1Yv', '9BrL5ui_LJ4', 'DQQgM4E0YfV', 'KkDGptkCKp5', 'TdrGM7IR8TU', 'VJhGwKcI-LZ', 'WUsw5D7i10O', '_O5IwUkDRXN', 'aATrr1mLx59', 'lG6nCCBhSrt', 'mgaH0LYQ1t-', 'qC_12SwepIZ']);
  });

  it('the channel id and the channel address name the same channel', async () => {
    for (const target of ['yt:UCcY125Istz4Gip1yODemb8Q', 'https://www.youtube.com/@evan.example']) {
      const r = await audit([], [target]);
      expect(r.code, r.stderr).toBe(0);
      expectSubset(report(r.stdout), { account: EXPECTED.account, metrics: { engagement: { total: 8514 }, responsiveness: { answered: 13 } } });
      await server!.close();
      server = undefined;
    }
  });

  it('a hidden subscriber count is null with the reason, never 0', async () => {
    const channel = JSON.parse(await readFile(path.join('fixtures/api/youtube/evan/channels.json'), 'utf8')) as { items: Array<{ statistics: Record<string, unknown> }> };
    const stats = channel.items[0]!.statistics;
    delete stats['subscriberCount'];
    stats['hiddenSubscriberCount'] = true;
    const hidden: Fault = (req) => (req.path === '/channels' ? { status: 200, body: JSON.stringify(channel) } : undefined);
    const r = await audit([hidden]);
    expect(r.code).toBe(0);
    const rep = report(r.stdout);
    expect(rep.account.followers).toBeNull();
    expect(rep.input.availability['followers']).toMatch(/hides its subscriber count/);
    expect(rep.metrics.engagement.ratePerPostMean).toBeNull();
    expect(rep.metrics.engagement.rateByImpressions).toBeCloseTo(8514 / 167600, 12);
  });
});

describe('youtube: the key', () => {
  it('an expired key: exit 4, one line saying to renew it, the key never shown', async () => {
    const r = await audit([() => ytError('key-expired')]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^engage-audit: YouTube refused YOUTUBE_API_KEY: the key has expired[^\n]*\n {2}hint: Renew the key/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('a key the API does not know: exit 4, not valid', async () => {
    server = await startYouTubeServer({ key: 'AIzaAnotherKey-abcdefghijklmnopqrstuvwxyz0' });
    const r = await runCli(['yt:@evan.example', '--api-base', server.url], { env: ENV });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/the key is not valid/);
    expect(r.stderr).not.toContain(YT_KEY);
  });

  it('no key: exit 4 before any request, saying how to set it', async () => {
    const r = await audit([], [], { SOURCE_DATE_EPOCH: '1767225600' });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/YOUTUBE_API_KEY is not set\n {2}hint: .*export YOUTUBE_API_KEY=/);
    expect(server!.requests).toEqual([]);
  });

  it("the key's project has not enabled the API: exit 4 with the fix", async () => {
    const r = await audit([() => ytError('api-not-enabled')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/has not enabled the YouTube Data API v3\n {2}hint: Enable "YouTube Data API v3"/);
  });

  it('the key travels only in the X-Goog-Api-Key header, to the API origin', async () => {
    const seen: Array<string | string[] | undefined> = [];
    const r = await audit([
      (req) => {
        seen.push(req.headers['x-goog-api-key']);
        return undefined;
      },
    ]);
    expect(r.code).toBe(0);
    expect(seen.length).toBe(server!.requests.length);
    expect(new Set(seen)).toEqual(new Set([YT_KEY]));
  });
});

describe('youtube: an unknown channel', () => {
  it('exit 4 naming it, and what to do', async () => {
    const r = await audit([], ['yt:@nosuch.example']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^engage-audit: YouTube has no channel @nosuch\.example\n {2}hint: Check the handle/);
    expect(server!.requests).toHaveLength(1);
  });
});

describe('youtube: part of the data', () => {
  it('comments turned off on one video: its comments are unavailable, the rest of the report kept', async () => {
    // V13 (35UhNcYw1Yv): rosa and tove commented, tove was answered within 175 minutes.
    const r = await audit([serve('comments-disabled', (p, q) => p === '/commentThreads' && q.get('videoId') === '35UhNcYw1Yv')]);
    expect(r.code).toBe(0);
    const rep = report(r.stdout);
    expectSubset(rep, { window: { posts: 16 }, metrics: { engagement: { total: 8514, replies: 52 }, responsiveness: { inboundReplies: 27, answered: 12, responseRate: 12 / 27 } } });
    expect(rep.input.coverage).toMatchObject({ replies: { needed: 12, fetched: 11, cut: 'unreachable' } });
    expect(rep.input.warnings.join(' ')).toMatch(/Threads of 1 of 12 posts with replies were not fetched \(comments are turned off on the video\)/);
  });

  it('the daily quota runs out part-way: a partial report, coverage stated, input.complete false', async () => {
    let threads = 0;
    const quota: Fault = (req) => (req.path === '/commentThreads' && ++threads >= 5 ? ytError('quota-exceeded') : undefined);
    const r = await audit([quota], ['yt:@evan.example', '--concurrency', '1']);
    expect(r.code).toBe(0);
    const rep = report(r.stdout);
    expect(rep.input.complete).toBe(false);
    expectSubset(rep, { window: { posts: 16 }, metrics: { engagement: { total: 8514 } }, input: { coverage: { replies: { needed: 12, cut: 'rate-limit' } } } });
    expect(rep.input.coverage!.replies.fetched).toBeLessThan(12);
    expect(rep.input.warnings.join(' ')).toMatch(/exceeded your/);
    expect(rep.input.warnings.join(' ')).toMatch(/stopped by a rate limit/);
    // Nothing is asked after the quota is gone.
    expect(threads).toBe(5);
  });

  it('the quota is gone before any comment thread: who replied is n/a with the reason, never 0, and a gate does not pass', async () => {
    const quota: Fault = (req) => (req.path === '/commentThreads' ? ytError('quota-exceeded') : undefined);
    const r = await audit([quota], ['yt:@evan.example', '--concurrency', '1', '--fail-under', '0']);
    const rep = report(r.stdout);
    expect(rep.input.coverage!.replies).toMatchObject({ needed: 12, fetched: 0, cut: 'rate-limit' });
    expect(rep.metrics.responsiveness).toMatchObject({ inboundReplies: null, answered: null, responseRate: null });
    expect(rep.metrics.engagement.engagedAudience).toEqual({ accounts: null, share: null });
    expect(rep.unavailable['responsiveness.responseRate']).toMatch(/No thread under the posts was fetched: 12 needed, none fetched \(rate-limit\)/);
    // --fail-under 0 passes any measured score: it fails here because the figures describe part of the window.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fetched only part of who interacted \(replies 0 of 12\).*--allow-partial/);
    const allowed = await audit([quota], ['yt:@evan.example', '--concurrency', '1', '--fail-under', '0', '--allow-partial']);
    expect(allowed.code).toBe(0);
  });

  it('the quota runs out on the second page of uploads: the first page is kept', async () => {
    const r = await audit([serve('quota-exceeded', (p, q) => p === '/playlistItems' && q.has('pageToken'))]);
    expect(r.code).toBe(0);
    const rep = report(r.stdout);
    expect(rep.input.complete).toBe(false);
    expect(rep.window.posts).toBe(10);
    expect(rep.input.warnings.join(' ')).toMatch(/Stopped while reading the uploads playlist \(page 2\)/);
  });
});

describe('youtube: pull then audit offline', () => {
  it('the saved dataset audits to the live report, and holds no key', async () => {
    server = await startYouTubeServer();
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      const pulled = await runCli(['pull', 'yt:@evan.example', '--api-base', server!.url, '-o', file, '--verbose'], { env: ENV });
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(`${pulled.stdout}${pulled.stderr}`).not.toContain(YT_KEY);
      expect(await readFile(file, 'utf8')).not.toContain(YT_KEY);
      const offline = await runCli([file, '--json', ...AS_OF]);
      const live = await runCli(['yt:@evan.example', '--api-base', server!.url, '--json', ...AS_OF], { env: ENV });
      expect(JSON.parse(offline.stdout)).toEqual(JSON.parse(live.stdout));
      expectSubset(JSON.parse(offline.stdout), EXPECTED);
    });
  });
});
