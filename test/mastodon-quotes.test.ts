/** A Mastodon 4.5 archive's quotes are quotes (fixtures/mastodon-archive/quotes-4.5/EXPECTED.md). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Post } from '../src/model/dataset.js';
import { loadDataset } from '../src/sources/index.js';
import { FIXTURES } from './helpers.js';

describe('Mastodon archive quotes', () => {
  it('a Note with quote/quoteUri/_misskey_quote of another account is a quote; a self-quote is an original', async () => {
    const dataset = await loadDataset(path.join(FIXTURES, 'mastodon-archive/quotes-4.5'));
    const posts: Post[] = [];
    for await (const batch of dataset.posts) posts.push(...batch);
    posts.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    // EXPECTED.md: original, quote (wren), original (self-quote), reply (wren)
    expect(posts.map((p) => p.kind)).toEqual(['original', 'quote', 'original', 'reply']);
    expect(posts[1]!.target).toEqual({ handle: 'wren@art.example' });
    expect(posts[1]!.targetPostId).toBe('https://art.example/users/wren/statuses/114870000000000001');
    expect(posts[2]!.target).toBeUndefined();
    // likes = the item number: 1 + 2 + 3 + 4
    expect(posts.reduce((s, p) => s + (p.metrics.likes ?? 0), 0)).toBe(10);
    expect(dataset.availability['quotePosts']).toBeUndefined();
  });
});
