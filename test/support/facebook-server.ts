/**
 * A Graph API for Facebook Pages on 127.0.0.1, over the server of api-server.ts: it serves the
 * recorded-shape answers of fixtures/api/facebook/<page>/ as Graph pages them (time-based post pages
 * and cursor comment pages, each `paging.next` a graph.facebook.com URL that repeats the caller's token
 * as Graph does), checks the token in the Authorization header, refuses any token in a URL, and answers
 * faults from fixtures/api/facebook/errors/ (body, status and headers as recorded).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startApiServer, type ApiServer, type Fault, type FaultResponse } from './api-server.js';
import { FIXTURES } from '../helpers.js';

export const FB_ROOT = path.join(FIXTURES, 'api/facebook');
export const FB_TOKEN = 'EAAfbPageTokenForTests0123456789SENTINEL';
/** The token the fixture files repeat in their `paging` URLs, replaced by the caller's. */
const FIXTURE_TOKEN = 'FAKE-TOKEN-not-a-real-token';

interface ErrorEntry {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}
const ERRORS = JSON.parse(readFileSync(path.join(FB_ROOT, 'errors/index.json'), 'utf8')) as Record<string, ErrorEntry>;

/** A recorded fault by its name in errors/index.json; `headers` of the entry are sent with it. */
export function graphError(name: string): FaultResponse {
  const e = ERRORS[name];
  if (!e) throw new Error(`no fault ${name}`);
  return { status: e.status, headers: e.headers, body: e.body === null ? '' : readFileSync(path.join(FB_ROOT, 'errors', e.body), 'utf8') };
}

/** The usage headers of a fault entry (for a 200 that says the budget is nearly spent). */
export const usageHeaders = (name: string): Record<string, string> => Object.fromEntries(Object.entries(ERRORS[name]!.headers).filter(([k]) => k.toLowerCase().startsWith('x-')));

export interface FacebookServerOptions {
  /** fixtures/api/facebook/<page> */
  page?: string;
  token?: string;
  latencyMs?: number;
  /** Tried first, in order. */
  faults?: Fault[];
  /** Headers added to every answer of the fixtures (usage headers). */
  headers?: (req: { path: string; count: number }) => Record<string, string> | undefined;
  /** Leave `from` out of every comment (what a token without pages_read_user_content may get). */
  noFrom?: boolean;
}

/** The path without its version (`/v21.0/…`), or null when it names none. */
const unversioned = (p: string): string | null => /^\/v\d+\.\d+(\/.*)$/.exec(p)?.[1] ?? null;

export async function startFacebookServer(options: FacebookServerOptions = {}): Promise<ApiServer> {
  const root = path.join(FB_ROOT, options.page ?? 'harbor');
  const token = options.token ?? FB_TOKEN;
  const json = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8').split(FIXTURE_TOKEN).join(token));
  const ok = (req: { path: string; count: number }, body: unknown): FaultResponse => ({ status: 200, headers: options.headers?.(req) ?? {}, body: JSON.stringify(body) });
  const page = json(path.join(root, 'page.json')) as { id: string; username: string };

  const graph: Fault = (req) => {
    if (req.query.has('access_token')) return { status: 400, body: JSON.stringify({ error: { message: 'test server: a token in the URL', type: 'OAuthException', code: 1 } }) };
    if (req.headers['authorization'] !== `Bearer ${token}`) return graphError('invalid-token');
    const p = unversioned(req.path);
    if (p === null) return { status: 400, body: JSON.stringify({ error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } }) };
    const parts = p.split('/').filter(Boolean);
    if (parts.length === 1) {
      const name = parts[0]!.toLowerCase();
      if (name === page.id || name === page.username) return ok(req, page);
      return graphError(/^\d+$/.test(name) ? 'page-object-missing' : 'page-not-found');
    }
    if (parts.length === 2 && parts[1] === 'posts') {
      if (parts[0] !== page.id) return graphError('page-object-missing');
      const file = path.join(root, 'posts', `${req.query.get('until') ?? 'first'}.json`);
      return existsSync(file) ? ok(req, json(file)) : ok(req, { data: [] });
    }
    if (parts.length === 2 && parts[1] === 'comments') {
      if (req.query.get('filter') !== 'stream') return { status: 400, body: JSON.stringify({ error: { message: 'test server: comments are served with filter=stream only', type: 'OAuthException', code: 100 } }) };
      const after = req.query.get('after');
      const file = path.join(root, 'comments', `${parts[0]}${after ? `.${after}` : ''}.json`);
      if (!existsSync(file)) return after ? { status: 400, body: JSON.stringify({ error: { message: 'Invalid cursor', type: 'OAuthException', code: 100 } }) } : ok(req, { data: [], summary: { order: 'chronological', total_count: 0, can_comment: true } });
      const body = json(file) as { data: Array<Record<string, unknown>> };
      if (options.noFrom) for (const c of body.data) delete c['from'];
      return ok(req, body);
    }
    return { status: 400, body: JSON.stringify({ error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100, error_subcode: 33 } }) };
  };
  return startApiServer({ faults: [...(options.faults ?? []), graph], ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}) });
}
