/**
 * The one HTTP client every API source uses (DESIGN.md "Sources"): keep-alive connections, a timeout
 * per request, bounded retries with exponential backoff and jitter on network errors and 5xx, 429s
 * answered by waiting as the server says (`Retry-After`, `RateLimit-Reset`, `X-RateLimit-Reset`,
 * `x-rate-limit-reset`), slowing down before the remaining budget reaches 0, bounded parallelism, and
 * redaction: no header value the caller marks secret ever appears in an error or an event.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { EngageAuditError, type ErrorCode } from '../errors.js';

export type HttpEvent =
  | { type: 'request'; url: string }
  | { type: 'retry'; url: string; attempt: number; reason: string; waitMs: number }
  | { type: 'rate-limit'; url: string; waitMs: number };

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
  /** Sent with every request; values are secrets and are redacted from every message. */
  headers?: Record<string, string>;
  onEvent?: (event: HttpEvent) => void;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
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

/** Thrown when the caller's signal aborts (Ctrl-C): not a failure of the server. */
export class InterruptedError extends EngageAuditError {
  constructor() {
    super('INTERRUPTED', 'interrupted', { hint: 'The pull was stopped; what was fetched is kept.' });
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

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

/** When the server lets us try again, from the headers of a 429 (Retry-After first). */
export function retryAt(headers: Headers, now: number): number | null {
  const after = header(headers, 'retry-after');
  if (after !== undefined) {
    const v = after.trim();
    if (/^\d+$/.test(v)) return now + Number(v) * 1000;
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset', 'x-rate-limit-reset']) {
    const t = parseReset(header(headers, name), now);
    if (t !== null) return t;
  }
  return null;
}

function remainingOf(headers: Headers): number | null {
  for (const name of ['ratelimit-remaining', 'x-ratelimit-remaining', 'x-rate-limit-remaining']) {
    const v = header(headers, name);
    if (v !== undefined && /^\d+$/.test(v.trim())) return Number(v.trim());
  }
  return null;
}

function resetOf(headers: Headers, now: number): number | null {
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset', 'x-rate-limit-reset']) {
    const t = parseReset(header(headers, name), now);
    if (t !== null) return t;
  }
  return null;
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
  return { name: s(b['error']), message: s(b['message']) ?? s(b['error_description']) ?? s(b['error']) };
}

interface HostState {
  remaining: number | null;
  resetAt: number | null;
}

export class HttpClient {
  private readonly agent: Agent;
  private readonly o: Required<Omit<HttpOptions, 'headers' | 'onEvent' | 'signal'>> & Pick<HttpOptions, 'headers' | 'onEvent' | 'signal'>;
  private readonly hosts = new Map<string, HostState>();
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private readonly secrets: string[];
  /** Requests sent (every try), and how many of the URLs were asked more than once successfully. */
  requests = 0;
  private readonly fetched = new Set<string>();
  repeated = 0;

  constructor(options: HttpOptions) {
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
      ...options,
    };
    this.secrets = Object.values(options.headers ?? {})
      .flatMap((v) => [v, v.replace(/^Bearer\s+/i, '')])
      .filter((v) => v.length >= 4);
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connections: this.o.concurrency,
      headersTimeout: this.o.timeoutMs,
      bodyTimeout: this.o.timeoutMs,
    });
  }

  /** Removes every secret value from a text. */
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    return out;
  }

  close(): Promise<void> {
    return this.agent.close();
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

  private fail(code: ErrorCode, message: string, status: number | null, apiError: string | null, cause?: unknown): HttpError {
    return new HttpError(code, this.redact(message), status, apiError, cause === undefined ? {} : { cause });
  }

  private async wait(url: string, until: number, what: string): Promise<void> {
    const ms = Math.max(0, until - this.o.now());
    if (ms > this.o.maxWaitMs) {
      throw this.fail('RATE_LIMIT', `${url}: rate limited; ${what} asks to wait ${seconds(ms)}, more than the ${seconds(this.o.maxWaitMs)} allowed`, 429, null);
    }
    if (ms > 0) {
      this.o.onEvent?.({ type: 'rate-limit', url, waitMs: ms });
      await this.o.sleep(ms, this.o.signal);
    }
  }

  /**
   * GETs a URL and parses its JSON body. Returns the body and the response headers. An `urgent`
   * request (the next page of a sequence) goes ahead of the queued ones.
   */
  async getJson(url: string, options: { urgent?: boolean } = {}): Promise<{ body: unknown; headers: Headers; url: string }> {
    await this.slot(options.urgent ?? false);
    try {
      return await this.fetchJson(url);
    } finally {
      this.release();
    }
  }

  private async fetchJson(startUrl: string): Promise<{ body: unknown; headers: Headers; url: string }> {
    let url = startUrl;
    let attempt = 0;
    let rateLimited = 0;
    let redirects = 0;
    const label = (u: string): string => {
      const parsed = new URL(u);
      return `${parsed.host}${parsed.pathname}`;
    };
    for (;;) {
      if (this.o.signal?.aborted) throw new InterruptedError();
      const host = new URL(url).host;
      const state = this.hosts.get(host);
      // Slow down before the budget runs out: with one request left, wait for the window to reset.
      if (state && state.remaining !== null && state.remaining <= 1 && state.resetAt !== null && state.resetAt > this.o.now()) {
        await this.wait(label(url), state.resetAt, 'the rate-limit budget');
        state.remaining = null;
      }
      this.requests++;
      this.o.onEvent?.({ type: 'request', url: this.redact(url) });
      let status: number;
      let headers: Headers;
      let text: string;
      const retry = async (reason: string): Promise<void> => {
        attempt++;
        const base = this.o.retryBaseMs * 2 ** (attempt - 1);
        const waitMs = Math.round(base + Math.random() * base);
        this.o.onEvent?.({ type: 'retry', url: this.redact(url), attempt, reason, waitMs });
        await this.o.sleep(waitMs, this.o.signal);
      };
      try {
        const signals = [AbortSignal.timeout(this.o.timeoutMs)];
        if (this.o.signal) signals.push(this.o.signal);
        const res = await request(url, {
          method: 'GET',
          dispatcher: this.agent as Dispatcher,
          headers: { 'user-agent': this.o.userAgent, accept: 'application/json', ...this.o.headers },
          signal: AbortSignal.any(signals),
        });
        status = res.statusCode;
        headers = res.headers as Headers;
        text = await this.readBody(res.body, label(url));
      } catch (error) {
        if (this.o.signal?.aborted) throw new InterruptedError();
        if (error instanceof HttpError) throw error;
        const reason = this.describe(error);
        if (attempt < this.o.retries) {
          await retry(reason);
          continue;
        }
        throw this.fail('NETWORK', `${label(url)}: ${reason} (after ${attempt + 1} tries)`, null, null, error);
      }

      const now = this.o.now();
      const remaining = remainingOf(headers);
      if (remaining !== null) this.hosts.set(host, { remaining, resetAt: resetOf(headers, now) });

      if (status >= 300 && status < 400) {
        redirects++;
        if (redirects > 5) throw this.fail('NETWORK', `${label(startUrl)}: too many redirects (a redirect loop?)`, status, null);
        let next: URL;
        try {
          next = new URL(header(headers, 'location') ?? '', url);
        } catch {
          throw this.fail('NETWORK', `${label(url)}: a redirect (${status}) without a usable Location`, status, null);
        }
        if (!header(headers, 'location')) throw this.fail('NETWORK', `${label(url)}: a redirect (${status}) without a Location`, status, null);
        // Credentials go only where they were meant to: a redirect to another host is not followed.
        if (next.host !== new URL(url).host && this.secrets.length > 0) {
          throw this.fail('NETWORK', `${label(url)}: redirected to another host (${next.host}); not followed, to keep the token from it`, status, null);
        }
        url = next.toString();
        continue;
      }
      if (status === 429) {
        rateLimited++;
        const until = retryAt(headers, now) ?? now + this.o.retryBaseMs * 2 ** rateLimited;
        if (rateLimited > this.o.rateLimitRetries) {
          throw this.fail('RATE_LIMIT', `${label(url)}: still rate limited after ${rateLimited} waits`, 429, null);
        }
        await this.wait(label(url), until, 'the server');
        this.hosts.delete(host); // the window has reset
        continue;
      }
      const parsed = this.parse(text, header(headers, 'content-type'));
      if (status >= 500) {
        if (attempt < this.o.retries) {
          await retry(`status ${status}`);
          continue;
        }
        throw this.fail('NETWORK', `${label(url)}: the server answered ${status}${parsed.ok ? this.apiText(parsed.value) : parsed.html ? ' (an HTML error page)' : ''} (after ${attempt + 1} tries)`, status, null);
      }
      if (status >= 400) {
        const api = parsed.ok ? apiErrorOf(parsed.value) : { name: null, message: null };
        const code: ErrorCode = status === 401 || status === 403 ? 'AUTH' : status === 404 || status === 410 ? 'NOT_FOUND' : 'NETWORK';
        const detail = api.message ?? (!parsed.ok && parsed.html ? 'an HTML error page' : text.slice(0, 120));
        throw this.fail(code, `${label(url)}: ${status} ${detail}`, status, api.name);
      }
      if (!parsed.ok) {
        const what = parsed.html ? 'an HTML page instead of JSON' : `malformed JSON (${parsed.error})`;
        if (attempt < this.o.retries) {
          await retry(what);
          continue;
        }
        throw this.fail('NETWORK', `${label(url)}: the server sent ${what} (after ${attempt + 1} tries)`, status, null);
      }
      if (this.fetched.has(url)) this.repeated++;
      this.fetched.add(url);
      return { body: parsed.value, headers, url };
    }
  }

  private apiText(body: unknown): string {
    const { message } = apiErrorOf(body);
    return message ? `: ${message}` : '';
  }

  private parse(text: string, contentType: string | undefined): { ok: true; value: unknown } | { ok: false; html: boolean; error: string } {
    const html = /html/i.test(contentType ?? '') || /^\s*</.test(text);
    if (html) return { ok: false, html: true, error: 'HTML' };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, html: false, error: (error as Error).message };
    }
  }

  private async readBody(body: AsyncIterable<Buffer> & { destroy?: (e?: Error) => void }, where: string): Promise<string> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += chunk.length;
      if (total > this.o.maxBodyBytes) {
        body.destroy?.();
        throw this.fail('NETWORK', `${where}: the response is larger than ${Math.round(this.o.maxBodyBytes / 1048576)} MB`, null, null);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private describe(error: unknown): string {
    const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code;
    if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return `no answer within ${seconds(this.o.timeoutMs)}`;
    if (code === 'ECONNREFUSED') return 'connection refused';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
    return e.message ?? String(error);
  }
}
