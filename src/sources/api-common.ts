/**
 * The client and state of a live pull: its progress events, the bounds of its client, the warnings
 * it collects and the redaction of what leaves it.
 */
import { EngageAuditError } from '../errors.js';
import type { KindCoverage } from '../model/dataset.js';
import { DeadlineError, HttpClient, InterruptedError, type HttpEvent, type HttpOptions } from './http.js';
import type { Redact } from './secrets.js';

/** Pages in a row that bring nothing not seen before, whatever their cursor: the server is looping (posts and follower lists alike). */
export const STALE_PAGES = 3;

export type PullEvent =
  | { type: 'page'; pages: number; posts: number }
  | { type: 'threads'; done: number; total: number }
  /** `--audience`: accounts of a list read (total: the profile's count, when known), profiles or last posts fetched. */
  | { type: 'audience'; stage: 'followers' | 'following' | 'profiles' | 'last posts'; done: number; total: number | null }
  | { type: 'wait'; ms: number; url: string }
  | { type: 'retry'; url: string; reason: string; waitMs: number }
  /** Something the user should know that does not change the data (a token's line end was left out). */
  | { type: 'note'; message: string }
  /** A long read of a file: bytes consumed of its total (a zip: of the entry's compressed size). */
  | { type: 'read'; bytes: number; total: number; entry: string | null };

export { DEFAULT_PULL, type PullOptions } from './pull-options.js';
import type { PullOptions } from './pull-options.js';

/**
 * Runs one pull with its client and state. The client's bounds come from the pull options (timeout,
 * deadline), and an endpoint it stops asking makes the pull incomplete, with a warning that names it.
 * The backstop of redaction: whatever the client already redacted, every error the pull throws and
 * every warning of its state pass whole through the client's redaction of its credentials
 * (SECURITY.md) on their way out, whatever server data they were built from.
 */
export async function withPull<T>(
  options: PullOptions,
  credentials: HttpOptions['credentials'] | undefined,
  pull: (client: HttpClient, state: PullState) => Promise<T>,
): Promise<T> {
  const client: HttpClient = new HttpClient({
    userAgent: options.userAgent,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    maxWaitMs: options.maxWaitMs,
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(credentials ? { credentials } : {}),
    ...(options.retryBaseMs !== undefined ? { retryBaseMs: options.retryBaseMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    events: ['rate-limit', 'retry', 'breaker'],
    onEvent: (e: HttpEvent) => {
      if (e.type === 'rate-limit') options.onEvent?.({ type: 'wait', ms: e.waitMs, url: e.url });
      if (e.type === 'retry') options.onEvent?.({ type: 'retry', url: e.url, reason: e.reason, waitMs: e.waitMs });
      if (e.type === 'breaker') {
        state.complete = false;
        state.warn(`Stopped asking ${e.endpoint} after ${e.failures} failures in a row (${e.reason}): its other requests were skipped.`);
      }
    },
  });
  const state = new PullState(client.redact);
  try {
    return await pull(client, state);
  } catch (error) {
    if (error instanceof EngageAuditError) throw error.redactWith(client.redact);
    if (error instanceof Error) {
      // A bug's message and stack are printed as they are: they too may quote what a server sent.
      error.message = client.redact(error.message);
      if (error.stack !== undefined) error.stack = client.redact(error.stack);
    }
    throw error;
  } finally {
    await client.close();
  }
}

/** What an error that stops a pull's requests means for its coverage. */
export function cutOf(error: unknown): NonNullable<KindCoverage['cut']> {
  if (error instanceof InterruptedError) return 'interrupted';
  if (error instanceof DeadlineError) return 'deadline';
  if (error instanceof EngageAuditError && error.code === 'RATE_LIMIT') return 'rate-limit';
  return 'error';
}

/** Collects the warnings of a pull, each redacted whole as it is added, and whether it completed. */
export class PullState {
  complete = true;
  interrupted = false;
  /** A rate limit, the deadline or Ctrl-C stopped a stage: start no new requests (the coverage of those not made says why). */
  stoppedBy: Exclude<KindCoverage['cut'], 'error' | 'budget' | 'unreachable'> = null;
  readonly #warnings: string[] = [];

  constructor(private readonly redact: Redact) {}

  get warnings(): readonly string[] {
    return this.#warnings;
  }

  warn(text: string): void {
    this.#warnings.push(this.redact(text));
  }

  /** An error's message, redacted whole before it is cut. */
  messageOf(error: EngageAuditError): string {
    return error.redactWith(this.redact).message;
  }

  /** Records a failure that ends a stage; rethrows anything that is not a known error. */
  fail(stage: string, error: unknown): void {
    const cut = cutOf(error);
    if (cut === 'rate-limit' || cut === 'deadline' || cut === 'interrupted') this.stoppedBy ??= cut;
    if (error instanceof InterruptedError) {
      this.interrupted = true;
      this.complete = false;
      this.warn(`Interrupted while ${stage}: the report holds what was fetched before.`);
      return;
    }
    if (!(error instanceof EngageAuditError)) throw error;
    this.complete = false;
    this.warn(`Stopped while ${stage}: ${this.messageOf(error).replace(/\.$/, '')}. The report holds what was fetched before.`);
  }
}
