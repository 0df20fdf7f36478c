/**
 * The HTTP client against a real server on 127.0.0.1: retries, the three rate-limit header styles
 * (waits computed by hand from the headers and a fixed clock), timeouts, bad bodies, redirects,
 * parallelism, and no secret in any message.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeadlineError, HttpClient, InterruptedError, parseReset, retryAt, type HttpEvent, type HttpOptions } from '../src/sources/http.js';
import { EngageAuditError } from '../src/errors.js';
import { startApiServer, type ApiServer, type Fault } from './support/api-server.js';
import { failure } from './support/failure.js';

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

  it('spends the last request the budget announces, then waits for the reset', async () => {
    const reset = String(NOW / 1000 + 20);
    const left: Record<string, string> = { '/first': '1', '/second': '0' };
    const url = await serve((r) => (left[r.path] ? { status: 200, headers: { 'ratelimit-remaining': left[r.path]!, 'ratelimit-reset': reset }, body: '{}' } : undefined), ok());
    const { http, waits } = client();
    await http.getJson(`${url}/first`);
    await http.getJson(`${url}/second`); // the one request left
    expect(waits).toEqual([]);
    await http.getJson(`${url}/third`);
    expect(waits).toEqual([20_000 + 50]); // the reset, and a margin of 50 ms
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
    const { http } = client({ credentials: { origin: url, headers: { authorization: 'Bearer SENTINEL-redirect-1234' } } });
    const error = await failure(http.getJson(`${url}/away`));
    expect(error.message).toMatch(/redirected to another origin \(http:\/\/127\.0\.0\.2:9\); not followed/);
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
    const { http } = client({ credentials: { origin: url, headers: { authorization: `Bearer ${secret}` } } });
    const error = await failure(http.getJson(`${url}/secret`));
    expect(error.message).toContain('403 bad token [redacted]');
    expect(error.message).not.toContain(secret);
    expect(error).toBeInstanceOf(EngageAuditError);
    await http.close();
  });
});

describe('credentials stay with their origin', () => {
  let other: ApiServer | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
  });
  const TOKEN = 'SENTINEL-origin-token-5150';
  const sentAuth = (auth: string[]): Fault => (r) => {
    auth.push(String(r.headers['authorization']));
    return r.path === '/steal' ? { status: 200, body: '{"stolen":true}' } : undefined;
  };

  it('does not follow a redirect that changes only the scheme or only the port', async () => {
    const auth: string[] = [];
    other = await startApiServer({ faults: [sentAuth(auth)] });
    const port = new URL(other.url).port;
    const url = await serve(
      (r) => (r.path === '/to-https' ? { status: 302, headers: { location: `https://127.0.0.1:${port}/steal` }, body: '' } : undefined),
      (r) => (r.path === '/to-port' ? { status: 307, headers: { location: `${other!.url}/steal` }, body: '' } : undefined),
    );
    const { http } = client({ credentials: { origin: url, headers: { authorization: `Bearer ${TOKEN}` } } });
    const scheme = await failure(http.getJson(`${url}/to-https`));
    expect(scheme.message).toMatch(new RegExp(`redirected to another origin \\(https://127\\.0\\.0\\.1:${port}\\); not followed`));
    const portChange = await failure(http.getJson(`${url}/to-port`));
    expect(portChange.message).toMatch(/redirected to another origin .*not followed/);
    expect(http.requests).toBe(2);
    expect(auth).toEqual([]);
    await http.close();
  });

  it('follows a redirect to another origin when it carries no credentials', async () => {
    const auth: string[] = [];
    other = await startApiServer({ faults: [sentAuth(auth)] });
    const url = await serve((r) => (r.path === '/to-port' ? { status: 302, headers: { location: `${other!.url}/steal` }, body: '' } : undefined));
    const { http } = client();
    expect((await http.getJson(`${url}/to-port`)).body).toEqual({ stolen: true });
    expect(auth).toEqual(['undefined']);
    await http.close();
  });

  it('never asks a URL of another origin while it carries credentials (a next-page link elsewhere)', async () => {
    const auth: string[] = [];
    other = await startApiServer({ faults: [sentAuth(auth)] });
    const url = await serve(ok({ home: true }));
    const { http } = client({ credentials: { origin: `${url}/`, headers: { authorization: `Bearer ${TOKEN}` } } });
    expect((await http.getJson(`${url}/home`)).body).toEqual({ home: true });
    const error = await failure(http.getJson(`${other.url}/steal?page=2`));
    expect(error.message).toMatch(/another origin .*not asked/);
    expect(error.message).not.toContain(TOKEN);
    expect(auth).toEqual([]);
    expect(server!.requests).toEqual(['/home']);
    await http.close();
  });
});

describe('redaction', () => {
  const runs = (text: string, n: number): string[] => Array.from({ length: text.length - n + 1 }, (_, i) => text.slice(i, i + n));

  it('a long token quoted in a 4 KB error body: not one 8-character run of it in a message or an event', async () => {
    const token = `SENTINEL${'q7Zr0xK2mW'.repeat(10)}t`; // 109 characters
    expect(token).toHaveLength(109);
    const plain = `${'Request refused. '.repeat(3)}Authorization: Bearer ${token} was not accepted. ${'-'.repeat(4000)}`;
    const url = await serve(
      (r) => (r.path === '/plain' ? { status: 400, headers: { 'content-type': 'text/plain' }, body: plain } : undefined),
      (r) => (r.path === '/json' ? { status: 401, body: JSON.stringify({ error: `invalid token ${token}`, padding: 'x'.repeat(4000) }) } : undefined),
      (r) => (r.path === `/retry-${token}` ? { status: 503, body: `{"error":"down for ${token}"}` } : undefined),
    );
    const events: string[] = [];
    const { http } = client({ retries: 1, credentials: { origin: url, headers: { authorization: `Bearer ${token}` } }, onEvent: (e) => events.push(JSON.stringify(e)) });
    const texts = [
      (await failure(http.getJson(`${url}/plain`))).message,
      (await failure(http.getJson(`${url}/json`))).message,
      (await failure(http.getJson(`${url}/retry-${token}`))).message,
      ...events,
    ];
    expect(texts[0]).toContain('[redacted]');
    for (const text of texts) for (const run of runs(token, 8)) expect(text, text).not.toContain(run);
    expect(events.length).toBeGreaterThanOrEqual(4);
    await http.close();
  });

  it.each([
    ['percent-encoded', (t: string) => encodeURIComponent(t)],
    ['percent-encoded, lower-case hex', (t: string) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['percent-decoded', (t: string) => decodeURIComponent(t)],
    ['JSON-escaped', (t: string) => JSON.stringify(t).slice(1, -1)],
    ['upper-cased', (t: string) => t.toUpperCase()],
    ['lower-cased', (t: string) => t.toLowerCase()],
    ['with every character percent-encoded', (t: string) => [...Buffer.from(t)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')],
    ['with every character percent-encoded, upper-case hex', (t: string) => [...Buffer.from(t)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')],
    ['in base64', (t: string) => Buffer.from(t).toString('base64')],
    ['in URL-safe base64', (t: string) => Buffer.from(t).toString('base64url')],
    ['in base64, inside a longer base64 text', (t: string) => Buffer.from(`user:${t}`).toString('base64')],
  ])('a token echoed %s is redacted', async (_name, form) => {
    const token = 'SENTINEL/ab+cd=ef%2Fgh\\ij"kl';
    const echoed = form(token);
    expect(echoed).not.toBe(token);
    const url = await serve(() => ({ status: 403, headers: { 'content-type': 'text/plain' }, body: `denied: ${echoed}` }));
    const { http } = client({ credentials: { origin: url, headers: { authorization: `Bearer ${token}` } } });
    const error = await failure(http.getJson(`${url}/echo`));
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(echoed);
    expect(error.message.toLowerCase()).not.toContain('ab+cd');
    expect(error.message.toLowerCase()).not.toContain('sentinel');
    // base64 keeps no more than the last 2 characters, which carry a part of the last 2 bytes only
    expect(error.message.length - error.message.indexOf('[redacted]') - '[redacted]'.length).toBeLessThanOrEqual(4);
    await http.close();
  });

  it('a redirect to a host named by the token (which the URL parser lower-cases) is refused without the token', async () => {
    const token = 'SENTINELq7Zr0xK2mW';
    const url = await serve(() => ({ status: 302, headers: { location: `http://${token}.example:9/x` }, body: '' }));
    const { http } = client({ credentials: { origin: url, headers: { authorization: `Bearer ${token}` } } });
    const error = await failure(http.getJson(`${url}/start`));
    expect(error.message).toBe(`127.0.0.1:${new URL(url).port}/start: redirected to another origin (http://[redacted].example:9); not followed, to keep the credentials from it`);
    await http.close();
  });

  it.each([
    ['40,000 characters', `SENTINEL${'q7Zr0xK2mW'.repeat(4000)}`],
    ['25,000 characters, most of them %2B', `SENTINEL${'%2B'.repeat(8330)}z`],
  ])('a token of %s is redacted (no pattern too large to build)', async (_name, token) => {
    // Servers refuse headers this long (431), so the client's redaction is asked directly.
    const { http } = client({ credentials: { origin: 'http://127.0.0.1:9', headers: { authorization: `Bearer ${token}` } } });
    expect(http.redact(`denied: ${token} (${encodeURIComponent(token)}, ${token.toUpperCase()})`)).toBe('denied: [redacted] ([redacted], [redacted])');
    await http.close();
  });

  it('malformed JSON is named by its byte position, never quoted (the engine quotes the body, secret and all)', async () => {
    const token = 'SeCrEtToKeN-77aa';
    const url = await serve(
      (r) => (r.path === '/quoted' ? { status: 200, body: `[${token}]` } : undefined),
      (r) => (r.path === '/after' ? { status: 200, body: '{"é":1}x' } : undefined),
      (r) => (r.path === '/cut' ? { status: 200, body: `{"a":"${token.slice(0, 6)}` } : undefined),
    );
    const events: string[] = [];
    const { http } = client({ retries: 1, credentials: { origin: url, headers: { authorization: `Bearer ${token}` } }, onEvent: (e) => events.push(JSON.stringify(e)) });
    const label = `127.0.0.1:${new URL(url).port}`;
    expect((await failure(http.getJson(`${url}/quoted`))).message).toBe(`${label}/quoted: the server sent malformed JSON (after 2 tries)`);
    // the x is at position 7 in characters, byte 8: "é" is two bytes
    expect((await failure(http.getJson(`${url}/after`))).message).toBe(`${label}/after: the server sent malformed JSON at byte 8 (after 2 tries)`);
    expect((await failure(http.getJson(`${url}/cut`))).message).toBe(`${label}/cut: the server sent malformed JSON that ends too early (at byte 12) (after 2 tries)`);
    expect(events.filter((e) => e.includes('"retry"'))).toHaveLength(3);
    for (const text of events) for (const run of runs(token, 4)) expect(text).not.toContain(run);
    await http.close();
  });

  it('makes only the kinds of event its listener takes: nothing is redacted for the others', async () => {
    const url = await serve((r) => (r.path === '/down' ? { status: 503, body: '{}' } : undefined), ok());
    const events: HttpEvent[] = [];
    const { http } = client({ retries: 1, events: ['retry'], onEvent: (e) => events.push(e) });
    const redact = vi.spyOn(http, 'redact');
    await http.getJson(`${url}/fine`);
    expect(redact).not.toHaveBeenCalled();
    await failure(http.getJson(`${url}/down`));
    expect(events.map((e) => e.type)).toEqual(['retry']);
    await http.close();
  });

  it('a URL that cannot be parsed is redacted whole before it is cut to its first 200 characters', async () => {
    const token = 'SENTINEL-cut-4f4f4f';
    const { http } = client({ credentials: { origin: 'http://127.0.0.1:9', headers: { authorization: `Bearer ${token}` } } });
    // the token starts at character 192: a cut at 200 would keep its first 8 characters
    const bad = `http://[bad/${'y'.repeat(180)}${token}`;
    const error = await failure(http.getJson(bad));
    expect(error.message).toBe(`a request: ${JSON.stringify(`http://[bad/${'y'.repeat(180)}[redacte…`)} is not a URL`);
    expect(http.requests).toBe(0);
    await http.close();
  });

  it.each(['file:///etc/passwd', 'data:text/plain,hello', 'javascript:alert(1)'])('a redirect to %s names the request and says it was a redirect', async (location) => {
    const url = await serve(() => ({ status: 302, headers: { location }, body: '' }));
    const { http } = client();
    const error = await failure(http.getJson(`${url}/start`));
    expect(error.message).toBe(`127.0.0.1:${new URL(url).port}/start: redirected to ${JSON.stringify(location)}, not an http or https URL; not followed`);
    expect(error.exitCode).toBe(4);
    await http.close();
  });
});

describe('bad headers and requests that cannot be built', () => {
  it('refuses a header value with a line end or a control character before any request, naming the position only', () => {
    for (const [value, position] of [['Bearer abc\r', 11], ['Bearer a\u0000bc', 9], ['Bearer caf\u00e9', 11]] as const) {
      let error: unknown;
      try {
        client({ credentials: { origin: 'http://127.0.0.1:9', headers: { authorization: value } } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EngageAuditError);
      expect((error as EngageAuditError).exitCode).toBe(2);
      expect((error as EngageAuditError).message).toMatch(new RegExp(`authorization header .* at position ${position}\\b`));
      expect((error as EngageAuditError).message).not.toContain('abc');
    }
  });

  it('a request the HTTP library refuses to build is not retried, and the fifth and later requests still settle', async () => {
    const url = await serve(ok());
    // A header name undici refuses: each refusal used to leave one of its connection slots taken for good.
    const { http } = client({ concurrency: 4, credentials: { origin: url, headers: { 'bad name': 'x' } } });
    const started = Date.now();
    const errors = await Promise.all(Array.from({ length: 9 }, async () => failure(http.getJson(`${url}/p`))));
    for (const e of errors) expect(e.message).toMatch(/could not be sent/);
    expect(http.requests).toBe(9); // one try each
    expect(server!.requests).toEqual([]);
    for (let i = 0; i < 6; i++) expect((await failure(http.getJson(`${url}/q${i}`))).message).toMatch(/could not be sent/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await http.close();
  }, 10_000);

  it('a host that DNS does not know: one line, no retries', async () => {
    const { http } = client({
      lookup: (_host, _options, callback) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND api.nowhere.test'), { code: 'ENOTFOUND' }), '', 4),
    });
    const error = await failure(http.getJson('http://api.nowhere.test/x'));
    expect(error.code).toBe('NETWORK');
    expect(error.exitCode).toBe(4);
    expect(error.message).toBe('api.nowhere.test: host not found (DNS)');
    expect(http.requests).toBe(1);
    await http.close();
  });
});

describe('bounds', () => {
  it('a rate-limit wait that would end past the deadline stops at once', async () => {
    const url = await serve((r) => (r.count === 1 ? { status: 429, headers: { 'retry-after': '120' }, body: '{}' } : undefined), ok());
    const { http, waits } = client({ deadlineMs: 60_000 });
    const error = await failure(http.getJson(`${url}/limited`));
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error.message).toMatch(/rate limited for 2 min, past the pull's deadline \(--deadline 60\)/);
    expect(waits).toEqual([]);
    expect(http.requests).toBe(1);
    await http.close();
  });

  it('a retry that would come after the deadline is not made', async () => {
    const url = await serve((r) => (r.count === 1 ? { status: 502, body: '{"error":"BadGateway"}' } : undefined), ok());
    const { http, waits } = client({ retryBaseMs: 45_000, deadlineMs: 40_000 });
    const error = await failure(http.getJson(`${url}/flaky`));
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error.message).toMatch(/flaky: status 502; no time left to try again before the pull's deadline \(--deadline 40\)$/);
    expect(waits).toEqual([]);
    expect(http.requests).toBe(1);
    await http.close();
  });

  it('a request still waiting at the deadline is cut there and not retried', async () => {
    const url = await serve(() => ({ hang: true }));
    const { http } = client({ timeoutMs: 20_000, deadlineMs: 300, now: () => Date.now() });
    const started = Date.now();
    const error = await failure(http.getJson(`${url}/slow`));
    expect(error).toBeInstanceOf(DeadlineError);
    expect(error.message).toMatch(/the pull's deadline \(--deadline 0\.3\) passed/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(http.requests).toBe(1);
    // Later requests fail at once.
    expect(await failure(http.getJson(`${url}/later`))).toBeInstanceOf(DeadlineError);
    expect(http.requests).toBe(1);
    await http.close();
  }, 10_000);

  it('stops asking an endpoint after 3 timeouts in a row; other endpoints go on', async () => {
    const url = await serve((r) => (r.path.endsWith('/context') ? { hang: true } : undefined), ok());
    const events: HttpEvent[] = [];
    const { http } = client({ timeoutMs: 100, concurrency: 2, onEvent: (e) => events.push(e) });
    const started = Date.now();
    const ids = Array.from({ length: 10 }, (_, i) => `11426735095809536${i}`);
    const errors = await Promise.all(ids.map((id) => failure(http.getJson(`${url}/api/v1/statuses/${id}/context`))));
    expect(Date.now() - started).toBeLessThan(5_000);
    const asked = server!.requests.filter((q) => q.endsWith('/context')).length;
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(asked).toBeLessThanOrEqual(3 + 2); // the third strike, plus what was in flight then
    const endpoint = `GET 127.0.0.1:${new URL(url).port}/api/v1/statuses/:id/context`;
    expect(events.filter((e) => e.type === 'breaker')).toEqual([{ type: 'breaker', endpoint, failures: 3, reason: 'no answer within 1 s' }]);
    expect(errors.at(-1)!.message).toBe(`${endpoint}: not asked again after 3 failures in a row (no answer within 1 s)`);
    expect((await http.getJson(`${url}/api/v1/statuses/${ids[0]}/favourited_by`)).body).toEqual({ ok: true });
    await http.close();
  }, 10_000);

  it('counts a 5xx once, after its retries; a success in between starts the count again', async () => {
    let healthy = false;
    const url = await serve(() => (healthy ? undefined : { status: 503, body: '{"error":"unavailable"}' }), ok());
    const { http } = client({ retries: 1 });
    const get = (id: string) => http.getJson(`${url}/2/users/${id}/tweets`);
    await failure(get('1001'));
    await failure(get('1002'));
    healthy = true;
    await get('1003');
    healthy = false;
    await failure(get('1004'));
    await failure(get('1005'));
    expect(server!.requests).toHaveLength(2 * 4 + 1);
    expect((await failure(get('1006'))).message).toMatch(/answered 503: unavailable \(after 2 tries\)/);
    expect(server!.requests).toHaveLength(2 * 5 + 1);
    expect((await failure(get('1007'))).message).toMatch(/2\/users\/:id\/tweets: not asked again after 3 failures in a row/);
    expect(server!.requests).toHaveLength(2 * 5 + 1);
    await http.close();
  });
});

describe('steps without a test before', () => {
  it('a 429 without a header waits base·2^n, and the request stops after the allowed waits', async () => {
    const url = await serve(() => ({ status: 429, body: '{"error":"slow down"}' }));
    const { http, waits } = client({ retryBaseMs: 100, rateLimitRetries: 2 });
    const error = await failure(http.getJson(`${url}/busy`));
    expect(error.code).toBe('RATE_LIMIT');
    expect(error.message).toBe(`127.0.0.1:${new URL(url).port}/busy: still rate limited after 3 waits`);
    expect(waits).toEqual([200, 400]); // 100·2^1, 100·2^2
    expect(http.requests).toBe(3);
    await http.close();
  });

  it('a stop (the caller\'s signal) ends a rate-limit wait at once, with the default sleep', async () => {
    const url = await serve(() => ({ status: 429, headers: { 'retry-after': '30' }, body: '{}' }));
    const stop = new AbortController();
    const events: HttpEvent[] = [];
    const http = new HttpClient({ userAgent: 'engage-audit/test', signal: stop.signal, onEvent: (e) => events.push(e) });
    const started = Date.now();
    const pending = http.getJson(`${url}/wait`).catch((e: unknown) => e);
    while (!events.some((e) => e.type === 'rate-limit')) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    expect(await pending).toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(5_000); // not the 30 s asked
    expect(server!.requests).toEqual(['/wait']);
    await http.close();
  });

  it('a redirect without a Location fails and names the request', async () => {
    const url = await serve(() => ({ status: 301, body: '' }));
    const { http } = client();
    const error = await failure(http.getJson(`${url}/moved`));
    expect([error.code, error.status, error.message]).toEqual(['NETWORK', 301, `127.0.0.1:${new URL(url).port}/moved: a redirect (301) without a Location`]);
    await http.close();
  });

  it('follows a redirect within the origin with the credentials, and the budget of a 429 is spent by its wait', async () => {
    const auth: string[] = [];
    const reset = String(NOW / 1000 + 30);
    const url = await serve(
      (r) => (auth.push(String(r.headers['authorization'])), undefined),
      (r) => (r.path === '/old' ? { status: 308, headers: { location: '/new?page=1' }, body: '' } : undefined),
      (r) => (r.path === '/new' && r.count === 1 ? { status: 429, headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': reset }, body: '{}' } : undefined),
      ok({ moved: true }),
    );
    const { http, waits } = client({ credentials: { origin: url, headers: { authorization: 'Bearer SENTINEL-same-origin-77' } } });
    const res = await http.getJson(`${url}/old`);
    expect(res).toMatchObject({ body: { moved: true }, url: `${url}/new?page=1` });
    expect(server!.requests).toEqual(['/old', '/new?page=1', '/new?page=1']);
    expect(auth).toEqual(Array(3).fill('Bearer SENTINEL-same-origin-77'));
    // One wait for the 429; the budget it reported (0 left) does not make the next request wait again.
    await http.getJson(`${url}/next`);
    expect(waits).toEqual([30_000]);
    await http.close();
  });
});
