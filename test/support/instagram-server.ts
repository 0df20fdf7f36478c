/**
 * A Graph API server for Instagram on 127.0.0.1, serving fixtures/api/instagram/ as README.md there maps
 * requests to files: the own account's edges paged by `after` (a page without `next` is the last),
 * Business Discovery paged by `media.after(…)` in the fields, Graph error objects for a wrong token or
 * an unknown account. Faults (errors/, usage headers, latency) are injected per request.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FIXTURES } from '../helpers.js';
import type { Fault } from './api-server.js';

export const IG_ROOT = path.join(FIXTURES, 'api/instagram');
export const IG_USER = '17841455501234567';

/** A fault of errors/index.json: its status, headers and body, as the server sends them. */
export function igError(name: string): { status: number; headers: Record<string, string>; body: string } {
  const index = JSON.parse(readFileSync(path.join(IG_ROOT, 'errors/index.json'), 'utf8')) as Record<string, { status: number; headers: Record<string, string>; body: string | null }>;
  const e = index[name]!;
  return { status: e.status, headers: e.headers, body: e.body ? readFileSync(path.join(IG_ROOT, 'errors', e.body), 'utf8') : '' };
}

export interface IgServer {
  url: string;
  /** Every request path + query, in arrival order. */
  requests: string[];
  /** Every Authorization header received. */
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

const file = (...parts: string[]): string | null => {
  const f = path.join(IG_ROOT, ...parts);
  return existsSync(f) ? f : null;
};
const notFound = { status: 400, body: JSON.stringify({ error: { message: '(#100) Unsupported get request.', type: 'GraphMethodException', code: 100, error_subcode: 33 } }) };

/** The answer to one request from the fixtures, or an unsupported-request error. */
function route(p: string, q: URLSearchParams): { status: number; body: string } {
  const parts = p.replace(/^\/v\d+\.\d+\//, '').split('/');
  const serve = (f: string | null) => (f ? { status: 200, body: readFileSync(f, 'utf8') } : notFound);
  const after = q.get('after');
  if (parts.join('/') === 'me/accounts') return serve(file('juniper/me.accounts.json'));
  const [node, edge] = parts;
  if (parts.length === 1 && node === IG_USER) {
    const fields = q.get('fields') ?? '';
    const discovered = /^business_discovery\.username\(([^)]+)\)/.exec(fields);
    if (!discovered) return serve(file('juniper/user.json'));
    if (discovered[1] !== 'fennel.example') return igError('bd-unknown-user');
    const cursor = /media\.after\(([^)]+)\)/.exec(fields)?.[1];
    return serve(file('fennel/business_discovery', `${cursor ?? 'first'}.json`));
  }
  if (node === IG_USER && edge === 'media') return serve(file('juniper/media', `${after ?? 'first'}.json`));
  if (edge === 'comments') {
    const f = file('juniper/comments', `${node}${after ? `.${after}` : ''}.json`);
    return f || after ? serve(f) : { status: 200, body: '{"data":[]}' };
  }
  if (edge === 'replies') return serve(file('juniper/replies', `${node}.${after}.json`));
  if (edge === 'insights') return serve(file('juniper/insights', `${node}.json`));
  return notFound;
}

export async function startInstagramServer(options: { token: string; latencyMs?: number; faults?: Fault[] }): Promise<IgServer> {
  const counts = new Map<string, number>();
  const requests: string[] = [];
  const authorizations: Array<string | undefined> = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const key = `${url.pathname}${url.search}`;
    requests.push(key);
    authorizations.push(req.headers.authorization);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    for (const fault of options.faults ?? []) {
      const f = fault({ path: url.pathname, query: url.searchParams, count, headers: req.headers });
      if (!f) continue;
      if (f.status === undefined || f.status === 200) {
        // Headers only (usage headers on an ordinary answer): the fixture's body follows.
        const answer = route(url.pathname, url.searchParams);
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', ...f.headers });
        res.end(f.body || answer.body);
        return;
      }
      res.writeHead(f.status, { 'content-type': 'application/json; charset=UTF-8', ...f.headers });
      res.end(f.body ?? '');
      return;
    }
    const answer = req.headers.authorization === `Bearer ${options.token}` ? route(url.pathname, url.searchParams) : igError('invalid-token');
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(answer.body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
