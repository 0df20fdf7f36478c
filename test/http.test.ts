/**
 * The HTTP client against a real server on 127.0.0.1: retries, the three rate-limit header styles
 * (waits computed by hand from the headers and a fixed clock), timeouts, bad bodies, redirects,
 * parallelism, and no secret in any message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, HttpError, parseReset, retryAt, type HttpOptions } from '../src/sources/http.js';
import { EngageAuditError } from '../src/errors.js';
import { startApiServer, type ApiServer, type Fault } from './support/api-server.js';

const NOW = Date.UTC(2025, 1, 13, 9, 0, 0); // 2025-02-13T09:00:00Z
let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(extra: Partial<HttpOptions> = {}): { http: HttpClient; waits: number[] } {
  const waits: number[] = [];
  const http = new HttpClient({
    userAgent: 'engage-audit/test',
    retryBaseMs: 1,
    timeoutMs: 2000,
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
  return { http, waits };
}

async function serve(...faults: Fault[]): Promise<string> {
  server = await startApiServer({ faults });
  return server.url;
}

const ok = (body: unknown = { ok: true }): Fault => () => ({ status: 200, body: JSON.stringify(body) });

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('rate-limit headers', () => {
  it('parses each reset style to the same instant', () => {
    const at = Date.UTC(2025, 1, 13, 9, 10, 0); // 10 min after NOW
    expect(parseReset(String(at / 1000), NOW)).toBe(at); // epoch seconds (Bluesky RateLimit-Reset, X x-rate-limit-reset)
    expect(parseReset('2025-02-13T09:10:00.000000Z', NOW)).toBe(at); // Mastodon ISO with 6 digits
    expect(parseReset('600', NOW)).toBe(at); // delta seconds
    expect(parseReset('soon', NOW)).toBeNull();
    expect(retryAt({ 'retry-after': '30' }, NOW)).toBe(NOW + 30_000);
    expect(retryAt({ 'retry-after': 'Thu, 13 Feb 2025 09:01:00 GMT' }, NOW)).toBe(NOW + 60_000);
    // Retry-After wins over a reset header.
    expect(retryAt({ 'retry-after': '5', 'x-rate-limit-reset': String(at / 1000) }, NOW)).toBe(NOW + 5_000);
  });

  it.each([
    ['Retry-After seconds', { 'retry-after': '7' }, 7_000],
    ['Bluesky RateLimit-Reset epoch seconds', { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 42) }, 42_000],
    ['Mastodon X-RateLimit-Reset ISO', { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2025-02-13T09:02:30.000000Z' }, 150_000],
    ['X x-rate-limit-reset epoch seconds', { 'x-rate-limit-limit': '900', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(NOW / 1000 + 90) }, 90_000],
  ])('waits out a 429 as %s says', async (_name, headers, wait) => {
    const url = await serve((r) => (r.count === 1 ? { status: 429, headers: headers as Record<string, string>, body: '{"error":"Too many requests"}' } : undefined), ok({ page: 1 }));
    const { http, waits } = client();
    const res = await http.getJson(`${url}/api`);
    expect(res.body).toEqual({ page: 1 });
    expect(waits).toEqual([wait]);
    expect(http.requests).toBe(2);
    await http.close();
  });

  it('gives up at once when the reset is beyond --max-wait', async () => {
    const url = await serve(() => ({ status: 429, headers: { 'x-rate-limit-reset': String(NOW / 1000 + 3600) }, body: '{}' }));
    const { http, waits } = client({ maxWaitMs: 60_000 });
    const error = await failure(http.getJson(`${url}/2/users/1/tweets`));
    expect(error.code).toBe('RATE_LIMIT');
    expect(error.exitCode).toBe(4);
    expect(error.message).toMatch(/asks to wait 60 min, more than the 60 s allowed/);
    expect(waits).toEqual([]);
    await http.close();
  });

  it('slows down before the remaining budget reaches 0', async () => {
    const reset = String(NOW / 1000 + 20);
    const url = await serve((r) => (r.path === '/first' ? { status: 200, headers: { 'ratelimit-remaining': '1', 'ratelimit-reset': reset }, body: '{}' } : undefined), ok());
    const { http, waits } = client();
    await http.getJson(`${url}/first`);
    await http.getJson(`${url}/second`);
    expect(waits).toEqual([20_000]);
    await http.close();
  });
});

describe('retries and failures', () => {
  it('retries a 500 with growing backoff, then succeeds', async () => {
    const url = await serve((r) => (r.count <= 2 ? { status: 500, body: '{"error":"InternalServerError"}' } : undefined), ok({ fine: 1 }));
    const { http, waits } = client({ retryBaseMs: 100 });
    expect((await http.getJson(`${url}/x`)).body).toEqual({ fine: 1 });
    expect(waits).toHaveLength(2);
    // attempt n waits base·2^(n−1) plus jitter below that: [100, 200) then [200, 400).
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[0]).toBeLessThan(200);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    expect(waits[1]).toBeLessThan(400);
    await http.close();
  });

  it('stops after 4 retries of a server that keeps failing', async () => {
    const url = await serve(() => ({ status: 503, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' }));
    const { http } = client();
    const error = await failure(http.getJson(`${url}/xrpc/app.bsky.feed.getAuthorFeed`));
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/getAuthorFeed: the server answered 503 \(an HTML error page\) \(after 5 tries\)/);
    expect(http.requests).toBe(5);
    await http.close();
  });

  it('times out a server that never answers', async () => {
    const url = await serve(() => ({ hang: true }));
    const { http } = client({ timeoutMs: 150, retries: 1 });
    const started = Date.now();
    const error = await failure(http.getJson(`${url}/slow`));
    expect(error.message).toMatch(/no answer within 1 s \(after 2 tries\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await http.close();
  });

  it('recovers from a connection reset mid-body', async () => {
    const url = await serve((r) => (r.count === 1 ? { reset: true } : undefined), ok({ after: 'reset' }));
    const { http } = client();
    expect((await http.getJson(`${url}/cut`)).body).toEqual({ after: 'reset' });
    expect(http.requests).toBe(2);
    await http.close();
  });

  it('says so for malformed JSON and an HTML page in a 200', async () => {
    const url = await serve(
      (r) => (r.path === '/bad' ? { status: 200, body: '{"feed": [' } : undefined),
      (r) => (r.path === '/html' ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><title>Just a moment…</title>' } : undefined),
    );
    const { http } = client({ retries: 1 });
    expect((await failure(http.getJson(`${url}/bad`))).message).toMatch(/sent malformed JSON .* \(after 2 tries\)/);
    expect((await failure(http.getJson(`${url}/html`))).message).toMatch(/sent an HTML page instead of JSON/);
    await http.close();
  });

  it('maps 404, 401 and API error bodies of each style', async () => {
    const url = await serve(
      (r) => (r.path === '/m' ? { status: 404, body: '{"error":"Record not found"}' } : undefined),
      (r) => (r.path === '/b' ? { status: 400, body: '{"error":"InvalidRequest","message":"Profile not found"}' } : undefined),
      (r) => (r.path === '/x' ? { status: 401, body: '{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}' } : undefined),
    );
    const { http } = client();
    const m = await failure(http.getJson(`${url}/m`));
    expect([m.code, m.status, m.message]).toEqual(['NOT_FOUND', 404, '127.0.0.1:' + new URL(url).port + '/m: 404 Record not found']);
    const b = await failure(http.getJson(`${url}/b`));
    expect([b.code, b.apiError]).toEqual(['NETWORK', 'InvalidRequest']);
    const x = await failure(http.getJson(`${url}/x`));
    expect(x.code).toBe('AUTH');
    await http.close();
  });

  it('ends a redirect loop and refuses an oversized body', async () => {
    const url = await serve(
      (r) => (r.path === '/loop' ? { status: 302, headers: { location: '/loop2' }, body: '' } : undefined),
      (r) => (r.path === '/loop2' ? { status: 302, headers: { location: '/loop' }, body: '' } : undefined),
      (r) => (r.path === '/big' ? { status: 200, body: `{"a":"${'x'.repeat(4096)}"}` } : undefined),
    );
    const { http } = client({ maxBodyBytes: 1024 });
    expect((await failure(http.getJson(`${url}/loop`))).message).toMatch(/too many redirects/);
    expect((await failure(http.getJson(`${url}/big`))).message).toMatch(/larger than/);
    await http.close();
  });

  it('does not follow a redirect to another host while it carries a token', async () => {
    const url = await serve((r) => (r.path === '/away' ? { status: 302, headers: { location: 'http://127.0.0.2:9/steal' }, body: '' } : undefined));
    const { http } = client({ headers: { authorization: 'Bearer SENTINEL-redirect-1234' } });
    const error = await failure(http.getJson(`${url}/away`));
    expect(error.message).toMatch(/redirected to another host \(127\.0\.0\.2:9\); not followed/);
    expect(http.requests).toBe(1);
    await http.close();
  });

  it('reports a refused connection', async () => {
    server = await startApiServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const { http } = client({ retries: 1 });
    expect((await failure(http.getJson(`${url}/gone`))).message).toMatch(/connection refused \(after 2 tries\)/);
    await http.close();
  });
});

describe('parallelism and secrets', () => {
  it('keeps at most --concurrency requests in flight', async () => {
    server = await startApiServer({ latencyMs: 30 });
    const { http } = client({ concurrency: 2 });
    await Promise.allSettled(Array.from({ length: 8 }, (_, i) => http.getJson(`${server!.url}/p${i}`)));
    expect(server.maxInFlight).toBe(2);
    expect(server.requests).toHaveLength(8);
    await http.close();
  });

  it('sends the User-Agent and never puts a header secret in a message', async () => {
    const secret = 'SENTINEL-token-4242';
    const url = await serve((r) => ({ status: 403, body: JSON.stringify({ error: `bad token ${String(r.headers['authorization'])}`, ua: r.headers['user-agent'] }) }));
    const { http } = client({ headers: { authorization: `Bearer ${secret}` } });
    const error = await failure(http.getJson(`${url}/secret`));
    expect(error.message).toContain('403 bad token [redacted]');
    expect(error.message).not.toContain(secret);
    expect(error).toBeInstanceOf(EngageAuditError);
    await http.close();
  });
});
