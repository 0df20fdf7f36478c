/**
 * A Graph API server for Instagram on 127.0.0.1, serving fixtures/api/instagram/ as README.md there maps
 * requests to files: the own account's edges paged by `after` (a page without `next` is the last),
 * Business Discovery paged by `media.after(…)` in the fields, Graph error objects for a wrong token or
 * an unknown account. Faults (errors/, usage headers, latency) are injected per request.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers.js';
import { startApiServer, type Fault, type FaultRequest, type FaultResponse } from './api-server.js';

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

/**
 * The server: test/support/api-server.ts with the Graph routes as its last fault. A fault that gives
 * headers only (usage headers on an ordinary answer) gets the fixture's answer with those headers.
 */
export async function startInstagramServer(options: { token: string; latencyMs?: number; faults?: Fault[] }): Promise<IgServer> {
  const authorizations: Array<string | undefined> = [];
  const answer = (req: FaultRequest): FaultResponse => {
    const a = req.headers.authorization === `Bearer ${options.token}` ? route(req.path, req.query) : igError('invalid-token');
    return { status: a.status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: a.body };
  };
  const faults: Fault[] = [
    (req) => {
      authorizations.push(req.headers.authorization);
      return undefined;
    },
    ...(options.faults ?? []).map((fault): Fault => (req) => {
      const f = fault(req);
      if (!f || (f.status ?? 200) !== 200 || f.body) return f;
      const a = answer(req);
      return { ...a, headers: { ...a.headers, ...f.headers } };
    }),
    answer,
  ];
  const server = await startApiServer({ ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}), faults });
  return { url: server.url, requests: server.requests, authorizations, close: () => server.close() };
}
