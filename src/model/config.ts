/**
 * Every tunable number of the audit in one object (docs/metrics.md: layers, thresholds and
 * benchmarks). The config file (src/cli/config-schema.ts) overrides parts of it and its schema is
 * derived from this one; the core only reads this shape.
 */
import { z } from 'zod';
import { CATEGORY_ORDER } from './names.js';
import { BenchmarkSettingSchema } from './benchmark-schema.js';

export const ThresholdSchema = z.object({ pass: z.number(), fail: z.number() });
export type Threshold = z.infer<typeof ThresholdSchema>;

export const AuditConfigSchema = z.object({
  thresholds: z.record(z.string(), ThresholdSchema),
  /** Engagement rate per post by followers, per platform: the platform-wide value, or bands (docs/metrics.md "Benchmarks"). */
  benchmarks: z.record(z.string(), BenchmarkSettingSchema),
  /** The engagement-rate audit fails at this fraction of the benchmark. */
  benchmarkFailFactor: z.number().positive().max(1),
  categoryWeights: z.object(Object.fromEntries(CATEGORY_ORDER.map((c) => [c, z.number().nonnegative()])) as Record<(typeof CATEGORY_ORDER)[number], z.ZodNumber>),
  /** The share of the category weight that must be graded for an overall score (docs/metrics.md "What a score covers"). */
  minCoverage: z.number().min(0).max(1),
  layers: z.object({
    windowDays: z.number().int().positive().max(3650),
    base: z.number(),
    factor: z.number().positive(),
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
  /** Audience quality classes (docs/metrics.md "Audience quality"). */
  audience: z.object({
    massFollowing: z.number().int().nonnegative(),
    inactiveDays: z.number().int().positive(),
    newDays: z.number().int().positive(),
    newMaxPosts: z.number().int().positive(),
  }),
  /** Extra scheduler/automation client names, matched like the built-in list. */
  schedulerClients: z.array(z.string().min(1)),
  /** Next actions: the most items per list (0 leaves the section out; docs/reports.md "Next actions"). */
  actions: z.object({ max: z.number().int().min(0).max(1000) }),
});
export type AuditConfig = z.infer<typeof AuditConfigSchema>;

export { DEFAULT_CONFIG } from './defaults.js';
