/**
 * The one HTTP client every API source uses: keep-alive connections, a timeout per request, bounded
 * retries with exponential backoff and jitter on network errors and 5xx, 429s answered by waiting as
 * the server says (`Retry-After`, `RateLimit-Reset`, `X-RateLimit-Reset`, `x-rate-limit-reset`),
 * pacing to the budget a host announces (never more requests sent, those in flight counted, than
 * its window has left), failing at once where retrying cannot help (a host that does not resolve, a
 * TLS certificate refused), bounded parallelism, and bounds on the whole
 * (a deadline; an endpoint that keeps failing is no longer asked). Credentials belong to one origin
 * (scheme, host and port): they are sent there only, and no URL of another origin is asked while the
 * client carries them, whatever a redirect or a next-page link says. Every message, event and error
 * goes through one redaction that removes the secrets in every form a server may echo them
 * (secrets.ts, SECURITY.md).
 */
import type { LookupFunction } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { EngageAuditError, type ErrorCode } from '../errors.js';
import { secretRedactor, type Redact } from './secrets.js';
import { readCapped } from '../lib/read-capped.js';

export type HttpEvent =
  | { type: 'request'; url: string }
  | { type: 'retry'; url: string; attempt: number; reason: string; waitMs: number }
  | { type: 'rate-limit'; url: string; waitMs: number }
  /** An endpoint failed BREAKER_FAILURES times in a row: its other requests fail at once. */
  | { type: 'breaker'; endpoint: string; failures: number; reason: string };

/** Timeouts and refused connections (each try), or 5xx and broken connections (after the retries), in a row. */
const BREAKER_FAILURES = 3;

export interface HttpOptions {
  userAgent: string;
  /** Per request, headers to body end. */
  timeoutMs?: number;
  /** Retries after the first try, on network errors, 5xx and unreadable bodies. */
  retries?: number;
  retryBaseMs?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** The longest rate-limit wait accepted; a longer one fails with RATE_LIMIT. */
  maxWaitMs?: number;
  /** How many 429s in a row one request may wait out. */
  rateLimitRetries?: number;
  maxBodyBytes?: number;
  /**
   * Secret headers and the origin (scheme://host:port) they belong to. They are sent to that origin
   * only; while they are set, no URL of another origin is asked (a redirect or a next page there
   * fails instead). Their values are redacted from every message and event.
   */
  credentials?: { origin: string; headers: Record<string, string> };
  /** The time the client may take in all, from its creation: then every request fails with a DeadlineError. */
  deadlineMs?: number;
  onEvent?: (event: HttpEvent) => void;
  /** The kinds of event `onEvent` takes (default: every kind); the others are not made. */
  events?: ReadonlyArray<HttpEvent['type']>;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For tests: the DNS lookup of new connections. */
  lookup?: LookupFunction;
}

export class HttpError extends EngageAuditError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number | null,
    /** The API's own error name (`error` field, problem `type`), when it sent one. */
    readonly apiError: string | null,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** The client's deadline passed (or a wait would pass it): the pull stops with what it has. */
export class DeadlineError extends HttpError {}

/** Thrown when the caller's signal aborts (Ctrl-C): not a failure of the server. */
export class InterruptedError extends EngageAuditError {
  constructor() {
    super('INTERRUPTED', 'interrupted', { hint: 'The pull was stopped; what was fetched is kept.' });
  }
}

/** Waits `ms`, or fails with an InterruptedError when the signal aborts. */
const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : {}).catch(() => {
    throw new InterruptedError();
  });

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** A reset value: epoch seconds (> 1e9), delta seconds, or an ISO / HTTP date. Returns epoch ms. */
export function parseReset(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    return n > 1e9 ? n * 1000 : now + n * 1000;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/** The values of one kind of rate-limit header, in its three styles: `RateLimit-*` (Bluesky), `X-RateLimit-*` (Mastodon), `x-rate-limit-*` (X). */
const rateLimitValues = (headers: Headers, kind: 'reset' | 'remaining' | 'limit'): string[] =>
  ['ratelimit-', 'x-ratelimit-', 'x-rate-limit-'].flatMap((prefix) => header(headers, prefix + kind)?.trim() ?? []);

const resetOf = (headers: Headers, now: number): number | null =>
  rateLimitValues(headers, 'reset').map((v) => parseReset(v, now)).find((t) => t !== null) ?? null;

/** A count the server announces (`remaining` requests in this window, or the `limit` of each window), or null. */
function countOf(headers: Headers, kind: 'remaining' | 'limit'): number | null {
  const value = rateLimitValues(headers, kind).find((v) => /^\d+$/.test(v));
  return value === undefined ? null : Number(value);
}

/**
 * What a host's rate-limit window has left: the fewest `remaining` it announced in the window that
 * ends at `resetAt`, the requests sent there and not answered yet (which that figure may not count),
 * the limit a new window starts with, and the requests waiting for an answer to learn more.
 */
type Budget = { remaining: number | null; resetAt: number | null; limit: number | null; inFlight: number; waiting: Array<() => void> };

/** Two resets this close name the same window (a reset in delta seconds moves with each answer). */
const SAME_WINDOW_MS = 1000;
/** A new window is asked this long after its announced start: a timer may fire a little early, a server's clock run a little behind. */
const RESET_MARGIN_MS = 50;

/** When the server lets us try again, from the headers of a 429 (Retry-After first). */
export function retryAt(headers: Headers, now: number): number | null {
  const after = header(headers, 'retry-after');
  if (after !== undefined) {
    const v = after.trim();
    if (/^\d+$/.test(v)) return now + Number(v) * 1000;
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  return resetOf(headers, now);
}

const seconds = (ms: number): string => (ms >= 90_000 ? `${Math.round(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`);

/** The API's error name and message from a JSON error body of any platform's style. */
function apiErrorOf(body: unknown): { name: string | null; message: string | null } {
  if (body === null || typeof body !== 'object') return { name: null, message: null };
  const b = body as Record<string, unknown>;
  const s = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
  if (Array.isArray(b['errors']) && b['errors'].length > 0) {
    const first = b['errors'][0] as Record<string, unknown>;
    return { name: s(first['code']) ?? (typeof first['code'] === 'number' ? String(first['code']) : s(first['title'])), message: s(first['message']) ?? s(first['detail']) };
  }
  if (s(b['type']) || s(b['title'])) return { name: s(b['type'])?.replace(/^.*\//, '') ?? s(b['title']), message: s(b['detail']) ?? s(b['title']) };
  const nested = b['error'];
  if (nested !== null && typeof nested === 'object' && !Array.isArray(nested)) {
    // Graph API (Instagram, Facebook, Threads): {error: {message, code, error_subcode}}; YouTube: {error: {code, message, errors: [{reason}]}}.
    const e = nested as Record<string, unknown>;
    const reason = Array.isArray(e['errors']) ? s((e['errors'][0] as Record<string, unknown> | undefined)?.['reason']) : null;
    const code = typeof e['code'] === 'number' ? String(e['code']) : s(e['code']);
    // YouTube's messages carry HTML links (`your <a href=…>quota</a>`): the words only.
    return { name: reason ?? code ?? s(e['type']), message: s(e['message'])?.replace(/<[^>]*>/g, '') ?? null };
  }
  return { name: s(b['error']), message: s(b['message']) ?? s(b['error_description']) ?? s(b['error']) };
}

/**
 * Errors that say "too many requests" with a 4xx other than 429: the Graph API's throttling codes
 * (application, user, Page, custom and business use case limits) and YouTube's quota and rate reasons.
 * A pull stops there and keeps what it fetched, as on a 429 it may not wait out.
 */
const LIMIT_ERRORS = new Set(['4', '17', '32', '341', '613', '80001', '80002', '80004', '80005', '80006', '80008', 'quotaExceeded', 'dailyLimitExceeded', 'rateLimitExceeded', 'userRateLimitExceeded']);
/** The Graph API's code for a token that expired, was revoked or cannot be read. */
const GRAPH_BAD_TOKEN = '190';

/** The first character a header value must not carry (control, line end, non-ASCII), or null. */
export function badHeaderChar(value: string): { index: number; what: string } | null {
  const m = /[^\x20-\x7e]/.exec(value);
  if (!m) return null;
  const c = m[0].charCodeAt(0);
  const what = c === 0x0d || c === 0x0a ? 'a line end' : c < 0x20 || c === 0x7f ? 'a control character' : 'a non-ASCII character';
  return { index: m.index, what };
}

/**
 * What is wrong with a body JSON.parse refused: where, when the engine says (as a byte offset), and
 * never the engine's quote of the body, which may hold part of a secret no redaction can recognise.
 */
function malformedJson(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /\bat position (\d+)/.exec(message)?.[1];
  const at = position !== undefined ? Number(position) : /end of JSON input/.test(message) ? text.length : null;
  if (at === null) return 'malformed JSON';
  const byte = Buffer.byteLength(text.slice(0, at));
  return at >= text.length ? `malformed JSON that ends too early (at byte ${byte})` : `malformed JSON at byte ${byte}`;
}

/** Path segments that name one record (numeric and mixed ids, DIDs) are left out of an endpoint's name. */
function endpointOf(url: URL): string {
  const path = url.pathname
    .split('/')
    .map((seg) => ((/\d/.test(seg) && !/^v?\d{1,2}$/.test(seg)) || /:|%3A/i.test(seg) ? ':id' : seg))
    .join('/');
  return `GET ${url.host}${path}`;
}

/** A URL as messages name it: host and path. */
const labelOf = (url: URL): string => `${url.host}${url.pathname}`;

/**
 * Why a request got no answer. `dns` (the name does not exist) and `tls` (the server's certificate
 * is refused, or it does not speak TLS) fail at once: trying again cannot change them. `refused` (no
 * server listens) and `dns-later` (the resolver did not answer) are tried once more at most.
 */
type FailureKind = 'timeout' | 'refused' | 'dns' | 'dns-later' | 'tls' | 'build' | 'other';

/** Retries of the kinds retrying rarely helps; the others have `retries`. */
const ONE_RETRY: ReadonlySet<FailureKind> = new Set(['refused', 'dns-later']);

/** An error and every error in its chain (`cause`, and each of an AggregateError's `errors`) that has a code. */
function codedErrors(error: unknown, depth = 0): Array<{ code: string; message?: string }> {
  if (error === null || typeof error !== 'object' || depth > 5) return [];
  const e = error as { code?: unknown; message?: string; cause?: unknown; errors?: unknown };
  const inner = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].flatMap((x) => codedErrors(x, depth + 1));
  return typeof e.code === 'string' ? [{ code: e.code, message: e.message }, ...inner] : inner;
}

/** A certificate refused (by OpenSSL's verify names, or Node's), or a handshake that cannot succeed. */
const TLS_CODE = /^(CERT_|ERR_TLS_CERT|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(VERIFY|GET_ISSUER|DECRYPT)|HOSTNAME_MISMATCH$|ERR_TLS_(HANDSHAKE_FAILURE|INVALID_PROTOCOL))/;

/** A parsed body, its headers, and the URL that answered (after redirects). */
type JsonResponse = { body: unknown; headers: Headers; url: string };

/** One GET as it goes: the label of the URL first asked, the URL asked now, and the retries, 429 waits and redirects used. */
type Run = { first: string; target: URL; retries: number; waits: number; redirects: number };

/** A whole answer, and when it came. */
type Answer = { status: number; headers: Headers; text: string; at: number };

/** What a try asks for next. A retry says why, what the failure says when no retry is left, and whether it then counts against the endpoint. */
type Outcome =
  | { then: 'return'; body: unknown; headers: Headers }
  | { then: 'redirect'; status: number; location: string | undefined }
  | { then: 'wait'; until: number | null; at: number }
  | { then: 'retry'; reason: string; failure: string; status: number | null; strikeAtEnd: boolean; oneRetry?: boolean; options?: { cause: unknown; hint?: string } };

export class HttpClient {
  private agent: Agent;
  /** Agents set aside after a request that could not be built (it may have left a connection slot taken). */
  private readonly retired: Agent[] = [];
  private readonly o: Required<Omit<HttpOptions, 'credentials' | 'onEvent' | 'events' | 'signal' | 'deadlineMs' | 'lookup'>> &
    Pick<HttpOptions, 'onEvent' | 'events' | 'signal' | 'lookup'>;
  /** The rate-limit budget of each host. */
  private readonly hosts = new Map<string, Budget>();
  private active = 0;
  private readonly queue: Array<() => void> = [];
  /** The origin the credentials belong to, or null without credentials. */
  private readonly origin: string | null;
  private readonly secretHeaders: Record<string, string>;
  /** Removes every secret from a text, in each form a server may echo it: the one redaction of the client. */
  readonly redact: Redact;
  private readonly deadlineMs: number | null;
  private readonly deadlineAt: number;
  /** Failures in a row of each endpoint, and the endpoints no longer asked (with why). */
  private readonly strikes = new Map<string, number>();
  private readonly broken = new Map<string, string>();
  /** Requests sent, every try counted. */
  requests = 0;

  constructor(options: HttpOptions) {
    const { credentials, deadlineMs, ...rest } = options;
    this.o = {
      timeoutMs: 15_000,
      retries: 4,
      retryBaseMs: 500,
      concurrency: 4,
      maxWaitMs: 15 * 60_000,
      rateLimitRetries: 5,
      maxBodyBytes: 32 << 20,
      now: () => Date.now(),
      sleep: defaultSleep,
      ...rest,
    };
    this.secretHeaders = credentials?.headers ?? {};
    this.origin = credentials ? new URL(credentials.origin).origin : null;
    this.redact = secretRedactor(Object.values(this.secretHeaders));
    // A value undici would refuse is refused here, before any request, by position and never by value.
    for (const [name, value] of Object.entries({ 'user-agent': this.o.userAgent, ...this.secretHeaders })) {
      const bad = badHeaderChar(value);
      if (bad) throw new EngageAuditError('USAGE', `the ${name} header has ${bad.what} at position ${bad.index + 1} (of ${value.length})`);
    }
    this.deadlineMs = deadlineMs ?? null;
    this.deadlineAt = deadlineMs === undefined ? Infinity : this.o.now() + deadlineMs;
    this.agent = this.newAgent();
  }

  private newAgent(): Agent {
    return new Agent({
      keepAliveTimeout: 10_000,
      connections: this.o.concurrency,
      headersTimeout: this.o.timeoutMs,
      bodyTimeout: this.o.timeoutMs,
      ...(this.o.lookup ? { connect: { lookup: this.o.lookup } } : {}),
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.agent.close(), ...this.retired.map((a) => a.destroy())]);
  }

  private async slot(urgent: boolean): Promise<void> {
    if (this.active < this.o.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => (urgent ? this.queue.unshift(resolve) : this.queue.push(resolve)));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }

  private emit(event: HttpEvent): void {
    // Redacted only when a listener takes it.
    if (!this.o.onEvent || this.o.events?.includes(event.type) === false) return;
    const e = { ...event } as Record<string, unknown>;
    for (const [k, v] of Object.entries(e)) if (typeof v === 'string') e[k] = this.redact(v);
    this.o.onEvent(e as HttpEvent);
  }

  private fail(code: ErrorCode, message: string, status: number | null, apiError: string | null, options: { hint?: string; cause?: unknown } = {}): HttpError {
    return new HttpError(code, this.redact(message), status, apiError === null ? null : this.redact(apiError), options);
  }

  /** The deadline has passed (`ms` = 0), or would pass within `ms`. */
  private pastDeadline(ms = 0): boolean {
    return this.o.now() + ms >= this.deadlineAt;
  }

  private deadlineError(where: string, what: (deadline: string) => string, cause?: unknown): DeadlineError {
    const deadline = `the pull's deadline (--deadline ${(this.deadlineMs ?? 0) / 1000})`;
    return new DeadlineError('NETWORK', this.redact(`${where}: ${what(deadline)}`), null, null, cause === undefined ? {} : { cause });
  }

  private async wait(url: string, until: number, what: string): Promise<void> {
    const ms = Math.max(0, until - this.o.now());
    if (ms > this.o.maxWaitMs) throw this.fail('RATE_LIMIT', `${url}: rate limited; ${what} asks to wait ${seconds(ms)}, more than the ${seconds(this.o.maxWaitMs)} allowed`, 429, null);
    if (ms === 0) return;
    if (this.pastDeadline(ms)) throw this.deadlineError(url, (d) => `rate limited for ${seconds(ms)}, past ${d}`);
    this.emit({ type: 'rate-limit', url, waitMs: ms });
    await this.o.sleep(ms, this.o.signal);
  }

  /** One more failure of an endpoint; at BREAKER_FAILURES in a row it is no longer asked. */
  private strike(endpoint: string, reason: string): void {
    const n = (this.strikes.get(endpoint) ?? 0) + 1;
    this.strikes.set(endpoint, n);
    if (n >= BREAKER_FAILURES && !this.broken.has(endpoint)) {
      this.broken.set(endpoint, reason);
      this.emit({ type: 'breaker', endpoint, failures: n, reason });
    }
  }

  /**
   * GETs a URL and parses its JSON body. Returns the body and the response headers. An `urgent`
   * request (the next page of a sequence) goes ahead of the queued ones.
   */
  async getJson(url: string, options: { urgent?: boolean } = {}): Promise<JsonResponse> {
    await this.slot(options.urgent ?? false);
    try {
      return await this.fetchJson(url);
    } finally {
      this.release();
    }
  }

  /** A URL as a message quotes it: redacted whole, then cut to its first 200 characters. */
  private quoted(url: string): string {
    const redacted = this.redact(url);
    return JSON.stringify(redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted);
  }

  /**
   * The URL, when the client may ask it: http(s), and of the credentials' origin while it carries
   * them. `from` names the request that was redirected to it, if it was.
   */
  private checked(url: string, from: string | null): URL {
    if (!URL.canParse(url)) throw this.fail('NETWORK', `${from ?? 'a request'}: ${this.quoted(url)} is not a URL`, null, null);
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw this.fail('NETWORK', from === null ? `${this.quoted(url)}: not an http or https URL` : `${from}: redirected to ${this.quoted(url)}, not an http or https URL; not followed`, null, null);
    }
    if (this.origin === null || parsed.origin === this.origin) return parsed;
    const why = from === null
      ? `${parsed.origin}${parsed.pathname}: another origin than ${this.origin}, which the credentials are for; not asked, to keep them from it`
      : `${from}: redirected to another origin (${parsed.origin}); not followed, to keep the credentials from it`;
    throw this.fail('NETWORK', why, null, null);
  }

  /**
   * One GET as a pipeline of steps, each try: `ready` (interruption, breaker, deadline),
   * `spareBudget`, `tryOnce` (send, read the capped body, classify the answer), then `redirected`,
   * `waitOut` (429) or `retryOrFail`. Every message leaves through `fail`, `emit` or `deadlineError`,
   * which redact it (secrets.ts).
   */
  private async fetchJson(startUrl: string): Promise<JsonResponse> {
    const target = this.checked(startUrl, null);
    const run: Run = { first: labelOf(target), target, retries: 0, waits: 0, redirects: 0 };
    for (;;) {
      this.ready(run.target);
      const budget = await this.spareBudget(run.target);
      let outcome: Outcome;
      try {
        outcome = await this.tryOnce(run.target, budget);
      } finally {
        budget.inFlight--;
        for (const wake of budget.waiting.splice(0)) wake();
      }
      if (outcome.then === 'return') return { body: outcome.body, headers: outcome.headers, url: run.target.toString() };
      if (outcome.then === 'redirect') run.target = this.redirected(run, outcome.status, outcome.location);
      else if (outcome.then === 'wait') await this.waitOut(run, outcome.until, outcome.at);
      else await this.retryOrFail(run, outcome);
    }
  }

  /** Before each try: not interrupted, the endpoint not broken, the deadline not passed. */
  private ready(target: URL): void {
    if (this.o.signal?.aborted) throw new InterruptedError();
    const endpoint = endpointOf(target);
    const brokenBy = this.broken.get(endpoint);
    if (brokenBy !== undefined) throw this.fail('NETWORK', `${endpoint}: not asked again after ${BREAKER_FAILURES} failures in a row (${brokenBy})`, null, null);
    if (this.pastDeadline()) throw this.deadlineError(labelOf(target), (d) => `${d} passed`);
  }

  /**
   * Paces to the budget a host announces: a request goes only while the requests left in the window
   * outnumber those in flight; else it waits for the window to reset (or, when the reset is not
   * known, for an answer in flight). Returns the host's budget, with this request counted in flight.
   */
  private async spareBudget(target: URL): Promise<Budget> {
    let budget = this.hosts.get(target.host);
    if (!budget) this.hosts.set(target.host, (budget = { remaining: null, resetAt: null, limit: null, inFlight: 0, waiting: [] }));
    while (budget.remaining !== null && budget.remaining <= budget.inFlight) {
      if (budget.resetAt !== null) {
        const ending = budget.resetAt;
        await this.wait(labelOf(target), ending + RESET_MARGIN_MS, 'the rate-limit budget');
        this.newWindow(budget, ending);
      } else if (budget.inFlight > 0) await new Promise<void>((wake) => budget.waiting.push(wake));
      else break; // nothing left to learn from: ask, and wait out a 429 if one comes
    }
    budget.inFlight++;
    return budget;
  }

  /**
   * The windows ending by `passed` have reset: a new one starts with the announced limit (or an
   * unknown budget) until an answer says more. A later window another request already learnt of stays.
   */
  private newWindow(budget: Budget, passed: number): void {
    if (budget.resetAt === null || budget.resetAt > passed) return;
    budget.remaining = budget.limit;
    budget.resetAt = null;
  }

  /** What an answer's rate-limit headers say of the host's budget. An answer of a window already past says nothing. */
  private learn(budget: Budget, res: Answer): void {
    const remaining = countOf(res.headers, 'remaining');
    const resetAt = resetOf(res.headers, res.at);
    if (remaining === null) return;
    budget.limit = countOf(res.headers, 'limit') ?? budget.limit;
    if (resetAt !== null && resetAt <= this.o.now()) return;
    if (budget.resetAt === null || resetAt === null || resetAt > budget.resetAt + SAME_WINDOW_MS) Object.assign(budget, { remaining, resetAt });
    else if (resetAt >= budget.resetAt - SAME_WINDOW_MS) Object.assign(budget, { remaining: Math.min(remaining, budget.remaining ?? remaining), resetAt: Math.max(resetAt, budget.resetAt) });
  }

  /** One request and what its answer asks for next. The time it has is its timeout, or what is left before the deadline if that is less. */
  private async tryOnce(target: URL, budget: Budget): Promise<Outcome> {
    const left = this.deadlineAt - this.o.now();
    let res: Answer;
    try {
      res = await this.send(target, Math.min(this.o.timeoutMs, left));
    } catch (error) {
      return this.networkFailure(error, target, left < this.o.timeoutMs);
    }
    this.learn(budget, res);
    if (res.status < 500) this.strikes.delete(endpointOf(target)); // it answers
    return this.classify(res, labelOf(target));
  }

  /** Sends one GET and reads its body whole, refused past the body cap (`readBody`). */
  private async send(target: URL, timeoutMs: number): Promise<Answer> {
    const url = target.toString();
    this.requests++;
    this.emit({ type: 'request', url });
    const timeout = AbortSignal.timeout(Math.max(1, timeoutMs));
    const res = await request(url, {
      method: 'GET',
      dispatcher: this.agent as Dispatcher,
      headers: { 'user-agent': this.o.userAgent, accept: 'application/json', ...this.secretHeaders },
      signal: this.o.signal ? AbortSignal.any([timeout, this.o.signal]) : timeout,
    });
    const text = await this.readBody(res.body, labelOf(target));
    return { status: res.statusCode, headers: res.headers as Headers, text, at: this.o.now() };
  }

  /** A request that got no whole answer: some kinds fail at once, the others may be tried again. */
  private networkFailure(error: unknown, target: URL, byDeadline: boolean): Outcome {
    if (this.o.signal?.aborted) throw new InterruptedError();
    if (error instanceof HttpError) throw error;
    const label = labelOf(target);
    const { kind, reason } = this.describe(error);
    if (kind === 'timeout' && byDeadline) throw this.deadlineError(label, (d) => `${d} passed`, error);
    if (kind === 'build') {
      // undici keeps a connection slot taken after a request it refused to build: start afresh.
      this.retired.push(this.agent);
      this.agent = this.newAgent();
      throw this.fail('NETWORK', `${label}: the request could not be sent (${reason})`, null, null, { cause: error });
    }
    const hostHint = 'Check the host name (the account\'s instance, or --api-base) and the connection.';
    if (kind === 'dns') throw this.fail('NETWORK', `${target.hostname}: host not found (DNS)`, null, null, { cause: error, hint: hostHint });
    if (kind === 'tls') {
      throw this.fail('NETWORK', `${target.host}: ${reason}; not asked over an unverified connection`, null, null, {
        cause: error,
        hint: 'The server\'s TLS certificate could not be verified (or it does not speak TLS there): check the host and port (--api-base).',
      });
    }
    if (kind === 'timeout' || kind === 'refused') this.strike(endpointOf(target), reason);
    const hint = kind === 'refused' ? 'Nothing answers at that host and port: check --api-base, or try again later.' : kind === 'dns-later' ? hostHint : undefined;
    return { then: 'retry', reason, failure: reason, status: null, strikeAtEnd: kind === 'other', oneRetry: ONE_RETRY.has(kind), options: { cause: error, ...(hint ? { hint } : {}) } };
  }

  /** What an answer asks for: a redirect, a wait (429), a retry (5xx, a bad body), its body; a 4xx fails here. */
  private classify(res: Answer, label: string): Outcome {
    const { status, headers, text } = res;
    if (status >= 300 && status < 400) return { then: 'redirect', status, location: header(headers, 'location') };
    const parsed = this.parse(text, header(headers, 'content-type'));
    if (status === 429) {
      // X's usage cap (problem type usage-capped) is spent for the billing period: no wait ends it.
      const api = parsed.ok ? apiErrorOf(parsed.value) : null;
      if (api?.name === 'usage-capped') throw this.fail('RATE_LIMIT', `${label}: 429 ${api.message ?? 'usage cap reached'}`, status, api.name);
      return { then: 'wait', until: retryAt(headers, res.at), at: res.at };
    }
    if (status >= 500) {
      const message = parsed.ok ? apiErrorOf(parsed.value).message : null;
      const detail = message ? `: ${message}` : !parsed.ok && parsed.html ? ' (an HTML error page)' : '';
      return { then: 'retry', reason: `status ${status}`, failure: `the server answered ${status}${detail}`, status, strikeAtEnd: true };
    }
    if (status >= 400) {
      const api = parsed.ok ? apiErrorOf(parsed.value) : { name: null, message: null };
      const code: ErrorCode =
        api.name !== null && LIMIT_ERRORS.has(api.name)
          ? 'RATE_LIMIT'
          : status === 401 || status === 403 || api.name === GRAPH_BAD_TOKEN
            ? 'AUTH'
            : status === 404 || status === 410
              ? 'NOT_FOUND'
              : 'NETWORK';
      // Redacted whole before it is cut: a secret the server quotes must not survive in part.
      const detail = api.message ?? (!parsed.ok && parsed.html ? 'an HTML error page' : this.redact(text).slice(0, 120));
      throw this.fail(code, `${label}: ${status} ${detail}`, status, api.name);
    }
    if (!parsed.ok) {
      const what = parsed.html ? 'an HTML page instead of JSON' : parsed.error;
      return { then: 'retry', reason: what, failure: `the server sent ${what}`, status, strikeAtEnd: false };
    }
    return { then: 'return', body: parsed.value, headers };
  }

  /** The redirect policy: at most 5 in a row, to a usable Location, and only where `checked` allows. */
  private redirected(run: Run, status: number, location: string | undefined): URL {
    const label = labelOf(run.target);
    if (++run.redirects > 5) throw this.fail('NETWORK', `${run.first}: too many redirects (a redirect loop?)`, status, null);
    if (!location) throw this.fail('NETWORK', `${label}: a redirect (${status}) without a Location`, status, null);
    if (!URL.canParse(location, run.target.href)) throw this.fail('NETWORK', `${label}: a redirect (${status}) without a usable Location`, status, null);
    // Credentials go only where they were meant to: a redirect to another origin is not followed.
    return this.checked(new URL(location, run.target).href, label);
  }

  /** A 429: wait as the server says (or base·2^n), at most `rateLimitRetries` times for one request. */
  private async waitOut(run: Run, until: number | null, at: number): Promise<void> {
    const label = labelOf(run.target);
    if (++run.waits > this.o.rateLimitRetries) throw this.fail('RATE_LIMIT', `${label}: still rate limited after ${run.waits} waits`, 429, null);
    const end = until ?? at + this.o.retryBaseMs * 2 ** run.waits;
    await this.wait(label, end, 'the server');
    const budget = this.hosts.get(run.target.host);
    if (budget) this.newWindow(budget, end);
  }

  /** Backs off (exponentially, with jitter) and lets the request be tried again, or fails it after its retries. */
  private async retryOrFail(run: Run, o: Extract<Outcome, { then: 'retry' }>): Promise<void> {
    const label = labelOf(run.target);
    if (run.retries >= (o.oneRetry ? Math.min(1, this.o.retries) : this.o.retries)) {
      if (o.strikeAtEnd) this.strike(endpointOf(run.target), o.reason);
      throw this.fail('NETWORK', `${label}: ${o.failure} (after ${run.retries + 1} tries)`, o.status, null, o.options);
    }
    const attempt = ++run.retries;
    const base = this.o.retryBaseMs * 2 ** (attempt - 1);
    const waitMs = Math.round(base + Math.random() * base);
    if (this.pastDeadline(waitMs)) throw this.deadlineError(label, (d) => `${o.reason}; no time left to try again before ${d}`);
    this.emit({ type: 'retry', url: run.target.toString(), attempt, reason: o.reason, waitMs });
    await this.o.sleep(waitMs, this.o.signal);
  }

  private parse(text: string, contentType: string | undefined): { ok: true; value: unknown } | { ok: false; html: boolean; error: string } {
    const html = /html/i.test(contentType ?? '') || /^\s*</.test(text);
    if (html) return { ok: false, html: true, error: 'HTML' };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, html: false, error: malformedJson(text, error) };
    }
  }

  private async readBody(body: AsyncIterable<Buffer> & { destroy?: (e?: Error) => void }, where: string): Promise<string> {
    const bytes = await readCapped(body, this.o.maxBodyBytes, () => {
      body.destroy?.();
      return this.fail('NETWORK', `${where}: the response is larger than ${Math.round(this.o.maxBodyBytes / 1048576)} MB`, null, null);
    });
    return bytes.toString('utf8');
  }

  /** What went wrong with a request that got no response: retrying helps with some kinds only. */
  private describe(error: unknown): { kind: FailureKind; reason: string } {
    const e = error as { name?: string; message?: string };
    const chain = codedErrors(error);
    const has = (...wanted: string[]): boolean => chain.some((c) => wanted.includes(c.code));
    const tls = chain.find((c) => TLS_CODE.test(c.code));
    if (e.name === 'TimeoutError' || has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')) return { kind: 'timeout', reason: `no answer within ${seconds(this.o.timeoutMs)}` };
    if (has('ENOTFOUND')) return { kind: 'dns', reason: 'host not found' };
    if (tls !== undefined) return { kind: 'tls', reason: tls.code.startsWith('ERR_SSL_') ? `no TLS handshake (${tls.code})` : `TLS certificate refused (${tls.message ?? 'not trusted'}, ${tls.code})` };
    if (has('ECONNREFUSED')) return { kind: 'refused', reason: 'connection refused' };
    if (has('EAI_AGAIN')) return { kind: 'dns-later', reason: 'host not found (DNS did not answer)' };
    if (has('UND_ERR_INVALID_ARG') || e.name === 'InvalidArgumentError' || error instanceof TypeError) return { kind: 'build', reason: e.message ?? 'an invalid argument' };
    if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')) return { kind: 'other', reason: 'connection reset' };
    return { kind: 'other', reason: e.message ?? String(error) };
  }
}
