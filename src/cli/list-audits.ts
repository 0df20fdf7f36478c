/**
 * `list-audits`: the registry as a table or JSON, with the thresholds in force (the defaults, or as a
 * config file sets them, naming the file) in each audit's unit; JSON keeps the raw values and adds the unit.
 */
import { AUDITS } from '../audits/index.js';
import { thresholdText } from '../audits/define-audit.js';
import { DEFAULT_CONFIG } from '../model/config.js';
import { bandLabel, type BenchmarkSetting } from '../model/benchmark-band.js';
import { rate } from '../lib/format.js';
import { forTerminal, toJson } from '../lib/text.js';
import { benchmarkTable } from './benchmark-table.js';
import type { LoadedConfig } from './config.js';

/** A platform's benchmark as a rate, as the band table shows it; bands set in a config with their follower range. */
function benchmarkText(setting: BenchmarkSetting): string {
  if (typeof setting === 'number') return rate(setting);
  return setting.map((b) => `${rate(b.value)}${setting.length === 1 && b.min === 0 && (b.max ?? null) === null ? '' : ` (${bandLabel(b.min, b.max ?? null)})`}`).join(', ');
}

export function listAudits(json: boolean, loaded: Pick<LoadedConfig, 'file' | 'config'> = { file: null, config: DEFAULT_CONFIG }): string {
  const { config, file } = loaded;
  const rows = AUDITS.map(({ meta }) => {
    const t = config.thresholds[meta.id] ?? null;
    const preset = DEFAULT_CONFIG.thresholds[meta.id];
    const fromFile = file !== null && t !== null && (preset === undefined || preset.pass !== t.pass || preset.fail !== t.fail);
    const rule = meta.thresholdRule ? meta.thresholdRule(config) : t === null ? 'none' : thresholdText(t, meta.better, meta.unit);
    return { id: meta.id, title: meta.title, category: meta.category, better: meta.better, unit: meta.unit, thresholds: t, fromConfig: fromFile, rule, methodology: meta.methodology };
  });
  const table = benchmarkTable();
  if (json) return `${toJson({ config: file, audits: rows, benchmarks: config.benchmarks, benchmarkTable: table.rows }, 2)}\n`;
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  const catWidth = Math.max(...rows.map((r) => r.category.length));
  const lines = rows.map((r) => forTerminal(`${r.id.padEnd(idWidth)}  ${r.category.padEnd(catWidth)}  ${r.title} (${r.rule})${r.fromConfig ? ' [config]' : ''}`));
  const benchmarks = Object.entries(config.benchmarks).map(([p, b]) => `${p} ${benchmarkText(b)}`).join(', ');
  const source = file === null ? '' : `\nThresholds marked [config], and the benchmarks of the platforms it names, are as ${forTerminal(file)} sets them; the others are the defaults.\n`;
  return `${lines.join('\n')}\n${source}\nEngagement-rate benchmarks, platform-wide (median per post, by followers): ${benchmarks}\n\n${table.text}`;
}
