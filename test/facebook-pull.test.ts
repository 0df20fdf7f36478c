/**
 * The Facebook Pages pull against a Graph API on 127.0.0.1 (test/support/facebook-server.ts): the
 * hand count of fixtures/api/facebook/EXPECTED.md through the command line's JSON report, and the
 * faults a Page token meets (expired, a permission missing, throttling part-way, an unknown Page),
 * with the token never in a URL, an output or a saved file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import type { ApiServer, Fault } from './support/api-server.js';
import { FB_TOKEN, graphError, startFacebookServer, usageHeaders, type FacebookServerOptions } from './support/facebook-server.js';
import { expectSubset, runCli, withTempDir } from './helpers.js';

const TARGET = 'fb:harborlane.example';
const ENV = { SOURCE_DATE_EPOCH: '1767225600', FACEBOOK_TOKEN: FB_TOKEN };
const PAGE_ID = '104857600012345';

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function audit(options: FacebookServerOptions = {}, argv: string[] = [], target = TARGET) {
  server = await startFacebookServer(options);
  const r = await runCli([target, '--api-base', server.url, '--json', '--as-of', '2025-10-31', ...argv], { env: ENV });
  expect(r.stdout + r.stderr).not.toContain(FB_TOKEN);
  return r;
}
const reportOf = (r: { stdout: string }): Report => JSON.parse(r.stdout) as Report;
const commentRequests = (): string[] => server!.requests.filter((u) => u.includes('/comments'));
/** A fault on the comments of every post from the `after`-th comment request on. */
const onComments = (name: string, after = 0): Fault => {
  let n = 0;
  return (req) => (req.path.endsWith('/comments') && ++n > after ? graphError(name) : undefined);
};

describe('the harbor Page, counted by hand (fixtures/api/facebook/EXPECTED.md)', () => {
  it('gives the metrics of the hand count', async () => {
    const r = await audit();
    expect(r.code).toBe(0);
    const report = reportOf(r);
    expectSubset(report, {
      input: { platform: 'facebook', source: 'api', complete: true, warnings: [], coverage: { replies: { needed: 10, fetched: 10, cut: null, capped: 0 }, complete: true } },
      account: { id: PAGE_ID, handle: 'harborlane.example', displayName: 'Harbor Lane Bakery', followers: 2310, following: null },
      window: { days: 61, posts: 14 },
      metrics: {
        audience: { followers: 2310, following: null, followRatio: null, mutuals: null, followBackRate: null, reciprocationRate: null },
        mix: { original: 14, thread: null, reply: null, repost: null, quote: null, total: 14, broadcastShare: null, replyShare: null, repostShare: null, quoteShare: null },
        engagement: {
          posts: 14,
          counted: ['likes', 'replies', 'reposts'],
          likes: 851,
          replies: 34,
          reposts: 55,
          quotes: null,
          total: 940,
          perPostMean: 940 / 14,
          perPostMedian: (54 + 69) / 2,
          ratePerPostMean: 940 / 14 / 2310,
          ratePerPostMedian: 61.5 / 2310,
          conversationRate: 34 / 14 / 2310,
          amplificationRate: 55 / 14 / 2310,
          applauseRate: 851 / 14 / 2310,
          engagedAudience: { accounts: 7, share: 7 / 2310 },
        },
        // Mara's H08 comment is answered on the second comment page only.
        responsiveness: { inboundReplies: 20, answered: 10, responseRate: 0.5, medianResponseMinutes: (33 + 72) / 2, answeredWithin24h: 0.9 },
        reciprocity: { outbound: null, inbound: 34 + 55, giveShare: null, responseRatio: null, likesGiven: null },
        layers: { l1Outbound: null, l1Inbound: 7, l1: null, twoWay: null, l2: 1, l3: 0, weighted: null, score: null },
        cadence: { days: 60, postsPerDay: 14 / 60, maxPerDay: 1, busiestDay: '2025-09-01', burstDays: 0, schedulerShare: null, daysSinceLastPost: 1 },
      },
      monthly: [
        { month: '2025-09', posts: 8, engagements: 517, ratePerPostMean: 517 / 8 / 2310 },
        { month: '2025-10', posts: 6, engagements: 423, ratePerPostMean: 423 / 6 / 2310 },
      ],
    });
    const by = (ids: string[], n: number) => ids.map((id) => ({ account: `id:81305522004177${id}`, count: n }));
    expect(report.topInteractors).toEqual({ outbound: null, inbound: [...by(['31', '42', '53', '64', '75', '97'], 3), ...by(['86'], 2)], twoWay: null });
    expect(report.input.availability['following']).toMatch(/no following count/);
    for (const key of ['inboundIdentities', 'replyThreads', 'likes', 'replies', 'reposts']) expect(report.input.availability[key], key).toBeUndefined();
    // 10 posts with comments, and the second page of H08's.
    expect(commentRequests()).toHaveLength(11);
    expect(commentRequests().filter((u) => u.includes('after='))).toHaveLength(1);
  });

  it('asks the Graph host with the token in a header only: no URL it asks carries it, though every paging.next repeats it', async () => {
    const fixture = await readFile(path.join(__dirname, '../fixtures/api/facebook/harbor/posts/first.json'), 'utf8');
    expect(fixture).toContain('access_token=');
    await audit();
    expect(server!.requests.length).toBeGreaterThan(12);
    for (const url of server!.requests) {
      expect(url).not.toContain('access_token');
      expect(url).not.toContain(FB_TOKEN);
      expect(url.startsWith('/v21.0/')).toBe(true);
    }
    expect(server!.requests.some((u) => u.includes('until=1758818700'))).toBe(true);
  });
});

describe('faults', () => {
  it('an expired token: exit 4, one line saying to renew FACEBOOK_TOKEN', async () => {
    const r = await audit({ faults: [() => graphError('expired-token')] }, ['--verbose']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/FACEBOOK_TOKEN.*expired or was revoked, renew it \(.*Session has expired/);
    expect(lines.slice(1).join('\n')).toMatch(/^ {2}hint: Renew it: .*export FACEBOOK_TOKEN=/);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a value that was never a token (190, Cannot parse): exit 4 saying it is not valid, not that it expired', async () => {
    const r = await audit({ faults: [() => graphError('invalid-token')] });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/FACEBOOK_TOKEN: it is not a valid token \(check what FACEBOOK_TOKEN holds\) \(.*Cannot parse access token/);
    expect(r.stderr).not.toMatch(/expired/);
  });

  it('no permission to read the Page (#10 on the lookup): exit 4 naming the permissions to give', async () => {
    const r = await audit({ faults: [() => graphError('missing-permission-10')] });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/FACEBOOK_TOKEN may not read the Page "harborlane\.example"/);
    expect(r.stderr).toMatch(/hint: Use a Page access token, or give the token pages_read_engagement/);
    expect(r.stderr).not.toMatch(/Check the connection/);
  });

  it('no token: exit 4 saying how to give one, and nothing asked', async () => {
    server = await startFacebookServer();
    const r = await runCli([TARGET, '--api-base', server.url, '--json'], { env: { SOURCE_DATE_EPOCH: '1767225600' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/FACEBOOK_TOKEN is not set\n {2}hint: .*Page access token.*export FACEBOOK_TOKEN=/);
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['an unknown username (#803, 404)', 'fb:nosuchpage.example', /Facebook has no Page "nosuchpage\.example" that this token can read \(.*#803/],
    ['an id the token cannot read (100/33)', 'fb:100000000000000', /Facebook has no Page "100000000000000" that this token can read \(.*does not exist/],
  ])('%s: exit 4 naming the Page, and what to do', async (_, target, message) => {
    const r = await audit({}, [], target);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/hint: .*username or numeric id.*not personal profiles or groups/);
    expect(server!.requests).toHaveLength(1);
  });

  it('no permission to read the comments (#10): the counts are kept, commenters, responsiveness and layers unavailable with the reason', async () => {
    const r = await audit({ faults: [onComments('missing-permission-comments-from')] });
    expect(r.code).toBe(0);
    const report = reportOf(r);
    expectSubset(report.metrics.engagement, { likes: 851, replies: 34, reposts: 55, total: 940 });
    expect(report.input.availability['inboundIdentities']).toBe(report.unavailable['responsiveness.answered']);
    expect(report.input.availability['replyThreads']).toBe(report.input.availability['inboundIdentities']);
    expect(report.metrics.responsiveness).toEqual({ inboundReplies: null, answered: null, responseRate: null, medianResponseMinutes: null, answeredWithin24h: null });
    expect(report.metrics.layers.l1Inbound).toBeNull();
    expect(report.unavailable['responsiveness.answered']).toBe(
      "This token may not read the comments of the Page's posts ((#10) This endpoint requires the 'pages_read_user_content' permission or the 'Page Public Content Access' feature. Refer to https://developers.facebook.com/docs/apps/review/login-permissions#manage-pages for details.): a Page access token, or a user token with pages_read_engagement and pages_read_user_content, reads them.",
    );
    // Refused once, the comments are not asked again (a few were in flight).
    expect(commentRequests().length).toBeLessThanOrEqual(4);
    expect(report.input.coverage?.replies).toMatchObject({ needed: 10, fetched: 0, cut: 'unreachable' });
  });

  it("no permission to read the Page's posts (#10): exit 4 naming the permission, no stack trace", async () => {
    const r = await audit({ faults: [(req) => (req.path.endsWith('/posts') ? graphError('missing-permission-10') : undefined)] });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/fb:harborlane\.example: no posts could be fetched\. Stopped while reading the Page's posts \(page 1\): .*pages_read_engagement/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('comments without their authors (no Page token): commenters unknown, with the reason; the counts kept', async () => {
    const r = await audit({ noFrom: true });
    expect(r.code).toBe(0);
    const report = reportOf(r);
    expectSubset(report.metrics.engagement, { likes: 851, replies: 34, reposts: 55 });
    // 33 comments returned: the stream totals (34) less H08's one the token cannot see.
    expect(report.input.availability['inboundIdentities']).toMatch(/sent 33 comments without their authors: a Page access token/);
    expect(report.metrics.responsiveness.inboundReplies).toBeNull();
    expect(report.topInteractors.inbound).toBeNull();
  });

  it.each(['throttle-buc-80001', 'throttle-app-4', 'throttle-user-17', 'throttle-page-32'])('%s part-way: a partial report, coverage stated, input.complete false', async (name) => {
    // Most comments first: H08 (two pages), then H03; the fourth request (H06 or H09) is refused.
    const r = await audit({ faults: [onComments(name, 3)] }, ['--concurrency', '1']);
    expect(r.code).toBe(0);
    const report = reportOf(r);
    expect(report.input.complete).toBe(false);
    expect(report.input.coverage?.replies).toMatchObject({ needed: 10, fetched: 2, cut: 'rate-limit' });
    expect(report.input.warnings.join(' ')).toMatch(/Threads of 8 of 10 posts with replies were not fetched \(stopped by a rate limit\)/);
    expect(report.input.warnings.join(' ')).toMatch(/request limit|too many calls/);
    expectSubset(report.metrics.engagement, { posts: 14, likes: 851, replies: 34, reposts: 55 });
    expect(commentRequests()).toHaveLength(4); // none asked after the limit
  });

  it('usage headers at 91 % of the Page limit: no new request, the rest of the report kept, coverage stated', async () => {
    let n = 0;
    const r = await audit({ headers: (req) => (req.path.endsWith('/comments') && ++n >= 2 ? usageHeaders('usage-headers-ok') : undefined) }, ['--concurrency', '1']);
    expect(r.code).toBe(0);
    const report = reportOf(r);
    expect(report.input.complete).toBe(false);
    expect(report.input.coverage?.replies.cut).toBe('rate-limit');
    expect(report.input.warnings.join(' ')).toMatch(/Facebook reported 91% of a request limit used \(x-business-use-case-usage\): no further requests were made/);
    expect(commentRequests()).toHaveLength(2);
  });
});

describe('pull and re-audit', () => {
  it('pull -o saves a dataset that audits offline to the live report, without the token', async () => {
    server = await startFacebookServer();
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      const pulled = await runCli(['pull', TARGET, '--api-base', server!.url, '-o', file, '--verbose'], { env: ENV });
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toMatch(/saved 14 posts/);
      expect(pulled.stdout + pulled.stderr).not.toContain(FB_TOKEN);
      const saved = await readFile(file, 'utf8');
      expect(saved).not.toContain(FB_TOKEN);
      expect(saved).not.toContain('access_token');
      const offline = await runCli([file, '--json', '--as-of', '2025-10-31']);
      const live = await runCli([TARGET, '--api-base', server!.url, '--json', '--as-of', '2025-10-31'], { env: ENV });
      expect(offline.code).toBe(0);
      expect(JSON.parse(offline.stdout)).toEqual(JSON.parse(live.stdout));
    });
  });
});
