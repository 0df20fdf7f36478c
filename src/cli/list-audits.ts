/** `list-audits`: the registry as a table or JSON, with the default thresholds. */
import { AUDITS } from '../audits/index.js';
import { DEFAULT_CONFIG } from '../model/config.js';
import { forTerminal, toJson } from '../lib/text.js';
import { benchmarkTable } from './benchmark-table.js';

export function listAudits(json: boolean): string {
  const rows = AUDITS.map(({ meta }) => {
    const t = DEFAULT_CONFIG.thresholds[meta.id] ?? null;
    const thresholds = meta.thresholdRule
      ? meta.thresholdRule(DEFAULT_CONFIG)
      : t === null
        ? 'none'
        : meta.better === 'higher'
          ? `pass ≥ ${t.pass}, fail ≤ ${t.fail}`
          : `pass ≤ ${t.pass}, fail ≥ ${t.fail}`;
    return { id: meta.id, title: meta.title, category: meta.category, better: meta.better, thresholds: t, rule: thresholds, methodology: meta.methodology };
  });
  const table = benchmarkTable();
  if (json) return `${toJson({ audits: rows, benchmarks: DEFAULT_CONFIG.benchmarks, benchmarkTable: table.rows }, 2)}\n`;
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const catWidth = Math.max(...rows.map((r) => r.category.length));
  const lines = rows.map((r) => forTerminal(`${r.id.padEnd(idWidth)}  ${r.category.padEnd(catWidth)}  ${r.title} (${r.rule})`));
  const benchmarks = Object.entries(DEFAULT_CONFIG.benchmarks).map(([p, b]) => `${p} ${b}`).join(', ');
  return `${lines.join('\n')}\n\nEngagement-rate benchmarks, platform-wide (median per post, by followers): ${benchmarks}\n\n${table.text}`;
}
