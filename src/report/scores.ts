/**
 * METRICS.md §5 scores: a category is the mean of its available audit scores × 100, rounded; overall
 * is the weighted mean of the available category scores as printed (docs/metrics.md §7).
 */
import type { AuditConfig } from '../model/config.js';
import type { AuditResult, Report } from '../model/report.js';
import { CATEGORIES } from '../model/names.js';

export function computeScores(audits: readonly AuditResult[], weights: AuditConfig['categoryWeights']): Report['scores'] {
  const categories = Object.fromEntries(
    CATEGORIES.map((category) => {
      const scores = audits.filter((a) => a.category === category && a.score !== null).map((a) => a.score!);
      const mean = scores.length === 0 ? null : Math.round((scores.reduce((s, x) => s + x, 0) / scores.length) * 100);
      return [category, mean];
    }),
  ) as Report['scores']['categories'];
  let weighted = 0;
  let weightSum = 0;
  for (const category of CATEGORIES) {
    const score = categories[category];
    if (score === null) continue;
    weighted += score * weights[category];
    weightSum += weights[category];
  }
  return { overall: weightSum === 0 ? null : Math.round(weighted / weightSum), categories };
}
