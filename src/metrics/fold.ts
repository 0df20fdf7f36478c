/**
 * The one-pass metrics fold: every post of the window goes through each accumulator once; memory
 * grows with accounts, days and months, never with posts. Pure: no I/O, no clock.
 */
import type { Interaction, Post } from '../model/dataset.js';
import type { Interactor, Metrics, MonthlyRow, RoleLabel } from '../model/report.js';
import { DAY_MS, dayIndex, monthKey } from '../lib/dates.js';
import type { FoldContext } from './context.js';
import { audienceMetrics } from './audience.js';
import { CadenceAccumulator } from './cadence.js';
import { countedFrom, EngagementAccumulator, engagementsOf, isOwnPost, type CountName } from './engagement.js';
import { LayerAccumulator } from './layers.js';
import { MixAccumulator } from './mix.js';
import { MonthlyAccumulator } from './monthly.js';
import { AccountIdentities, makeIsSelf } from '../lib/accounts.js';
import { postFacts } from './post-facts.js';
import { ReciprocityAccumulator } from './reciprocity.js';
import { ResponsivenessAccumulator } from './responsiveness.js';
import { roleOf } from './role.js';
import { applyNeeds, ROLE_NEEDS } from './needs.js';
import { holds, unmet } from '../model/capabilities.js';
import { makeSchedulerMatcher } from './schedulers.js';
import { audienceFacts, audienceQuality } from './audience-quality.js';

export interface FoldResult {
  window: { since: number | null; until: number | null; asOf: number | null; days: number | null; posts: number };
  /** Posts read from the source, in the window or not. */
  read: number;
  /** The oldest and newest post times read, in the window or not; null with none. */
  data: { first: number; last: number } | null;
  metrics: Metrics;
  /** Why each null metric is null, keyed `group.field` (docs/metrics.md "What each number needs"). */
  unavailable: Record<string, string>;
  role: { label: RoleLabel; reason: string };
  topInteractors: { outbound: Interactor[] | null; inbound: Interactor[] | null; twoWay: Interactor[] | null };
  monthly: MonthlyRow[];
}

export class MetricsFold {
  private readonly counted: readonly CountName[];
  private readonly isSelf;
  /** One key per account, whatever names it (docs/metrics.md "One identity per account"). */
  private readonly ids = new AccountIdentities();
  private readonly mix = new MixAccumulator();
  private readonly engagement: EngagementAccumulator;
  private readonly reciprocity: ReciprocityAccumulator;
  private readonly layers: LayerAccumulator;
  private readonly cadence: CadenceAccumulator;
  private readonly monthly: MonthlyAccumulator;
  private readonly responsiveness: ResponsivenessAccumulator;
  private readonly since: number;
  private readonly until: number;
  private posts = 0;
  /** Posts offered, in the window or not. */
  private read = 0;
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  /** Window posts by id → their day, kept only for sources that name who interacted. */
  private readonly postDays: Map<string, number> | null;
  private readonly pendingInteractions: Array<{ interaction: Interaction; day: number }> = [];

  constructor(private readonly ctx: FoldContext) {
    this.counted = countedFrom(ctx.availability);
    this.isSelf = makeIsSelf(ctx.account);
    this.engagement = new EngagementAccumulator(this.counted, ctx.availability.impressions === undefined);
    this.reciprocity = new ReciprocityAccumulator(this.counted);
    this.layers = new LayerAccumulator(ctx.config.layers, holds(ctx.availability, 'inboundIdentities'), this.counted);
    this.cadence = new CadenceAccumulator(makeSchedulerMatcher(ctx.config.schedulerClients));
    this.monthly = new MonthlyAccumulator(this.counted.length > 0);
    this.responsiveness = new ResponsivenessAccumulator(holds(ctx.availability, 'replyThreads'));
    this.since = ctx.window.since ?? Number.NEGATIVE_INFINITY;
    this.until = ctx.window.until ?? Number.POSITIVE_INFINITY;
    this.postDays = holds(ctx.availability, 'inboundIdentities') || holds(ctx.availability, 'replyThreads') ? new Map() : null;
  }

  /** The oldest and newest post times offered so far, in the window or not; null with none. */
  get data(): { first: number; last: number } | null {
    return this.first <= this.last ? { first: this.first, last: this.last } : null;
  }

  /** Adds one post; posts outside the window (or with an unreadable time) are skipped. */
  addPost(post: Post): void {
    this.read += 1;
    const time = Date.parse(post.createdAt);
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    if (!(time >= this.since && time <= this.until)) return;
    this.posts += 1;
    const facts = postFacts(post, time, this.isSelf, this.ids);
    this.postDays?.set(post.id, facts.day);
    const own = isOwnPost(post);
    this.mix.add(post);
    if (own) this.engagement.add(post);
    this.reciprocity.add(post, facts.mentionsOthers);
    this.layers.addPost(post, facts);
    this.cadence.add(post, facts);
    this.monthly.add(post, monthKey(time), own, own ? engagementsOf(post, this.counted) : 0);
    this.ctx.onPost?.(post, this.counted.length === 0 || post.kind === 'repost' ? null : engagementsOf(post, this.counted));
  }

  /**
   * Adds an interaction on one of the account's posts. It counts through its post (docs/metrics.md §7):
   * only interactions on window posts, placed in the layer period by the post's day. Add every post
   * first.
   */
  addInteraction(interaction: Interaction): void {
    const day = this.postDays?.get(interaction.postId);
    if (day === undefined) return;
    const parsed = interaction.createdAt === undefined ? Number.NaN : Date.parse(interaction.createdAt);
    const time = Number.isNaN(parsed) ? null : parsed;
    const self = this.isSelf({ handle: interaction.actor, id: interaction.actorId ?? interaction.actor });
    this.ctx.onInteraction?.(interaction, self);
    if (self) {
      this.responsiveness.addOwn(interaction, time);
      return;
    }
    this.responsiveness.addOther(interaction, time);
    this.pendingInteractions.push({ interaction, day });
  }

  finish(): FoldResult {
    const { ctx } = this;
    const newest = this.cadence.newestTime;
    const until = ctx.window.until ?? newest;
    const asOf = ctx.window.asOf;
    const { ids } = this;
    // Every post's pairs are known: an interaction by handle alone joins the id the posts name it with.
    for (const { interaction, day } of this.pendingInteractions) {
      // An interaction named by its id alone carries that id (lower-cased) as its actor: not a handle.
      const { actor, actorId } = interaction;
      const handle = actorId !== undefined && actor === actorId.toLowerCase() ? undefined : actor;
      const key = ids.note({ id: actorId, handle }, day * DAY_MS) ?? actor;
      this.layers.addInteraction(interaction, key, day);
    }
    // With no report date, the layer period ends where the window does.
    const layer = this.layers.finish(asOf ?? until, ctx.window.since, (key) => ids.label(key));
    const mix = this.mix.finish();
    const followers = ctx.account.followers;
    const reciprocity = this.reciprocity.finish(ctx.likesGiven);
    const cadence = this.cadence.finish(asOf, ctx.config.burstDayPosts);
    let days: number | null = null;
    const firstDay = ctx.window.since !== null ? dayIndex(ctx.window.since) : cadence.days === null ? null : dayIndex(newest!) - cadence.days + 1;
    if (firstDay !== null && until !== null) days = dayIndex(until) - firstDay + 1;
    const engagement = this.engagement.finish(followers, layer.engagedAccounts);
    const counted: Metrics = {
      audience: audienceMetrics(followers, ctx.account.following, ctx.followerIds, ctx.followingIds),
      mix,
      engagement,
      reciprocity,
      responsiveness: this.responsiveness.finish(),
      layers: layer.layers,
      cadence,
      audienceQuality: audienceQuality(ctx.audience, asOf, followers, engagement.perPostMean, ctx.config.audience),
    };
    const audience = audienceFacts(ctx.audience, asOf, ctx.config.audience);
    const { metrics, unavailable } = applyNeeds(counted, ctx.availability, { ownPosts: counted.engagement.posts, followers, audience });
    // A ledger of nobody named counts nothing.
    const named = holds(ctx.availability, 'outboundIdentities');
    if (!named) metrics.layers.ledger = [];
    return {
      window: { since: ctx.window.since, until, asOf, days, posts: this.posts },
      read: this.read,
      data: this.data,
      metrics,
      unavailable,
      role: roleOf(this.posts, metrics.mix, metrics.reciprocity, ctx.config.roleMinPosts, unmet(ROLE_NEEDS, ctx.availability)),
      // Without whom the account names, nobody can be told two-way: unknown (null), not an empty list.
      topInteractors: { ...layer.topInteractors, outbound: named ? layer.topInteractors.outbound : null, twoWay: named ? layer.topInteractors.twoWay : null },
      monthly: this.monthly.finish(followers, metrics.mix),
    };
  }
}
