/**
 * Error bodies with a nested `error` object (the Graph API of Instagram, Facebook and Threads; the
 * YouTube Data API) against a real server on 127.0.0.1: the API's own code or reason and message
 * reach the error, a throttling code or a quota reason is a rate limit, and an expired Graph token is
 * an authentication failure, whatever the HTTP status (the Graph API answers 400 for nearly all).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, HttpError } from '../src/sources/http.js';
import { startApiServer, type ApiServer } from './support/api-server.js';

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function errorOf(status: number, body: unknown): Promise<HttpError> {
  server = await startApiServer({ faults: [() => ({ status, body: JSON.stringify(body) })] });
  const http = new HttpClient({ userAgent: 'engage-audit/test', retryBaseMs: 1, timeoutMs: 2000, sleep: async () => {} });
  try {
    await http.getJson(`${server.url}/v21.0/17841400000000001/media`);
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  } finally {
    await http.close();
  }
  throw new Error('expected a failure');
}

const graph = (code: number, message: string, subcode?: number) => ({
  error: { message, type: 'OAuthException', code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'AFakeTrace' },
});
const youtube = (code: number, reason: string, message: string) => ({ error: { code, message, errors: [{ message, domain: 'youtube.quota', reason }] } });

describe('nested error objects', () => {
  it.each([
    ['Graph expired token (400, 190/463)', 400, graph(190, 'Error validating access token: Session has expired on Friday, 31-Oct-25 09:00:00 PDT.', 463), 'AUTH', '190', /Session has expired/],
    ['Graph permission (400, #10)', 400, graph(10, '(#10) Application does not have permission for this action'), 'NETWORK', '10', /does not have permission/],
    ['Graph business use case limit (400, 80002)', 400, graph(80002, '(#80002) There have been too many calls to this Instagram account.'), 'RATE_LIMIT', '80002', /too many calls/],
    ['Graph application limit (403, 4)', 403, graph(4, '(#4) Application request limit reached'), 'RATE_LIMIT', '4', /request limit reached/],
    ['Graph unknown object (400, 100/33)', 400, graph(100, "Unsupported get request. Object with ID 'nobody' does not exist", 33), 'NETWORK', '100', /does not exist/],
    ['YouTube quota (403), its HTML link left out', 403, youtube(403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.'), 'RATE_LIMIT', 'quotaExceeded', /exceeded your quota\.$/],
    ['YouTube comments disabled (403)', 403, youtube(403, 'commentsDisabled', 'The video identified by the videoId parameter has disabled comments.'), 'AUTH', 'commentsDisabled', /disabled comments/],
  ])('%s', async (_, status, body, code, name, message) => {
    const e = await errorOf(status, body);
    expect([e.code, e.apiError, e.status]).toEqual([code, name, status]);
    expect(e.message).toMatch(message);
    expect(server?.requests).toHaveLength(1); // a 4xx is never tried again
  });
});

describe('a 429 that no wait ends', () => {
  it("X's usage cap fails at once as a rate limit, with its problem type", async () => {
    const body = { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.x.com/2/problems/usage-capped' };
    const e = await errorOf(429, body);
    expect([e.code, e.apiError, e.status]).toEqual(['RATE_LIMIT', 'usage-capped', 429]);
    expect(e.message).toMatch(/Monthly product cap/);
  });
});
