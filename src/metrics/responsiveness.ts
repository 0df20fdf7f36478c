/**
 * docs/metrics.md §3 "responsiveness": of the depth-1 replies others left on the account's posts, how many
 * got a direct reply from the account, and how fast. Needs fetched threads; null otherwise.
 */
import type { Interaction } from '../model/dataset.js';
import type { Metrics } from '../model/report.js';
import { increment, medianOfFrequencies, ratio } from '../lib/stats.js';

export class ResponsivenessAccumulator {
  /** Depth-1 replies by others: id → time (NaN when unknown). */
  private readonly inbound = new Map<string, number>();
  /** The account's own replies inside its threads: parent id → earliest time. */
  private readonly answers = new Map<string, number>();
  private unidentified = 0;

  constructor(private readonly threads: boolean) {}

  addOther(interaction: Interaction, time: number | null): void {
    if (interaction.kind !== 'reply' || interaction.depth !== 1) return;
    if (interaction.id === undefined) {
      this.unidentified += 1;
      return;
    }
    this.inbound.set(interaction.id, time ?? Number.NaN);
  }

  addOwn(interaction: Interaction, time: number | null): void {
    if (interaction.kind !== 'reply' || interaction.parentId === undefined) return;
    const t = time ?? Number.NaN;
    const prev = this.answers.get(interaction.parentId);
    if (prev === undefined || t < prev) this.answers.set(interaction.parentId, t);
  }

  /** The ids of the depth-1 replies without an answer, and how many replies had no id (those count as unanswered). */
  unanswered(): { ids: string[]; unidentified: number } {
    return { ids: [...this.inbound.keys()].filter((id) => !this.answers.has(id)), unidentified: this.unidentified };
  }

  finish(): Metrics['responsiveness'] {
    if (!this.threads) {
      return { inboundReplies: null, answered: null, responseRate: null, medianResponseMinutes: null, answeredWithin24h: null };
    }
    const inboundReplies = this.inbound.size + this.unidentified;
    let answered = 0;
    let within24h = 0;
    const minutes = new Map<number, number>();
    for (const [id, t] of this.inbound) {
      const answer = this.answers.get(id);
      if (answer === undefined) continue;
      answered += 1;
      const delay = answer - t;
      if (Number.isFinite(delay)) {
        increment(minutes, Math.max(0, Math.round(delay / 60_000)));
        if (delay <= 86_400_000) within24h += 1;
      }
    }
    return {
      inboundReplies,
      answered,
      responseRate: ratio(answered, inboundReplies),
      medianResponseMinutes: medianOfFrequencies(minutes),
      answeredWithin24h: ratio(within24h, answered),
    };
  }
}
