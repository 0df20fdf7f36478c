/** The threads of a pull: which posts have theirs fetched, and who interacted under them. */
import type { AccountRef, Interaction, Post } from '../model/dataset.js';
import { EngageAuditError } from '../errors.js';
import { DeadlineError, InterruptedError } from './http.js';
import type { PullEvent, PullState } from './api-common.js';

export interface ThreadCandidate {
  post: Post;
  replies: number;
  likes: number;
  reposts: number;
}

/** The N newest authored non-repost posts that received any reply, like or repost (docs/metrics.md §7). */
export function threadCandidates(posts: readonly Post[], n: number): ThreadCandidate[] {
  return posts
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
