/**
 * Every API pull of the fixtures, saved as `engage-audit pull -o` saves it, is the same file byte for
 * byte as the one under test/golden/pulls/: whole pulls, with and without threads, and pulls that end
 * part-way (a page or a thread the server refuses, the post limit) or fetch nothing at all. The
 * server's address, which changes from run to run, is written as {base}.
 * `WRITE_PULL_GOLDEN=1 npx vitest run test/pull-saved.test.ts` writes the files anew.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, WHOLE_FILE_LIMIT } from '../src/sources/index.js';
import { DEFAULT_PULL } from '../src/sources/pull-options.js';
import { savedText } from '../src/sources/saved-dataset.js';
import { startApiServer, type ApiServer, type Fault, type Platform } from './support/api-server.js';
import { fixture, PULLS, startSourceServers, stopSourceServers, TOKEN } from './support/source-cases.js';
import { ROOT } from './helpers.js';

const GOLDEN = path.join(ROOT, 'test/golden/pulls');
const WRITE = process.env['WRITE_PULL_GOLDEN'] === '1';

interface Variant {
  name: string;
  platform: Platform;
  dir: string;
  target: string;
  faults?: Fault[];
  maxPosts?: number;
  budget?: number;
}

/** A refusal no client retries. */
const refuse = (): ReturnType<Fault> => ({ status: 400, body: '{"error":"InvalidRequest","message":"refused by the test"}' });
/** The second page of each platform's paging, whatever it is called. */
const secondPage: Fault = (r) => (r.query.has('cursor') || r.query.has('max_id') || r.query.has('pagination_token') ? refuse() : undefined);
const firstPage: Fault = (r) => (/getAuthorFeed|\/statuses$|\/tweets$/.test(r.path) ? refuse() : undefined);

const VARIANTS: Variant[] = [
  { name: 'bluesky alice, page 2 refused', platform: 'bluesky', dir: 'api/bluesky/alice', target: '@alice.bsky.social', faults: [secondPage] },
  {
    name: 'bluesky alice, one thread refused',
    platform: 'bluesky',
    dir: 'api/bluesky/alice',
    target: '@alice.bsky.social',
    faults: [(r) => (r.path.endsWith('getLikes') && r.query.get('uri')?.endsWith('3lcuzncprh2oq') ? refuse() : undefined)],
  },
  { name: 'bluesky alice, --max-posts 7 --budget 3', platform: 'bluesky', dir: 'api/bluesky/alice', target: '@alice.bsky.social', maxPosts: 7, budget: 3 },
  { name: 'mastodon bob, page 2 refused', platform: 'mastodon', dir: 'api/mastodon/bob', target: '@bob@social.example', faults: [secondPage] },
  {
    name: 'mastodon bob, one thread refused',
    platform: 'mastodon',
    dir: 'api/mastodon/bob',
    target: '@bob@social.example',
    faults: [(r) => (r.path.endsWith('/114440995143695367/context') ? refuse() : undefined)],
  },
  { name: 'x carol, page 2 refused', platform: 'x', dir: 'api/x/carol', target: 'x:@carol_codes', faults: [secondPage] },
  { name: 'x carol, --max-posts 5', platform: 'x', dir: 'api/x/carol', target: 'x:@carol_codes', maxPosts: 5 },
  { name: 'bluesky alice, page 1 refused', platform: 'bluesky', dir: 'api/bluesky/alice', target: '@alice.bsky.social', faults: [firstPage] },
  { name: 'mastodon bob, page 1 refused', platform: 'mastodon', dir: 'api/mastodon/bob', target: '@bob@social.example', faults: [firstPage] },
  { name: 'x carol, page 1 refused', platform: 'x', dir: 'api/x/carol', target: 'x:@carol_codes', faults: [firstPage] },
];

const servers: ApiServer[] = [];
beforeAll(startSourceServers);
afterAll(async () => {
  await stopSourceServers();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The saved file's text, or the one-line error the pull ends with, with the server's address as {base}. */
async function saved(load: () => ReturnType<typeof loadDataset>): Promise<string> {
  try {
    const dataset = await load();
    return (await savedText(dataset, { limit: WHOLE_FILE_LIMIT })).pieces.join('');
  } catch (error) {
    return `error: ${(error as Error).message}\n`;
  }
}

function compare(name: string, text: string, base: RegExp): void {
  const file = path.join(GOLDEN, `${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.json`);
  const written = text.replace(base, '{base}');
  if (WRITE) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, written);
  }
  expect(existsSync(file), `${file} is missing`).toBe(true);
  expect(written).toBe(readFileSync(file, 'utf8'));
}

const ANY_LOCAL = /(?:http:\/\/)?127\.0\.0\.1:\d+/g;

describe('saved pulls are byte for byte as before', () => {
  for (const c of PULLS) {
    it(c.name, async () => {
      compare(c.name, await saved(c.load), ANY_LOCAL);
    });
  }

  for (const v of VARIANTS) {
    it(v.name, async () => {
      const server = await startApiServer({ platform: v.platform, root: fixture(v.dir), token: TOKEN, faults: v.faults ?? [] });
      servers.push(server);
      const pull = { ...DEFAULT_PULL, maxPosts: v.maxPosts ?? DEFAULT_PULL.maxPosts, budget: v.budget, apiBase: server.url, env: { X_BEARER_TOKEN: TOKEN }, retryBaseMs: 1 };
      compare(v.name, await saved(() => loadDataset(v.target, { pull })), ANY_LOCAL);
    });
  }
});
