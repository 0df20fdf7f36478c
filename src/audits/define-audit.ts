/**
 * The audit shape (docs/metrics.md §5). An audit reads one value off the metrics and grades it against
 * two thresholds: higher-is-better `score = clamp((value − fail) / (pass − fail), 0, 1)`, pass when
 * `value >= pass`, fail when `value <= fail`, else warn; mirrored when lower is better. `n/a` when the
 * source cannot give the value (score null, left out of the means).
 */
import type { AuditConfig, Threshold } from '../model/config.js';
import type { Availability, Platform } from '../model/dataset.js';
import type { AuditResult, AuditStatus, Category, Metrics } from '../model/report.js';
import { unmet, type Requirement } from '../model/capabilities.js';
import { clamp } from '../lib/stats.js';

export interface AuditInput {
  metrics: Metrics;
  platform: Platform;
  config: AuditConfig;
  /** What the source cannot give, and why (input.availability): the n/a advice quotes it. */
  availability?: Availability;
  /** The report date (window.asOf): null when nothing gave one. */
  asOf?: string | null;
  /** Why each null metric is null (report.unavailable): the n/a advice of an audit whose needs are met. */
  unavailable?: Record<string, string>;
}

export interface AuditDefinition {
  id: string;
  title: string;
  category: Category;
  better: 'higher' | 'lower';
  /** What the value and its thresholds count (`list-audits` states thresholds in it). */
  unit: Unit;
  /** How the value is computed, in one or two sentences (shown in the report). */
  methodology: string;
  value(input: AuditInput): number | null;
  /**
   * The metrics the value is read from (`group.field`), in the order they are tried: when the value is
   * null, the reason the report gives for the last of them that is null is the advice.
   */
  reads: readonly string[];
  /** Why the value is null when none of `reads` is (e.g. a division by 0). */
  unavailable?: string;
  /**
   * What the source must hold (docs/metrics.md "What each number needs"), checked before the value:
   * unmet → n/a with the source's reason. `NEEDS_NOTHING` when the audit reads nothing from the source.
   */
  needs: Requirement;
  /** The value needs posts in the window. */
  needsPosts?: boolean;
  /** Thresholds for this input; null when none apply (the audit is then n/a with its value). */
  thresholds?(input: AuditInput): Threshold | null;
  /** The reason for n/a when there are no thresholds. */
  noThresholds?: string;
  /** How `list-audits` states the thresholds when `thresholds` computes them (else "pass ≥ …, fail ≤ …"). */
  thresholdRule?(config: AuditConfig): string;
  display(value: number, input: AuditInput): string;
  advice: Record<'pass' | 'warn' | 'fail', string>;
}

export interface Audit {
  readonly meta: AuditDefinition;
  run(input: AuditInput): AuditResult;
}

export { pct as percent, rate } from '../lib/format.js';

/** The units of audit values: a fraction is shown as a percent, the others with their name. */
export type Unit = 'fraction' | 'days' | 'posts per day' | 'ratio';

/** A threshold or value in its unit: 0.1 fraction → "10 %", 7 days → "7 days", a ratio plain. */
export function inUnit(value: number, unit: Unit): string {
  switch (unit) {
    case 'fraction':
      return `${Number((value * 100).toFixed(3))} %`;
    case 'days':
      return `${value} day${value === 1 ? '' : 's'}`;
    case 'posts per day':
      return `${value} posts a day`;
    case 'ratio':
      return String(value);
  }
}

/** Two thresholds as `list-audits` states them: "pass ≥ 50 %, fail ≤ 20 %" (mirrored when lower is better). */
export function thresholdText(t: Threshold, better: 'higher' | 'lower', unit: Unit): string {
  return better === 'higher' ? `pass ≥ ${inUnit(t.pass, unit)}, fail ≤ ${inUnit(t.fail, unit)}` : `pass ≤ ${inUnit(t.pass, unit)}, fail ≥ ${inUnit(t.fail, unit)}`;
}

export function grade(value: number, t: Threshold, better: 'higher' | 'lower'): { status: AuditStatus; score: number } {
  if (better === 'higher') {
    const score = t.pass === t.fail ? (value >= t.pass ? 1 : 0) : clamp((value - t.fail) / (t.pass - t.fail), 0, 1);
    return { status: value >= t.pass ? 'pass' : value <= t.fail ? 'fail' : 'warn', score };
  }
  const score = t.pass === t.fail ? (value <= t.pass ? 1 : 0) : clamp((t.fail - value) / (t.fail - t.pass), 0, 1);
  return { status: value <= t.pass ? 'pass' : value >= t.fail ? 'fail' : 'warn', score };
}

/** Why an audit whose needs are met has no value: the report's reason for the metric it read last, else the audit's own. */
function unavailableReason(def: AuditDefinition, input: AuditInput): string {
  for (const path of [...def.reads].reverse()) {
    const why = input.unavailable?.[path];
    if (why !== undefined) return why;
  }
  if (def.needsPosts && input.metrics.mix.total === 0) return 'No posts in the window.';
  return def.unavailable ?? 'No value for this input.';
}

export function defineAudit(def: AuditDefinition): Audit {
  const base = (input: AuditInput) => ({
    id: def.id,
    title: def.title,
    category: def.category,
    methodology: def.methodology,
    thresholds: def.thresholds ? def.thresholds(input) : (input.config.thresholds[def.id] ?? null),
  });
  return {
    meta: def,
    run(input) {
      const common = base(input);
      const missing = unmet(def.needs, input.availability ?? {});
      if (missing !== null) return { ...common, status: 'n/a', score: null, value: null, displayValue: 'n/a', advice: missing };
      let value: number | null;
      try {
        value = def.value(input);
      } catch (error) {
        return { ...common, status: 'error', score: null, value: null, displayValue: 'error', advice: String(error) };
      }
      if (value === null || !Number.isFinite(value)) {
        return { ...common, status: 'n/a', score: null, value: null, displayValue: 'n/a', advice: unavailableReason(def, input) };
      }
      const t = common.thresholds;
      if (t === null) {
        return {
          ...common,
          status: 'n/a',
          score: null,
          value,
          displayValue: def.display(value, input),
          advice: def.noThresholds ?? 'No threshold is set for this audit.',
        };
      }
      const { status, score } = grade(value, t, def.better);
      return { ...common, status, score, value, displayValue: def.display(value, input), advice: def.advice[status as 'pass' | 'warn' | 'fail'] };
    },
  };
}
