/**
 * Every tunable number of the audit in one object (METRICS.md §3 layers, §5 thresholds and
 * benchmarks). The config file (src/cli/config.ts) overrides parts of it; the core only reads this shape.
 */
import { z } from 'zod';

export const ThresholdSchema = z.object({ pass: z.number(), fail: z.number() });
export type Threshold = z.infer<typeof ThresholdSchema>;

export const AuditConfigSchema = z.object({
  thresholds: z.record(z.string(), ThresholdSchema),
  /** Median engagement rate per post by followers, per platform (Rival IQ 2023). */
  benchmarks: z.record(z.string(), z.number().positive()),
  /** The engagement-rate audit fails at this fraction of the benchmark. */
  benchmarkFailFactor: z.number().positive(),
  categoryWeights: z.object({
    engagement: z.number().nonnegative(),
    conversation: z.number().nonnegative(),
    amplification: z.number().nonnegative(),
    audience: z.number().nonnegative(),
    habits: z.number().nonnegative(),
  }),
  /** The share of the category weight that must be graded for an overall score (docs/metrics.md "What a score covers"). */
  minCoverage: z.number().min(0).max(1),
  layers: z.object({
    windowDays: z.number().int().positive(),
    base: z.number(),
    factor: z.number(),
    weights: z.object({
      l1: z.number(),
      twoWay: z.number(),
      l2: z.number(),
      l3: z.number(),
      estimatedInbound: z.number(),
    }),
  }),
  burstDayPosts: z.number().int().positive(),
  roleMinPosts: z.number().int().nonnegative(),
  /** Extra scheduler/automation client names, matched like the built-in list. */
  schedulerClients: z.array(z.string()),
});
export type AuditConfig = z.infer<typeof AuditConfigSchema>;

export { DEFAULT_CONFIG } from './defaults.js';
