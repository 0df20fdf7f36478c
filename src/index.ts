/**
 * The library API: `loadDataset(target)` → `audit(dataset, options)` → `render(report, format)`.
 *
 *   import { loadDataset, audit, render } from 'engage-audit';
 *   const report = await audit(await loadDataset('twitter-archive.zip'), { asOf: '2025-06-30' });
 *   console.log(await render(report, 'table'));
 */
import { readFileSync } from 'node:fs';
import type { Dataset } from './model/dataset.js';
import type { AuditConfig } from './model/config.js';
import type { Report } from './model/report.js';
import { buildReport } from './report/build-report.js';
import { parseCliDate } from './lib/dates.js';
import { EngageAuditError } from './errors.js';

export { loadDataset, type LoadOptions } from './sources/index.js';
export { render, FORMATS, type Format, type RenderOptions } from './reporters/index.js';
export { gateReport, type Gate, type GateResult, type FailOn } from './report/exit-code.js';
export { DEFAULT_CONFIG, type AuditConfig } from './model/config.js';
export { ReportSchema, type Report, type Metrics, type AuditResult } from './model/report.js';
export { SavedDatasetSchema, type Dataset, type Post, type Account, type Interaction, type SavedDataset } from './model/dataset.js';
export { AUDITS } from './audits/index.js';
export { EngageAuditError, EXIT } from './errors.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface AuditCallOptions {
  /** Dates as `YYYY-MM-DD` or ISO-8601 (docs/metrics.md §7), or epoch ms. */
  since?: string | number;
  until?: string | number;
  asOf?: string | number;
  days?: number;
  config?: AuditConfig;
  /** Defaults to the current time. */
  generatedAt?: string;
}

function toMs(value: string | number | undefined, endOfDay: boolean, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : parseCliDate(value, endOfDay);
  if (Number.isNaN(ms)) throw new EngageAuditError('USAGE', `${name}: ${JSON.stringify(value)} is not a date`);
  return ms;
}

/** Reads the dataset once and returns its report. */
export async function audit(dataset: Dataset, options: AuditCallOptions = {}): Promise<Report> {
  try {
    return await buildReport(dataset, {
      since: toMs(options.since, false, 'since'),
      until: toMs(options.until, true, 'until'),
      asOf: toMs(options.asOf, true, 'asOf'),
      days: options.days,
      config: options.config,
      generatedAt: options.generatedAt ?? new Date().toISOString(),
      tool: { name: 'engage-audit', version: VERSION },
    });
  } finally {
    dataset.close?.();
  }
}
