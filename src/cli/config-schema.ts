/** The config file's schema (see config.ts), loaded only when there is a config file to check. */
import { z } from 'zod';
import { ThresholdSchema } from '../model/config.js';
import { CATEGORIES } from '../model/names.js';

const AUDIT_IDS = ['follow-ratio', 'follow-back', 'engagement-rate', 'conversation-share', 'responsiveness', 'two-way', 'sharing', 'automation', 'cadence', 'freshness'] as const;

const Level = z.enum(['error', 'warn', 'off']);

export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional(),
    thresholds: z.partialRecord(z.enum(AUDIT_IDS), ThresholdSchema).optional(),
    benchmarks: z.record(z.string(), z.number().positive()).optional(),
    benchmarkFailFactor: z.number().positive().max(1).optional(),
    categoryWeights: z.object({ engagement: z.number().nonnegative(), conversation: z.number().nonnegative(), amplification: z.number().nonnegative(), audience: z.number().nonnegative(), habits: z.number().nonnegative() }).partial().strict().optional(),
    minCoverage: z.number().min(0).max(1).optional(),
    allowPartial: z.boolean().optional(),
    layers: z
      .object({
        windowDays: z.number().int().positive().max(3650),
        base: z.number(),
        factor: z.number().positive(),
        weights: z.object({ l1: z.number(), twoWay: z.number(), l2: z.number(), l3: z.number(), estimatedInbound: z.number() }).partial().strict(),
      })
      .partial()
      .strict()
      .optional(),
    schedulerClients: z.array(z.string().min(1)).optional(),
    limits: z
      .object({
        entries: z.number().int().positive(),
        unpackedBytes: z.number().int().positive(),
        compressionRatio: z.number().positive(),
      })
      .partial()
      .strict()
      .optional(),
    assert: z
      .object({
        audits: z.partialRecord(z.enum(AUDIT_IDS), Level).optional(),
        minScore: z.partialRecord(z.enum(['overall', ...CATEGORIES]), z.number().min(0).max(100)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
