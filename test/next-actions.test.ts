/**
 * Next actions (docs/reports.md "Next actions"). Live pulls of the generated world (Bluesky, Mastodon, X
 * on 127.0.0.1): the replies to answer, the people never answered and the one-way accounts are compared
 * with lists computed here from the world's own record of who did what, with links built here by hand.
 * Hand-written saved datasets: the following list, new followers (newest-first and `--previous`), the
 * formats, the cap and `--redact`.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pullBluesky } from '../src/sources/bluesky/index.js';
import { pullMastodon } from '../src/sources/mastodon/index.js';
import { pullX } from '../src/sources/x-api/index.js';
import { DEFAULT_PULL, type PullOptions } from '../src/sources/api-common.js';
import { buildReport } from '../src/report/build-report.js';
import { DEFAULT_CONFIG } from '../src/model/config.js';
import type { Dataset, SavedDataset } from '../src/model/dataset.js';
import type { ActionList, Report } from '../src/model/report.js';
import { ReportSchema } from '../src/model/report.js';
import { datasetFromSaved, parseSavedDataset, savedText } from '../src/sources/saved-dataset.js';
import { CAPABILITY_KEYS } from '../src/model/capabilities.js';
import { render } from '../src/reporters/index.js';
import { runCli, withTempDir } from './helpers.js';
import { pseudonym } from '../src/lib/pseudonym.js';
import { CONTEXT_CAP, makeWorld, serveWorld, withOutbound, type World, type WorldServer } from './support/world.js';

const servers: WorldServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const X_TOKEN = 'world-bearer-token';
/** Outbound replies: two accounts that never interact (one twice), and two that do (they like and reply). */
const outbound = (name: (i: number) => string) => [name(500), name(501), name(501), name(0), name(3)];

function options(apiBase: string, extra: Partial<PullOptions> = {}): PullOptions {
  return { ...DEFAULT_PULL, apiBase, env: {}, userAgent: 'engage-audit/test', retryBaseMs: 1, ...extra };
}

const did = (actor: string): string => `did:plc:${actor.replace(/[^a-z0-9]/g, '')}`;

/** Per platform: its world, how to pull it, the most replies a thread gives, and the links as the platform's site writes them. */
const PLATFORMS = {
  bluesky: (() => {
    const name = (i: number) => `p${i}.test`;
    const world = withOutbound(makeWorld('world.test', name), outbound(name));
    return {
      world,
      name,
      serve: () => serveWorld(world, 'bluesky'),
      pull: (base: string) => pullBluesky('world.test', '@world.test', options(base)),
      cap: Number.POSITIVE_INFINITY,
      reply: (actor: string, id: string) => `https://bsky.app/profile/${did(actor)}/post/${id}`,
      profile: (actor: string) => `https://bsky.app/profile/${actor}`,
    };
  })(),
  mastodon: (() => {
    const name = (i: number) => `p${i}@remote.example`;
    const world = withOutbound(makeWorld('world@social.example', name), outbound(name));
    return {
      world,
      name,
      serve: () => serveWorld(world, 'mastodon'),
      pull: (base: string) => pullMastodon('world', 'social.example', '@world@social.example', options(base)),
      cap: CONTEXT_CAP,
      reply: (actor: string, id: string) => `https://social.example/@${actor}/${id}`,
      profile: (actor: string) => `https://social.example/@${actor}`,
    };
  })(),
  x: (() => {
    const name = (i: number) => `user${i}`;
    const base = makeWorld('world', name);
    // X's default budget fits a smaller account: every third post keeps its likers (as in pull-coverage.test.ts).
    const kept = new Set(base.posts.filter((p, i) => i % 3 === 0 || base.likes.filter((l) => l.postId === p.id).length > 100).map((p) => p.id));
    const world = withOutbound({ ...base, likes: base.likes.filter((l) => kept.has(l.postId)) }, outbound(name));
    return {
      world,
      name,
      serve: () => serveWorld(world, 'x', { now: world.end, token: X_TOKEN, archive: true }),
      pull: (b: string) => pullX('world', '@world', options(b, { env: { X_BEARER_TOKEN: X_TOKEN }, now: world.end })),
      cap: Number.POSITIVE_INFINITY,
      reply: (actor: string, id: string) => `https://x.com/${actor}/status/${id}`,
      profile: (actor: string) => `https://x.com/${actor}`,
    };
  })(),
};

const ALL = { ...DEFAULT_CONFIG, actions: { max: 1000 } };
const list = (report: Report, id: ActionList['id']): ActionList => report.actions!.find((l) => l.id === id)!;

/** What the world says, as a pull that sees the first `cap` replies of each thread sees it. */
function expected(world: World, cap: number) {
  const served = world.posts.filter((p) => p.kind === 'original').flatMap((p) => world.replies.filter((r) => r.rootId === p.id).slice(0, cap));
  const others = served.filter((r) => r.actor !== world.self);
  const unanswered = others
    .filter((r) => r.depth === 1 && !served.some((a) => a.actor === world.self && a.parentId === r.id))
    .sort((a, b) => b.time - a.time);
  const given = new Map<string, number>();
  for (const who of [...others.map((r) => r.actor), ...world.likes.map((l) => l.actor), ...world.reposts.map((l) => l.actor)]) given.set(who, (given.get(who) ?? 0) + 1);
  // Answered: every account the account replied to (its answers in threads name their authors; its reply posts name them too).
  const repliedTo = new Map<string, number>();
  for (const p of world.posts) if (p.kind === 'answer') repliedTo.set(p.target!, (repliedTo.get(p.target!) ?? 0) + 1);
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([who, count]) => ({ who, count }));
  const engagers = rank(new Map([...given].filter(([who]) => !repliedTo.has(who))));
  const oneWay = rank(new Map([...repliedTo].filter(([who]) => !given.has(who))));
  return { unanswered, engagers, oneWay };
}

describe('next actions from live pulls of the world', () => {
  for (const platform of ['bluesky', 'mastodon', 'x'] as const) {
    it(`${platform}: replies to answer, people never answered and one-way accounts as the world says, with their links`, async () => {
      const p = PLATFORMS[platform];
      const server = await p.serve();
      servers.push(server);
      // Pulled once, read twice through its saved form (a pull's streams are read once).
      const saved = parseSavedDataset((await savedText(await p.pull(server.url), { limit: 1 << 30 })).pieces.join(''), 'pull');
      const report = await buildReport(datasetFromSaved(saved, 'pull'), { asOf: p.world.end, generatedAt: 'x', tool: { name: 'engage-audit', version: 't' }, config: ALL });
      // Every liker and reposter list fetched; replies as the server gives them (Mastodon: `cap` a thread).
      for (const kind of ['likes', 'reposts'] as const) expect(report.input.coverage![kind].fetched).toBe(report.input.coverage![kind].needed);
      const want = expected(p.world, p.cap);

      const replies = list(report, 'unanswered-replies');
      const { inboundReplies, answered } = report.metrics.responsiveness;
      expect(replies.total).toBe(inboundReplies! - answered!); // the report's own unanswered count
      expect(replies.total).toBe(want.unanswered.length);
      expect(replies.items.map((i) => [i.who, i.link])).toEqual(want.unanswered.map((r) => [r.actor, p.reply(r.actor, r.id)]));
      expect(replies.unavailable).toBeNull();
      // Mastodon's context gives a visitor `cap` replies: the list says it may miss some.
      expect(replies.note).toBe(platform === 'mastodon' ? 'Counted from what the pull fetched (1 thread cut short by the server): there may be more.' : null);

      const engagers = list(report, 'unanswered-engagers');
      expect(engagers.items.map((i) => ({ who: i.who, count: i.count }))).toEqual(want.engagers);
      expect(engagers.items.map((i) => i.link)).toEqual(want.engagers.map((e) => p.profile(e.who)));
      expect(engagers.note).toMatch(/following list|cannot tell/); // live pulls without --audience: who is followed is not known

      const oneWay = list(report, 'one-way');
      expect(oneWay.items.map((i) => ({ who: i.who, count: i.count }))).toEqual(want.oneWay);
      expect(oneWay.items.map((i) => i.link)).toEqual(want.oneWay.map((e) => p.profile(e.who)));
      // The world's check on itself: the two who never interact, the one replied to twice first.
      expect(want.oneWay.map((e) => e.who)).toEqual([p.name(501), p.name(500)]);
      expect(want.unanswered.length).toBeGreaterThan(10);
      expect(want.engagers.length).toBeGreaterThan(10);

      expect(ReportSchema.parse(report)).toEqual(report);
      // The default cap (config actions.max 10): the first 10 items, the full count kept.
      const capped = await buildReport(datasetFromSaved(saved, 'pull'), { asOf: p.world.end, generatedAt: 'x', tool: { name: 'engage-audit', version: 't' } });
      for (const l of capped.actions!) expect([l.total, l.items]).toEqual([list(report, l.id).total, list(report, l.id).items.slice(0, 10)]);
    });
  }
});

const ME = 'did:plc:me';
const post = (rkey: string, time: string, counts: { likes: number; replies: number; reposts: number }) => ({
  id: `at://${ME}/app.bsky.feed.post/${rkey}`,
  createdAt: time,
  kind: 'original' as const,
  text: 'hello',
  mentions: [],
  client: null,
  metrics: { ...counts, quotes: 0, impressions: null },
});

/** A Bluesky pull saved by hand: one post with replies by a (answered) and b, likes by c and d, a repost by c; the account follows d. */
function bluesky(over: Partial<SavedDataset> = {}): SavedDataset {
  const uri = `at://${ME}/app.bsky.feed.post/p1`;
  const reply = (actor: string, rkey: string, time: string) => ({ postId: uri, id: `at://did:plc:${actor}/app.bsky.feed.post/${rkey}`, parentId: uri, actor: `${actor}.test`, actorId: `did:plc:${actor}`, kind: 'reply' as const, depth: 1, createdAt: time });
  return {
    kind: 'engage-audit-dataset',
    schemaVersion: 1,
    platform: 'bluesky',
    source: 'api',
    target: '@me.test',
    complete: true,
    warnings: [],
    account: { id: ME, handle: 'me.test', displayName: 'Me', followers: 4, following: 2, posts: 1 },
    capabilities: { inboundIdentities: true, threads: true },
    availability: { impressions: 'Bluesky does not count views.', likesGiven: 'Not listed.', followerProfiles: 'Not read.' },
    declared: [...CAPABILITY_KEYS],
    asOf: '2025-03-10T00:00:00.000Z',
    audience: {
      order: 'newest-first',
      total: 4,
      listed: 4,
      cut: null,
      newest: [{ id: 'did:plc:n1', handle: 'n1.test' }, { id: 'did:plc:n2', handle: 'n2.test', url: 'https://bsky.app/profile/n2.test' }],
      method: 'newest',
      seed: null,
      profiles: [],
    },
    followerIds: ['did:plc:n1', 'did:plc:n2', 'did:plc:c', 'did:plc:d'],
    followingIds: ['did:plc:d', 'did:plc:z'],
    likesGiven: null,
    posts: [post('p1', '2025-03-01T00:00:00.000Z', { likes: 2, replies: 2, reposts: 1 })],
    interactions: [
      reply('a', 'ra', '2025-03-01T01:00:00.000Z'),
      reply('b', 'rb<x>', '2025-03-01T02:00:00.000Z'),
      { postId: uri, id: `at://${ME}/app.bsky.feed.post/ans`, parentId: 'at://did:plc:a/app.bsky.feed.post/ra', actor: 'me.test', actorId: ME, kind: 'reply', depth: 2, createdAt: '2025-03-01T03:00:00.000Z' },
      { postId: uri, actor: 'c.test', actorId: 'did:plc:c', kind: 'like', depth: 1 },
      { postId: uri, actor: 'd.test', actorId: 'did:plc:d', kind: 'like', depth: 1 },
      { postId: uri, actor: 'c.test', actorId: 'did:plc:c', kind: 'repost', depth: 1 },
    ],
    ...over,
  };
}

const reportOf = (saved: SavedDataset, max = 10, previous: { followerIds: string[] | null; asOf: string | null } | null = null): Promise<Report> =>
  buildReport(datasetFromSaved(saved, 'x.json') as Dataset, { generatedAt: 'x', tool: { name: 'engage-audit', version: 't' }, actions: { max, previous } });

describe('next actions from saved datasets', () => {
  it('leaves out those the account answered or follows (matched by id), and lists the newest followers of a newest-first list', async () => {
    const report = await reportOf(bluesky());
    const engagers = list(report, 'unanswered-engagers');
    // a was answered, d is followed: c gave 2 (like, repost), b 1 (reply).
    expect(engagers.items.map((i) => [i.who, i.count, i.link])).toEqual([
      ['c.test', 2, 'https://bsky.app/profile/c.test'],
      ['b.test', 1, 'https://bsky.app/profile/b.test'],
    ]);
    expect(engagers.items[0]!.reason).toBe('gave 1 repost, 1 like; never answered, not followed');
    expect(engagers.note).toBeNull();
    // b's reply has an id no link may carry (`<x>`): said so, not linked.
    const replies = list(report, 'unanswered-replies');
    expect(replies.items.map((i) => [i.who, i.link, i.noLink])).toEqual([['b.test', null, 'no at:// address for this post']]);
    expect(list(report, 'new-followers')).toMatchObject({
      total: 2,
      unavailable: null,
      items: [
        { who: 'n1.test', id: 'did:plc:n1', link: 'https://bsky.app/profile/n1.test' },
        { who: 'n2.test', id: 'did:plc:n2', link: 'https://bsky.app/profile/n2.test' },
      ],
    });
    // Without the following list, d is listed too and the section says what would tell.
    const unknown = list(await reportOf(bluesky({ followingIds: null, availability: { ...bluesky().availability, followingIds: 'Following lists are not pulled.' } })), 'unanswered-engagers');
    expect(unknown.items.map((i) => i.who)).toEqual(['c.test', 'b.test', 'd.test']);
    expect(unknown.note).toBe('Some of them may be accounts this one follows, which the source cannot tell: Following lists are not pulled. Live pulls: --audience reads the following list.');
  });

  it('says why each list is not available instead of an empty list', async () => {
    const availability = { ...bluesky().availability, replyThreads: 'No threads.', inboundIdentities: 'Nobody named.', followerOrder: 'Not in order.' };
    const report = await reportOf(bluesky({ availability, capabilities: { inboundIdentities: false, threads: false }, audience: null }));
    expect(report.actions!.map((l) => [l.id, l.total, l.items.length, l.unavailable])).toEqual([
      ['unanswered-replies', null, 0, 'No threads.'],
      ['unanswered-engagers', null, 0, 'Nobody named.'],
      ['one-way', null, 0, 'Nobody named.'],
      ['new-followers', null, 0, 'Not in order. Give --previous <an earlier saved dataset of the account> to list the followers gained since (both need the follower list).'],
    ]);
  });

  it('caps each list, and --actions 0 leaves the section out of every format', async () => {
    const one = await reportOf(bluesky(), 1);
    expect(list(one, 'unanswered-engagers')).toMatchObject({ total: 2, items: [{ who: 'c.test' }] });
    const none = await reportOf(bluesky(), 0);
    expect(none.actions).toBeUndefined();
    for (const format of ['table', 'markdown', 'html'] as const) expect(await render(none, format)).not.toContain('Next actions');
  });

  it('renders every format: linked, escaped, rel="noopener"; CSV counts per list', async () => {
    const saved = bluesky();
    saved.interactions!.push({ postId: saved.interactions![0]!.postId, actor: '<img src=x>=cmd', actorId: 'did:plc:evil', kind: 'like', depth: 1 });
    const report = await reportOf(saved);
    const html = await render(report, 'html');
    expect(html).toContain('<h2>Next actions</h2>');
    expect(html).toContain('<a href="https://bsky.app/profile/c.test" rel="noopener"><strong>c.test</strong></a>');
    expect(html).toContain('&lt;img src=x&gt;=cmd');
    expect(html).not.toContain('<img');
    expect([...html.matchAll(/<a href="([^"]+)"([^>]*)>/g)].every((m) => m[2] === ' rel="noopener"' && m[1]!.startsWith('https://'))).toBe(true);
    const md = await render(report, 'markdown');
    expect(md).toContain('### People who engage but get nothing back (3)');
    expect(md).toContain('- [c.test](https://bsky.app/profile/c.test): gave 1 repost, 1 like; never answered, not followed');
    expect(md).toContain('\\<img src=x\\>=cmd');
    const table = await render(report, 'table');
    expect(table).toContain('Replies to answer (1)');
    expect(table).toContain('no link: no at:// address for this post');
    const [head, row] = (await render(report, 'csv')).trim().split('\r\n').map((l) => l.split(','));
    const cell = (name: string) => row![head!.indexOf(name)];
    expect([cell('actions_unanswered_replies'), cell('actions_unanswered_engagers'), cell('actions_one_way'), cell('actions_new_followers')]).toEqual(['1', '3', '0', '']); // the newest followers are not counted as new
  });

  it('--previous lists the followers gained since an earlier saved dataset (two X archives saved as datasets), and refuses another account', async () => {
    const x = (followerIds: string[], asOf: string): SavedDataset => ({
      ...bluesky(),
      platform: 'x',
      source: 'archive',
      target: 'archive.zip',
      account: { id: '42', handle: 'me', displayName: null, followers: followerIds.length, following: 1, posts: 1 },
      availability: { followerOrder: 'follower.js does not say when each follower followed.', replyThreads: 'No threads.', inboundIdentities: 'Nobody named.' },
      capabilities: { inboundIdentities: false, threads: false },
      audience: null,
      followerIds,
      followingIds: ['7'],
      asOf,
      posts: [{ ...post('p1', '2025-03-01T00:00:00.000Z', { likes: 0, replies: 0, reposts: 0 }), id: '100' }],
      interactions: null,
    });
    await withTempDir(async (dir) => {
      const before = path.join(dir, 'before.json');
      const now = path.join(dir, 'now.json');
      await writeFile(before, JSON.stringify(x(['1', '2', '3'], '2025-01-01T00:00:00.000Z')));
      await writeFile(now, JSON.stringify(x(['2', '3', '4', '5'], '2025-03-10T00:00:00.000Z')));
      const r = await runCli([now, '--previous', before, '--json']);
      expect(r.code).toBe(0);
      expect(list(JSON.parse(r.stdout) as Report, 'new-followers')).toEqual({
        id: 'new-followers',
        title: 'New followers to thank',
        total: 2,
        items: ['4', '5'].map((id) => ({ who: id, id, link: `https://x.com/i/user/${id}`, noLink: null, reason: 'follows since the earlier dataset of 2025-01-01', count: null, at: null })),
        unavailable: null,
        note: null,
      });
      // Without it, the archive cannot tell, and says what would.
      const alone = JSON.parse((await runCli([now, '--json'])).stdout) as Report;
      expect(list(alone, 'new-followers').unavailable).toMatch(/^follower\.js does not say when each follower followed\. Give --previous/);
      // Another account's dataset is refused, with one line and a hint.
      const other = path.join(dir, 'other.json');
      await writeFile(other, JSON.stringify({ ...x(['1'], '2025-01-01T00:00:00.000Z'), account: { id: '43', handle: 'someone', displayName: null, followers: 1, following: 1, posts: 1 } }));
      const refused = await runCli([now, '--previous', other, '--json']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--previous');
      expect(refused.stderr).toContain('account id 43');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      // --actions 0 leaves `actions` out of the JSON.
      expect(JSON.parse((await runCli([now, '--actions', '0', '--json'])).stdout)).not.toHaveProperty('actions');
    });
  });

  it('--redact keeps the counts and reasons, not the names, ids or links', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'd.json');
      await writeFile(file, JSON.stringify(bluesky()));
      const report = JSON.parse((await runCli([file, '--redact', '--json'])).stdout) as Report;
      const engagers = list(report, 'unanswered-engagers');
      expect(engagers.total).toBe(2);
      expect(engagers.items.every((i) => /^user-[0-9a-f]{12}$/.test(i.who) && i.id === null && i.link === null && i.noLink === 'left out by --redact')).toBe(true);
      expect(JSON.stringify(report.actions)).not.toMatch(/c\.test|did:plc:c|bsky\.app/);
    });
  });
});

describe('--previous: what can be compared with what', () => {
  const write = async (dir: string, name: string, data: unknown): Promise<string> => {
    const file = path.join(dir, name);
    await writeFile(file, typeof data === 'string' ? data : JSON.stringify(data));
    return file;
  };
  /** The earlier dataset: n1 and n2 had not followed yet. */
  const earlier = (over: Partial<SavedDataset> = {}) => bluesky({ asOf: '2025-01-01T00:00:00.000Z', followerIds: ['did:plc:c', 'did:plc:d'], ...over });
  /** `pull --redact`'s stand-in of a follower id, written out here as docs/reports.md says it is made. */
  const stand = (id: string) => pseudonym(`id:${id}`);

  it('refuses a redacted dataset against an unredacted one (either way), and compares two redacted alike', async () => {
    await withTempDir(async (dir) => {
      const now = await write(dir, 'now.json', bluesky());
      const redactedBefore = await write(dir, 'before-r.json', earlier({ followerIds: ['did:plc:c', 'did:plc:d'].map(stand) }));
      const refused = await runCli([now, '--previous', redactedBefore, '--json']);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/--previous .*before-r\.json.*redacted/);
      expect(refused.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      // The other way round too.
      const redactedNow = await write(dir, 'now-r.json', bluesky({ followerIds: bluesky().followerIds!.map(stand) }));
      const plainBefore = await write(dir, 'before.json', earlier());
      expect((await runCli([redactedNow, '--previous', plainBefore, '--json'])).code).toBe(2);
      // Both redacted: the same follower has the same stand-in, so the two new ones are found.
      const both = await runCli([redactedNow, '--previous', redactedBefore, '--json']);
      expect(both.code).toBe(0);
      const gained = list(JSON.parse(both.stdout) as Report, 'new-followers');
      expect([gained.total, gained.items.map((i) => i.id)]).toEqual([2, [stand('did:plc:n1'), stand('did:plc:n2')]]);
    });
  });

  it('refuses another platform (or a redacted dataset) before a live pull sends any request', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"NotFound"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await withTempDir(async (dir) => {
        const mastodon = await write(dir, 'm.json', earlier({ platform: 'mastodon', target: '@me@social.example' }));
        const other = await runCli(['@me.test', '--api-base', base, '--previous', mastodon, '--json']);
        expect([other.code, requests]).toEqual([2, 0]);
        expect(other.stderr).toContain('a mastodon dataset, the target is bluesky');
        const redacted = await write(dir, 'r.json', earlier({ followerIds: [stand('did:plc:c')] }));
        const refused = await runCli(['@me.test', '--api-base', base, '--previous', redacted, '--json']);
        expect([refused.code, requests]).toEqual([2, 0]);
        // A DID names the account: another account's dataset is refused up front too.
        const theirs = await runCli(['did:plc:someone', '--api-base', base, '--previous', await write(dir, 'b.json', earlier()), '--json']);
        expect([theirs.code, requests]).toEqual([2, 0]);
        expect(theirs.stderr).toContain(`account id ${ME}`);
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a file that is not a saved dataset is a usage error in one clean line', async () => {
    await withTempDir(async (dir) => {
      const now = await write(dir, 'now.json', bluesky());
      const zip = await write(dir, 'a.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01]).toString('latin1'));
      const notDataset = await write(dir, 'other.json', { hello: 1 });
      for (const given of [path.join(dir, 'missing.json'), dir, zip, notDataset]) {
        const r = await runCli([now, '--previous', given, '--json']);
        expect(r.code, given).toBe(2);
        const [line] = r.stderr.split('\n');
        expect(line).toContain(`--previous ${given}`);
        expect(line).toContain('is not a saved dataset (engage-audit pull -o)');
        expect(r.stderr).not.toMatch(/PK|\uFFFD|\n\s+at /);
      }
    });
  });

  it('refuses an earlier dataset dated after the audited one', async () => {
    await withTempDir(async (dir) => {
      const now = await write(dir, 'now.json', bluesky());
      const later = await write(dir, 'later.json', earlier({ asOf: '2025-04-01T00:00:00.000Z' }));
      const r = await runCli([now, '--previous', later, '--json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('2025-04-01, after the audited dataset (2025-03-10)');
      // The same date is accepted (nothing gained).
      const same = await write(dir, 'same.json', earlier({ asOf: '2025-03-10T00:00:00.000Z' }));
      expect((await runCli([now, '--previous', same, '--json'])).code).toBe(0);
    });
  });

  it('without --previous the newest followers are not called new: the headline and total count only those shown, CSV counts none', async () => {
    const report = await reportOf(bluesky(), 1);
    const newest = list(report, 'new-followers');
    // Two newest listed, one shown (--actions 1): the pull's own list length says nothing of how many are new.
    expect([newest.title, newest.total, newest.items.length]).toEqual(['Newest followers to thank', 1, 1]);
    expect(await render(report, 'table')).toContain('Newest followers to thank (the 1 newest)');
    expect(await render(report, 'markdown')).toContain('### Newest followers to thank (the 1 newest)');
    const all = await reportOf(bluesky());
    expect(await render(all, 'table')).toContain('Newest followers to thank (the 2 newest)');
    const [head, row] = (await render(all, 'csv')).trim().split('\r\n').map((l) => l.split(','));
    expect(row![head!.indexOf('actions_new_followers')]).toBe('');
  });
});
