/**
 * What the API sources share: pull options, progress events, the client and state of a pull and the
 * redaction of what leaves it, keeping what was fetched when a pull breaks part-way, picking the
 * posts whose threads are fetched, and turning arrays into a Dataset.
 */
import type { Account, AccountRef, Dataset, Interaction, Platform, Post } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';
import { badHeaderChar, DeadlineError, HttpClient, InterruptedError, type HttpEvent, type HttpOptions } from './http.js';
import { MAX_TOKEN_LENGTH, MIN_TOKEN_LENGTH, type Redact } from './secrets.js';
import { memoryDataset } from './memory.js';
import type { Declaration, PartialDeclaration } from '../model/capabilities.js';

export type PullEvent =
  | { type: 'page'; pages: number; posts: number }
  | { type: 'threads'; done: number; total: number }
  | { type: 'wait'; ms: number; url: string }
  | { type: 'retry'; url: string; reason: string; waitMs: number }
  /** Something the user should know that does not change the data (a token's line end was left out). */
  | { type: 'note'; message: string };

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

/**
 * A token from the environment, checked before any request: spaces and line ends around it (a
 * Windows line end saved with it) and a leading `Bearer ` (the header adds it) are left out, with a
 * note; a control or non-ASCII character inside, or a length outside MIN_TOKEN_LENGTH to
 * MAX_TOKEN_LENGTH, is a usage error that names the variable and the position or length, never the
 * value. Undefined when the variable is not set or blank (`missingToken` says which).
 */
export function envToken(options: PullOptions, name: string): string | undefined {
  const raw = options.env[name];
  const trimmed = raw?.trim();
  if (raw === undefined || !trimmed) return undefined;
  const token = trimmed.replace(/^Bearer\s+/i, '');
  const hint = `Set ${name} to the token alone, as the platform gave it.`;
  const bad = badHeaderChar(token);
  if (bad) {
    throw new EngageAuditError('USAGE', `${name} has ${bad.what} at position ${raw.indexOf(token) + bad.index + 1} (of ${raw.length} characters)`, {
      hint: `Set ${name} to the token alone: printable ASCII, no line breaks.`,
    });
  }
  if (token.length > MAX_TOKEN_LENGTH || token.length < MIN_TOKEN_LENGTH) {
    const why = token.length > MAX_TOKEN_LENGTH ? `more than a token can be (${MAX_TOKEN_LENGTH} at most)` : `less than a token can be (${MIN_TOKEN_LENGTH} at least)`;
    throw new EngageAuditError('USAGE', `${name} is ${raw.length} characters long: ${why}`, { hint });
  }
  if (token !== trimmed) options.onEvent?.({ type: 'note', message: `${name} started with "Bearer ", which was left out: the token alone is expected.` });
  if (trimmed !== raw) options.onEvent?.({ type: 'note', message: `${name} had spaces or line ends around it; they were left out.` });
  return token;
}

/** Why a token variable gave no token: `not set`, or `blank (…)` when it holds only spaces or line ends. */
export function missingToken(options: PullOptions, name: string): string {
  return options.env[name] === undefined ? 'not set' : 'blank (spaces or line ends only)';
}

/** Collects the warnings of a pull, each redacted whole as it is added, and whether it completed. */
export class PullState {
  complete = true;
  interrupted = false;
  /** A stage failed (network, rate limit, Ctrl-C): start no new requests. */
  halted = false;
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
    if (error instanceof EngageAuditError) this.halted = true;
    if (error instanceof InterruptedError) {
      this.interrupted = true;
      this.complete = false;
      this.warn(`Interrupted while ${stage}: the report holds what was fetched before.`);
      return;
    }
    if (!(error instanceof EngageAuditError)) throw error;
    this.complete = false;
    this.warn(`Stopped while ${stage}: ${this.messageOf(error)}. The report holds what was fetched before.`);
  }
}

/** Stops paging on a repeated cursor (a server bug that would loop forever). */
class CursorGuard {
  private readonly seen = new Set<string>();
  /** True when the cursor was seen before. */
  repeated(cursor: string): boolean {
    if (this.seen.has(cursor)) return true;
    this.seen.add(cursor);
    return false;
  }
}

export interface ThreadCandidate {
  post: Post;
  replies: number;
  likes: number;
  reposts: number;
}

/** The N newest authored non-repost posts that received any reply, like or repost (docs/metrics.md §7). */
export function threadCandidates(posts: readonly Post[], n: number): ThreadCandidate[] {
  return posts
    .filter((p) => p.kind !== 'repost')
    .map(candidateOf)
    .filter((c): c is ThreadCandidate => c !== null)
    .sort((a, b) => (a.post.createdAt < b.post.createdAt ? 1 : a.post.createdAt > b.post.createdAt ? -1 : 0))
    .slice(0, Math.max(0, n));
}

/**
 * Fetches the threads of the N newest posts that received anything (docs/metrics.md §7) while the
 * pages are still coming: pages arrive newest first, so candidates can start at once. At the end the
 * true N newest are settled; any started post outside them is dropped, any missing one fetched. A
 * rate limit or Ctrl-C stops the rest and keeps what was fetched.
 */
export class ThreadPipeline {
  private readonly started = new Map<string, Promise<Interaction[] | null>>();
  private stopped = false;
  private failed = 0;
  private done = 0;
  private firstError: string | null = null;
  /** An error no one expected (a bug): kept, and thrown from finish(), never left unhandled. */
  private unexpected: unknown = undefined;

  constructor(
    private readonly n: number,
    private readonly fetchOne: (c: ThreadCandidate) => Promise<Interaction[]>,
    private readonly state: PullState,
    private readonly onEvent?: (event: PullEvent) => void,
  ) {}

  /** Offers a post as it arrives; starts its fetch while fewer than N have started. */
  offer(post: Post): void {
    if (this.started.size >= this.n) return;
    const c = candidateOf(post);
    if (c) this.start(c);
  }

  private start(c: ThreadCandidate): void {
    if (this.started.has(c.post.id) || this.stopped || this.state.halted) return;
    const job = this.fetchOne(c).then(
      (found) => {
        this.done++;
        this.onEvent?.({ type: 'threads', done: this.done, total: this.n });
        return found;
      },
      (error: unknown) => {
        if (error instanceof InterruptedError || error instanceof DeadlineError || (error instanceof EngageAuditError && error.code === 'RATE_LIMIT')) {
          if (!this.stopped) this.state.fail('fetching threads', error);
          this.stopped = true;
          return null;
        }
        if (!(error instanceof EngageAuditError)) {
          this.unexpected ??= error;
          this.stopped = true;
          return null;
        }
        this.failed++;
        this.firstError ??= this.state.messageOf(error);
        return null;
      },
    );
    this.started.set(c.post.id, job);
  }

  /** Settles the N newest of all posts and returns their interactions. */
  async finish(posts: readonly Post[]): Promise<Interaction[]> {
    const chosen = threadCandidates(posts, this.n);
    if (!this.state.halted) for (const c of chosen) this.start(c);
    const results = await Promise.all(chosen.map((c) => this.started.get(c.post.id) ?? Promise.resolve(null)));
    await Promise.allSettled(this.started.values()); // let dropped jobs end before the client closes
    if (this.unexpected !== undefined) throw this.unexpected;
    if (this.failed > 0) {
      this.state.complete = false;
      this.state.warn(`${this.failed} of ${chosen.length} threads could not be fetched (first: ${this.firstError}); their replies, likes and reposts are missing.`);
    }
    return results.flatMap((r) => r ?? []);
  }
}

function candidateOf(post: Post): ThreadCandidate | null {
  if (post.kind === 'repost') return null;
  const c = { post, replies: post.metrics.replies ?? 0, likes: post.metrics.likes ?? 0, reposts: post.metrics.reposts ?? 0 };
  return c.replies + c.likes + c.reposts > 0 ? c : null;
}

/**
 * What every pull declares alike: the account's own posts of every kind with whom they name (the
 * account's id is known, so self-replies are told from replies), the profile's follower and following
 * counts, and no follower or following lists.
 */
export const EVERY_PULL = {
  replyPosts: true,
  repostPosts: true,
  quotePosts: true,
  threadPosts: true,
  outboundIdentities: true,
  followers: true,
  following: true,
  followerIds: 'Follower lists are not pulled (the counts come from the profile).',
  followingIds: 'Following lists are not pulled (the counts come from the profile).',
  account: true,
} as const satisfies PartialDeclaration;

/**
 * An interaction by the account `ref` names: called by its handle (else its id), with its id, so that
 * the report counts it as the account the posts name (docs/metrics.md "One identity per account").
 */
export function interactionBy(ref: AccountRef, rest: Omit<Interaction, 'actor' | 'actorId'>): Interaction | null {
  const actor = ref.handle ?? ref.id?.toLowerCase();
  if (!actor) return null;
  const i: Interaction = { ...rest, actor };
  if (ref.id) i.actorId = ref.id;
  return i;
}

/** Who interacted and the replies under the posts: held once threads were fetched, else `--threads 0` says why. */
export function threadsDeclaration(interactions: readonly Interaction[] | null): Pick<Declaration, 'inboundIdentities' | 'replyThreads'> {
  const why = interactions === null ? 'Threads were not fetched (--threads 0).' : true;
  return { inboundIdentities: why, replyThreads: why };
}

/**
 * A count some servers do not send at all (older versions): watched page by page. When no item of any
 * page carried it, every post's value is null (not sent, not 0) and the availability says why.
 */
export class OptionalCount<M extends keyof Post['metrics']> {
  private seen = false;
  constructor(
    private readonly metric: M,
    private readonly carries: (item: unknown) => boolean,
  ) {}

  watch(items: readonly unknown[]): void {
    if (!this.seen && items.some(this.carries)) this.seen = true;
  }

  /** Nulls the count on every post when it was never sent; the count declared held, or why not. */
  settle(posts: readonly Post[], reason: string): Pick<Declaration, M> {
    const held: true | string = this.seen || reason;
    if (!this.seen) for (const p of posts) p.metrics[this.metric] = null;
    return { [this.metric]: held } as Pick<Declaration, M>;
  }
}

export function apiDataset(input: {
  platform: Platform;
  target: string;
  account: Account;
  declaration: Declaration;
  posts: Post[];
  /** Null when no thread was fetched: then the pull names nobody who interacted. */
  interactions: Interaction[] | null;
  state: PullState;
  likesGiven?: number | null;
  now?: number | undefined;
}): Dataset {
  return memoryDataset({
    ...input,
    asOf: input.now === undefined ? null : new Date(input.now).toISOString(),
    asOfSource: 'pull',
    source: 'api',
    complete: input.state.complete,
    warnings: [...input.state.warnings],
    interrupted: input.state.interrupted,
  });
}

export interface Page {
  items: unknown[];
  /** The cursor, token or URL of the next page; absent on the last page. */
  next: string | undefined;
}

/** Pages in a row that bring no post not seen before, whatever their cursor: the server is looping. */
const STALE_PAGES = 3;

/**
 * Reads an account's posts page by page, newest first, until the window start, the post limit, the
 * last page, an empty page, a repeated cursor or STALE_PAGES pages in a row with nothing new. A
 * failure keeps what was read (`state` says why). Each new post is offered to the thread pipeline as
 * it arrives.
 */
export async function pagePosts(input: {
  fetchPage: (cursor: string | undefined) => Promise<Page>;
  map: (item: unknown) => Post | null;
  options: PullOptions;
  state: PullState;
  pipeline: ThreadPipeline | null;
  /** How the source names its post limit in the warning. */
  limit?: { max: number; warning: string };
  what: string;
}): Promise<Post[]> {
  const { options, state } = input;
  const max = input.limit?.max ?? options.maxPosts;
  const posts: Post[] = [];
  const seen = new Set<string>();
  const guard = new CursorGuard();
  let cursor: string | undefined;
  let pages = 0;
  let stale = 0;
  try {
    for (;;) {
      const page = await input.fetchPage(cursor);
      pages++;
      let reachedStart = false;
      let fresh = 0;
      for (const item of page.items) {
        const p = input.map(item);
        if (!p || seen.has(p.id)) continue;
        if (options.since !== undefined && Date.parse(p.createdAt) < options.since) {
          reachedStart = true;
          continue;
        }
        seen.add(p.id);
        fresh++;
        posts.push(p);
        input.pipeline?.offer(p);
        if (posts.length >= max) break;
      }
      options.onEvent?.({ type: 'page', pages, posts: posts.length });
      if (posts.length >= max) {
        state.warn(input.limit?.warning ?? `Read the newest ${max} posts (--max-posts ${max}); older posts are not in this report.`);
        break;
      }
      if (reachedStart || page.items.length === 0 || !page.next) break;
      stale = fresh === 0 ? stale + 1 : 0;
      if (stale >= STALE_PAGES) {
        state.complete = false;
        state.warn(`${STALE_PAGES} pages in a row brought no post not seen before (after ${pages} pages), each with a new cursor: paging stopped to avoid a loop.`);
        break;
      }
      if (guard.repeated(page.next)) {
        state.complete = false;
        state.warn(`The server sent the same next-page cursor twice (after ${pages} pages): paging stopped to avoid a loop.`);
        break;
      }
      cursor = page.next;
    }
  } catch (error) {
    state.fail(`reading ${input.what} (page ${pages + 1})`, error);
  }
  return posts;
}
