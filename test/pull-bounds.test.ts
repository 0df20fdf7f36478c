/**
 * Live pulls against real servers on 127.0.0.1 when something would leak a token or never end:
 * next-page links to another origin, MASTODON_TOKEN and the instance it belongs to, pages that
 * bring nothing new under a fresh cursor, thread endpoints that never answer, tokens with line
 * ends or control characters, and the pull's deadline. Each ends, keeps what was fetched, and
 * says why.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pullBluesky } from '../src/sources/bluesky/index.js';
import { pullMastodon } from '../src/sources/mastodon/index.js';
import { pullX } from '../src/sources/x-api/index.js';
import { EngageAuditError } from '../src/errors.js';
import { DEFAULT_PULL, withPull, type PullEvent, type PullOptions } from '../src/sources/api-common.js';
import { audit, type Report } from '../src/index.js';
import { startApiServer, type ApiServer, type Fault, type Platform } from './support/api-server.js';
import { FIXTURES, runCli } from './helpers.js';

const ROOTS = { bluesky: 'bluesky/alice', mastodon: 'mastodon/bob', x: 'x/carol' } as const;
const TOKEN = 'x-test-token-0123456789';
const M_TOKEN = 'SENTINEL-mastodon-token-77';

const servers: ApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(platform: Platform, faults: Fault[] = []): Promise<ApiServer> {
  const server = await startApiServer({ platform, root: path.join(FIXTURES, 'api', ROOTS[platform]), faults, token: TOKEN });
  servers.push(server);
  return server;
}

function pullOptions(apiBase: string, extra: Partial<PullOptions> = {}): PullOptions {
  return { ...DEFAULT_PULL, apiBase, env: {}, userAgent: 'engage-audit/test', retryBaseMs: 1, ...extra };
}

const readJson = async <T>(rel: string): Promise<T> => JSON.parse(await readFile(path.join(FIXTURES, 'api', rel), 'utf8')) as T;

/** Records the Authorization header of every request a server receives. */
const recordAuth = (seen: string[]): Fault => (r) => {
  seen.push(String(r.headers['authorization']));
  return undefined;
};

describe('a next-page link to another origin', () => {
  /** The first statuses page of server `a`, with its Link rel="next" pointing at server `b`. */
  const linkTo = (b: () => ApiServer): Fault => (r) => {
    if (!r.path.endsWith('/statuses') || r.query.has('max_id')) return undefined;
    return { status: 200, headers: { link: `<${b().url}/api/v1/accounts/109412345678901234/statuses?limit=40&max_id=114692220518415380>; rel="next"` }, body: JSON.stringify(firstPage) };
  };
  let firstPage: unknown[] = [];

  it('is not followed while MASTODON_TOKEN is sent: paging stops with page 1 kept', async () => {
    firstPage = await readJson<unknown[]>('mastodon/bob/statuses/first.json');
    const elsewhere: string[] = [];
    const b = await serve('mastodon', [recordAuth(elsewhere)]);
    const a = await serve('mastodon', [linkTo(() => b)]);
    const env = { MASTODON_TOKEN: M_TOKEN, MASTODON_INSTANCE: 'social.example' };
    const dataset = await pullMastodon('bob', 'social.example', '@bob@social.example', pullOptions(a.url, { env, budget: 0 }));
    const report = await audit(dataset, { generatedAt: 'x' });
    expect(report.input.complete).toBe(false);
    expect(report.input.warnings.join(' ')).toMatch(new RegExp(`Stopped while reading statuses \\(page 2\\): ${b.url}/api/v1/accounts/109412345678901234/statuses: another origin than ${a.url}, which the credentials are for; not asked`));
    expect(report.window.posts).toBe(firstPage.length);
    expect(elsewhere).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(M_TOKEN);
  });

  it('is followed when the pull sends no token', async () => {
    firstPage = await readJson<unknown[]>('mastodon/bob/statuses/first.json');
    const elsewhere: string[] = [];
    const b = await serve('mastodon', [recordAuth(elsewhere)]);
    const a = await serve('mastodon', [linkTo(() => b)]);
    const dataset = await pullMastodon('bob', 'social.example', '@bob@social.example', pullOptions(a.url, { budget: 0 }));
    const report = await audit(dataset, { generatedAt: 'x' });
    expect(report.input.complete).toBe(true);
    expect(elsewhere.length).toBeGreaterThan(0);
    expect(elsewhere.every((h) => h === 'undefined')).toBe(true);
    expect(report.window.posts).toBeGreaterThan(firstPage.length);
  });
});

describe('MASTODON_TOKEN goes only to the instance MASTODON_INSTANCE names', () => {
  it.each([
    ['the target is on MASTODON_INSTANCE (sent to --api-base)', '@bob@social.example', { MASTODON_INSTANCE: 'social.example' }, true],
    ['MASTODON_INSTANCE written as a URL', '@bob@social.example', { MASTODON_INSTANCE: 'https://Social.Example/' }, true],
    ['the target is on another instance', '@bob@stranger.example', { MASTODON_INSTANCE: 'social.example' }, false],
    ['MASTODON_INSTANCE names another instance', '@bob@social.example', { MASTODON_INSTANCE: 'other.example' }, false],
    ['MASTODON_INSTANCE is not set', '@bob@social.example', {}, false],
  ] as const)('%s', async (_name, target, extraEnv, sent) => {
    const seen: string[] = [];
    const server = await serve('mastodon', [recordAuth(seen)]);
    const r = await runCli([target, '--api-base', server.url, '--json', '--threads', '0'], { env: { MASTODON_TOKEN: M_TOKEN, ...extraEnv } });
    expect(r.code).toBe(0);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([sent ? `Bearer ${M_TOKEN}` : 'undefined']));
    expect(r.stdout + r.stderr).not.toContain(M_TOKEN);
    // Set without MASTODON_INSTANCE the token can never be used: a note says so.
    expect(r.stderr.includes('MASTODON_TOKEN is set but not MASTODON_INSTANCE')).toBe(!('MASTODON_INSTANCE' in extraEnv));
  });

  it('an instance that wants a login: the hint says to set MASTODON_INSTANCE', async () => {
    const seen: string[] = [];
    const server = await serve('mastodon', [recordAuth(seen), (r) => (r.headers['authorization'] ? undefined : { status: 401, body: '{"error":"This API requires an authenticated user"}' })]);
    const r = await runCli(['@bob@social.example', '--api-base', server.url], { env: { MASTODON_TOKEN: M_TOKEN, MASTODON_INSTANCE: 'mastodon.example' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/social\.example requires a signed-in user .*\n {2}hint: MASTODON_TOKEN is sent only to the instance MASTODON_INSTANCE names: if the token is for social\.example, set MASTODON_INSTANCE=social\.example\./);
    expect(seen).toEqual(['undefined']);
  });

  it('a token the instance refuses: the hint says to check it', async () => {
    const server = await serve('mastodon', [() => ({ status: 401, body: '{"error":"The access token is invalid"}' })]);
    const r = await runCli(['@bob@social.example', '--api-base', server.url], { env: { MASTODON_TOKEN: M_TOKEN, MASTODON_INSTANCE: 'social.example' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/\n {2}hint: social\.example refused MASTODON_TOKEN: check it/);
    expect(r.stderr).not.toContain(M_TOKEN);
  });
});

describe('pulls that would not end', () => {
  it('pages that bring the same posts under a fresh cursor every time: paging stops', async () => {
    const page1 = await readJson<{ cursor: string; feed: unknown[] }>('bluesky/alice/app.bsky.feed.getAuthorFeed/first.json');
    const page2 = await readJson<{ feed: unknown[] }>(`bluesky/alice/app.bsky.feed.getAuthorFeed/${page1.cursor}.json`);
    let n = 0;
    const server = await serve('bluesky', [
      (r) => {
        if (!r.path.endsWith('getAuthorFeed') || !r.query.get('cursor')) return undefined;
        n++;
        // A bound for the old behaviour, so that it fails rather than runs forever.
        return { status: 200, body: JSON.stringify(n > 60 ? { feed: [] } : { ...page2, cursor: `fresh-${n}` }) };
      },
    ]);
    const dataset = await pullBluesky('alice.bsky.social', '@alice.bsky.social', pullOptions(server.url, { budget: 0 }));
    const report = await audit(dataset, { generatedAt: 'x' });
    expect(report.input.complete).toBe(false);
    expect(report.input.warnings.join(' ')).toMatch(/3 pages in a row brought no post not seen before \(after 5 pages\), each with a new cursor: paging stopped/);
    // page 1, page 2, then three pages with nothing new
    expect(server.requests.filter((q) => q.includes('getAuthorFeed'))).toHaveLength(5);
    const clean = await audit(await pullBluesky('alice.bsky.social', '@alice.bsky.social', pullOptions((await serve('bluesky')).url, { budget: 0, maxPosts: page1.feed.length + page2.feed.length })), { generatedAt: 'x' });
    expect(report.window.posts).toBe(clean.window.posts);
  });

  it('a thread endpoint that never answers: asked 3 times in a row, then no more; the posts are all kept', async () => {
    const clean = await audit(await pullBluesky('alice.bsky.social', '@alice.bsky.social', pullOptions((await serve('bluesky')).url)), { generatedAt: 'x' });
    const server = await serve('bluesky', [(r) => (r.path.endsWith('getPostThread') ? { hang: true } : undefined)]);
    const started = Date.now();
    const dataset = await pullBluesky('alice.bsky.social', '@alice.bsky.social', pullOptions(server.url, { timeoutMs: 200 }));
    const report = await audit(dataset, { generatedAt: 'x' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const asked = server.requests.filter((q) => q.includes('getPostThread')).length;
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(asked).toBeLessThanOrEqual(3 + DEFAULT_PULL.concurrency);
    expect(report.input.complete).toBe(false);
    const endpoint = `GET ${new URL(server.url).host}/xrpc/app.bsky.feed.getPostThread`;
    expect(report.input.warnings).toContain(`Stopped asking ${endpoint} after 3 failures in a row (no answer within 1 s): its other requests were skipped.`);
    expect(report.input.warnings.join(' ')).toMatch(/\d+ of \d+ lists of who interacted could not be fetched/);
    expect(report.metrics.mix).toEqual(clean.metrics.mix);
    expect(report.metrics.engagement.total).toBe(clean.metrics.engagement.total);
    // Likes and reposts come from other endpoints, which went on.
    expect(server.requests.some((q) => q.includes('getLikes'))).toBe(true);
  }, 20_000);

  it('--deadline: a pull whose threads hang stops at the deadline with what it fetched', async () => {
    const server = await serve('bluesky', [(r) => (r.path.endsWith('getPostThread') ? { hang: true } : undefined)]);
    const started = Date.now();
    const r = await runCli(['@alice.bsky.social', '--api-base', server.url, '--json', '--deadline', '1', '--timeout', '60000']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.input.complete).toBe(false);
    expect(report.input.warnings.join(' ')).toMatch(/Stopped while fetching who interacted with the posts: .*getPostThread: the pull's deadline \(--deadline 1\) passed/);
    expect(report.window.posts).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/the input is incomplete/);
  }, 20_000);

  it('--deadline takes whole seconds from 1', async () => {
    const r = await runCli(['@alice.bsky.social', '--deadline', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--deadline "0": give a whole number from 1 to 604800/);
  });
});

describe('tokens with line ends or control characters', () => {
  it('X_BEARER_TOKEN with a Windows line end: trimmed with a note, and the pull works', async () => {
    const server = await serve('x');
    const r = await runCli(['x:@carol_codes', '--api-base', server.url, '--json', '--budget', '0'], { env: { X_BEARER_TOKEN: `${TOKEN}\r\n` } });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Report).input.complete).toBe(true);
    expect(r.stderr).toBe('engage-audit: x:@carol_codes: note: X_BEARER_TOKEN had spaces or line ends around it; they were left out.\n');
  }, 15_000);

  it.each([
    ['a control character', `${TOKEN.slice(0, 5)}\u0007${TOKEN.slice(5)}`, 6],
    ['a line end', ` ${TOKEN.slice(0, 9)}\n${TOKEN.slice(9)}`, 11],
    ['a non-ASCII character', `${TOKEN.slice(0, 2)}\u00a0${TOKEN.slice(2)}`, 3],
  ])('X_BEARER_TOKEN with %s inside: exit 2, naming the variable and the position only', async (what, value, position) => {
    const server = await serve('x');
    const r = await runCli(['x:@carol_codes', '--api-base', server.url], { env: { X_BEARER_TOKEN: value } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`engage-audit: X_BEARER_TOKEN has ${what} at position ${position} (of ${value.length} characters)\n`);
    expect(r.stderr).not.toContain(TOKEN.slice(0, 5));
    expect(server.requests).toEqual([]);
  });

  it.each([
    ['40,000 characters', `SENTINEL${'q7Zr0xK2mW'.repeat(3999)}ab`, 'more than a token can be (8192 at most)'],
    ['8,193 characters', `SENTINEL${'k'.repeat(8185)}`, 'more than a token can be (8192 at most)'],
    ['3 characters', 'a1z', 'less than a token can be (8 at least)'],
  ])('X_BEARER_TOKEN of %s: exit 2, naming the variable and its length, never the value, before any request', async (_what, value, why) => {
    const server = await serve('x');
    const r = await runCli(['x:@carol_codes', '--api-base', server.url], { env: { X_BEARER_TOKEN: value } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`engage-audit: X_BEARER_TOKEN is ${value.length} characters long: ${why}\n  hint: Set X_BEARER_TOKEN to the token alone, as the platform gave it.\n`);
    expect(server.requests).toEqual([]);
  });

  it('X_BEARER_TOKEN of 8,192 characters is sent', async () => {
    const seen: string[] = [];
    const server = await serve('x', [recordAuth(seen)]);
    const value = `SENTINEL${'k'.repeat(8184)}`;
    const r = await runCli(['x:@carol_codes', '--api-base', server.url], { env: { X_BEARER_TOKEN: value } });
    expect(r.code).toBe(4); // the test server accepts another token
    expect(seen).toEqual([`Bearer ${value}`]);
    expect(r.stderr).not.toContain(value.slice(0, 12));
  });

  it('X_BEARER_TOKEN set but blank says so (not "not set")', async () => {
    const server = await serve('x');
    const r = await runCli(['x:@carol_codes', '--api-base', server.url], { env: { X_BEARER_TOKEN: '\r\n' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^engage-audit: X API v2 needs a bearer token, and X_BEARER_TOKEN is blank \(spaces or line ends only\)\n/);
    expect(server.requests).toEqual([]);
  });

  it('X_BEARER_TOKEN="Bearer …": the word is left out with a note, and the pull works', async () => {
    const seen: string[] = [];
    const server = await serve('x', [recordAuth(seen)]);
    const r = await runCli(['x:@carol_codes', '--api-base', server.url, '--json', '--budget', '0'], { env: { X_BEARER_TOKEN: `Bearer ${TOKEN}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(seen)).toEqual(new Set([`Bearer ${TOKEN}`]));
    expect(r.stderr).toBe('engage-audit: x:@carol_codes: note: X_BEARER_TOKEN started with "Bearer ", which was left out: the token alone is expected.\n');
  });

  it('the events of a pull carry no token', async () => {
    const server = await serve('mastodon');
    const events: PullEvent[] = [];
    await pullMastodon('bob', 'social.example', '@bob@social.example', pullOptions(server.url, { env: { MASTODON_TOKEN: ` ${M_TOKEN}\r`, MASTODON_INSTANCE: 'social.example' }, onEvent: (e) => events.push(e) }));
    expect(events[0]).toEqual({ type: 'note', message: 'MASTODON_TOKEN had spaces or line ends around it; they were left out.' });
    expect(JSON.stringify(events)).not.toContain(M_TOKEN);
  });
});

describe('a server that echoes the token in every field it can', () => {
  // Longer than a message is cut to (600 characters): a redaction after the cut would leave most of it.
  const LONG = `SENTINEL${'Zq81'.repeat(200)}x`;
  const runs = (text: string): string[] => Array.from({ length: text.length - 7 }, (_, i) => text.slice(i, i + 8));
  const noRun = (text: string): void => {
    expect(text).toContain('[redacted]');
    for (const run of runs(LONG)) expect(text).not.toContain(run);
  };
  /** Every error field of every platform's style, each with the Authorization header or the token in it. */
  const echo = (r: { headers: Record<string, unknown> }): string => {
    const auth = String(r.headers['authorization']);
    const tok = auth.replace(/^Bearer /, '');
    return JSON.stringify({
      errors: [{ detail: `Could not find user ${auth}`, title: tok, message: `${tok} ${auth}`, code: tok }],
      error: auth, error_description: tok, title: tok, detail: auth, type: `https://x.example/${tok}`, message: tok,
    });
  };
  async function thrown(p: Promise<unknown>): Promise<EngageAuditError> {
    const error = await p.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(EngageAuditError);
    return error as EngageAuditError;
  }
  const xEnv = { X_BEARER_TOKEN: LONG };
  const mEnv = { MASTODON_TOKEN: LONG, MASTODON_INSTANCE: 'social.example' };

  it('X: a user lookup answered 200 with the token in errors[0].detail and title (thrown)', async () => {
    const server = await serve('x', [(r) => (r.path.startsWith('/2/users/by/') ? { status: 200, body: echo(r) } : undefined)]);
    const error = await thrown(pullX('carol_codes', 'x:@carol_codes', pullOptions(server.url, { env: xEnv })));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/^X has no account @carol_codes \(Could not find user \[redacted\]\)$/);
    noRun(error.message + error.hint);
  });

  it('X: a second page that fails with the token, then one with the token in malformed JSON (warnings)', async () => {
    for (const fault of [
      (r: { headers: Record<string, unknown> }) => ({ status: 400, body: echo(r) }),
      (r: { headers: Record<string, unknown> }) => ({ status: 503, body: echo(r) }),
      (r: { headers: Record<string, unknown> }) => ({ status: 200, body: `[${String(r.headers['authorization']).replace(/^Bearer /, '')}]` }),
    ]) {
      const server = await startApiServer({ platform: 'x', root: path.join(FIXTURES, 'api', ROOTS.x), token: LONG, faults: [(r) => (r.query.has('pagination_token') ? fault(r) : undefined)] });
      servers.push(server);
      const dataset = await pullX('carol_codes', 'x:@carol_codes', pullOptions(server.url, { env: xEnv, retryBaseMs: 1 }));
      expect(dataset.state.complete).toBe(false);
      expect(dataset.state.warnings.join(' ')).toMatch(/Stopped while reading posts \(page 2\)/);
      if (!dataset.state.warnings.join(' ').includes('malformed JSON')) noRun(dataset.state.warnings.join(' '));
      for (const run of runs(LONG)) expect(dataset.state.warnings.join(' ')).not.toContain(run);
    }
  });

  it('Mastodon: a lookup answered 404 and 401 with the token (thrown)', async () => {
    for (const status of [404, 401]) {
      const server = await serve('mastodon', [(r) => (r.path.endsWith('/lookup') ? { status, body: echo(r) } : undefined)]);
      const error = await thrown(pullMastodon('bob', 'social.example', '@bob@social.example', pullOptions(server.url, { env: mEnv })));
      expect(error.code).toBe(status === 404 ? 'NOT_FOUND' : 'AUTH');
      noRun(error.message + error.hint);
    }
  });

  it('Mastodon: threads and a second page that fail with the token, or send it as malformed JSON (warnings)', async () => {
    const server = await serve('mastodon', [
      (r) => (r.path.endsWith('/context') ? { status: 500, body: echo(r) } : undefined),
      (r) => (r.path.endsWith('/favourited_by') ? { status: 200, body: `[${LONG}` } : undefined),
      (r) => (r.path.endsWith('/reblogged_by') ? { status: 404, body: echo(r) } : undefined),
      (r) => (r.query.has('max_id') ? { status: 403, body: echo(r) } : undefined),
    ]);
    const events: PullEvent[] = [];
    const dataset = await pullMastodon('bob', 'social.example', '@bob@social.example', pullOptions(server.url, { env: mEnv, onEvent: (e) => events.push(e) }));
    const warnings = dataset.state.warnings.join(' ');
    expect(warnings).toMatch(/Stopped while reading statuses \(page 2\): .*403 \[redacted\]/);
    expect(warnings).toMatch(/5 of 5 lists of who interacted could not be fetched/);
    expect(events.some((e) => e.type === 'retry')).toBe(true);
    for (const text of [warnings, JSON.stringify(events)]) for (const run of runs(LONG)) expect(text).not.toContain(run);
  });

  it('the shared pull plumbing: any error a pull throws and any warning it adds are redacted whole, before the cut at 600 characters', async () => {
    const credentials = { origin: 'http://127.0.0.1:9', headers: { authorization: `Bearer ${LONG}` } };
    const options = pullOptions('http://127.0.0.1:9');
    // the token starts at character 590: a redaction after the cut would leave its first 10 characters
    const known = await thrown(withPull(options, credentials, async () => {
      throw new EngageAuditError('NETWORK', `${'.'.repeat(590)}${LONG}`, { hint: `try ${LONG.toLowerCase()}` });
    }));
    expect(known.message).toBe(`${'.'.repeat(590)}[redacted]`);
    expect(known.hint).toBe('try [redacted]');
    const bug = await withPull(options, credentials, async () => {
      throw new TypeError(`cannot read ${encodeURIComponent(LONG)}`);
    }).catch((e: Error) => e);
    expect(bug).toBeInstanceOf(TypeError);
    expect(bug.message).toBe('cannot read [redacted]');
    expect(bug.stack).not.toContain(LONG.slice(0, 12));
    const warnings = await withPull(options, credentials, async (_client, state) => {
      state.warn(`a warning quoting ${LONG}`);
      state.fail('reading posts', new EngageAuditError('NETWORK', `${'.'.repeat(590)}${LONG}`));
      return state.warnings;
    });
    expect(warnings).toEqual(['a warning quoting [redacted]', `Stopped while reading posts: ${'.'.repeat(590)}[redacted]. The report holds what was fetched before.`]);
  });

  it('the CLI: a multi-target run writes no part of the token to the terminal or the report file', async () => {
    const server = await serve('x', [(r) => (r.path.startsWith('/2/users/by/') ? { status: 200, body: echo(r) } : undefined)]);
    const dir = await import('node:os').then((os) => os.tmpdir());
    const out = path.join(dir, `echo-${process.pid}.json`);
    const r = await runCli(['x:@ghost', 'x:@nobody', '--api-base', server.url, '--verbose', '--json', '-o', out], { env: xEnv });
    const written = await readFile(out, 'utf8').catch(() => '');
    await import('node:fs/promises').then((fs) => fs.rm(out, { force: true }));
    expect(written + r.stdout + r.stderr).toContain('X has no account @ghost (Could not find user [redacted])');
    for (const text of [written, r.stdout, r.stderr]) for (const run of runs(LONG)) expect(text).not.toContain(run);
  });
});
