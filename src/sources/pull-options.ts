/** Settings of a live pull, kept apart from the HTTP client so that reading an export never loads it. */
import type { PullEvent } from './api-common.js';
import type { AudienceOptions } from './pull-audience.js';

export interface PullOptions {
  /** Window start (epoch ms): paging stops once posts are older. */
  since?: number | undefined;
  maxPosts: number;
  /** The most requests for who interacted with the posts (threads, liker and reposter pages) after the profile and its pages; absent: the platform's default. */
  budget?: number | undefined;
  concurrency: number;
  timeoutMs: number;
  maxWaitMs: number;
  /** The time the whole pull may take (ms): then it stops and keeps what it fetched (`--deadline`). */
  deadlineMs?: number | undefined;
  apiBase?: string | undefined;
  env: Record<string, string | undefined>;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: PullEvent) => void) | undefined;
  userAgent: string;
  /** The pull's time (epoch ms), read by the caller: the report's default as-of. */
  now?: number | undefined;
  /** `--audience`: read the follower and following lists and the followers' profiles, where the platform lists them. */
  audience?: AudienceOptions | undefined;
  /** For tests: faster retries. */
  retryBaseMs?: number | undefined;
}

export const DEFAULT_PULL = { maxPosts: 1000, concurrency: 4, timeoutMs: 15_000, maxWaitMs: 15 * 60_000, deadlineMs: 20 * 60_000 } as const;
