/**
 * The default values of every tunable number (model/config.ts has their schema). Kept apart from the
 * schema so that the audit path does not load the schema library.
 */
import type { AuditConfig } from './config.js';
import { PLATFORM_WIDE } from './benchmarks.js';

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
    'audience-quality': { pass: 0.7, fail: 0.5 },
  },
  // The platform-wide medians (Rival IQ 2023), behind the published bands (docs/metrics.md "Benchmarks").
  benchmarks: Object.fromEntries(PLATFORM_WIDE.map((row) => [row.platform, row.value])),
  benchmarkFailFactor: 0.5,
  categoryWeights: { engagement: 30, conversation: 30, amplification: 15, audience: 15, habits: 10 },
  minCoverage: 0.5,
  layers: {
    windowDays: 90,
    base: 10,
    factor: 13,
    weights: { l1: 1, twoWay: 1, l2: 0.5, l3: 0.25, estimatedInbound: 1 },
  },
  burstDayPosts: 50,
  roleMinPosts: 20,
  audience: { massFollowing: 1500, inactiveDays: 90, newDays: 30, newMaxPosts: 5 },
  schedulerClients: [],
  actions: { max: 10 },
};
