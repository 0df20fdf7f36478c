/**
 * src/sources/saved-dataset.ts `savedText`: the text `pull` saves, built as the dataset streams past,
 * is the dataset's JSON; one too large to be read back is refused, not saved unreadable.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/sources/index.js';
import { constants as bufferConstants } from 'node:buffer';
import { savedText } from '../../src/sources/saved-dataset.js';
import { redactor } from '../../src/sources/redact-dataset.js';
import { WHOLE_FILE_LIMIT } from '../../src/sources/index.js';
import type { SavedDataset } from '../../src/model/dataset.js';
import { runCli, X_FIXTURES } from '../helpers.js';

const SAMPLE = path.join(X_FIXTURES, 'sample-2022.zip');

async function text(limit: number, redact = false, target = SAMPLE): Promise<{ joined: string; posts: number }> {
  const dataset = await loadDataset(target);
  try {
    const saved = await savedText(dataset, { limit, redact });
    return { joined: saved.pieces.join(''), posts: saved.posts };
  } finally {
    dataset.close?.();
  }
}

describe('savedText', () => {
  it('joins to JSON.stringify of the dataset and a newline, for the CLI too', async () => {
    const { joined, posts } = await text(512 << 20);
    const parsed = JSON.parse(joined) as SavedDataset;
    expect(joined).toBe(`${JSON.stringify(parsed)}\n`);
    expect(parsed.posts).toHaveLength(posts);
    expect(posts).toBe(32); // the sample archive's posts (fixtures/x-archive/EXPECTED.md)
    expect(Object.keys(parsed).slice(-2)).toEqual(['posts', 'interactions']);
    const pulled = await runCli(['pull', SAMPLE, '--quiet']);
    expect(pulled.stdout).toBe(joined);
  });

  it('refuses at the limit with the post count reached and what to do, and fits at exactly the limit', async () => {
    const { joined, posts } = await text(512 << 20);
    const size = Buffer.byteLength(joined);
    expect((await text(size)).joined).toBe(joined);
    await expect(text(size - 1)).rejects.toMatchObject({
      code: 'USAGE',
      message: `${SAMPLE}: ${posts} posts or more make a dataset larger than one file can be read back (${size - 1} bytes)`,
      hint: expect.stringMatching(/Audit the export itself .*--since or --days/),
    });
    // cut inside the posts: the count is the post that did not fit
    const firstPost = joined.indexOf('"posts":[') + '"posts":['.length;
    await expect(text(firstPost + 10)).rejects.toThrow(/: 1 posts or more make a dataset larger than one file can be read back \(\d+ bytes\)/);
  });

  it('redacts as it goes: the same text as the redacted dataset read back', async () => {
    const { joined } = await text(512 << 20, true);
    const parsed = JSON.parse(joined) as SavedDataset;
    expect(joined).toBe(`${JSON.stringify(parsed)}\n`);
    const pulled = await runCli(['pull', SAMPLE, '--quiet', '--redact']);
    expect(pulled.stdout).toBe(joined);
    expect(parsed.posts.every((p) => p.kind !== 'repost' || p.url === undefined)).toBe(true);
  });
});

describe('the limit of a dataset file', () => {
  it('is one the reader can take: never more than the longest string the engine can make', () => {
    expect(WHOLE_FILE_LIMIT).toBeLessThanOrEqual(bufferConstants.MAX_STRING_LENGTH);
    expect(WHOLE_FILE_LIMIT).toBeLessThanOrEqual(512 * 1024 * 1024);
    expect(WHOLE_FILE_LIMIT).toBeGreaterThan(500 * 1024 * 1024);
  });

  it('fits a dataset at exactly its size when the head ends shorter than it began (a post count set at the end)', async () => {
    const legacy = path.join(X_FIXTURES, 'legacy-2020');
    const { joined } = await text(512 << 20, false, legacy);
    const size = Buffer.byteLength(joined);
    expect((await text(size, false, legacy)).joined).toBe(joined);
    await expect(text(size - 1, false, legacy)).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('redactor', () => {
  const me = { id: 'did:plc:me', handle: 'me.example', displayName: null, followers: null, following: null, posts: null };
  const base = { createdAt: '2025-01-02T12:00:00.000Z', mentions: [], client: null, metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null } };

  it("gives a stand-in to an id made from the other post's address, and interactions on that post follow it", () => {
    const r = redactor(me);
    const url = 'https://www.linkedin.com/posts/greta-oyelaran_tide-activity-1/';
    const comment = r.post({ ...base, id: `comment:${url}#1`, kind: 'reply', target: {}, targetPostId: url });
    expect(comment.id).toMatch(/^post-[0-9a-f]{12}$/);
    expect(comment.targetPostId).toMatch(/^post-[0-9a-f]{12}$/);
    expect(JSON.stringify(comment)).not.toContain('greta');
    const liked = r.interaction({ postId: `comment:${url}#1`, actor: 'someone.example', kind: 'like', depth: 1 });
    expect(liked.postId).toBe(comment.id);
    // a post of the account's own, and an interaction on it, keep their ids
    const own = r.post({ ...base, id: 'at://did:plc:me/app.bsky.feed.post/1', kind: 'original' });
    expect(own.id).toBe('at://did:plc:me/app.bsky.feed.post/1');
    expect(r.interaction({ postId: own.id, actor: 'x.example', kind: 'like', depth: 1 }).postId).toBe(own.id);
    // a thread (a reply to itself) keeps the address of the post it continues
    const thread = r.post({ ...base, id: 'at://did:plc:me/app.bsky.feed.post/2', kind: 'thread', target: { id: 'did:plc:me' }, targetPostId: own.id });
    expect(thread.targetPostId).toBe(own.id);
  });

  it("a repost of the account's own post keeps its id, in the dataset and the posts CSV alike", () => {
    const r = redactor(me);
    const id = 'at://did:plc:me/app.bsky.feed.post/1#repost';
    expect(r.post({ ...base, id, kind: 'repost', target: { id: 'did:plc:me', handle: 'me.example' }, targetPostId: 'at://did:plc:me/app.bsky.feed.post/1' }).id).toBe(id);
    const other = r.post({ ...base, id: 'at://did:plc:them/app.bsky.feed.post/9#repost', kind: 'repost', target: { id: 'did:plc:them' }, targetPostId: 'at://did:plc:them/app.bsky.feed.post/9' });
    expect(JSON.stringify(other)).not.toContain('did:plc:them');
  });
});
