/**
 * Per-post facts every accumulator needs, computed once per post: its time and day, and which other
 * accounts it reaches out to and how (docs/metrics.md §3 reciprocity/layers, §7 "Posts").
 */
import type { AccountRef, Post } from '../model/dataset.js';
import { dayIndex } from '../lib/dates.js';
import type { AccountIdentities } from '../lib/accounts.js';

export type OutboundKind = 'reply' | 'repost' | 'quote' | 'mention';
export const OUTBOUND_KINDS: readonly OutboundKind[] = ['reply', 'repost', 'quote', 'mention'];

export interface PostFacts {
  time: number;
  day: number;
  /**
   * Distinct other accounts this post reaches (keys of `AccountIdentities`, final once `label`led), each
   * with the ways it reaches them (a post reaches few: a list).
   */
  outbound: Array<[account: string, kinds: OutboundKind[]]>;
  /** Mentions at least one other account. */
  mentionsOthers: boolean;
}

/** Up to this many mentions, a post's outbound accounts are found by looking along its list. */
const FEW = 16;

/**
 * Adds `ref` (another account) reached by `kind` to a post's outbound list. `index` (the list by
 * account) is there for posts that name many accounts.
 */
function addOutbound(outbound: PostFacts['outbound'], index: Map<string, OutboundKind[]> | null, key: string | null, kind: OutboundKind): void {
  if (key === null) return;
  let kinds: OutboundKind[] | undefined;
  if (index !== null) kinds = index.get(key);
  else {
    for (const entry of outbound) {
      if (entry[0] === key) {
        kinds = entry[1];
        break;
      }
    }
  }
  if (kinds === undefined) {
    kinds = [kind];
    outbound.push([key, kinds]);
    index?.set(key, kinds);
  } else if (!kinds.includes(kind)) kinds.push(kind);
}

export function postFacts(post: Post, time: number, isSelf: (ref: AccountRef) => boolean, ids: AccountIdentities): PostFacts {
  const outbound: PostFacts['outbound'] = [];
  const index = post.mentions.length > FEW ? new Map<string, OutboundKind[]>() : null;
  const kind = post.kind;
  const target = post.target;
  /** References by handle alone: keyed last, once every id–handle pair the post names is known. */
  let byHandle: Array<[AccountRef, OutboundKind]> | null = null;
  if ((kind === 'reply' || kind === 'repost' || kind === 'quote') && target !== undefined && !isSelf(target)) {
    if (target.id || !target.handle) addOutbound(outbound, index, ids.note(target, time), kind);
    else byHandle = [[target, kind]];
  }
  let mentionsOthers = false;
  // A repost's mentions belong to the reposted post, not to the account (docs/metrics.md §7).
  if (kind !== 'repost') {
    for (const m of post.mentions) {
      if (isSelf(m)) continue;
      mentionsOthers = true;
      if (m.id || !m.handle) addOutbound(outbound, index, ids.note(m, time), 'mention');
      else (byHandle ??= []).push([m, 'mention']);
    }
  }
  // So one person named both ways in the post is one account of it.
  if (byHandle !== null) for (const [ref, how] of byHandle) addOutbound(outbound, index, ids.key(ref), how);
  return { time, day: dayIndex(time), outbound, mentionsOthers };
}
