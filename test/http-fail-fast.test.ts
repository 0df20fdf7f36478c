/**
 * Failures retrying cannot help end at once, with one line and exit 4: a name that does not resolve
 * (under `.invalid`, which never resolves), a TLS server whose certificate is not trusted (a
 * self-signed one made at test time), a server that does not speak TLS, an account the server does
 * not know. Those that may pass (a resolver that did not answer, a refused connection) get one retry;
 * a reset connection keeps its retries. The client runs with its real clock and default backoff.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, type HttpError, type HttpOptions } from '../src/sources/http.js';
import { startApiServer, type ApiServer, type Platform } from './support/api-server.js';
import { failure } from './support/failure.js';
import { FIXTURES, runCli } from './helpers.js';

let api: ApiServer | undefined;
let plain: Server | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
  await new Promise((r) => (plain ? plain.close(r) : r(undefined)));
  plain = undefined;
});

const client = (extra: Partial<HttpOptions> = {}): HttpClient => new HttpClient({ userAgent: 'engage-audit/test', ...extra });

/** Times a failing request: its error, how long it took, and the requests the client sent. */
async function timed(http: HttpClient, url: string): Promise<{ error: HttpError; ms: number; requests: number }> {
  const started = Date.now();
  const error = await failure(http.getJson(url));
  const ms = Date.now() - started;
  await http.close();
  return { error, ms, requests: http.requests };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('fails at once where retrying cannot help', () => {
  it('a host under .invalid: one request, exit 4, host not found', async () => {
    const { error, ms, requests } = await timed(client(), 'https://engage-audit-test.invalid/api/v1/accounts/lookup');
    expect([error.code, error.exitCode, error.message]).toEqual(['NETWORK', 4, 'engage-audit-test.invalid: host not found (DNS)']);
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(2_000);
  });

  it('the CLI on an instance that does not resolve: one line and a hint, exit 4, within about a second', async () => {
    const started = Date.now();
    const r = await runCli(['@someone@engage-audit-test.invalid']);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r.code).toBe(4);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'engage-audit: engage-audit-test.invalid: host not found (DNS)',
      "  hint: Check the host name (the account's instance, or --api-base) and the connection.",
    ]);
    expect(r.stdout).toBe('');
  });

  it('a self-signed certificate: one request, exit 4, names the refusal; the server never sees a request', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'engage-audit-tls-'));
    let seen = 0;
    try {
      // A throwaway key and certificate for this test only, made now and deleted after.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      plain = createHttpsServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => (seen++, res.end('{}')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const host = await listen(plain);
    const { error, ms, requests } = await timed(client(), `https://${host}/xrpc/app.bsky.actor.getProfile`);
    expect([error.code, error.exitCode]).toEqual(['NETWORK', 4]);
    expect(error.message).toBe(`${host}: TLS certificate refused (self-signed certificate, DEPTH_ZERO_SELF_SIGNED_CERT); not asked over an unverified connection`);
    expect(error.hint).toMatch(/certificate could not be verified/);
    expect([requests, seen]).toEqual([1, 0]);
    expect(ms).toBeLessThan(2_000);
  });

  it('an https URL at a server that speaks plain HTTP: one request, exit 4', async () => {
    plain = createHttpServer((_req, res) => res.end('{}'));
    const host = await listen(plain);
    const { error, ms, requests } = await timed(client(), `https://${host}/api`);
    expect([error.code, error.exitCode, error.message]).toEqual(['NETWORK', 4, `${host}: no TLS handshake (ERR_SSL_WRONG_VERSION_NUMBER); not asked over an unverified connection`]);
    expect(requests).toBe(1);
    expect(ms).toBeLessThan(2_000);
  });
});

describe('one retry where the cause may pass', () => {
  it('a resolver that does not answer (EAI_AGAIN): two tries, then one line', async () => {
    let lookups = 0;
    const http = client({
      lookup: (_host, _options, callback) => (lookups++, callback(Object.assign(new Error('getaddrinfo EAI_AGAIN api.example.test'), { code: 'EAI_AGAIN' }), '', 4)),
    });
    const { error, ms, requests } = await timed(http, 'http://api.example.test/x');
    expect([error.code, error.exitCode, error.message]).toEqual(['NETWORK', 4, 'api.example.test/x: host not found (DNS did not answer) (after 2 tries)']);
    expect([requests, lookups]).toEqual([2, 2]);
    expect(ms).toBeLessThan(2_500); // one backoff of 0.5-1 s, not four over 11 s
  });

  it('a refused connection: two tries, then one line with a hint', async () => {
    plain = createHttpServer();
    const host = await listen(plain);
    await new Promise((r) => plain!.close(r));
    plain = undefined;
    const { error, ms, requests } = await timed(client(), `http://${host}/api`);
    expect([error.code, error.exitCode, error.message]).toEqual(['NETWORK', 4, `${host}/api: connection refused (after 2 tries)`]);
    expect(error.hint).toMatch(/Nothing answers at that host and port/);
    expect(requests).toBe(2);
    expect(ms).toBeLessThan(2_500);
  });

  it('a connection reset keeps its retries: three resets, then the answer', async () => {
    api = await startApiServer({ faults: [(r) => (r.count <= 3 ? { reset: true, status: 200, body: '{"partial":' } : { status: 200, body: '{"ok":true}' })] });
    const http = client({ retryBaseMs: 1 });
    expect((await http.getJson(`${api.url}/flaky`)).body).toEqual({ ok: true });
    expect(http.requests).toBe(4);
    await http.close();
  });
});

describe('an account the server does not know: exit 4, naming the account and the server', () => {
  it.each<[Platform, number, string, string, RegExp]>([
    ['bluesky', 404, 'bluesky/alice', '@nobody.bsky.social', /^engage-audit: Bluesky has no account nobody\.bsky\.social \(127\.0\.0\.1:\d+\/xrpc\/app\.bsky\.actor\.getProfile: 404 /],
    ['mastodon', 410, 'mastodon/bob', '@gone@social.example', /^engage-audit: social\.example knows no account @gone \(127\.0\.0\.1:\d+\/api\/v1\/accounts\/lookup: 410 /],
    ['x', 404, 'x/carol', 'x:@nobody_here', /^engage-audit: X has no account @nobody_here \(127\.0\.0\.1:\d+\/2\/users\/by\/username\/nobody_here: 404 /],
  ])('%s: the lookup answers %i', async (platform, status, dir, target, line) => {
    api = await startApiServer({
      platform,
      root: path.join(FIXTURES, 'api', dir),
      token: 'x-test-token-0123456789',
      faults: [(r) => (r.count === 1 ? { status, headers: { 'content-type': 'application/json' }, body: '{"error":"Record not found"}' } : undefined)],
    });
    const r = await runCli([target, '--api-base', api.url], { env: { X_BEARER_TOKEN: 'x-test-token-0123456789' } });
    expect(r.code).toBe(4);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(line);
    expect(api.requests).toHaveLength(1);
  });
});
