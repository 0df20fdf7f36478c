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

export const DEFAULT_CONFIG: AuditConfig = {
  thresholds: {
    'follow-ratio': { pass: 1.0, fail: 0.5 },
    'follow-back': { pass: 0.5, fail: 0.2 },
    'conversation-share': { pass: 0.2, fail: 0.05 },
    responsiveness: { pass: 0.5, fail: 0.1 },
    'two-way': { pass: 0.2, fail: 0.05 },
    sharing: { pass: 0.1, fail: 0.02 },
    automation: { pass: 0.5, fail: 0.9 },
    cadence: { pass: 25, fail: 80 },
    freshness: { pass: 7, fail: 60 },
  },
  benchmarks: { x: 0.00035, facebook: 0.0006, instagram: 0.0047, tiktok: 0.0569 },
  benchmarkFailFactor: 0.5,
  categoryWeights: { engagement: 30, conversation: 30, amplification: 15, audience: 15, habits: 10 },
  layers: {
    windowDays: 90,
    base: 10,
    factor: 13,
    weights: { l1: 1, twoWay: 1, l2: 0.5, l3: 0.25, estimatedInbound: 1 },
  },
  burstDayPosts: 50,
  roleMinPosts: 20,
  schedulerClients: [],
};
