/**
 * The X side of who interacted with a post, against a real server on 127.0.0.1 serving
 * fixtures/api/x/carol: the conversation by recent search (two pages, a reply whose author X could
 * not expand), 230 likers over three pages, 18 reposters, the 7-day reach of recent search, and the
 * refusals of the token's access tier. Expectations are counted by hand from the fixture files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, HttpError } from '../src/sources/http.js';
import type { Interaction, Post } from '../src/model/dataset.js';
import { XThreadAccess, XTierRefusal, xPostRequests } from '../src/sources/x-api/threads.js';
import type { Fetched } from '../src/sources/pull-threads.js';
import { startApiServer, type ApiServer, type Fault } from './support/api-server.js';
import { X_NOT_ENROLLED } from './support/world.js';
import { FIXTURES } from './helpers.js';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const ROOT = '1982847255966650557'; // carol_codes, 2025-10-27T16:30:00Z: 9 replies, 230 likes, 18 reposts
const POSTED = Date.parse('2025-10-27T16:30:00.000Z');
const DAY = 86_400_000;
const NOW = Date.parse('2025-11-02T12:00:00.000Z'); // 5.8 days after the post: every reply is within reach

let server: ApiServer | undefined;
let http: HttpClient | undefined;
afterEach(async () => {
  await http?.close();
  await server?.close();
  server = http = undefined;
});

async function serve(options: { now?: number; faults?: Fault[] } = {}): Promise<{ requests: ReturnType<typeof xPostRequests>; access: XThreadAccess; client: HttpClient }> {
  server = await startApiServer({ platform: 'x', root: path.join(FIXTURES, 'api', 'x', 'carol'), now: options.now ?? NOW, faults: options.faults ?? [] });
  http = new HttpClient({ userAgent: 'engage-audit/test', retryBaseMs: 1, timeoutMs: 2000 });
  const access = new XThreadAccess(options.now ?? NOW);
  return { requests: xPostRequests(server.url, access), access, client: http };
}

function post(id = ROOT, createdAt = new Date(POSTED).toISOString()): Post {
  return { id, createdAt, kind: 'original', text: '', url: `https://x.com/carol_codes/status/${id}`, mentions: [], client: null, metrics: { likes: 1, replies: 1, reposts: 1, quotes: 0, impressions: null } };
}

/** Every page of a paged kind, as the pull core would ask them. */
async function allPages(fetch: (cursor: string | undefined) => Promise<Fetched>): Promise<{ interactions: Interaction[]; pages: number[] }> {
  const interactions: Interaction[] = [];
  const pages: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    interactions.push(...page.interactions);
    pages.push(page.interactions.length);
    cursor = page.next;
  } while (cursor);
  return { interactions, pages };
}

const forbidden: Fault = (req) =>
  /liking_users$/.test(req.path) ? { status: 403, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(X_NOT_ENROLLED) } : undefined;

describe('X replies by recent search', () => {
  it('follows every page of the conversation and gives each reply its depth, parent, time and author', async () => {
    const { requests, client } = await serve();
    const got = await requests.replies!(client, post());
    expect(server!.requests.map((r) => new URL(r, 'http://h').searchParams.get('next_token'))).toEqual([null, 'b26v89c19zqg8o3fpzejnb3t7tmz5v2gmndyt5bofukpp']);
    expect(new URL(server!.requests[0]!, 'http://h').searchParams.get('query')).toBe(`conversation_id:${ROOT}`);
    expect(got.capped).toBeUndefined();
    // By hand from search/*.json: id → [actor, depth, parent]. 1982860000000000019 answers ...15 (page 1),
    // which answers ...14 (page 2), which answers the post: depth 3 needs the second page.
    const rows = Object.fromEntries(got.interactions.map((i) => [i.id, [i.actor, i.depth, i.parentId === ROOT ? 'root' : i.parentId?.slice(-2)]]));
    expect(rows).toEqual({
      '1982860000000000011': ['lee_park', 1, 'root'],
      '1982860000000000012': ['carol_codes', 2, '11'],
      '1982860000000000013': ['lee_park', 3, '12'],
      '1982860000000000014': ['sam_k', 1, 'root'],
      '1982860000000000015': ['nia_o', 2, '14'],
      '1982860000000000016': ['mo_ruiz', 1, 'root'],
      '1982860000000000017': ['carol_codes', 2, '16'],
      '1982860000000000018': ['1400000000000000199', 1, 'root'], // the author X could not expand (errors[] beside data)
      '1982860000000000019': ['dev_ana', 3, '15'],
    });
    expect(got.interactions.every((i) => i.kind === 'reply' && i.postId === ROOT)).toBe(true);
    expect(got.interactions.find((i) => i.id === '1982860000000000014')).toMatchObject({ actorId: '1400000000000000102', createdAt: '2025-10-27T19:30:00.000Z' });
  });

  it('a post whose conversation has no reply within reach gets none, from an answer without data', async () => {
    const { requests, client } = await serve();
    expect(await requests.replies!(client, post('1980540808197050543'))).toEqual({ interactions: [] });
  });

  it('sends a post older than 7 days before the pull to full-archive search, to the millisecond', () => {
    const at = new XThreadAccess(POSTED + 7 * DAY);
    expect(at.archived(post())).toBe(false);
    const past = new XThreadAccess(POSTED + 7 * DAY + 1);
    expect(past.archived(post())).toBe(true);
    // Not refused yet: every kind is within reach.
    for (const kind of ['replies', 'likes', 'reposts'] as const) expect(past.unreachable(post(), kind)).toBeNull();
  });

  it('past 7 days the replies come from full-archive search, from the post\'s own time, with the same paging', async () => {
    const now = Date.parse('2025-11-05T00:00:00.000Z'); // 7 days back: 2025-10-29T00:00Z
    const fixture = (name: string) => ({ status: 200, body: readFileSync(path.join(FIXTURES, 'api', 'x', 'carol', 'search', `${name}.json`), 'utf8') });
    const archive: Fault = (req) => (req.path === '/2/tweets/search/all' ? fixture(req.query.get('next_token') ?? ROOT) : undefined);
    const { requests, access, client } = await serve({ now, faults: [archive] });
    const got = await requests.replies!(client, post());
    expect(server!.requests.map((r) => new URL(r, 'http://h').pathname)).toEqual(['/2/tweets/search/all', '/2/tweets/search/all']);
    const first = new URL(server!.requests[0]!, 'http://h').searchParams;
    expect([first.get('query'), first.get('start_time'), first.get('max_results')]).toEqual([`conversation_id:${ROOT}`, '2025-10-27T16:30:00Z', '100']);
    expect(new URL(server!.requests[1]!, 'http://h').searchParams.get('next_token')).toBe('b26v89c19zqg8o3fpzejnb3t7tmz5v2gmndyt5bofukpp');
    // The whole conversation, the nine replies of the first test above, in two requests.
    expect(got.interactions.map((i) => i.id).sort()).toEqual(Array.from({ length: 9 }, (_, k) => `19828600000000000${11 + k}`));
    expect(got.requests).toBe(2);
    expect(access.unreachable(post(), 'replies')).toBeNull();
  });

  it('a tier without full-archive search: one refused request, then older posts are out of reach with the reason; recent ones are not', async () => {
    const now = Date.parse('2025-11-05T00:00:00.000Z');
    const refuse: Fault = (req) => (req.path === '/2/tweets/search/all' ? forbidden({ ...req, path: '/liking_users' }) : undefined);
    const { requests, access, client } = await serve({ now, faults: [refuse] });
    const old = ['1', '2', '3'].map((n) => post(`19000000000000000${n}`, '2025-10-20T00:00:00.000Z'));
    // Asked together, as the pull's workers would: only the first goes out.
    const errors = await Promise.all(old.map((p) => requests.replies!(client, p).catch((e: unknown) => e)));
    expect(errors.every((e) => e instanceof XTierRefusal)).toBe(true);
    expect(server!.requests.filter((r) => r.startsWith('/2/tweets/search/all'))).toHaveLength(1);
    expect(access.unreachable(old[0]!, 'replies')).toMatch(
      /^This token's X API access tier cannot call full-archive search \(GET \/2\/tweets\/search\/all\) \(.*403 When authenticating.*\): replies to posts older than the 7 days recent search reaches are out of reach\.$/,
    );
    expect(access.unreachable(old[0]!, 'likes')).toBeNull();
    // A post within 7 days still goes to recent search.
    expect(access.unreachable(post('1982847255966650557', '2025-11-01T00:00:00.000Z'), 'replies')).toBeNull();
    await requests.replies!(client, post(ROOT, '2025-11-01T00:00:00.000Z'));
    expect(server!.requests.at(-1)).toMatch(/^\/2\/tweets\/search\/recent\?/);
    expect(access.declare([])).toEqual({ inboundIdentities: true, replyThreads: true });
  });
});

describe('X likers and reposters', () => {
  it('pages the likers 100 at a time: 230 people over three pages', async () => {
    const { requests, client } = await serve();
    const got = await allPages((cursor) => requests.likes!(client, post(), cursor));
    expect(got.pages).toEqual([100, 100, 30]);
    expect(new Set(got.interactions.map((i) => i.actor)).size).toBe(230);
    expect(got.interactions.slice(0, 2).map((i) => [i.actor, i.actorId])).toEqual([
      ['lee_park', '1400000000000000101'],
      ['mo_ruiz', '1400000000000000104'],
    ]);
    expect(got.interactions.at(-1)).toEqual({ postId: ROOT, kind: 'like', depth: 1, actor: 'fan_228', actorId: '1500000000000000228' });
    expect(server!.requests.map((r) => new URL(r, 'http://h').searchParams.get('pagination_token'))).toEqual([null, '7140dibdnow9c7btw481lk1pg2a', '7140dibdnow9c7btw481lk1pg3b']);
    expect(requests.pageSize).toEqual({ likes: 100, reposts: 100 });
  });

  it('reads the 18 reposters from one page without a next token', async () => {
    const { requests, client } = await serve();
    const got = await requests.reposts!(client, post(), undefined);
    expect(got.next).toBeUndefined();
    expect(got.interactions).toHaveLength(18);
    expect(got.interactions.slice(0, 2).map((i) => i.actor)).toEqual(['nia_o', 'sam_k']);
    expect(got.interactions.every((i) => i.kind === 'repost' && i.depth === 1 && i.postId === ROOT)).toBe(true);
  });

  it('a post nobody liked answers with result_count 0 and no data: nobody, no next page', async () => {
    const { requests, client } = await serve();
    expect(await requests.likes!(client, post('1980540808197050543'), undefined)).toEqual({ interactions: [], next: undefined });
  });
});

describe("the token's access tier", () => {
  it('a 403 client-forbidden makes the kind unavailable for the whole pull, asked once', async () => {
    const { requests, access, client } = await serve({ faults: [forbidden] });
    const error = await requests.likes!(client, post(), undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(XTierRefusal);
    expect((error as XTierRefusal).message).toMatch(/^This token's X API access tier cannot call liking users \(GET \/2\/tweets\/:id\/liking_users\) \(.*403 When authenticating/);
    expect(access.unreachable(post('1980540808197050543'), 'likes')).toBe((error as XTierRefusal).message);
    const asked = server!.requests.length;
    await expect(requests.likes!(client, post('1980540808197050543'), undefined)).rejects.toBeInstanceOf(XTierRefusal);
    expect(server!.requests.length).toBe(asked); // not asked again
    // Replies and reposts still come: inbound identities are held, reply threads too.
    expect((await requests.reposts!(client, post(), undefined)).interactions).toHaveLength(18);
    expect(access.declare([])).toEqual({ inboundIdentities: true, replyThreads: true });
  });

  it('replies refused: no reply threads; all three refused: no inbound identities, with the reasons', async () => {
    const everything: Fault = (req) => (req.path.startsWith('/2/tweets/') ? forbidden({ ...req, path: '/liking_users' }) : undefined);
    const { requests, access, client } = await serve({ faults: [everything] });
    await expect(requests.replies!(client, post())).rejects.toBeInstanceOf(XTierRefusal);
    expect(access.declare([]).inboundIdentities).toBe(true);
    expect(access.declare([]).replyThreads).toMatch(/cannot call recent search/);
    await expect(requests.likes!(client, post(), undefined)).rejects.toBeInstanceOf(XTierRefusal);
    await expect(requests.reposts!(client, post(), undefined)).rejects.toBeInstanceOf(XTierRefusal);
    const declared = access.declare([]);
    expect(declared.inboundIdentities).toMatch(/recent search.*liking users.*reposters/);
    expect(access.declare(null)).toEqual({ inboundIdentities: 'Threads were not fetched (--budget 0).', replyThreads: 'Threads were not fetched (--budget 0).' });
  });

  it('a 403 that is not about the tier (a suspended post, a bad token) stays an error of that post', async () => {
    const other: Fault = () => ({ status: 403, body: JSON.stringify({ title: 'Forbidden', detail: 'Sorry, you are not authorized to see this Post.', type: 'about:blank', status: 403 }) });
    const { requests, access, client } = await serve({ faults: [other] });
    const error = await requests.reposts!(client, post(), undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(XTierRefusal);
    expect(access.unreachable(post(), 'reposts')).toBeNull();
  });

  it('a usage-capped problem (when the client reports it) makes the kind unavailable, naming the cap', async () => {
    const access = new XThreadAccess(NOW);
    const capped = new HttpError('RATE_LIMIT', 'api.x.com/2/tweets/1/retweeted_by: 429 Usage cap exceeded: Monthly product cap', 429, 'usage-capped');
    await expect(access.guard('reposts', () => Promise.reject(capped))).rejects.toThrow(/usage cap of this token's tier is spent, so reposters .* cannot be asked/);
    expect(access.unreachable(post(), 'reposts')).toMatch(/usage cap/);
  });
});
