/**
 * Audience quality and next actions end to end: a live Bluesky pull with `--audience` through the CLI,
 * against the fake AppView on 127.0.0.1. The expected figures come from the world's own lists (each
 * generated follower's class is known by construction), not from the code under test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli, withTempDir } from './helpers.js';
import { CHROMIUM, dumpDom } from './browser/chromium.js';
import { makeWorld, serveWorld, type World, type WorldServer } from './support/world.js';
import { generatedAudience, handMadeAudience, type FollowerClass, type WorldAudience } from './support/audience-world.js';
import type { Report } from '../src/model/report.js';

const servers: WorldServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const NOW = Date.UTC(2025, 3, 1);
const AS_OF = '2025-04-01';

type Platform = 'bluesky' | 'mastodon' | 'x';
const SELF: Record<Platform, { self: string; name: (i: number) => string; target: string }> = {
  bluesky: { self: 'world.test', name: (i) => `p${i}.test`, target: '@world.test' },
  mastodon: { self: 'world@social.example', name: (i) => `p${i}@remote.example`, target: '@world@social.example' },
  x: { self: 'world', name: (i) => `user${i}`, target: 'x:@world' },
};
const X_TOKEN = 'world-bearer-token';

function world(audience: WorldAudience, platform: Platform = 'bluesky'): World {
  return { ...makeWorld(SELF[platform].self, SELF[platform].name), audience };
}

async function auditText(w: World, args: string[], platform: Platform = 'bluesky'): Promise<string> {
  const server = platform === 'x' ? await serveWorld(w, 'x', { now: NOW, token: X_TOKEN, archive: true }) : await serveWorld(w, platform);
  servers.push(server);
  const env = { SOURCE_DATE_EPOCH: '1767225600', ...(platform === 'x' ? { X_BEARER_TOKEN: X_TOKEN } : {}) };
  const r = await runCli(['audit', SELF[platform].target, '--api-base', server.url, '--as-of', AS_OF, ...args], { env });
  expect(r.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

async function audit(w: World, args: string[], platform: Platform = 'bluesky'): Promise<Report> {
  return JSON.parse(await auditText(w, [...args, '--json'], platform)) as Report;
}

/** The report's class of each of the world's generated classes (a follower that never posted is inactive). */
const REPORT_CLASS: Record<FollowerClass, 'bot' | 'inactive' | 'massFollower' | 'newEmpty' | 'real'> = {
  bot: 'bot',
  inactive: 'inactive',
  'never-posted': 'inactive',
  'mass-follower': 'massFollower',
  'new-empty': 'newEmpty',
  real: 'real',
};

describe('audience quality of hand-classified followers, live', () => {
  for (const platform of ['bluesky', 'mastodon', 'x'] as const) {
    it(`${platform}: the class counts of the world's list, exactly`, async () => {
      const aud = handMadeAudience(NOW);
      const expected = { bot: 0, inactive: 0, massFollower: 0, newEmpty: 0, real: 0 };
      for (const f of aud.followers) expected[REPORT_CLASS[f.cls]]++;
      const q = (await audit(world(aud, platform), ['--budget', '0', '--audience'], platform)).metrics.audienceQuality;
      expect(q.method).toBe('all');
      expect(q.classified).toBe(aud.followers.length);
      if (platform === 'x') {
        // X has no bot flag: a self-declared bot cannot be told, and is classed by the other tests.
        expect(q.counts.bot).toBeNull();
        expect(q.counts.real).toBe(expected.real + expected.bot);
        expect({ ...q.counts, bot: 0, real: 0 }).toEqual({ ...expected, bot: 0, real: 0, unknown: 0 });
      } else {
        expect(q.counts).toEqual({ ...expected, unknown: 0 });
      }
    }, 60_000);
  }
});

describe('audience quality of a 20,000-follower account, sampled', () => {
  const aud = generatedAudience(20_000, 7, NOW);
  const truth = { bot: 0, inactive: 0, massFollower: 0, newEmpty: 0, real: 0 };
  for (const f of aud.followers) truth[REPORT_CLASS[f.cls]]++;

  it('states a margin for each share, and every share is within it of the whole list; the same seed gives the same figures', async () => {
    const args = ['--budget', '0', '--audience', '--sample', '1000', '--seed', '3'];
    const first = await audit(world(aud), args);
    const q = first.metrics.audienceQuality;
    expect(q.method).toBe('sample');
    expect(q.listed).toBe(20_000);
    expect(q.classified).toBe(1000);
    for (const cls of Object.keys(truth) as Array<keyof typeof truth>) {
      const share = q.shares[cls]!;
      const margin = q.margins[cls]!;
      // The stated margin is the 95 % one with the finite-population correction, from the sample itself.
      const p = q.counts[cls]! / 1000;
      expect(margin).toBeCloseTo(1.96 * Math.sqrt((p * (1 - p)) / 1000) * Math.sqrt((20_000 - 1000) / (20_000 - 1)), 6);
      expect(Math.abs(share - truth[cls] / 20_000), `${cls}: ${share} ± ${margin} vs ${truth[cls] / 20_000}`).toBeLessThanOrEqual(margin);
    }
    // The real audience's range holds the true count of real followers (the profile says 500 followers; the
    // range is of the profile's count, so compare shares instead).
    expect(q.realAudienceLow! / 500).toBeLessThanOrEqual(truth.real / 20_000 + 1e-9);
    expect(q.realAudienceHigh! / 500).toBeGreaterThanOrEqual(truth.real / 20_000 - 1e-9);
    const again = await audit(world(aud), args);
    expect(again.metrics.audienceQuality).toEqual(q);
    const audit1 = first.audits.find((a) => a.id === 'audience-quality')!;
    expect(audit1.status).not.toBe('n/a');
  }, 60_000);
});

describe('next actions from a pull that read the lists', () => {
  it('new followers are the newest listed, with their profile links; engagers the account follows are not listed', async () => {
    const base = world(handMadeAudience(NOW));
    // The account follows three of the people who engaged most, by the world's own count.
    const given = new Map<string, number>();
    for (const r of base.replies) if (r.actor !== base.self) given.set(r.actor, (given.get(r.actor) ?? 0) + 1);
    for (const l of [...base.likes, ...base.reposts]) given.set(l.actor, (given.get(l.actor) ?? 0) + 1);
    const top = [...given.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
    const followed = top.slice(0, 3);
    const w: World = { ...base, audience: { ...base.audience!, following: [...base.audience!.following, ...followed] } };
    const r = await audit(w, ['--audience', '--actions', '5']);

    // The world's profile counts 500 followers and lists 36: said once, not guessed at.
    expect(r.input.warnings.filter((w) => w.includes('followers list names 36 of the 500'))).toHaveLength(1);
    const fresh = r.actions!.find((a) => a.id === 'new-followers')!;
    expect(fresh.unavailable).toBeNull();
    const newest = w.audience!.followers.slice(0, 5);
    // The fake AppView names each follower `<name>.bsky.social`.
    expect(fresh.items.map((i) => i.who)).toEqual(newest.map((f) => `${f.name}.bsky.social`));
    expect(fresh.items.map((i) => i.link)).toEqual(newest.map((f) => `https://bsky.app/profile/${f.name}.bsky.social`));
    expect(fresh.total).toBe(5); // those shown: the newest are not a count of new followers

    const engagers = r.actions!.find((a) => a.id === 'unanswered-engagers')!;
    expect(engagers.unavailable).toBeNull();
    const listed = engagers.items.map((i) => i.who);
    for (const name of followed) expect(listed).not.toContain(name);
    // Without the following list, the same pull lists at least one of them.
    const blind = await audit(w, ['--actions', '50']);
    const blindListed = blind.actions!.find((a) => a.id === 'unanswered-engagers')!.items.map((i) => i.who);
    expect(followed.some((name) => blindListed.includes(name))).toBe(true);
  }, 60_000);
});

describe.skipIf(CHROMIUM === null && process.env['CI'] === undefined)('audience quality and next actions in headless Chromium', () => {
  it('shows the class bar, each next-actions list with its count, and links that open safely', async () => {
    const html = await auditText(world(handMadeAudience(NOW)), ['--audience', '--format', 'html', '--actions', '3']);
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'report.html');
      await writeFile(file, html);
      const dom = await dumpDom(file);
      const r = await audit(world(handMadeAudience(NOW)), ['--audience', '--actions', '3']);
      // The glance line names each list's count, as the JSON has it.
      const glance = /<p class="glance">(.*?)<\/p>/.exec(dom)![1]!;
      for (const list of r.actions!) if (list.total !== null) expect(glance).toContain(`<strong>${list.total}</strong> ${list.title.toLowerCase()}`);
      // Every item is a link to its post or profile, opened with rel="noopener".
      const section = dom.slice(dom.indexOf('<h2>Next actions</h2>'));
      const links = [...section.matchAll(/<a href="([^"]+)" rel="noopener">/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      expect(links).toEqual(r.actions!.flatMap((l) => l.items.map((i) => i.link)));
      expect(dom).toContain('<h2>Audience quality</h2>');
    });
  }, 90_000);
});
