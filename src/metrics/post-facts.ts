/**
 * Per-post facts every accumulator needs, computed once per post: its time and day, and which other
 * accounts it reaches out to and how (METRICS.md §3 reciprocity/layers, docs/metrics.md §7 "Posts").
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

const NONE: readonly AccountRef[] = [];

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
  const { kind, target } = post;
  const reaches = (kind === 'reply' || kind === 'repost' || kind === 'quote') && target !== undefined && !isSelf(target);
  // A repost's mentions belong to the reposted post, not to the account (docs/metrics.md §7).
  const mentions = kind === 'repost' ? NONE : post.mentions;
  // Every id–handle pair the post names is known before any of its accounts is keyed, so one person
  // named both ways in the post is one account of it.
  if (reaches) ids.pair(target, time);
  for (const m of mentions) ids.pair(m, time);
  if (reaches) addOutbound(outbound, index, ids.key(target), kind);
  let mentionsOthers = false;
  for (const m of mentions) {
    if (isSelf(m)) continue;
    mentionsOthers = true;
    addOutbound(outbound, index, ids.key(m), 'mention');
  }
  return { time, day: dayIndex(time), outbound, mentionsOthers };
}
