/**
 * The Threads API on 127.0.0.1 for the Threads pull tests: the recorded-shape answers of
 * fixtures/api/threads/dana (README.md there says which file answers which request), paged by the
 * `after` cursor, behind a bearer token, over the shared test server (its latency, faults and request
 * log). The error bodies of fixtures/api/threads/errors/ are served with their status and headers.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startApiServer, type ApiServer, type Fault, type FaultResponse } from './api-server.js';
import { FIXTURES } from '../helpers.js';

export const THREADS_FIXTURES = path.join(FIXTURES, 'api', 'threads');
const DANA = path.join(THREADS_FIXTURES, 'dana');
const USER_ID = '26110483920577164';
/** The token the server accepts. */
export const THREADS_TEST_TOKEN = 'threads-test-token-0123456789';

/** An error of errors/, as the API sends it. */
export function threadsError(name: string): FaultResponse {
  const meta = JSON.parse(readFileSync(path.join(THREADS_FIXTURES, 'errors', `${name}.meta.json`), 'utf8')) as { status: number; headers: Record<string, string> };
  return { status: meta.status, headers: meta.headers, body: readFileSync(path.join(THREADS_FIXTURES, 'errors', `${name}.json`), 'utf8') };
}

const file = (...parts: string[]): FaultResponse | undefined => {
  const f = path.join(DANA, ...parts);
  return existsSync(f) ? { status: 200, body: readFileSync(f, 'utf8') } : undefined;
};

/** The API's answer to a request: by path and `after` cursor, else the unknown-object error. */
const answer =
  (token: string): Fault =>
  (req) => {
    if (req.headers['authorization'] !== `Bearer ${token}`) return threadsError('token-invalid');
    const p = req.path.replace(/^\/v1\.0(?=\/)/, '');
    const after = req.query.get('after');
    const [, object, edge] = /^\/([^/]+)(?:\/([^/]+))?$/.exec(p) ?? [];
    const self = object === 'me' || object === USER_ID;
    let found: FaultResponse | undefined;
    if (object === 'me' && edge === undefined) found = file('me.json');
    else if (self && edge === 'threads_insights') found = file('threads_insights.json');
    else if (self && (edge === 'threads' || edge === 'replies')) found = file(edge, `${after ?? 'first'}.json`);
    else if (!self && edge === 'insights') found = file('insights', `${object}.json`);
    else if (!self && edge === 'conversation') found = file('conversation', `${after ?? object}.json`);
    return found ?? threadsError('unknown-user');
  };

export function startThreadsServer(options: { faults?: Fault[]; latencyMs?: number; token?: string } = {}): Promise<ApiServer> {
  return startApiServer({ latencyMs: options.latencyMs ?? 0, faults: [...(options.faults ?? []), answer(options.token ?? THREADS_TEST_TOKEN)] });
}
