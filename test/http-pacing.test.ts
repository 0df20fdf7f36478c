/**
 * Pacing to an announced rate limit: a server on 127.0.0.1 allows N requests per window of W ms
 * (fixed windows from its first request, counted on arrival) and says so in its headers; the client
 * sends 3×N requests at concurrency 4. None may be refused, each is asked once, and the whole takes
 * about the ideal schedule: two full windows, then the last N at concurrency 4, each one latency long.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../src/sources/http.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

type Headers = (limit: number, remaining: number, resetAt: number) => Record<string, string>;

/** A server that enforces `limit` requests per `windowMs`, announcing its budget in one header style. */
async function limitedServer(limit: number, windowMs: number, latencyMs: number, headers: Headers) {
  const stats = { answered: 0, refused: 0, paths: [] as string[] };
  let windowStart = 0;
  let used = 0;
  server = createServer((req, res) => {
    const now = Date.now();
    if (windowStart === 0) windowStart = now;
    while (now >= windowStart + windowMs) (windowStart += windowMs), (used = 0);
    used++;
    stats.paths.push(req.url!);
    const over = used > limit;
    const h = { 'content-type': 'application/json', ...headers(limit, Math.max(0, limit - used), windowStart + windowMs) };
    setTimeout(() => {
      if (over) stats.refused++;
      else stats.answered++;
      res.writeHead(over ? 429 : 200, h).end(over ? '{"error":"Too many requests"}' : `{"path":${JSON.stringify(req.url)}}`);
    }, latencyMs);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats };
}

const STYLES: Array<[string, Headers]> = [
  ['Mastodon X-RateLimit-* (ISO reset)', (limit, remaining, resetAt) => ({ 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': new Date(resetAt).toISOString() })],
  ['RateLimit-* (reset in delta seconds, no limit header)', (_limit, remaining, resetAt) => ({ 'ratelimit-remaining': String(remaining), 'ratelimit-reset': ((resetAt - Date.now()) / 1000).toFixed(3) })],
];

describe('pacing to an announced rate limit', () => {
  it.each(STYLES)('%s: 3×N requests at concurrency 4, no 429, each asked once, within 1.25× of the ideal schedule', async (_name, headers) => {
    const N = 10;
    const W = 800;
    const LATENCY = 20;
    const CONCURRENCY = 4;
    const { url, stats } = await limitedServer(N, W, LATENCY, headers);
    const http = new HttpClient({ userAgent: 'engage-audit/test', concurrency: CONCURRENCY, retryBaseMs: 1 });
    const started = Date.now();
    const bodies = await Promise.all(Array.from({ length: 3 * N }, (_, i) => http.getJson(`${url}/item/${i}`).then((r) => r.body)));
    const ms = Date.now() - started;
    await http.close();
    expect(bodies).toEqual(Array.from({ length: 3 * N }, (_, i) => ({ path: `/item/${i}` })));
    expect(stats.refused).toBe(0);
    expect(stats.answered).toBe(3 * N);
    expect(new Set(stats.paths).size).toBe(stats.paths.length);
    // Two full windows, then ⌈N / concurrency⌉ latencies for the last N: 1,600 + 60 = 1,660 ms.
    const ideal = 2 * W + Math.ceil(N / CONCURRENCY) * LATENCY;
    expect(ms).toBeGreaterThanOrEqual(2 * W); // the limit was kept: the third window was waited for
    expect(ms).toBeLessThan(1.25 * ideal);
  });
});
