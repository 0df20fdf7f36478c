/**
 * Live pulls see the whole window and say what they saw: a generated world of 240 posts over 80 days
 * served as Bluesky, Mastodon and X on 127.0.0.1, pulled with the default budget (every thread, every
 * liker and reposter page) and with a small one; X with and without full-archive search. The expected figures are computed here from the
 * world's own list of who did what, not by the metrics code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pullBluesky } from '../src/sources/bluesky/index.js';
import { pullMastodon } from '../src/sources/mastodon/index.js';
import { pullX } from '../src/sources/x-api/index.js';
import { DEFAULT_PULL, type PullOptions } from '../src/sources/api-common.js';
import { savedText } from '../src/sources/saved-dataset.js';
import { datasetFromSaved, parseSavedDataset } from '../src/sources/saved-dataset.js';
import { audit, type Report } from '../src/index.js';
import { render } from '../src/reporters/index.js';
import { gateReport } from '../src/report/exit-code.js';
import type { Dataset } from '../src/model/dataset.js';
import { parse } from 'csv-parse/sync';
import { runCli } from './helpers.js';
import { CONTEXT_CAP, countsOf, makeWorld, serveWorld, type World, type WorldServer, type XTier } from './support/world.js';

const servers: WorldServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * The X world: X's default budget (150 requests) fits a smaller account than the AppView's, so only
 * every third post keeps its likers (the three with over 100 stay, for paging).
 */
function xWorld(): World {
  const world = makeWorld('world', (i) => `user${i}`);
  const kept = new Set(world.posts.filter((p, i) => i % 3 === 0 || countsOf(world, p.id).likes > 100).map((p) => p.id));
  return { ...world, likes: world.likes.filter((l) => kept.has(l.postId)) };
}
const X_TOKEN = 'world-bearer-token';

const PLATFORMS = {
  bluesky: {
    world: makeWorld('world.test', (i) => `p${i}.test`),
    pull: (base: string, extra: Partial<PullOptions>) => pullBluesky('world.test', '@world.test', options(base, extra)),
    cap: Number.POSITIVE_INFINITY,
  },
  mastodon: {
    world: makeWorld('world@social.example', (i) => `p${i}@remote.example`),
    pull: (base: string, extra: Partial<PullOptions>) => pullMastodon('world', 'social.example', '@world@social.example', options(base, extra)),
    cap: CONTEXT_CAP,
  },
  x: {
    world: xWorld(),
    pull: (base: string, extra: Partial<PullOptions>) => pullX('world', '@world', options(base, { env: { X_BEARER_TOKEN: X_TOKEN }, now: PLATFORMS.x.world.end, ...extra })),
    cap: Number.POSITIVE_INFINITY,
  },
} as const;

function options(apiBase: string, extra: Partial<PullOptions>): PullOptions {
  return { ...DEFAULT_PULL, apiBase, env: {}, userAgent: 'engage-audit/test', retryBaseMs: 1, ...extra };
}

/** The fake X API's tier: full-archive search unless `archive` is false. */
const xTier = (archive = true): XTier => ({ now: PLATFORMS.x.world.end, token: X_TOKEN, archive });

async function pulled(platform: keyof typeof PLATFORMS, extra: Partial<PullOptions> = {}, archive = true): Promise<{ dataset: Dataset; server: WorldServer }> {
  const p = PLATFORMS[platform];
  const server = platform === 'x' ? await serveWorld(p.world, 'x', xTier(archive)) : await serveWorld(p.world, platform);
  servers.push(server);
  return { dataset: await p.pull(server.url, extra), server };
}

const report = (dataset: Dataset, world: World): Promise<Report> => audit(dataset, { asOf: world.end, generatedAt: 'x' });

/** The world's posts in the order the brief asks threads to be fetched: most replies first, ties newest first. */
function threadOrder(world: World): string[] {
  return world.posts
    .filter((p) => p.kind === 'original' && countsOf(world, p.id).replies > 0)
    .sort((a, b) => countsOf(world, b.id).replies - countsOf(world, a.id).replies || b.time - a.time)
    .map((p) => p.id);
}

/** The figures the report should give when exactly `threads` threads, and the likers and reposters of `lists` posts, were fetched. */
function expected(world: World, threads: ReadonlySet<string>, lists: ReadonlySet<string>, cap: number) {
  const served = [...threads].flatMap((id) => world.replies.filter((r) => r.rootId === id).slice(0, cap));
  const inboundReplies = served.filter((r) => r.depth === 1 && r.actor !== world.self);
  const answered = inboundReplies.filter((r) => served.some((a) => a.actor === world.self && a.parentId === r.id));
  const inbound = new Set([
    ...inboundReplies.map((r) => r.actor),
    ...world.likes.filter((l) => lists.has(l.postId)).map((l) => l.actor),
    ...world.reposts.filter((l) => lists.has(l.postId)).map((l) => l.actor),
  ]);
  // Outbound: the accounts the account answered, from its own posts (all in the feed, whatever was fetched).
  const outbound = new Set(world.posts.filter((p) => p.kind === 'answer').map((p) => p.target!));
  const l1 = new Set([...outbound, ...inbound]);
  const l2 = new Set(served.filter((r) => r.depth === 2 && r.actor !== world.self && !l1.has(r.actor)).map((r) => r.actor));
  const l3 = new Set(served.filter((r) => r.depth >= 3 && r.actor !== world.self && !l1.has(r.actor) && !l2.has(r.actor)).map((r) => r.actor));
  return {
    inboundReplies: inboundReplies.length,
    answered: answered.length,
    responseRate: answered.length / inboundReplies.length,
    engaged: inbound.size,
    l1: l1.size,
    l1Inbound: inbound.size,
    twoWay: [...outbound].filter((a) => inbound.has(a)).length,
    l2: l2.size,
    l3: l3.size,
  };
}

function figures(r: Report) {
  const { responsiveness: rs, layers: l, engagement: e } = r.metrics;
  return {
    inboundReplies: rs.inboundReplies,
    answered: rs.answered,
    responseRate: rs.responseRate,
    engaged: e.engagedAudience.accounts,
    l1: l.l1,
    l1Inbound: l.l1Inbound,
    twoWay: l.twoWay,
    l2: l.l2,
    l3: l.l3,
  };
}

const originals = (world: World) => world.posts.filter((p) => p.kind === 'original');
const withAny = (world: World, kind: 'likes' | 'reposts') => originals(world).filter((p) => countsOf(world, p.id)[kind] > 0);

describe('the world', () => {
  it('is as the tests need it: 240 posts over 80 days, 84 replies received, liker lists longer than a page', () => {
    const world = PLATFORMS.bluesky.world;
    expect(originals(world)).toHaveLength(240);
    expect(world.replies.filter((r) => r.depth === 1)).toHaveLength(84);
    expect(Math.max(...originals(world).map((p) => countsOf(world, p.id).likes))).toBeGreaterThan(100);
    expect(Math.max(...originals(world).map((p) => countsOf(world, p.id).replies))).toBeGreaterThan(CONTEXT_CAP);
    const replied = world.replies.filter((r) => r.depth === 1).map((r) => r.time);
    expect(Math.max(...replied) - Math.min(...replied)).toBeGreaterThan(60 * 86_400_000);
  });
});

describe.each(['bluesky', 'mastodon', 'x'] as const)('%s: a pull with the default budget', (platform) => {
  it('fetches every thread, liker and reposter list once: exact figures, coverage complete, in every format', async () => {
    const { world, cap } = PLATFORMS[platform];
    const { dataset, server } = await pulled(platform);
    const r = await report(dataset, world);
    const everyPost = new Set(originals(world).map((p) => p.id));
    const want = expected(world, everyPost, everyPost, cap);
    for (const figure of [want.answered, want.twoWay, want.l2, want.l3]) expect(figure).toBeGreaterThan(0);
    expect(figures(r)).toEqual(want);
    const threads = threadOrder(world).length;
    const capped = platform === 'mastodon' ? 1 : 0;
    expect(r.input.coverage).toEqual({
      replies: { needed: threads, fetched: threads, cut: null, capped },
      likes: { needed: withAny(world, 'likes').length, fetched: withAny(world, 'likes').length, cut: null, capped: 0 },
      reposts: { needed: withAny(world, 'reposts').length, fetched: withAny(world, 'reposts').length, cut: null, capped: 0 },
      complete: capped === 0,
      partialMetrics: capped === 0 ? [] : expect.arrayContaining(['responsiveness.responseRate', 'layers.l2', 'engagement.engagedAudience']),
    });
    // A thread the server cut short (Mastodon's 60 public descendants) leaves the figures partial.
    expect(r.input.complete).toBe(capped === 0);
    // No URL asked twice.
    expect([...server.counts].filter(([, n]) => n > 1)).toEqual([]);

    const table = await render(r, 'table');
    // Likes given come from the profile on a pull (n/a with the reason where the platform has none).
    expect(table.replace(/\s+/g, ' ')).toMatch(r.metrics.reciprocity.likesGiven === null ? /likes given n\/a \(.+\)/ : /likes given [\d,]+ \(the profile\)/);
    if (capped === 0) {
      expect(table).toContain(`Who interacted: complete (${threads} threads`);
      expect(table.match(/complete/g)).toHaveLength(1);
      expect(table).not.toMatch(/\(from /);
    } else {
      expect(table).toContain(`Who interacted: partial: ${threads} of ${threads} threads`);
      expect(table).toContain('1 thread answered only in part by the server');
      expect(table).toContain('(from 1 thread cut short by the server)');
      expect(r.input.warnings.join(' ')).toMatch(/with MASTODON_TOKEN a Mastodon server sends up to 4096 replies a thread instead of 60/);
    }
    const [row] = parse(await render(r, 'csv'), { columns: true }) as Array<Record<string, string>>;
    expect(row).toMatchObject({ replies_fetched: String(threads), replies_needed: String(threads) });
  });
});

describe.each(['bluesky', 'mastodon', 'x'] as const)('%s: a pull with a small budget', (platform) => {
  it('fetches the threads with most replies first, says what it left out, and counts exactly what it fetched', async () => {
    const { world, cap } = PLATFORMS[platform];
    const budget = 10;
    const { dataset, server } = await pulled(platform, { budget });
    const r = await report(dataset, world);
    const order = threadOrder(world);
    const fetched = new Set(order.slice(0, budget));
    expect(figures(r)).toEqual(expected(world, fetched, new Set(), cap));
    // A gate never passes on part of the window: even --fail-under 0 fails, unless partial figures are allowed.
    expect(gateReport(r, { failUnder: 0 })).toMatchObject({ exitCode: 1, reasons: [expect.stringMatching(/^the pull fetched only part of who interacted \(replies 10 of 23/)] });
    expect(gateReport(r, { failUnder: 0, allowPartial: true }).exitCode).toBe(0);
    expect(r.input.coverage).toMatchObject({
      replies: { needed: order.length, fetched: budget, cut: 'budget' },
      likes: { needed: withAny(world, 'likes').length, fetched: 0, cut: 'budget' },
      reposts: { needed: withAny(world, 'reposts').length, fetched: 0, cut: 'budget' },
      complete: false,
    });
    expect(r.input.coverage!.partialMetrics).toEqual(expect.arrayContaining(['responsiveness.responseRate', 'layers.l2', 'layers.twoWay', 'engagement.engagedAudience', 'topInteractors.inbound']));
    expect(r.input.complete).toBe(false);
    expect(r.input.warnings).toContain(
      `Threads of ${order.length - budget} of ${order.length} posts with replies were not fetched (--budget ${budget} reached): responsiveness, layers and two-way count only the fetched ones.`,
    );
    // The requests after the pages: exactly the budget, each once.
    const perPost = [...server.counts.keys()].filter((u) => /getPostThread|getLikes|getRepostedBy|\/context|favourited_by|reblogged_by|search\/|liking_users|retweeted_by/.test(u));
    expect(perPost).toHaveLength(budget);
    expect([...server.counts.values()].every((n) => n === 1)).toBe(true);

    const table = await render(r, 'table');
    expect(table.replace(/\s+/g, ' ')).toContain(`(from ${budget} of ${order.length} threads${Number.isFinite(cap) ? ', 1 thread cut short by the server' : ''})`);
    expect(table).toContain(`Who interacted: partial: ${budget} of ${order.length} threads`);
    for (const format of ['markdown', 'html'] as const) {
      const text = await render(r, format);
      expect(text).toContain(`(from ${budget} of ${order.length} threads`);
      expect(text).toContain('Engaged audience'); // as in the table and CSV
    }
    // The audits graded from who interacted say so, in every format (they share the displayValue).
    const graded = (id: string) => r.audits.find((a) => a.id === id)!;
    for (const id of ['responsiveness', 'two-way']) expect(graded(id).displayValue).toMatch(/\(partial: from what the pull fetched\)$/);
    expect(graded('follow-ratio').displayValue).not.toMatch(/partial/);
    const [row] = parse(await render(r, 'csv'), { columns: true }) as Array<Record<string, string>>;
    expect(row).toMatchObject({ replies_fetched: String(budget), replies_needed: String(order.length), likes_fetched: '0', complete: 'false' });
  });
});

describe('x: the reach of the access tier', () => {
  const { world, cap } = PLATFORMS.x;
  const DAY = 86_400_000;
  const threads = threadOrder(world);
  const timeOf = (id: string): number => world.posts.find((p) => p.id === id)!.time;

  it('the X world fits the default budget of 150 requests, and most of its threads are older than 7 days', () => {
    // A thread is one request (no conversation holds over 100 posts); a liker or reposter list, one request a page of 100.
    expect(Math.max(...threads.map((id) => world.replies.filter((r) => r.rootId === id).length))).toBeLessThanOrEqual(100);
    const pages = (kind: 'likes' | 'reposts') => withAny(world, kind).reduce((n, p) => n + Math.ceil(countsOf(world, p.id)[kind] / 100), 0);
    expect(threads.length + pages('likes') + pages('reposts')).toBeLessThanOrEqual(150);
    expect(threads.filter((id) => timeOf(id) < world.end - 7 * DAY).length).toBeGreaterThan(threads.length / 2);
  });

  it('without full-archive search: one refused request, threads of the last 7 days only, the rest unreachable with the reason', async () => {
    const { dataset, server } = await pulled('x', {}, false);
    const r = await report(dataset, world);
    const recent = threads.filter((id) => timeOf(id) >= world.end - 7 * DAY);
    expect(recent.length).toBeGreaterThan(0);
    const everyPost = new Set(originals(world).map((p) => p.id));
    expect(figures(r)).toEqual(expected(world, new Set(recent), everyPost, cap));
    expect(r.input.coverage).toMatchObject({
      replies: { needed: threads.length, fetched: recent.length, cut: 'unreachable', capped: 0 },
      likes: { needed: withAny(world, 'likes').length, fetched: withAny(world, 'likes').length, cut: null },
      reposts: { needed: withAny(world, 'reposts').length, fetched: withAny(world, 'reposts').length, cut: null },
      complete: false,
    });
    expect(r.input.complete).toBe(false);
    const missing = threads.length - recent.length;
    expect(r.input.warnings.join('\n')).toMatch(
      new RegExp(
        `Threads of ${missing} of ${threads.length} posts with replies were not fetched \\(This token's X API access tier cannot call full-archive search \\(GET /2/tweets/search/all\\) \\(.*403 When authenticating requests .*\\): replies to posts older than the 7 days recent search reaches are out of reach\\): responsiveness, layers and two-way count only the fetched ones\\.`,
      ),
    );
    const asked = (path: string) => [...server.counts].filter(([u]) => u.startsWith(path)).reduce((n, [, c]) => n + c, 0);
    expect(asked('/2/tweets/search/all')).toBe(1);
    expect(asked('/2/tweets/search/recent')).toBe(recent.length);
    expect([...server.counts].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('with full-archive search, each older thread is asked from its post\'s own time', async () => {
    const { server } = await pulled('x');
    const archived = [...server.counts.keys()].filter((u) => u.startsWith('/2/tweets/search/all?')).map((u) => new URL(u, 'http://h').searchParams);
    expect(archived.map((q) => q.get('query')!.replace('conversation_id:', '')).sort()).toEqual(threads.filter((id) => timeOf(id) < world.end - 7 * DAY).sort());
    for (const q of archived) expect(q.get('start_time')).toBe(new Date(timeOf(q.get('query')!.replace('conversation_id:', ''))).toISOString().replace('.000Z', 'Z'));
  });
});

describe('saved datasets', () => {
  it('keep the coverage of the pull; older files without it read as unknown', async () => {
    const { world } = PLATFORMS.bluesky;
    const { dataset } = await pulled('bluesky', { budget: 10 });
    const text = (await savedText(dataset, { limit: 1 << 30 })).pieces.join('');
    const saved = parseSavedDataset(text, 'saved.json');
    expect(saved.coverage?.replies).toEqual({ needed: threadOrder(world).length, fetched: 10, cut: 'budget', capped: 0 });
    const again = await report(datasetFromSaved(saved, 'saved.json'), world);
    expect(again.input.coverage?.replies.fetched).toBe(10);
    expect(again.input.complete).toBe(false);
    const { coverage: _, ...older } = saved;
    const old = await report(datasetFromSaved(parseSavedDataset(JSON.stringify(older), 'old.json'), 'old.json'), world);
    expect(old.input.coverage).toBeUndefined();
  });
});

describe('the command line', () => {
  const world = PLATFORMS.bluesky.world;
  const cli = async (...flags: string[]) => {
    const server = await serveWorld(world, 'bluesky');
    servers.push(server);
    return runCli(['@world.test', '--platform', 'bluesky', '--api-base', server.url, '--json', '--as-of', new Date(world.end).toISOString(), ...flags]);
  };

  it('--budget N caps the requests; out of 0..100000 it is a usage error', async () => {
    const small = await cli('--budget', '5');
    expect((JSON.parse(small.stdout) as Report).input.coverage?.replies).toMatchObject({ fetched: 5, cut: 'budget' });
    for (const bad of ['100001', '-1', '2.5', 'many', '1e3', '0x10']) {
      const r = await runCli(['@world.test', '--budget', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--budget "${bad}": give a whole number from 0 to 100000`);
    }
  });

  it('--threads 0 is --budget 0; any other --threads N limits nothing, with a note', async () => {
    const none = await cli('--threads', '0');
    const r0 = JSON.parse(none.stdout) as Report;
    expect(r0.input.coverage).toBeUndefined();
    expect(r0.input.availability['replyThreads']).toBe('Threads were not fetched (--budget 0).');
    expect(none.stderr).not.toContain('--threads');
    const three = await cli('--threads', '3');
    expect(three.stderr).toContain('engage-audit: note: --threads 3 no longer limits anything');
    expect((JSON.parse(three.stdout) as Report).input.coverage?.complete).toBe(true);
  });
});
