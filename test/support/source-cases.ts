/**
 * Every source the tool reads, as cases for tests that walk them all: each export fixture and its
 * variants, each API pull against the local test server (with and without threads), and saved
 * datasets of new and old shape. `startSourceServers` must run before a pull case loads.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, Interaction, Post } from '../../src/model/dataset.js';
import { DEFAULT_PULL } from '../../src/sources/api-common.js';
import { parseColumnMap } from '../../src/sources/csv/columns.js';
import { loadDataset, type SOURCES, type LoadOptions } from '../../src/sources/index.js';
import { savedText } from '../../src/sources/saved-dataset.js';
import { startApiServer, type ApiServer, type Platform } from './api-server.js';
import { startYouTubeServer, YT_KEY } from './youtube-server.js';
import { FB_TOKEN, startFacebookServer } from './facebook-server.js';
import { startThreadsServer, THREADS_TEST_TOKEN } from './threads-server.js';
import { startInstagramServer, type IgServer } from './instagram-server.js';
import { FIXTURES, withTempDir } from '../helpers.js';

export type SourceId = (typeof SOURCES)[number]['id'];

export interface Case {
  /** The registry entry (src/sources/index.ts) this case reads through. */
  source: SourceId;
  name: string;
  load: () => Promise<Dataset>;
}

export const TOKEN = 'x-test-token-0123456789';
export const CUSTOM_COLUMNS = 'date=when,text=text,likes=hearts,replies=answers,reposts=boosts';

export const fixture = (rel: string): string => path.join(FIXTURES, rel);
const exportCase = (source: SourceId, rel: string, options: LoadOptions = {}): Case => ({ source, name: rel, load: () => loadDataset(fixture(rel), options) });

export const EXPORTS: Case[] = [
  exportCase('x-archive', 'x-archive/sample-2022.zip'),
  exportCase('x-archive', 'x-archive/sample-2022'),
  exportCase('x-archive', 'x-archive/sample-2022/data/tweets.js'),
  exportCase('x-archive', 'x-archive/legacy-2020'),
  exportCase('x-archive', 'identity/x-archive'),
  exportCase('mastodon-archive', 'mastodon-archive/sample'),
  exportCase('mastodon-archive', 'mastodon-archive/sample.zip'),
  exportCase('mastodon-archive', 'mastodon-archive/sample.tar.gz'),
  exportCase('mastodon-archive', 'mastodon-archive/quotes-4.5'),
  exportCase('bluesky-car', 'bluesky-car/repo.car'),
  exportCase('bluesky-car', 'identity/bluesky-car/repo.car'),
  exportCase('linkedin', 'linkedin/export'),
  exportCase('linkedin', 'linkedin/export.zip'),
  exportCase('linkedin', 'linkedin/shares-2018/Shares.csv'),
  exportCase('linkedin', 'linkedin/as-written'),
  exportCase('instagram-archive', 'instagram/export'),
  exportCase('instagram-archive', 'instagram/export.zip'),
  exportCase('instagram-archive', 'instagram/legacy-2022'),
  exportCase('facebook-export', 'facebook/your-posts'),
  exportCase('csv', 'facebook/page-export.csv'),
  exportCase('csv', 'csv/sprout-posts.csv'),
  exportCase('csv', 'csv/sprout-posts.csv', { followers: 5000 }),
  { ...exportCase('csv', 'csv/custom.csv', { platform: 'csv', columns: parseColumnMap(`${CUSTOM_COLUMNS},kind=type`) }), name: 'csv/custom.csv with a kind column' },
  { ...exportCase('csv', 'csv/custom.csv', { platform: 'csv', columns: parseColumnMap(CUSTOM_COLUMNS) }), name: 'csv/custom.csv without a kind column' },
];

/** The API fixtures: each account a test server can serve, as the command line names it (`start`: a platform's own server). */
const ACCOUNTS: Array<{ platform: Platform | 'youtube' | 'facebook' | 'threads'; dir: string; target: string; start?: () => Promise<ApiServer> }> = [
  { platform: 'bluesky', dir: 'api/bluesky/alice', target: '@alice.bsky.social' },
  { platform: 'bluesky', dir: 'identity/bluesky/dana', target: '@dana.example.com' },
  { platform: 'mastodon', dir: 'api/mastodon/bob', target: '@bob@social.example' },
  { platform: 'mastodon', dir: 'identity/mastodon/erin', target: '@erin@social.example' },
  { platform: 'x', dir: 'api/x/carol', target: 'x:@carol_codes' },
  { platform: 'youtube', dir: 'api/youtube/evan', target: 'yt:@evan.example', start: () => startYouTubeServer() },
  { platform: 'facebook', dir: 'api/facebook/harbor', target: 'fb:harborlane.example', start: () => startFacebookServer() },
  { platform: 'threads', dir: 'api/threads/dana', target: 'threads:@dana.example', start: () => startThreadsServer() },
];

const servers: Array<ApiServer | IgServer> = [];
const bases = new Map<string, string>();
export async function startSourceServers(): Promise<void> {
  for (const a of ACCOUNTS) {
    const server = a.start ? await a.start() : await startApiServer({ platform: a.platform as Platform, root: fixture(a.dir), token: TOKEN });
    servers.push(server);
    bases.set(a.dir, server.url);
  }
  const graph = await startInstagramServer({ token: TOKEN });
  servers.push(graph);
  bases.set('api/instagram', graph.url);
}

export async function stopSourceServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

function pullCase(a: (typeof ACCOUNTS)[number], budget: number | undefined): Case {
  return {
    source: a.platform,
    name: `${a.target} (${a.dir}${budget === 0 ? ', --threads 0' : ''})`,
    load: () => loadDataset(a.target, { pull: { ...DEFAULT_PULL, budget, apiBase: bases.get(a.dir)!, env: { X_BEARER_TOKEN: TOKEN, YOUTUBE_API_KEY: YT_KEY, FACEBOOK_TOKEN: FB_TOKEN, THREADS_TOKEN: THREADS_TEST_TOKEN }, retryBaseMs: 1 } }),
  };
}
export const PULLS: Case[] = ACCOUNTS.flatMap((a) => [pullCase(a, undefined), pullCase(a, 0)]);

/** Graph API pulls (test/support/instagram-server.ts): the own account, with and without comments, and Business Discovery. */
export const GRAPH_PULLS: Case[] = [
  ['ig:me', undefined],
  ['ig:me', 0],
  ['ig:@fennel.example', undefined],
].map(([target, budget]) => ({
  source: 'instagram',
  name: `${target} (api/instagram${budget === 0 ? ', --budget 0' : ''})`,
  load: () => loadDataset(target as string, { pull: { ...DEFAULT_PULL, budget: budget as number | undefined, apiBase: bases.get('api/instagram')!, env: { INSTAGRAM_TOKEN: TOKEN }, retryBaseMs: 1 } }),
}));

/** A dataset saved as `engage-audit pull -o` saves it, then read back through the registry. */
export function savedCase(from: Case): Case {
  return {
    source: 'dataset',
    name: `saved: ${from.name}`,
    load: async () => {
      const saved = await savedText(await from.load(), { limit: 64 << 20 });
      return withTempDir(async (dir) => {
        const file = path.join(dir, 'dataset.json');
        await writeFile(file, saved.pieces.join(''));
        return materialize(await loadDataset(file));
      });
    },
  };
}

/** The dataset with its streams read into memory (the temporary file is gone by then). */
async function materialize(d: Dataset): Promise<Dataset> {
  const { posts, interactions } = await drain(d);
  async function* once<T>(items: T[]): AsyncGenerator<T[]> {
    yield items;
  }
  return { ...d, posts: once(posts), interactions: interactions === null ? null : once(interactions) };
}

/** The case of that name. */
export function named(name: string): Case {
  const found = [...EXPORTS, ...PULLS].find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
}

const SAVED: Case[] = [
  ...['x-archive/sample-2022.zip', 'facebook/your-posts', '@alice.bsky.social (api/bluesky/alice)', '@bob@social.example (api/mastodon/bob, --threads 0)'].map((n) => savedCase(named(n))),
  exportCase('dataset', 'saved/old-shape-pull.json'),
];

export const SOURCE_CASES: Case[] = [...EXPORTS, ...PULLS, ...GRAPH_PULLS, ...SAVED];

export async function drain(d: Dataset): Promise<{ posts: Post[]; interactions: Interaction[] | null }> {
  const posts: Post[] = [];
  for await (const batch of d.posts) posts.push(...batch);
  let interactions: Interaction[] | null = null;
  if (d.interactions) {
    interactions = [];
    for await (const batch of d.interactions) interactions.push(...batch);
  }
  return { posts, interactions };
}
