/**
 * What the metrics fold needs to know before it sees the first post: who the account is, the window,
 * the config, and what the source can tell. Built by the report layer from a Dataset.
 */
import type { Account, Audience, Availability, Interaction, Platform, Post } from '../model/dataset.js';
import type { AuditConfig } from '../model/config.js';

export interface FoldWindow {
  /** Epoch ms, inclusive; null = unbounded. */
  since: number | null;
  /** Epoch ms, inclusive; null = the newest post in the window. */
  until: number | null;
  /**
   * The report date, epoch ms; null = none known (docs/metrics.md "The report date"): freshness has
   * no value and the layer period ends at `until` once known.
   */
  asOf: number | null;
}

export interface FoldContext {
  platform: Platform;
  account: Account;
  followerIds: readonly string[] | null;
  followingIds: readonly string[] | null;
  likesGiven: number | null;
  /** The followers read with their profiles (audience quality), when read. */
  audience?: Audience | null | undefined;
  availability: Availability;
  window: FoldWindow;
  config: AuditConfig;
  /** Called with each window post and its engagements (null when the source gives no counts). */
  onPost?: ((post: Post, engagements: number | null) => void) | undefined;
  /** Called with each interaction on a window post; `self` when the account made it. */
  onInteraction?: ((interaction: Interaction, self: boolean) => void) | undefined;
}
