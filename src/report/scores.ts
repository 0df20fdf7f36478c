/**
 * Scores (docs/metrics.md §5 and "What a score covers"): a category is the mean of its graded audit
 * scores × 100, rounded; `partial` is the weighted mean of the graded categories as printed; `coverage`
 * is the share of the category weight that was graded, counted per audit; `overall` is `partial` only
 * when the coverage reaches the minimum.
 */
import type { AuditConfig } from '../model/config.js';
import type { AuditResult, Category, Report } from '../model/report.js';
import { CATEGORIES } from '../model/names.js';

export type Scores = Report['scores'];

/** Coverage is reported, and compared with the minimum, at this many decimals. */
const COVERAGE_DECIMALS = 4;

export function computeScores(audits: readonly AuditResult[], weights: AuditConfig['categoryWeights'], minCoverage: number): Scores {
  const categories = {} as Record<Category, number | null>;
  let graded = 0;
  let weightSum = 0;
  for (const category of CATEGORIES) {
    const own = audits.filter((a) => a.category === category);
    const scores = own.filter((a) => a.score !== null).map((a) => a.score!);
    categories[category] = scores.length === 0 ? null : Math.round((scores.reduce((s, x) => s + x, 0) / scores.length) * 100);
    // The category's weight is split evenly among its audits; a graded audit brings its share.
    weightSum += weights[category];
    if (own.length > 0) graded += (weights[category] * scores.length) / own.length;
  }
  const coverage = weightSum === 0 ? 0 : Number((graded / weightSum).toFixed(COVERAGE_DECIMALS));
  const partial = weightedMean(categories, weights);
  return {
    overall: partial !== null && coverage >= minCoverage ? partial : null,
    partial,
    coverage,
    minCoverage,
    leftOut: CATEGORIES.filter((c) => categories[c] === null),
    notMeasured: audits.filter((a) => a.score === null).map((a) => a.id),
    categories,
  };
}

/** The weighted mean of the categories that have a score (the rounded integers), rounded; null when none has. */
function weightedMean(categories: Record<Category, number | null>, weights: AuditConfig['categoryWeights']): number | null {
  let weighted = 0;
  let weightSum = 0;
  for (const category of CATEGORIES) {
    const score = categories[category];
    if (score === null) continue;
    weighted += score * weights[category];
    weightSum += weights[category];
  }
  return weightSum === 0 ? null : Math.round(weighted / weightSum);
}

/** A share of the weight as a whole percent, rounded down: a coverage under the minimum never reads as reaching it. */
export function coveragePercent(share: number): string {
  return `${Math.floor(share * 100 + 1e-9)} %`;
}

/** The minimum as a whole percent, rounded up, for the same reason. */
function minimumPercent(share: number): string {
  return `${Math.ceil(share * 100 - 1e-9)} %`;
}

/** "(not measured: responsiveness, two-way)", or nothing when every audit was graded. */
function gaps(scores: Scores): string {
  return scores.notMeasured.length === 0 ? '' : ` (not measured: ${scores.notMeasured.join(', ')})`;
}

/** True when the overall score is missing only because too little of the weight was graded. */
export function belowMinimum(scores: Scores): boolean {
  return scores.overall === null && scores.partial !== null && scores.coverage < scores.minCoverage;
}

/** "85 % of the weight measured (audience left out)", or with the minimum and the partial score when below it. */
export function coverageText(scores: Scores): string {
  const measured = `${coveragePercent(scores.coverage)} of the weight measured`;
  if (!belowMinimum(scores)) return `${measured}${gaps(scores)}`;
  return `${measured}, under the ${minimumPercent(scores.minCoverage)} minimum; partial score ${scores.partial}${gaps(scores)}`;
}

/** Why a gate on the overall score cannot pass: "the score covers 47 % of its weight, under the 50 % minimum (… left out)". */
export function shortfallText(scores: Scores): string {
  return `the score covers ${coveragePercent(scores.coverage)} of its weight, under the ${minimumPercent(scores.minCoverage)} minimum${gaps(scores)}`;
}
