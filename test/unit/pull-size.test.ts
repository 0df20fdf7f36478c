/**
 * src/sources/saved-dataset.ts `savedText`: the text `pull` saves, built as the dataset streams past,
 * is the dataset's JSON; one too large to be read back is refused, not saved unreadable.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/sources/index.js';
import { savedText } from '../../src/sources/saved-dataset.js';
import type { SavedDataset } from '../../src/model/dataset.js';
import { runCli, X_FIXTURES } from '../helpers.js';

const SAMPLE = path.join(X_FIXTURES, 'sample-2022.zip');

async function text(limit: number, redact = false): Promise<{ joined: string; posts: number }> {
  const dataset = await loadDataset(SAMPLE);
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
