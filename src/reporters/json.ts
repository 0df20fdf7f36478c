/** The JSON reporter: the report as is (docs/metrics.md §6), for pipes, jq and CI. */
import type { Report } from '../model/report.js';
import { toJson } from '../lib/text.js';

export function renderJson(report: Report): string {
  return `${toJson(report, 2)}\n`;
}
