/**
 * A real HTTP server on 127.0.0.1 for the API source tests: it serves the recorded-shape pages under
 * fixtures/api/<platform>/<account>/ the way each platform pages them (Bluesky cursors, Mastodon Link
 * headers, X pagination tokens), with optional latency and injected faults (errors, 429s, hangs,
 * resets, malformed bodies). It never reaches beyond the loopback interface.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { X_NOT_ENROLLED } from './world.js';

export type Platform = 'bluesky' | 'mastodon' | 'x';

export interface FaultRequest {
  path: string;
  query: URLSearchParams;
  /** How many times this exact URL has been asked, this one included. */
  count: number;
  headers: IncomingMessage['headers'];
}

export interface FaultResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Answer after this delay. */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Send the headers and part of the body, then cut the connection. */
  reset?: boolean;
}

export type Fault = (req: FaultRequest) => FaultResponse | undefined;

export interface ServerOptions {
  platform?: Platform;
  /** fixtures/api/<platform>/<account> */
  root?: string;
  latencyMs?: number;
  faults?: Fault[];
  /** X: the bearer token the server accepts. */
  token?: string;
  /** Mastodon: page by `max_id` without `Link` headers (some Misskey-family servers). */
  noLink?: boolean;
  /** X: the time recent search counts its 7 days back from (default: the clock). */
  now?: number;
}

export interface ApiServer {
  url: string;
  /** Every request path + query, in arrival order. */
  requests: string[];
  /** Authorization headers seen (for secret tests: what the client sent). */
  maxInFlight: number;
  close(): Promise<void>;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function fileIfExists(file: string): string | null {
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const notFound = (error = 'Record not found'): Answer => ({ status: 404, body: { error } });

function bluesky(root: string, p: string, q: URLSearchParams): Answer {
  const nsid = p.replace(/^\/xrpc\//, '');
  if (nsid === 'app.bsky.actor.getProfile') {
    const profile = readJson(path.join(root, 'app.bsky.actor.getProfile.json')) as { did: string; handle: string };
    const actor = q.get('actor');
    if (actor !== profile.did && actor !== profile.handle) return { status: 400, body: { error: 'InvalidRequest', message: 'Profile not found' } };
    return { status: 200, body: profile };
  }
  const dir = path.join(root, nsid);
  if (!existsSync(dir)) return { status: 501, body: { error: 'MethodNotImplemented', message: `Method Not Implemented: ${nsid}` } };
  const uri = q.get('uri');
  const key = q.get('cursor') ?? (uri ? uri.split('/').pop()! : 'first');
  const file = fileIfExists(path.join(dir, `${key}.json`));
  if (!file) return { status: 400, body: { error: 'NotFound', message: `Post not found: ${uri ?? key}` } };
  return { status: 200, body: readJson(file) };
}

function mastodon(root: string, p: string, q: URLSearchParams, origin: string, noLink = false): Answer {
  const account = readJson(path.join(root, 'lookup.json')) as { id: string; username: string; acct: string };
  if (p === '/api/v1/accounts/lookup') {
    const acct = (q.get('acct') ?? '').toLowerCase();
    if (acct !== account.acct.toLowerCase() && !acct.startsWith(`${account.username.toLowerCase()}@`)) return notFound();
    return { status: 200, body: account };
  }
  let m = /^\/api\/v1\/accounts\/([^/]+)\/statuses$/.exec(p);
  if (m) {
    if (m[1] !== account.id) return notFound();
    const key = q.get('max_id') ?? 'first';
    const file = fileIfExists(path.join(root, 'statuses', `${key}.json`));
    const page = (file ? readJson(file) : []) as Array<{ id: string }>;
    const headers: Record<string, string> = {};
    const last = page[page.length - 1];
    if (last && !noLink && fileIfExists(path.join(root, 'statuses', `${last.id}.json`))) {
      headers['link'] = `<${origin}/api/v1/accounts/${account.id}/statuses?limit=40&max_id=${last.id}>; rel="next", <${origin}/api/v1/accounts/${account.id}/statuses?limit=40&min_id=${page[0]!.id}>; rel="prev"`;
    }
    return { status: 200, headers, body: page };
  }
  m = /^\/api\/v1\/statuses\/([^/]+)\/(context|favourited_by|reblogged_by)$/.exec(p);
  if (m) {
    const file = fileIfExists(path.join(root, m[2]!, `${m[1]}.json`));
    return file ? { status: 200, body: readJson(file) } : notFound();
  }
  return notFound();
}

const badToken = (name: string): Answer => ({ status: 400, body: { title: 'Invalid Request', detail: `bad ${name}`, type: 'https://api.twitter.com/2/problems/invalid-request' } });

/** An empty answer as X sends it: no `data`, no `includes`, result_count 0. */
const NO_RESULTS: Answer = { status: 200, body: { meta: { result_count: 0 } } };

/**
 * X's people who interacted: recent search by conversation_id (search/<id or next_token>.json, only
 * the posts of the 7 days before `now`), liking_users and retweeted_by (<endpoint>/<id or
 * pagination_token>.json). A post with no file has nobody; an unknown token is a 400. Full-archive
 * search is refused, as a tier below Pro refuses it.
 */
function xThreads(root: string, p: string, q: URLSearchParams, now: number): Answer | null {
  if (p === '/2/tweets/search/all') return { status: 403, body: X_NOT_ENROLLED };
  if (p === '/2/tweets/search/recent') {
    const id = /^conversation_id:(\d+)$/.exec(q.get('query') ?? '')?.[1];
    if (!id) return { status: 400, body: { title: 'Invalid Request', detail: 'query: only conversation_id:<id> is served here', type: 'https://api.twitter.com/2/problems/invalid-request' } };
    const token = q.get('next_token');
    const file = fileIfExists(path.join(root, 'search', `${token ?? id}.json`));
    if (!file) return token ? badToken('next_token') : NO_RESULTS;
    const page = readJson(file) as { data?: Array<{ created_at: string }>; meta: { result_count: number } };
    const data = (page.data ?? []).filter((t) => Date.parse(t.created_at) >= now - 7 * 86_400_000);
    return data.length === 0 ? NO_RESULTS : { status: 200, body: { ...page, data, meta: { ...page.meta, result_count: data.length } } };
  }
  const m = /^\/2\/tweets\/(\d+)\/(liking_users|retweeted_by)$/.exec(p);
  if (!m) return null;
  const token = q.get('pagination_token');
  const file = fileIfExists(path.join(root, m[2]!, `${token ?? m[1]}.json`));
  return file ? { status: 200, body: readJson(file) } : token ? badToken('pagination_token') : NO_RESULTS;
}

function x(root: string, p: string, q: URLSearchParams, now: number): Answer {
  const user = readJson(path.join(root, 'user.json')) as { data: { id: string; username: string } };
  let m = /^\/2\/users\/by\/username\/([^/]+)$/.exec(p);
  if (m) {
    if (m[1]!.toLowerCase() !== user.data.username.toLowerCase()) {
      return {
        status: 200,
        body: { errors: [{ value: m[1], detail: `Could not find user with username: [${m[1]}].`, title: 'Not Found Error', resource_type: 'user', parameter: 'username', resource_id: m[1], type: 'https://api.twitter.com/2/problems/resource-not-found' }] },
      };
    }
    return { status: 200, body: user };
  }
  m = /^\/2\/users\/([^/]+)\/tweets$/.exec(p);
  if (m) {
    const key = q.get('pagination_token') ?? 'first';
    const file = fileIfExists(path.join(root, 'tweets', `${key}.json`));
    return file ? { status: 200, body: readJson(file) } : badToken('pagination_token');
  }
  return xThreads(root, p, q, now) ?? { status: 404, body: { title: 'Not Found Error', detail: 'no such endpoint', type: 'about:blank', status: 404 } };
}

export async function startApiServer(options: ServerOptions = {}): Promise<ApiServer> {
  const counts = new Map<string, number>();
  const requests: string[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const key = `${url.pathname}${url.search}`;
      requests.push(key);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      for (const fault of options.faults ?? []) {
        const f = fault({ path: url.pathname, query: url.searchParams, count, headers: req.headers });
        if (!f) continue;
        if (f.hang) return; // the client's timeout must end this
        if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
        if (f.reset) {
          res.writeHead(f.status ?? 200, { 'content-type': 'application/json', 'content-length': '1000', ...f.headers });
          res.write('{"partial": [1, 2, ');
          setTimeout(() => res.socket?.destroy(), 5);
          return;
        }
        res.writeHead(f.status ?? 200, { 'content-type': 'application/json', ...f.headers });
        res.end(f.body ?? '');
        return;
      }
      if (options.platform === 'x' && options.token !== undefined && req.headers['authorization'] !== `Bearer ${options.token}`) {
        res.writeHead(401, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }));
        return;
      }
      const root = options.root;
      if (!root || !options.platform) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"no fixtures"}');
        return;
      }
      const origin = `http://${req.headers.host}`;
      const answer =
        options.platform === 'bluesky' ? bluesky(root, url.pathname, url.searchParams) : options.platform === 'mastodon' ? mastodon(root, url.pathname, url.searchParams, origin, options.noLink) : x(root, url.pathname, url.searchParams, options.now ?? Date.now());
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    } finally {
      inFlight--;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
