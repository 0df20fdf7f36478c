/**
 * docs/metrics.md §3 "layers" (Klout-style), plus the top interactors of §6. Accounts are remembered with
 * the last UTC day they were reached (or reached in), so the 90-day layer period can be cut once the
 * window end is known, in memory that grows with accounts, not posts.
 */
import type { Interaction } from '../model/dataset.js';
import type { AuditConfig } from '../model/config.js';
import type { Interactor, LedgerEntry, Metrics } from '../model/report.js';
import { dayIndex, dayKey, DAY_MS, toIso } from '../lib/dates.js';
import { clamp, increment } from '../lib/stats.js';
import { OUTBOUND_KINDS, type OutboundKind, type PostFacts } from './post-facts.js';
import type { CountName } from './engagement.js';
import type { Post } from '../model/dataset.js';

type InboundKind = Interaction['kind'];
const INBOUND_KINDS: readonly InboundKind[] = ['reply', 'repost', 'quote', 'like', 'mention'];
const ESTIMATE_COUNTS = ['replies', 'reposts', 'quotes'] as const satisfies readonly CountName[];

/** account → last day seen, per kind. */
type LastSeen<K extends string> = Map<K, Map<string, number>>;

function touch<K extends string>(seen: LastSeen<K>, kind: K, account: string, day: number): void {
  let byAccount = seen.get(kind);
  if (!byAccount) seen.set(kind, (byAccount = new Map()));
  const prev = byAccount.get(account);
  if (prev === undefined || day > prev) byAccount.set(account, day);
}

function accountsSince<K extends string>(seen: LastSeen<K>, kinds: readonly K[], fromDay: number): Map<K, Set<string>> {
  const out = new Map<K, Set<string>>();
  for (const kind of kinds) {
    const set = new Set<string>();
    for (const [account, day] of seen.get(kind) ?? []) if (day >= fromDay) set.add(account);
    out.set(kind, set);
  }
  return out;
}

/** `seen` with each account under its final name; one name for several keys keeps the latest day. */
function relabelDays(seen: Map<string, number>, label: (key: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, day] of seen) {
    const account = label(key);
    const prev = out.get(account);
    if (prev === undefined || day > prev) out.set(account, day);
  }
  return out;
}

/** `counts` with each account under its final name; several keys of one account add up. */
function relabelCounts(counts: Map<string, number>, label: (key: string) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, count] of counts) increment(out, label(key), count);
  return out;
}

function union(sets: Iterable<Set<string>>): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const v of s) out.add(v);
  return out;
}

/** `score = clamp(round(base + factor·log10(1 + weighted)), 1, 100)`, 1 when nothing was weighed. */
export function layerScore(weighted: number, layers: AuditConfig['layers']): number {
  if (weighted <= 0) return 1;
  return clamp(Math.round(layers.base + layers.factor * Math.log10(1 + weighted)), 1, 100);
}

function top(counts: Map<string, number>, limit = 10): Interactor[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([account, count]) => ({ account, count }));
}

export interface LayerResult {
  layers: Metrics['layers'];
  topInteractors: { outbound: Interactor[]; inbound: Interactor[] | null; twoWay: Interactor[] | null };
  engagedAccounts: number | null;
}

export class LayerAccumulator {
  private outbound: LastSeen<OutboundKind> = new Map();
  private inbound: LastSeen<InboundKind> = new Map();
  private depth2 = new Map<string, number>();
  private depth3 = new Map<string, number>();
  private outboundCounts = new Map<string, number>();
  private inboundCounts = new Map<string, number>();
  private engaged = new Set<string>();
  /** Received counts per day, for estimatedInbound. */
  private readonly receivedByDay = new Map<number, Record<(typeof ESTIMATE_COUNTS)[number], number>>();
  private readonly estimateCounts: readonly CountName[];
  /** Posts per day, so a layer period without posts gives no score. */
  private readonly postsByDay = new Map<number, number>();

  constructor(
    private readonly config: AuditConfig['layers'],
    private readonly identities: boolean,
    counted: readonly CountName[],
  ) {
    this.estimateCounts = ESTIMATE_COUNTS.filter((c) => counted.includes(c));
  }

  addPost(post: Post, facts: PostFacts): void {
    increment(this.postsByDay, facts.day);
    for (const [account, kinds] of facts.outbound) {
      increment(this.outboundCounts, account);
      for (const kind of kinds) touch(this.outbound, kind, account, facts.day);
    }
    if (!this.identities && post.kind !== 'repost' && this.estimateCounts.length > 0) {
      let day = this.receivedByDay.get(facts.day);
      if (!day) this.receivedByDay.set(facts.day, (day = { replies: 0, reposts: 0, quotes: 0 }));
      for (const name of this.estimateCounts) day[name as 'replies'] += post.metrics[name] ?? 0;
    }
  }

  /** An interaction by another account (never the account itself), keyed `actor`, on a post of day `day`. */
  addInteraction(interaction: Interaction, actor: string, day: number): void {
    if (interaction.depth === 1) {
      touch(this.inbound, interaction.kind, actor, day);
      increment(this.inboundCounts, actor);
      this.engaged.add(actor);
    } else if (interaction.depth === 2) {
      const prev = this.depth2.get(actor);
      if (prev === undefined || day > prev) this.depth2.set(actor, day);
    } else {
      const prev = this.depth3.get(actor);
      if (prev === undefined || day > prev) this.depth3.set(actor, day);
    }
  }

  /** Puts every account under its final name: keys of one account become one. */
  private relabel(label: (key: string) => string): void {
    const each = <K extends string>(seen: LastSeen<K>): LastSeen<K> => new Map([...seen].map(([kind, days]) => [kind, relabelDays(days, label)]));
    this.outbound = each(this.outbound);
    this.inbound = each(this.inbound);
    this.depth2 = relabelDays(this.depth2, label);
    this.depth3 = relabelDays(this.depth3, label);
    this.outboundCounts = relabelCounts(this.outboundCounts, label);
    this.inboundCounts = relabelCounts(this.inboundCounts, label);
    this.engaged = new Set([...this.engaged].map(label));
  }

  /** `label` gives each key of the fold its account's final name (`AccountIdentities.label`). */
  finish(asOf: number | null, since: number | null, label: (key: string) => string): LayerResult {
    this.relabel(label);
    const windowDays = this.config.windowDays;
    const asOfDay = asOf === null ? null : dayIndex(asOf);
    let fromDay = asOfDay === null ? Number.POSITIVE_INFINITY : asOfDay - (windowDays - 1);
    if (since !== null) fromDay = Math.max(fromDay, dayIndex(since));
    const outSets = accountsSince(this.outbound, OUTBOUND_KINDS, fromDay);
    const out = union(outSets.values());
    const w = this.config.weights;
    const ledger: LedgerEntry[] = [];
    const entry = (component: LedgerEntry['component'], count: number, weight: number, detail: LedgerEntry['detail']): void => {
      ledger.push({ component, count, weight, points: count * weight, detail });
    };
    const outDetail = Object.fromEntries(OUTBOUND_KINDS.map((k) => [k, outSets.get(k)!.size]));

    let l1Inbound: number | null = null;
    let twoWay: number | null = null;
    let l2: number | null = null;
    let l3: number | null = null;
    let estimatedInbound: number | null = null;
    let l1: number;
    let inboundTop: Interactor[] | null = null;
    let twoWayTop: Interactor[] | null = null;

    if (this.identities) {
      const inSets = accountsSince(this.inbound, INBOUND_KINDS, fromDay);
      const inn = union(inSets.values());
      const all = union([out, inn]);
      l1Inbound = inn.size;
      l1 = all.size;
      twoWay = [...out].filter((a) => inn.has(a)).length;
      const l2Set = new Set([...this.depth2].filter(([a, d]) => d >= fromDay && !all.has(a)).map(([a]) => a));
      l2 = l2Set.size;
      l3 = [...this.depth3].filter(([a, d]) => d >= fromDay && !all.has(a) && !l2Set.has(a)).length;
      entry('l1', l1, w.l1, {
        outbound: outDetail,
        inbound: Object.fromEntries(INBOUND_KINDS.map((k) => [k, inSets.get(k)!.size])),
      });
      entry('twoWay', twoWay, w.twoWay, null);
      entry('l2', l2, w.l2, null);
      entry('l3', l3, w.l3, null);
      inboundTop = top(this.inboundCounts);
      const both = new Map<string, number>();
      for (const [a, c] of this.outboundCounts) {
        const i = this.inboundCounts.get(a);
        if (i !== undefined) both.set(a, c + i);
      }
      twoWayTop = top(both);
    } else {
      l1 = out.size;
      entry('l1', l1, w.l1, { outbound: outDetail, inbound: null });
      if (this.estimateCounts.length > 0) {
        const sums: Record<string, number | null> = { replies: null, reposts: null, quotes: null };
        for (const name of this.estimateCounts) sums[name] = 0;
        for (const [day, received] of this.receivedByDay) {
          if (day < fromDay) continue;
          for (const name of this.estimateCounts) sums[name]! += received[name as 'replies'];
        }
        estimatedInbound = this.estimateCounts.reduce((acc, name) => acc + sums[name]!, 0);
        entry('estimatedInbound', estimatedInbound, w.estimatedInbound, sums);
      }
    }
    const weighted = ledger.reduce((acc, e) => acc + e.points, 0);
    let periodPosts = 0;
    for (const [day, n] of this.postsByDay) if (day >= fromDay && (asOfDay === null || day <= asOfDay)) periodPosts += n;
    const periodSince = Number.isFinite(fromDay) ? toIso(fromDay * DAY_MS) : null;
    return {
      layers: {
        windowDays,
        since: periodSince,
        until: asOfDay === null ? null : `${dayKey(asOfDay)}T23:59:59.999Z`,
        l1Outbound: out.size,
        l1Inbound,
        l1,
        twoWay,
        l2,
        l3,
        estimatedInbound,
        // Counts stood in for names exactly when an estimate was made.
        estimated: estimatedInbound !== null,
        weighted,
        // No score from nothing: a period without posts weighs nobody (docs/metrics.md "What each number needs").
        score: periodPosts === 0 ? null : layerScore(weighted, this.config),
        ledger,
      },
      topInteractors: { outbound: top(this.outboundCounts), inbound: inboundTop, twoWay: twoWayTop },
      engagedAccounts: this.identities ? this.engaged.size : null,
    };
  }
}
