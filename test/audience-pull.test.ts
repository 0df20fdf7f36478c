/**
 * `--audience`: live pulls read the follower and following lists and the followers' profiles. A world
 * whose every follower's profile is known is served as Bluesky, Mastodon and X on 127.0.0.1; the
 * expected ids, order and profiles are computed here from the world's own list, with each platform's
 * quirks (Mastodon's date-only last_status_at, X's snowflake ids, Bluesky's pinned posts and reposts).
 * A list read only in part (`--audience-cap`, a 429) still gives the newest followers' audience quality
 * (method newest, partial) and, newest first, the new followers to thank.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pullBluesky } from '../src/sources/bluesky/index.js';
import { pullMastodon } from '../src/sources/mastodon/index.js';
import { pullX } from '../src/sources/x-api/index.js';
import { DEFAULT_PULL, type PullEvent, type PullOptions } from '../src/sources/api-common.js';
import { datasetFromSaved, parseSavedDataset, savedText } from '../src/sources/saved-dataset.js';
import { mulberry32, seededSample } from '../src/sources/pull-audience.js';
import { pullAccount } from '../src/sources/pull-account.js';
import { CAPABILITY_KEYS, type Declaration } from '../src/model/capabilities.js';
import type { Dataset, FollowerProfile } from '../src/model/dataset.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, withTempDir } from './helpers.js';
import { makeWorld, serveWorld, type World, type WorldServer } from './support/world.js';
import { didOf, generatedAudience, handMadeAudience, mastodonIdOf, xIdOf, type FollowerClass, type WorldAudience, type WorldFollower } from './support/audience-world.js';
import type { Report } from '../src/model/report.js';

const servers: WorldServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const NOW = Date.UTC(2025, 3, 1);
const X_TOKEN = 'world-bearer-token';
const iso = (ms: number): string => new Date(ms).toISOString();
const midnight = (ms: number): string => `${iso(ms).slice(0, 10)}T00:00:00.000Z`;

type Platform = 'bluesky' | 'mastodon' | 'x';

const WORLDS: Record<Platform, { self: string; name: (i: number) => string }> = {
  bluesky: { self: 'world.test', name: (i) => `p${i}.test` },
  mastodon: { self: 'world@social.example', name: (i) => `p${i}@remote.example` },
  x: { self: 'world', name: (i) => `user${i}` },
};

function world(platform: Platform, audience: WorldAudience): World {
  return { ...makeWorld(WORLDS[platform].self, WORLDS[platform].name), audience };
}

async function pull(platform: Platform, w: World, extra: Partial<PullOptions> = {}): Promise<{ dataset: Dataset; server: WorldServer; events: PullEvent[] }> {
  const server = platform === 'x' ? await serveWorld(w, 'x', { now: NOW, token: X_TOKEN, archive: true }) : await serveWorld(w, platform);
  servers.push(server);
  const events: PullEvent[] = [];
  const options: PullOptions = {
    ...DEFAULT_PULL,
    apiBase: server.url,
    env: platform === 'x' ? { X_BEARER_TOKEN: X_TOKEN } : {},
    userAgent: 'engage-audit/test',
    retryBaseMs: 1,
    maxWaitMs: 1000,
    budget: 0,
    now: NOW,
    audience: { sample: 1000, seed: 1 },
    onEvent: (e) => events.push(e),
    ...extra,
  };
  const dataset =
    platform === 'bluesky'
      ? await pullBluesky('world.test', '@world.test', options)
      : platform === 'mastodon'
        ? await pullMastodon('world', 'social.example', '@world@social.example', options)
        : await pullX('world', '@world', options);
  return { dataset, server, events };
}

/** The platform's id of a world account. */
const idOf: Record<Platform, (name: string) => string> = { bluesky: didOf, mastodon: mastodonIdOf, x: xIdOf };

/** A follower's profile as each platform shows it, computed from the world. */
function expectedProfile(platform: Platform, f: WorldFollower): FollowerProfile {
  const counts = { posts: f.posts, followers: f.followers, following: f.following };
  if (platform === 'bluesky') {
    const handle = `${f.name}.bsky.social`;
    return { id: didOf(f.name), handle, url: `https://bsky.app/profile/${handle}`, createdAt: iso(f.createdAt), lastPostAt: f.lastPostAt === null ? null : iso(f.lastPostAt), ...counts, bot: f.bot };
  }
  if (platform === 'mastodon') {
    const last = f.lastPostAt === null ? null : f.fullTime ? iso(f.lastPostAt) : midnight(f.lastPostAt);
    return { id: mastodonIdOf(f.name), handle: `${f.name}@remote.example`, url: `https://remote.example/@${f.name}`, createdAt: midnight(f.createdAt), lastPostAt: last, ...counts, bot: f.bot };
  }
  return { id: xIdOf(f.name), handle: f.name, url: `https://x.com/${f.name}`, createdAt: iso(f.createdAt), lastPostAt: f.lastPostAt === null ? null : iso(f.lastPostAt), ...counts, bot: null };
}

/** Profiles compared field by field, whatever the key order. */
const sorted = (p: FollowerProfile): Record<string, unknown> => Object.fromEntries(Object.entries(p).sort(([a], [b]) => a.localeCompare(b)));

describe('--audience reads the whole lists and every follower of a small account', () => {
  for (const platform of ['bluesky', 'mastodon', 'x'] as const) {
    it(`${platform}: ids and order as listed, every profile as the world has it`, async () => {
      const audience = handMadeAudience(NOW);
      const { dataset } = await pull(platform, world(platform, audience));
      expect(dataset.followerIds).toEqual(audience.followers.map((f) => idOf[platform](f.name)));
      expect(dataset.followingIds).toEqual(audience.following.map(idOf[platform]));
      const a = dataset.audience!;
      expect(a.listed).toBe(36);
      expect(a.total).toBe(500); // the profile's count
      expect(a.cut).toBeNull();
      expect(a.method).toBe('all');
      expect(a.seed).toBeNull();
      expect(a.profiles.map(sorted)).toEqual(audience.followers.map((f) => sorted(expectedProfile(platform, f))));
      expect(dataset.state.complete).toBe(true);
      expect(dataset.availability['followerIds']).toBeUndefined();
      expect(dataset.availability['followingIds']).toBeUndefined();
      expect(dataset.availability['followerProfiles']).toBeUndefined();
      if (platform === 'x') {
        // X does not document the order of its lists: no newest followers are named.
        expect(a.order).toBe('unknown');
        expect(a.newest).toEqual([]);
        expect(dataset.availability['followerOrder']).toMatch(/order/);
      } else {
        expect(a.order).toBe('newest-first');
        expect(a.newest.map((l) => l.id)).toEqual(dataset.followerIds);
        expect(dataset.availability['followerOrder']).toBeUndefined();
      }
    });
  }

  it('Bluesky: a bot label counts only when self-declared; a pinned post is skipped and a repost counts when made', async () => {
    const audience = handMadeAudience(NOW);
    const { dataset } = await pull('bluesky', world('bluesky', audience));
    const byId = new Map(dataset.audience!.profiles.map((p) => [p.id, p]));
    // Real followers labelled `bot` by a labeler stay not bots; self-labelled ones are.
    const labelled = audience.followers.filter((f, i) => f.cls === 'real' && i % 7 === 0);
    expect(labelled.length).toBeGreaterThan(0);
    for (const f of labelled) expect(byId.get(didOf(f.name))!.bot).toBe(false);
    for (const f of audience.followers.filter((x) => x.pinned || x.reposted)) expect(byId.get(didOf(f.name))!.lastPostAt).toBe(iso(f.lastPostAt!));
  });

  it('no --audience: not one follower request, and the lists are declared not pulled', async () => {
    const { dataset, server } = await pull('bluesky', world('bluesky', handMadeAudience(NOW)), { audience: undefined });
    const asked = [...server.counts.keys()];
    expect(asked.some((k) => /getFollow|getProfiles/.test(k))).toBe(false);
    expect(asked.some((k) => k.includes('getAuthorFeed') && !k.includes('worldtest'))).toBe(false);
    expect(dataset.audience).toBeNull();
    expect(dataset.followerIds).toBeNull();
    expect(dataset.availability['followerProfiles']).toMatch(/--audience/);
  });
});

describe('--audience samples a large Bluesky audience', () => {
  const big = generatedAudience(20_000, 7, NOW);

  it('reads every id, details a seeded uniform sample of --sample, the same for the same seed', async () => {
    const w = world('bluesky', big);
    const { dataset, server } = await pull('bluesky', w);
    expect(dataset.followerIds).toEqual(big.followers.map((f) => didOf(f.name)));
    const a = dataset.audience!;
    expect(a.method).toBe('sample');
    expect(a.seed).toBe(1);
    expect(a.listed).toBe(20_000);
    expect(a.profiles).toHaveLength(1000);
    const byDid = new Map(big.followers.map((f) => [didOf(f.name), f]));
    expect(new Set(a.profiles.map((p) => p.id)).size).toBe(1000);
    for (const p of a.profiles) expect(sorted(p)).toEqual(sorted(expectedProfile('bluesky', byDid.get(p.id!)!)));
    // 25 actors a getProfiles request; one feed request per sampled follower with posts.
    const requests = (part: string): number => [...server.counts].filter(([k]) => k.includes(part)).reduce((n, [, c]) => n + c, 0);
    expect(requests('getProfiles')).toBe(40);
    expect(requests('getAuthorFeed?actor=did%3Aplc%3Af')).toBe(a.profiles.filter((p) => p.posts! > 0).length);
    expect(dataset.state.complete).toBe(true);
    // Uniform: the sampled share of bots is near the list's (10%; 1000 draws: ±5 points is over 5 standard deviations).
    const share = (list: readonly { bot: boolean | null }[]): number => list.filter((p) => p.bot).length / list.length;
    expect(Math.abs(share(a.profiles) - share(big.followers))).toBeLessThan(0.05);

    const again = (await pull('bluesky', w)).dataset.audience!;
    expect(again.profiles.map((p) => p.id)).toEqual(a.profiles.map((p) => p.id));
    const other = (await pull('bluesky', w, { audience: { sample: 1000, seed: 2 } })).dataset.audience!;
    expect(other.seed).toBe(2);
    const overlap = other.profiles.filter((p) => a.profiles.some((q) => q.id === p.id)).length;
    expect(overlap).toBeLessThan(200); // two independent 5% samples share about 50
  }, 30_000);

  it('seededSample draws without replacement, repeatably, with each item about equally often', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(seededSample(items, 10, 3)).toEqual(seededSample(items, 10, 3));
    expect(seededSample(items, 10, 3)).not.toEqual(seededSample(items, 10, 4));
    expect(seededSample(items, 60, 3)).toEqual(items);
    const hits = new Array<number>(50).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const i of seededSample(items, 10, seed)) hits[i]!++;
    // Each item: 2000 × 10/50 = 400 expected.
    for (const h of hits) expect(Math.abs(h - 400)).toBeLessThan(100);
    const r = mulberry32(1);
    expect(Array.from({ length: 3 }, r)).toEqual(Array.from({ length: 3 }, mulberry32(1)));
  });
});

describe('--audience stopped or refused keeps the rest, and says so', () => {
  it('Mastodon: a 429 mid-list keeps the followers read, cut rate-limit, the list not held, the input incomplete', async () => {
    const audience = { ...generatedAudience(400, 3, NOW), rateLimitFromPage: 2 };
    const { dataset } = await pull('mastodon', world('mastodon', audience));
    const a = dataset.audience!;
    expect(a.cut).toBe('rate-limit');
    expect(a.listed).toBe(160);
    expect(a.method).toBe('newest');
    expect(a.profiles.map((p) => p.id)).toEqual(audience.followers.slice(0, 160).map((f) => mastodonIdOf(f.name)));
    expect(dataset.followerIds).toBeNull();
    expect(dataset.availability['followerIds']).toMatch(/in part.*rate limit/);
    // The newest followers' profiles are held (method newest, the input incomplete).
    expect(dataset.availability['followerProfiles']).toBeUndefined();
    expect(dataset.state.complete).toBe(false);
    expect(dataset.state.warnings.join(' ')).toMatch(/Read 160 of 500 accounts of the followers list \(stopped by a rate limit\)/);
  });

  it('Bluesky: a 429 mid-list fetches no profile after it', async () => {
    const audience = { ...generatedAudience(400, 3, NOW), rateLimitFromPage: 2 };
    const { dataset, server } = await pull('bluesky', world('bluesky', audience));
    expect(dataset.audience!.cut).toBe('rate-limit');
    expect(dataset.audience!.listed).toBe(200);
    expect(dataset.audience!.profiles).toEqual([]);
    expect([...server.counts.keys()].some((k) => k.includes('getProfiles'))).toBe(false);
    expect(dataset.state.complete).toBe(false);
    // The audit's n/a says why there is no profile: the rate limit, not a vague failure.
    expect(dataset.availability['followerProfiles']).toBe('No follower profile was fetched (stopped by a rate limit).');
  });

  it('--audience-cap cuts the list: the newest read, cut budget', async () => {
    const audience = generatedAudience(400, 3, NOW);
    const { dataset } = await pull('mastodon', world('mastodon', audience), { audience: { sample: 1000, seed: 1, cap: 100 } });
    expect(dataset.audience!.cut).toBe('budget');
    expect(dataset.audience!.listed).toBe(100);
    expect(dataset.state.warnings.join(' ')).toMatch(/--audience-cap 100 reached/);
  });

  for (const hidden of ['empty', 'forbidden'] as const) {
    it(`Mastodon: collections hidden (${hidden}) → no audience, with the reason, not 0 followers`, async () => {
      const { dataset } = await pull('mastodon', world('mastodon', { ...handMadeAudience(NOW), hidden }));
      expect(dataset.audience).toBeNull();
      expect(dataset.followerIds).toBeNull();
      expect(dataset.availability['followerProfiles']).toMatch(hidden === 'empty' ? /empty followers list though the profile counts 500/ : /refused/);
      expect(dataset.account.followers).toBe(500);
      expect(dataset.state.warnings.join(' ')).toMatch(/--audience read nothing/);
    });
  }

  it('X: a tier that refuses the lists → audience unavailable with the reason, the posts kept', async () => {
    const { dataset } = await pull('x', world('x', { ...handMadeAudience(NOW), hidden: 'forbidden' }));
    expect(dataset.audience).toBeNull();
    expect(dataset.availability['followerProfiles']).toMatch(/access tier/);
    let posts = 0;
    for await (const b of dataset.posts) posts += b.length;
    expect(posts).toBeGreaterThan(200);
  });

  it('a platform that lists no followers: one note, no request, the reason declared', async () => {
    const events: PullEvent[] = [];
    const held = Object.fromEntries(CAPABILITY_KEYS.map((k) => [k, true])) as Declaration;
    const dataset = await pullAccount(
      {
        platform: 'threads',
        name: 'threads:@someone',
        what: 'threads',
        lookup: async () => ({ account: { id: '1', handle: 'someone', displayName: null, followers: 10, following: 3, posts: 1 }, self: null }),
        fetchPage: async () => ({ items: [{}], next: undefined }),
        mapItem: () => ({ id: 'a', createdAt: iso(NOW), kind: 'original', mentions: [], client: null, metrics: { likes: 1, replies: 0, reposts: 0, quotes: 0, impressions: null } }),
        threads: null,
        budget: 0,
        declare: () => held,
      },
      'threads:@someone',
      { ...DEFAULT_PULL, env: {}, userAgent: 'engage-audit/test', audience: { sample: 1000, seed: 1 }, onEvent: (e) => events.push(e) },
    );
    expect(events.filter((e) => e.type === 'note').map((e) => (e as { message: string }).message)).toEqual(["--audience: The Threads API does not list an account's followers; nothing was read."]);
    expect(dataset.availability['followerProfiles']).toMatch(/does not list/);
    expect(dataset.audience).toBeNull();
  });
});

describe('saved datasets keep the audience', () => {
  it('pull -o writes it and reading back gives the same; --redact pseudonymises ids and handles and drops addresses', async () => {
    const audience = handMadeAudience(NOW);
    const { dataset } = await pull('mastodon', world('mastodon', audience));
    const kept = dataset.audience!;
    const text = (await savedText(dataset, { limit: 50_000_000 })).pieces.join('');
    const back = datasetFromSaved(parseSavedDataset(text, 'saved'), 'saved');
    expect(back.audience).toEqual(kept);
    expect(back.followerIds).toEqual(dataset.followerIds);
    expect(back.availability).toEqual(dataset.availability);

    const { dataset: again } = await pull('mastodon', world('mastodon', audience));
    const redacted = (await savedText(again, { redact: true, limit: 50_000_000 })).pieces.join('');
    for (const f of audience.followers) {
      expect(redacted).not.toContain(f.name);
      expect(redacted).not.toContain(mastodonIdOf(f.name));
    }
    const saved = parseSavedDataset(redacted, 'redacted');
    // The profiles' ids are the follower list's stand-ins, so the two still match each other.
    expect(saved.audience!.profiles.map((p) => p.id)).toEqual(saved.followerIds);
    expect(saved.audience!.profiles.every((p) => p.url === undefined && p.handle?.startsWith('user-'))).toBe(true);
    expect(saved.audience!.profiles.map((p) => [p.createdAt, p.lastPostAt, p.posts, p.bot])).toEqual(kept.profiles.map((p) => [p.createdAt, p.lastPostAt, p.posts, p.bot]));
  });
});

describe('CLI', () => {
  it('--sample, --seed or --audience-cap without --audience is a usage error; bad numbers are refused', async () => {
    const a = await runCli(['audit', '@someone@example.social', '--sample', '50']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--sample shapes what --audience reads: add --audience/);
    const b = await runCli(['audit', '@someone@example.social', '--audience', '--seed', '-1']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--seed "-1": give a whole number/);
    // A sample is at least 1,000 followers: a smaller one would grade on noise.
    const c = await runCli(['audit', '@someone@example.social', '--audience', '--sample', '999']);
    expect(c.code).toBe(2);
    expect(c.stderr.split('\n')[0]).toBe('engage-audit: --sample "999": give a whole number from 1000 to 100000');
  });

  it('pull --audience --sample --seed -o saves the audience the options asked for; an export gets a note', async () => {
    const audience = generatedAudience(1500, 9, NOW);
    const server = await serveWorld(world('bluesky', audience), 'bluesky');
    servers.push(server);
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'dataset.json');
      const r = await runCli(['pull', '@world.test', '--api-base', server.url, '--budget', '0', '--audience', '--sample', '1000', '--seed', '5', '-o', file]);
      expect(r.code).toBe(0);
      const saved = parseSavedDataset(await readFile(file, 'utf8'), file);
      expect(saved.followerIds).toEqual(audience.followers.map((f) => didOf(f.name)));
      expect(saved.audience!.method).toBe('sample');
      expect(saved.audience!.seed).toBe(5);
      expect(saved.audience!.profiles.map((p) => p.id)).toEqual(seededSample(saved.followerIds!, 1000, 5));
      const again = await runCli([file, '--json', '--audience']);
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/--audience reads live accounts only: .*dataset\.json is a file/);
    });
  });
});

/** `audit --json --audience` of a world's account through the CLI, as of NOW. */
async function audit(platform: 'bluesky' | 'mastodon', audience: WorldAudience, args: string[]): Promise<Report> {
  const server = await serveWorld(world(platform, audience), platform);
  servers.push(server);
  const r = await runCli(['audit', `@${WORLDS[platform].self}`, '--api-base', server.url, '--as-of', '2025-04-01', '--budget', '0', '--max-wait', '1', '--json', '--audience', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** The newest followers classified, counted by the world's own classes: no margin, no real audience. */
function expectNewest(q: Report['metrics']['audienceQuality'], newest: readonly WorldFollower[]): void {
  const counts = { bot: 0, inactive: 0, massFollower: 0, newEmpty: 0, real: 0, unknown: 0 };
  // The report's name of each class of the world; a follower that never posted is inactive.
  const name = (c: FollowerClass) => (c === 'never-posted' ? 'inactive' : c === 'mass-follower' ? 'massFollower' : c === 'new-empty' ? 'newEmpty' : c);
  for (const f of newest) counts[name(f.cls)]++;
  expect(q.method).toBe('newest');
  expect(q.partial).toBe(true);
  expect(q.listed).toBe(newest.length);
  expect(q.classified).toBe(newest.length);
  expect(q.counts).toEqual(counts);
  expect(q.margins.real).toBeNull();
  expect(q.realAudience).toBeNull();
}

describe('a follower list read in part still gives the newest followers’ audience quality', () => {
  it('Bluesky, --audience-cap 150 of 300: the 150 newest classified, method newest, partial', async () => {
    const audience = generatedAudience(300, 11, NOW);
    const r = await audit('bluesky', audience, ['--audience-cap', '150']);
    const q = r.metrics.audienceQuality;
    expectNewest(q, audience.followers.slice(0, 150));
    expect(r.input.complete).toBe(false);
    expect(r.input.availability['followerIds']).toMatch(/in part/);
    expect(r.input.availability['followerProfiles']).toBeUndefined();
    expect(r.audits.find((a) => a.id === 'audience-quality')!.status).not.toBe('n/a');
  }, 30_000);

  it('Mastodon, a 429 on page 2: the 80 read classified; new followers are the newest read', async () => {
    const audience = { ...generatedAudience(300, 5, NOW), rateLimitFromPage: 1 };
    const r = await audit('mastodon', audience, ['--actions', '5']);
    expectNewest(r.metrics.audienceQuality, audience.followers.slice(0, 80));
    const fresh = r.actions!.find((a) => a.id === 'new-followers')!;
    expect(fresh.unavailable).toBeNull();
    expect(fresh.items.map((i) => i.who)).toEqual(audience.followers.slice(0, 5).map((f) => `${f.name}@remote.example`));
    expect(r.input.availability['followerOrder']).toBeUndefined();
    expect(r.input.availability['followerIds']).toMatch(/in part.*rate limit/);
  }, 30_000);

  it('X, cut: the order stays unknown, so no new followers, but the profiles are held', async () => {
    const { dataset } = await pull('x', world('x', generatedAudience(1500, 4, NOW)), { audience: { sample: 1000, seed: 1, cap: 1000 } });
    expect(dataset.audience!.method).toBe('newest');
    expect(dataset.audience!.profiles).toHaveLength(1000);
    expect(dataset.availability['followerProfiles']).toBeUndefined();
    expect(dataset.availability['followerOrder']).toMatch(/order/);
  });
});

describe('--audience-cap on a list that fits one page', () => {
  it('Mastodon, cap 10 of 36: keeps the 10 newest, cut budget', async () => {
    const audience = handMadeAudience(NOW);
    const { dataset } = await pull('mastodon', world('mastodon', audience), { audience: { sample: 1000, seed: 1, cap: 10 } });
    const a = dataset.audience!;
    expect(a.listed).toBe(10);
    expect(a.cut).toBe('budget');
    expect(a.profiles.map((p) => p.id)).toEqual(audience.followers.slice(0, 10).map((f) => mastodonIdOf(f.name)));
    expect(a.newest.map((l) => l.id)).toEqual(audience.followers.slice(0, 10).map((f) => mastodonIdOf(f.name)));
    expect(dataset.followerIds).toBeNull();
    expect(dataset.state.complete).toBe(false);
    expect(dataset.state.warnings.join(' ')).toMatch(/Read 10 of 500 accounts of the followers list \(--audience-cap 10 reached\)/);
  });

  it('Mastodon, cap 36 of 36: the whole list, not cut', async () => {
    const audience = handMadeAudience(NOW);
    const { dataset } = await pull('mastodon', world('mastodon', audience), { audience: { sample: 1000, seed: 1, cap: 36 } });
    expect(dataset.audience!.cut).toBeNull();
    expect(dataset.followerIds).toHaveLength(36);
  });
});

describe('a whole list that names far more accounts than the profile counts', () => {
  it('is said, as the fewer case is', async () => {
    // The world's profile counts 500 followers; the list names 700.
    const { dataset } = await pull('mastodon', world('mastodon', generatedAudience(700, 2, NOW)));
    expect(dataset.followerIds).toHaveLength(700);
    expect(dataset.state.warnings.filter((w) => /followers list names 700 accounts, more than the 500/.test(w))).toHaveLength(1);
    // Within the tolerance: nothing said.
    const { dataset: near } = await pull('mastodon', world('mastodon', generatedAudience(505, 2, NOW)));
    expect(near.state.warnings.join(' ')).not.toMatch(/followers list names/);
  });
});

describe('without --audience, the platforms that list followers say --audience reads them', () => {
  for (const platform of ['bluesky', 'mastodon', 'x'] as const) {
    it(platform, async () => {
      const { dataset } = await pull(platform, world(platform, handMadeAudience(NOW)), { audience: undefined });
      expect(dataset.availability['followerIds']).toMatch(/--audience/);
      expect(dataset.availability['followingIds']).toMatch(/--audience/);
    });
  }
});
