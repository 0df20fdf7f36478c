/**
 * The config's `benchmarks` entry for a platform (docs/metrics.md "Benchmarks"): one rate, or bands
 * `{min, max?, value}` sorted by `min`, each `max` above its `min`, none overlapping. A rate is a
 * fraction above 0 and at most 1.
 */
import { z } from 'zod';

/** 5 would read as 500 %: the hint says values are fractions. */
const Rate = z.number().positive().max(1, { message: 'must be at most 1, a fraction: 0.0068 = 0.68 %' });

const BandSchema = z
  .object({ min: z.number().int().nonnegative(), max: z.number().int().positive().nullable().optional(), value: Rate })
  .strict()
  .refine((b) => b.max === undefined || b.max === null || b.max > b.min, { message: 'max must be above min', path: ['max'] });

export const BandsSchema = z
  .array(BandSchema)
  .min(1)
  .superRefine((bands, ctx) => {
    bands.slice(1).forEach((band, i) => {
      const before = bands[i]!;
      if (band.min < before.min) ctx.addIssue({ code: 'custom', message: 'bands must be sorted by min', path: [i + 1, 'min'] });
      else if (before.max === undefined || before.max === null || before.max > band.min) {
        ctx.addIssue({ code: 'custom', message: `overlaps the band before it (from ${before.min}${before.max == null ? ' up' : ` to ${before.max}`})`, path: [i + 1, 'min'] });
      }
    });
  });

export const BenchmarkSettingSchema = z.union([Rate, BandsSchema]);
