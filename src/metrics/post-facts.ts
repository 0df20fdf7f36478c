/**
 * Per-post facts every accumulator needs, computed once per post: its time and day, and which other
 * accounts it reaches out to and how (METRICS.md §3 reciprocity/layers, docs/metrics.md §7 "Posts").
 */
import type { Account, AccountRef, Post } from '../model/dataset.js';
import { dayIndex } from '../lib/dates.js';

export type OutboundKind = 'reply' | 'repost' | 'quote' | 'mention';
export const OUTBOUND_KINDS: readonly OutboundKind[] = ['reply', 'repost', 'quote', 'mention'];

export interface PostFacts {
  time: number;
  day: number;
  /** Distinct other accounts this post reaches, each with the ways it reaches them (a post reaches few: a list). */
  outbound: Array<[account: string, kinds: OutboundKind[]]>;
  /** Mentions at least one other account. */
  mentionsOthers: boolean;
}

/** How an account is named across the report: its lower-cased handle, else `id:<id>`. */
export function accountKey(ref: AccountRef): string | null {
  if (ref.handle) return ref.handle.toLowerCase().replace(/^@/, '');
  if (ref.id) return `id:${ref.id}`;
  return null;
}

export function makeIsSelf(account: Account): (ref: AccountRef) => boolean {
  const id = account.id;
  const handle = account.handle?.toLowerCase() ?? null;
  return (ref) =>
    (id !== null && ref.id !== undefined && ref.id === id) ||
    (handle !== null && ref.handle !== undefined && ref.handle.toLowerCase() === handle);
}

export function postFacts(post: Post, time: number, isSelf: (ref: AccountRef) => boolean): PostFacts {
  const outbound: Array<[string, OutboundKind[]]> = [];
  const add = (ref: AccountRef | undefined, kind: OutboundKind): void => {
    if (!ref || isSelf(ref)) return;
    const key = accountKey(ref);
    if (key === null) return;
    const kinds = outbound.find((entry) => entry[0] === key)?.[1];
    if (!kinds) outbound.push([key, [kind]]);
    else if (!kinds.includes(kind)) kinds.push(kind);
  };
  if (post.kind === 'reply' || post.kind === 'repost' || post.kind === 'quote') add(post.target, post.kind);
  let mentionsOthers = false;
  // A repost's mentions belong to the reposted post, not to the account (docs/metrics.md §7).
  if (post.kind !== 'repost') {
    for (const m of post.mentions) {
      if (isSelf(m)) continue;
      mentionsOthers = true;
      add(m, 'mention');
    }
  }
  return { time, day: dayIndex(time), outbound, mentionsOthers };
}
