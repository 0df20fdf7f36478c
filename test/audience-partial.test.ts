/**
 * `--audience` when the follower list is read only in part (`--audience-cap`, a 429 mid-list): the
 * newest followers read still give audience quality (method newest, partial) and the new followers to
 * thank; a cap smaller than one page keeps at most the cap; a list that names more accounts than the
 * profile counts is said. Expected figures come from the world's own classes, not from the code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import { makeWorld, serveWorld, type World, type WorldServer } from './support/world.js';
import { generatedAudience, handMadeAudience, mastodonIdOf, type FollowerClass, type WorldAudience, type WorldFollower } from './support/audience-world.js';
import { pullMastodon } from '../src/sources/mastodon/index.js';
import { pullBluesky } from '../src/sources/bluesky/index.js';
import { pullX } from '../src/sources/x-api/index.js';
import { DEFAULT_PULL, type PullOptions } from '../src/sources/api-common.js';
import type { Dataset } from '../src/model/dataset.js';
import type { Report } from '../src/model/report.js';

const servers: WorldServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const NOW = Date.UTC(2025, 3, 1);
const X_TOKEN = 'world-bearer-token';
type Platform = 'bluesky' | 'mastodon' | 'x';
const SELF: Record<Platform, { self: string; target: string; name: (i: number) => string }> = {
  bluesky: { self: 'world.test', target: '@world.test', name: (i) => `p${i}.test` },
  mastodon: { self: 'world@social.example', target: '@world@social.example', name: (i) => `p${i}@remote.example` },
  x: { self: 'world', target: '@world', name: (i) => `user${i}` },
};

function world(platform: Platform, audience: WorldAudience): World {
  return { ...makeWorld(SELF[platform].self, SELF[platform].name), audience };
}

async function serve(platform: Platform, w: World): Promise<WorldServer> {
  const server = platform === 'x' ? await serveWorld(w, 'x', { now: NOW, token: X_TOKEN, archive: true }) : await serveWorld(w, platform);
  servers.push(server);
  return server;
}

async function audit(platform: 'bluesky' | 'mastodon', audience: WorldAudience, args: string[]): Promise<Report> {
  const server = await serve(platform, world(platform, audience));
  const r = await runCli(['audit', SELF[platform].target, '--api-base', server.url, '--as-of', '2025-04-01', '--budget', '0', '--max-wait', '1', '--json', '--audience', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

async function pull(platform: Platform, audience: WorldAudience, extra: Partial<PullOptions> = {}): Promise<Dataset> {
  const server = await serve(platform, world(platform, audience));
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
    ...extra,
  };
  if (platform === 'bluesky') return pullBluesky('world.test', '@world.test', options);
  if (platform === 'mastodon') return pullMastodon('world', 'social.example', '@world@social.example', options);
  return pullX('world', '@world', options);
}

/** The report's class of each generated class (a follower that never posted is inactive). */
const REPORT_CLASS: Record<FollowerClass, 'bot' | 'inactive' | 'massFollower' | 'newEmpty' | 'real'> = {
  bot: 'bot',
  inactive: 'inactive',
  'never-posted': 'inactive',
  'mass-follower': 'massFollower',
  'new-empty': 'newEmpty',
  real: 'real',
};

function truth(followers: readonly WorldFollower[]): Record<string, number> {
  const counts = { bot: 0, inactive: 0, massFollower: 0, newEmpty: 0, real: 0, unknown: 0 };
  for (const f of followers) counts[REPORT_CLASS[f.cls]]++;
  return counts;
}

describe('a follower list read in part still gives the newest followers’ audience quality', () => {
  it('Bluesky, --audience-cap 150 of 300: the 150 newest classified, method newest, partial', async () => {
    const audience = generatedAudience(300, 11, NOW);
    const r = await audit('bluesky', audience, ['--audience-cap', '150']);
    const q = r.metrics.audienceQuality;
    expect(q.method).toBe('newest');
    expect(q.partial).toBe(true);
    expect(q.listed).toBe(150);
    expect(q.classified).toBe(150);
    expect(q.counts).toEqual(truth(audience.followers.slice(0, 150)));
    expect(q.margins.real).toBeNull();
    expect(q.realAudience).toBeNull();
    expect(r.input.complete).toBe(false);
    expect(r.input.availability['followerIds']).toMatch(/in part/);
    expect(r.input.availability['followerProfiles']).toBeUndefined();
    expect(r.audits.find((a) => a.id === 'audience-quality')!.status).not.toBe('n/a');
  }, 30_000);

  it('Mastodon, a 429 on page 2: the 80 read classified; new followers are the newest read', async () => {
    const audience = { ...generatedAudience(300, 5, NOW), rateLimitFromPage: 1 };
    const r = await audit('mastodon', audience, ['--actions', '5']);
    const q = r.metrics.audienceQuality;
    expect(q.method).toBe('newest');
    expect(q.partial).toBe(true);
    expect(q.listed).toBe(80);
    expect(q.classified).toBe(80);
    expect(q.counts).toEqual(truth(audience.followers.slice(0, 80)));
    const fresh = r.actions!.find((a) => a.id === 'new-followers')!;
    expect(fresh.unavailable).toBeNull();
    expect(fresh.items.map((i) => i.who)).toEqual(audience.followers.slice(0, 5).map((f) => `${f.name}@remote.example`));
    expect(r.input.availability['followerOrder']).toBeUndefined();
    expect(r.input.availability['followerIds']).toMatch(/in part.*rate limit/);
  }, 30_000);

  it('X, cut: the order stays unknown, so no new followers, but the profiles are held', async () => {
    const dataset = await pull('x', generatedAudience(1500, 4, NOW), { audience: { sample: 1000, seed: 1, cap: 1000 } });
    expect(dataset.audience!.method).toBe('newest');
    expect(dataset.audience!.profiles).toHaveLength(1000);
    expect(dataset.availability['followerProfiles']).toBeUndefined();
    expect(dataset.availability['followerOrder']).toMatch(/order/);
  });
});

describe('--audience-cap on a list that fits one page', () => {
  it('Mastodon, cap 10 of 36: keeps the 10 newest, cut budget', async () => {
    const audience = handMadeAudience(NOW);
    const dataset = await pull('mastodon', audience, { audience: { sample: 1000, seed: 1, cap: 10 } });
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
    const dataset = await pull('mastodon', audience, { audience: { sample: 1000, seed: 1, cap: 36 } });
    expect(dataset.audience!.cut).toBeNull();
    expect(dataset.followerIds).toHaveLength(36);
  });
});

describe('a whole list that names far more accounts than the profile counts', () => {
  it('is said, as the fewer case is', async () => {
    // The world's profile counts 500 followers; the list names 700.
    const dataset = await pull('mastodon', generatedAudience(700, 2, NOW));
    expect(dataset.followerIds).toHaveLength(700);
    expect(dataset.state.warnings.filter((w) => /followers list names 700 accounts, more than the 500/.test(w))).toHaveLength(1);
    // Within the tolerance: nothing said.
    const near = await pull('mastodon', generatedAudience(505, 2, NOW));
    expect(near.state.warnings.join(' ')).not.toMatch(/followers list names/);
  });
});

describe('without --audience, the platforms that list followers say --audience reads them', () => {
  for (const platform of ['bluesky', 'mastodon', 'x'] as const) {
    it(platform, async () => {
      const dataset = await pull(platform, handMadeAudience(NOW), { audience: undefined });
      expect(dataset.availability['followerIds']).toMatch(/--audience/);
      expect(dataset.availability['followingIds']).toMatch(/--audience/);
    });
  }
});
