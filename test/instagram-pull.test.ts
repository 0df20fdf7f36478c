/**
 * The Instagram pull through the Graph API against a fake server on 127.0.0.1 serving
 * fixtures/api/instagram/: the metrics counted by hand in its EXPECTED.md (own account §1, Business
 * Discovery §2), and the faults of §3 (expired token, missing permission, throttling part-way, an
 * account that cannot be read). The token never appears in any output or saved file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectSubset, runCli, withTempDir } from './helpers.js';
import type { Fault } from './support/api-server.js';
import { usageOf } from '../src/sources/instagram-api/usage.js';
import { IG_ROOT, igError, startInstagramServer, type IgServer } from './support/instagram-server.js';

const TOKEN = 'EAAG-ig-test-token-SENTINEL-0123456789';
const ENV = { SOURCE_DATE_EPOCH: '1767225600', INSTAGRAM_TOKEN: TOKEN };
const servers: IgServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(faults: Fault[] = []): Promise<IgServer> {
  const s = await startInstagramServer({ token: TOKEN, latencyMs: 2, faults });
  servers.push(s);
  return s;
}

async function audit(target: string, faults: Fault[] = [], env: Record<string, string> = ENV, argv: string[] = []) {
  const s = await serve(faults);
  const r = await runCli([target, '--api-base', s.url, '--json', '--as-of', '2025-10-31', ...argv], { env });
  expect(r.stdout + r.stderr).not.toContain('SENTINEL');
  return { ...r, server: s, report: r.code === 0 ? JSON.parse(r.stdout) : null };
}

/** A fault of errors/ served on every request `when` picks. */
const fault = (name: string, when: (p: string, count: number) => boolean): Fault => (req) => (when(req.path, req.count) ? igError(name) : undefined);

/** Views of juniper's media from the insights files (an independent route to Σ impressions). */
function viewsOfFixtures(): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of readdirSync(path.join(IG_ROOT, 'juniper/insights'))) {
    const data = (JSON.parse(readFileSync(path.join(IG_ROOT, 'juniper/insights', f), 'utf8')) as { data: Array<{ name: string; values: Array<{ value: number }> }> }).data;
    const views = data.find((d) => d.name === 'views');
    if (views) out.set(f.replace('.json', ''), views.values[0]!.value);
  }
  return out;
}

/** EXPECTED.md §1.3, own account. */
const OWN = {
  account: { id: '17841455501234567', handle: 'juniper.example', followers: 1840, following: 312, posts: 16 },
  window: { days: 60, posts: 16 },
  metrics: {
    audience: { followers: 1840, following: 312, followRatio: 1840 / 312, mutuals: null, followBackRate: null, reciprocationRate: null },
    mix: { original: 16, total: 16, thread: null, reply: null, repost: null, quote: null, broadcastShare: null, replyShare: null, repostShare: null, quoteShare: null, replyToBroadcast: null },
    engagement: {
      counted: ['likes', 'replies'],
      posts: 16,
      likes: 954,
      replies: 40,
      reposts: null,
      quotes: null,
      total: 994,
      perPostMean: 62.125,
      perPostMedian: 46.5,
      ratePerPostMean: 0.03376358695652174,
      ratePerPostMedian: 0.025271739130434782,
      conversationRate: 0.001358695652173913,
      applauseRate: 0.03240489130434782,
      amplificationRate: null,
      engagedAudience: { accounts: 7, share: 0.0038043478260869567 },
    },
    responsiveness: { inboundReplies: 23, answered: 12, responseRate: 0.5217391304347826, medianResponseMinutes: 75, answeredWithin24h: 0.9166666666666666 },
    reciprocity: { outbound: null, giveShare: null, responseRatio: null, likesGiven: null, inbound: 40 },
    layers: { l1Inbound: 7, l2: 1, l3: 0, l1Outbound: null, l1: null, twoWay: null, weighted: null, score: null, estimatedInbound: null },
    cadence: { days: 58, postsPerDay: 0.27586206896551724, maxPerDay: 1, busiestDay: '2025-09-02', burstDays: 0, clients: {}, schedulerShare: null, daysSinceLastPost: 2 },
  },
  topInteractors: {
    inbound: [
      { account: 'moss.example', count: 4 },
      { account: 'pipa.example', count: 4 },
      { account: 'tarn.example', count: 4 },
      { account: 'bracken.example', count: 3 },
      { account: 'ember.example', count: 3 },
      { account: 'sorrel.example', count: 3 },
      { account: 'quill.example', count: 2 },
    ],
    outbound: null,
    twoWay: null,
  },
  monthly: [
    { month: '2025-09', posts: 8, engagements: 493, ratePerPostMean: 0.033491847826086954 },
    { month: '2025-10', posts: 8, engagements: 501, ratePerPostMean: 0.03403532608695652 },
  ],
};

describe('Instagram: the token’s own account (EXPECTED.md §1)', () => {
  it('gives the hand-counted metrics, the answer hidden on a second replies page included', async () => {
    const { report, server } = await audit('ig:me');
    expectSubset(report, OWN);
    expect(report.input.complete).toBe(true);
    // Views (insights) are the impressions: Σ engagements of the media with views ÷ Σ their views; the
    // newest media's empty insights are unknown, not 0 (its 18 engagements are left out).
    const views = viewsOfFixtures();
    expect(views.size).toBe(15);
    const sum = [...views.values()].reduce((a, b) => a + b, 0);
    expect(report.metrics.engagement.impressions).toBe(sum);
    expect(report.metrics.engagement.rateByImpressions).toBeCloseTo((994 - 18) / sum, 12);
    expect(server.requests.some((r) => /\/18002566274190255\/replies\?.*after=/.test(r))).toBe(true);
    // The token goes in the Authorization header only, never in a URL.
    expect(server.requests.join('\n')).not.toContain('access_token');
    expect(new Set(server.authorizations)).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('reads the same account when it is named by its username', async () => {
    const { report } = await audit('ig:@juniper.example');
    expectSubset(report, { account: OWN.account, metrics: { responsiveness: OWN.metrics.responsiveness } });
  });

  it('pull -o then an offline audit of the saved file gives the same report; the token is nowhere in the file', async () => {
    const s = await serve();
    for (const target of ['ig:me', 'ig:@fennel.example']) {
      await withTempDir(async (dir) => {
        const file = path.join(dir, 'saved.json');
        const pulled = await runCli(['pull', target, '--api-base', s.url, '-o', file], { env: ENV });
        expect(pulled.code, target).toBe(0);
        expect(pulled.stdout + pulled.stderr).not.toContain('SENTINEL');
        expect(readFileSync(file, 'utf8')).not.toContain('SENTINEL');
        const live = await runCli([target, '--api-base', s.url, '--json', '--as-of', '2025-10-31'], { env: ENV });
        const offline = await runCli([file, '--json', '--as-of', '2025-10-31'], { env: { SOURCE_DATE_EPOCH: '1767225600' } });
        expect(offline.code).toBe(0);
        const strip = (text: string) => {
          const r = JSON.parse(text);
          delete r.input.target;
          return r;
        };
        expect(strip(offline.stdout), target).toEqual(strip(live.stdout));
      });
    }
  });
});

describe('Instagram: another professional account by Business Discovery (EXPECTED.md §2)', () => {
  it('gives profile and media counts, pages by cursor, and says what it cannot see', async () => {
    const { report, server } = await audit('ig:@fennel.example');
    expectSubset(report, {
      input: { complete: true },
      account: { id: '17841400987654321', handle: 'fennel.example', followers: 5230, following: 410, posts: 12 },
      window: { days: 59, posts: 12 },
      metrics: {
        audience: { followRatio: 5230 / 410 },
        mix: { original: 12, total: 12, reply: null },
        engagement: {
          likes: 5289,
          replies: 275,
          total: 5564,
          perPostMean: 463.6666666666667,
          perPostMedian: 350.5,
          ratePerPostMean: 0.08865519439133206,
          ratePerPostMedian: 0.0670172084130019,
          conversationRate: 0.004381771829190567,
          applauseRate: 0.08427342256214149,
          engagedAudience: { accounts: null, share: null },
          rateByImpressions: null,
        },
        responsiveness: { inboundReplies: null, answered: null },
        layers: { l1Inbound: null },
        cadence: { days: 56, postsPerDay: 0.21428571428571427, maxPerDay: 1, busiestDay: '2025-09-03', daysSinceLastPost: 3 },
      },
      topInteractors: { inbound: null },
      monthly: [
        { month: '2025-09', posts: 6, engagements: 3119, ratePerPostMean: 0.09939451880178458 },
        { month: '2025-10', posts: 6, engagements: 2445, ratePerPostMean: 0.07791586998087954 },
      ],
    });
    expect(report.input.availability.inboundIdentities).toMatch(/who commented .* is unknowable/);
    expect(report.input.availability.impressions).toMatch(/no insights of another account/);
    // F04 and F09: like_count 0 with 23 and 41 comments, counted as 0 and said.
    expect(report.input.warnings.join(' ')).toMatch(/2 media show 0 likes with comments: .*hid like counts/);
    expect(server.requests.filter((r) => r.includes('business_discovery')).map((r) => decodeURIComponent(r).includes('media.after(QVFIUkJEX2ZAlbm5lbF9tZAWRpYV9wYWdlMg)'))).toEqual([false, true]);
  });

  it('a personal or private account, or none of that name: exit 4 saying only professional accounts can be read', async () => {
    for (const [name, error] of [
      ['hazel.example', 'bd-not-professional'],
      ['nobody.example', 'bd-unknown-user'],
    ] as const) {
      const r = await audit(`ig:@${name}`, name === 'hazel.example' ? [fault(error, (p) => p.endsWith('/17841455501234567'))] : []);
      expect(r.code, name).toBe(4);
      expect(r.stderr).toMatch(new RegExp(`@${name.replace('.', '\\.')} is not a professional account, or no such user: only Business and Creator accounts can be read`));
      expect(r.stderr).toMatch(/hint: .*Business or Creator account/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('Instagram: faults (EXPECTED.md §3)', () => {
  it('an expired token: exit 4, one line saying to renew it, the token never shown', async () => {
    const r = await audit('ig:me', [fault('expired-token', () => true)]);
    expect(r.code).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/Instagram refused INSTAGRAM_TOKEN .*renew it .*Session has expired/);
    expect(lines.slice(1).every((l) => /^\s+hint: /.test(l))).toBe(true);
    expect(r.stdout).toBe('');
  });

  it('a missing insights permission makes views unavailable with the reason and keeps the rest', async () => {
    const { report } = await audit('ig:me', [fault('missing-permission-insights', (p) => p.endsWith('/insights'))]);
    expectSubset(report, { input: { complete: true }, metrics: { engagement: { ...OWN.metrics.engagement, impressions: null, rateByImpressions: null }, responsiveness: OWN.metrics.responsiveness } });
    expect(report.input.availability.impressions).toMatch(/instagram_manage_insights is missing/);
  });

  it('one media whose insights fail: its views are unknown and said, the rest kept', async () => {
    // J01 (511 views, 44 engagements) answers 100/33: Σ views 23358 − 511, Σ engagements 976 − 44.
    const { report } = await audit('ig:me', [fault('media-object-missing', (p) => p.endsWith('/17901482156300177/insights'))]);
    expectSubset(report, { input: { complete: true }, metrics: { engagement: { ...OWN.metrics.engagement, impressions: 22847, rateByImpressions: 932 / 22847 }, responsiveness: OWN.metrics.responsiveness } });
    expect(report.input.warnings.join(' ')).toMatch(/Views of 1 media could not be read \(first: .*Unsupported get request/);
  });

  it('throttled part-way through the comments: a partial report with its coverage', async () => {
    // One request at a time, threads with the most comments first: J10 (2 comment pages), J05, then
    // J15, whose request is the 4th to /comments and is throttled: J10 and J05 are fetched, 9 are not.
    let comments = 0;
    const usage = igError('usage-headers-ok').headers;
    const { report } = await audit('ig:me', [
      (req) => {
        if (!req.path.endsWith('/comments')) return { headers: usage };
        return ++comments >= 4 ? igError('throttle-buc-80002') : { headers: usage };
      },
    ], ENV, ['--concurrency', '1']);
    expect(report.input.complete).toBe(false);
    expect(report.input.coverage.replies).toMatchObject({ needed: 11, fetched: 2, cut: 'rate-limit' });
    expectSubset(report, { account: OWN.account, metrics: { engagement: { likes: 954, replies: 40, total: 994 } } });
    expect(report.input.warnings.join(' ')).toMatch(/stopped by a rate limit/);
  });

  it('usage headers at 90 % or more: no new request starts; what was fetched is kept', async () => {
    const high = { 'X-App-Usage': '{"call_count":93,"total_cputime":10,"total_time":12}' };
    const s = await serve([(req) => (req.path.endsWith('/media') && req.query.get('after') ? { headers: high } : undefined)]);
    const r = await runCli(['ig:me', '--api-base', s.url, '--json', '--as-of', '2025-10-31'], { env: ENV });
    const report = JSON.parse(r.stdout);
    // The second media page is kept; the views of its media and every comment are not asked.
    expect(report.window.posts).toBe(16);
    expect(s.requests.findIndex((q) => q.includes('after=QVFIUmx1'))).toBe(s.requests.length - 1);
    expect(report.input.complete).toBe(false);
    expect(report.input.coverage.replies).toMatchObject({ needed: 11, fetched: 0, cut: 'rate-limit' });
    expect(report.input.warnings.join(' ')).toMatch(/93 % of the limit spent/);
    expect(report.input.warnings.join(' ')).toMatch(/Views of 6 media were not read/);
  });

  it('a token whose Pages have no Instagram professional account: exit 4 with what to do', async () => {
    for (const name of ['me-accounts-no-ig', 'me-accounts-empty']) {
      const r = await audit('ig:me', [fault(name, (p) => p.endsWith('/me/accounts'))]);
      expect(r.code, name).toBe(4);
      expect(r.stderr).toMatch(/reaches no Instagram professional account/);
      expect(r.stderr).toMatch(/hint: Link the Instagram Business or Creator account to a Facebook Page/);
    }
  });

  it('an Instagram Login token, or none: exit 4 saying which token is needed, nothing asked', async () => {
    const login = await audit('ig:me', [], { ...ENV, INSTAGRAM_TOKEN: 'IGAAT-SENTINEL-instagram-login-token' });
    expect(login.code).toBe(4);
    expect(login.stderr).toMatch(/an Instagram Login token .*\n\s+hint: A Facebook User token from Facebook Login for Business is needed/);
    const none = await audit('ig:me', [], { SOURCE_DATE_EPOCH: '1767225600' });
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/INSTAGRAM_TOKEN is not set/);
    expect([...login.server.requests, ...none.server.requests]).toEqual([]);
  });
});

describe('Graph usage headers', () => {
  it('read the highest figure of X-App-Usage and every X-Business-Use-Case-Usage entry, and the minutes until access returns', () => {
    const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
    // usage-headers-ok: app 28/4/6, BUC 87/9/14 → 87; throttle-buc-80002: BUC 100, 12 minutes.
    expect(usageOf(lower(igError('usage-headers-ok').headers))).toEqual({ percent: 87, regainMinutes: 0 });
    expect(usageOf(lower(igError('throttle-buc-80002').headers))).toEqual({ percent: 100, regainMinutes: 12 });
    expect(usageOf(lower(igError('throttle-user-17').headers))).toEqual({ percent: 96, regainMinutes: 0 });
    expect(usageOf({ 'x-app-usage': 'not json' })).toBeNull();
    expect(usageOf({})).toBeNull();
  });
});
