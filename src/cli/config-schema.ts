/**
 * The config file's schema (see config.ts), loaded only when there is a config file to check. It is
 * the model's (model/config.ts) without the internal constants, every key optional and no unknown
 * key, plus the file's own keys: `$schema`, `allowPartial`, archive `limits` and `assert`.
 */
import { z } from 'zod';
import { AUDITS } from '../audits/index.js';
import { AuditConfigSchema, ThresholdSchema } from '../model/config.js';
import { CATEGORIES, PLATFORMS } from '../model/names.js';

const { shape } = AuditConfigSchema;
const AuditId = z.enum(AUDITS.map((audit) => audit.meta.id) as [string, ...string[]]);
/** Which way each audit's thresholds run: pass above fail when higher is better, below it when lower is. */
export const AUDIT_BETTER: Readonly<Record<string, 'higher' | 'lower'>> = Object.fromEntries(AUDITS.map((audit) => [audit.meta.id, audit.meta.better]));
const Level = z.enum(['error', 'warn', 'off']);
/** A benchmark for a platform the tool does not know would never be read: refused, naming the known ones. */
const Benchmarks = z.partialRecord(z.enum(PLATFORMS), shape.benchmarks.valueType, {
  // zod's issue types for a record leave out the unknown keys it reports.
  error: (issue: { code?: string; keys?: readonly string[] }) =>
    issue.code === 'unrecognized_keys' && issue.keys ? `unknown platform ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (known: ${PLATFORMS.join(', ')})` : undefined,
});

export const ConfigFileSchema = z
  .object({
    $schema: z.string(),
    thresholds: z.partialRecord(AuditId, ThresholdSchema),
    benchmarks: Benchmarks,
    benchmarkFailFactor: shape.benchmarkFailFactor,
    categoryWeights: shape.categoryWeights.partial().strict(),
    minCoverage: shape.minCoverage,
    allowPartial: z.boolean(),
    layers: shape.layers.extend({ weights: shape.layers.shape.weights.partial().strict() }).partial().strict(),
    schedulerClients: shape.schedulerClients,
    actions: shape.actions.partial().strict(),
    audience: shape.audience.partial().strict(),
    limits: z
      .object({
        entries: z.number().int().positive(),
        unpackedBytes: z.number().int().positive(),
        compressionRatio: z.number().positive(),
      })
      .partial()
      .strict(),
    assert: z
      .object({
        audits: z.partialRecord(AuditId, Level).optional(),
        minScore: z.partialRecord(z.enum(['overall', ...CATEGORIES]), z.number().min(0).max(100)).optional(),
      })
      .strict(),
  })
  .partial()
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
