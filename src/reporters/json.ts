/** The JSON reporter: the report as is (METRICS.md §6), for pipes, jq and CI. */
import type { Report } from '../model/report.js';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
