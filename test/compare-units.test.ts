/**
 * `compare` in the report's words and units, and who followed and who left by the handles the inputs
 * give: two small saved datasets of one Mastodon account, built here from fixtures/saved, counted by
 * hand.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli, withTempDir } from './helpers.js';

const base = JSON.parse(readFileSync(path.join(FIXTURES, 'saved/old-shape-pull.json'), 'utf8'));
const reply = { id: '5', createdAt: '2025-05-05T10:00:00.000Z', kind: 'reply', text: 'thanks', target: { id: '8', handle: 'dana@third.example' }, targetPostId: '81', mentions: [], client: 'Web', metrics: { likes: 0, replies: 0, reposts: 0, quotes: 0, impressions: null } };

// Before: 4 posts, 1 a reply (25.0 %), 40 followers; followers 7 (carol, named by a post and a like) and 20 (named nowhere).
// Erin (id 9) is called erin-old there; 30 likes a post by id alone in the later one (its actor is its id: no handle).
const before = {
  ...base,
  followerIds: ['7', '20'],
  followingIds: ['7'],
  interactions: [base.interactions[0], { ...base.interactions[1], actor: 'erin-old@social.example' }],
};
// After: a 5th post, a reply (2 of 5 = 40.0 %, +15.0 pts), 46 followers (+6); 20 left, 8 (dana, a repost's and a reply's
// target), 9 (erin, now so called) and 30 followed.
const after = {
  ...base,
  account: { ...base.account, followers: 46 },
  posts: [...base.posts, reply],
  followerIds: ['7', '8', '9', '30'],
  followingIds: ['7'],
  interactions: [...base.interactions, { postId: '1', actor: '30', actorId: '30', kind: 'like', depth: 1 }],
};

async function compare(args: string[]): Promise<{ code: number; stdout: string }> {
  return withTempDir(async (dir) => {
    const [a, b] = [path.join(dir, 'before.json'), path.join(dir, 'after.json')];
    await writeFile(a, JSON.stringify(before));
    await writeFile(b, JSON.stringify(after));
    return runCli(['compare', a, b, ...args]);
  });
}

describe('compare in the report’s units', () => {
  it('prints labels, percents with changes in points, counts and scores out of 100, and followers by handle', async () => {
    const r = await compare([]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.trim().replace(/ {2,}/g, ' '));
    expect(lines).toContain('Followers 40 → 46 +6');
    expect(lines).toContain('Posts 4 → 5 +1');
    expect(lines).toContain('Reply share 25.0 % → 40.0 % +15.0 pts');
    expect(lines.some((l) => /^Overall score (\d+\/100|n\/a) → /.test(l))).toBe(true);
    expect(r.stdout).not.toMatch(/mix\.replyShare|0\.25/);
    expect(lines).toContain('Followers: 3 new, 1 left');
    expect(lines).toContain('new: 30 (id), @dana@third.example, @erin@social.example');
    expect(lines).toContain('left: 20 (id)');
  });

  it('keeps machine values in JSON and adds units, audit titles and the handles named', async () => {
    const c = JSON.parse((await compare(['--json'])).stdout);
    expect(c.metrics.find((m: { name: string }) => m.name === 'mix.replyShare')).toEqual({ name: 'mix.replyShare', unit: 'share', old: 0.25, new: 0.4, delta: expect.closeTo(0.15, 12) });
    expect(c.followers).toEqual({ gained: ['30', '8', '9'], lost: ['20'] });
    expect(c.handles).toEqual({ 8: 'dana@third.example', 9: 'erin@social.example' });
  });

  it('writes Markdown tables with --format markdown', async () => {
    const r = await compare(['--format', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| Before | After | Change |');
    expect(r.stdout).toContain('| Reply share | 25.0 % | 40.0 % | +15.0 pts |');
    expect(r.stdout).toContain('- new: 30 (id), @dana@third.example, @erin@social.example');
  });
});
