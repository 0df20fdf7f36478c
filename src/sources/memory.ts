/**
 * A Dataset whose posts are already in memory (API pulls, small exports), served in batches, or come
 * as a stream of batches (large CSV exports, read row by row).
 */
import type { Account, Audience, Coverage, Dataset, Interaction, Platform, Post, SourceDateKind, SourceKind } from '../model/dataset.js';
import { type Declaration, missingOf } from '../model/capabilities.js';

/** Items in memory as a stream of batches. */
export async function* batches<T>(items: readonly T[]): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += 4096) yield items.slice(i, i + 4096);
}

export interface MemoryDatasetInput {
  platform: Platform;
  source: SourceKind;
  target: string;
  account: Account;
  /** Every capability key: held, or why not (docs/metrics.md "What each source can tell"). */
  declaration: Declaration;
  followerIds?: readonly string[] | null;
  followingIds?: readonly string[] | null;
  likesGiven?: number | null;
  posts: readonly Post[] | AsyncIterable<readonly Post[]>;
  interactions?: readonly Interaction[] | null;
  complete?: boolean;
  warnings?: string[];
  interrupted?: boolean;
  files?: string[];
  format?: string;
  asOf?: string | null;
  asOfSource?: SourceDateKind;
  /** What a live pull fetched of who interacted with the posts. */
  coverage?: Coverage | null;
  /** The followers read with their profiles. */
  audience?: Audience | null;
  /** Releases what the posts' stream holds open. */
  close?: () => void;
}

export function memoryDataset(input: MemoryDatasetInput): Dataset {
  const interactions = input.interactions ?? null;
  return {
    platform: input.platform,
    source: input.source,
    target: input.target,
    account: input.account,
    availability: missingOf(input.declaration),
    followerIds: input.followerIds ?? null,
    followingIds: input.followingIds ?? null,
    likesGiven: input.likesGiven ?? null,
    posts: Symbol.asyncIterator in input.posts ? input.posts : batches(input.posts),
    interactions: interactions === null ? null : batches(interactions),
    state: { complete: input.complete ?? true, warnings: input.warnings ?? [], ...(input.interrupted ? { interrupted: true } : {}) },
    ...(input.format ? { describe: { format: input.format, files: input.files ?? [] } } : {}),
    asOf: input.asOf ?? null,
    ...(input.asOf && input.asOfSource ? { asOfSource: input.asOfSource } : {}),
    ...(input.close ? { close: input.close } : {}),
    coverage: input.coverage ?? null,
    audience: input.audience ?? null,
  };
}

/** The part of a declaration every export without received counts shares: nothing received is held. */
export function noReceivedCounts(source: string, hint = 'an API pull of the same account adds them'): Pick<Declaration, 'likes' | 'replies' | 'reposts' | 'quotes' | 'impressions' | 'inboundIdentities' | 'replyThreads'> {
  const why = `${source} holds no counts of what your posts received; ${hint}.`;
  return {
    likes: why,
    replies: why,
    reposts: why,
    quotes: why,
    impressions: `${source} holds no view counts.`,
    inboundIdentities: `${source} does not say who replied to, reposted or liked your posts.`,
    replyThreads: `${source} holds no replies under your posts, so answered replies cannot be told.`,
  };
}
