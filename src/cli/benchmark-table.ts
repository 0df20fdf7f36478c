/** The benchmark table `list-audits` shows (docs/metrics.md "Benchmarks"): every published row with its provenance. */
import { BENCHMARK_BANDS, PLATFORM_WIDE } from '../model/benchmarks.js';
import { bandLabel } from '../model/benchmark-band.js';
import { rate } from '../lib/format.js';
import { forTerminal } from '../lib/text.js';

export function benchmarkTable(): { rows: Array<(typeof BENCHMARK_BANDS)[number] & { label: string; used: boolean }>; text: string } {
  const rows = [...BENCHMARK_BANDS, ...PLATFORM_WIDE].map((row) => ({ ...row, label: row.max === null && row.min === 0 ? 'platform-wide' : bandLabel(row.min, row.max), used: row.matches }));
  const cells = rows.map((r) => [r.platform, r.label, rate(r.value), r.statistic, `${r.source} ${r.year}`, r.used ? 'graded' : 'not used: not by followers', r.denominator, r.url]);
  const head = ['platform', 'followers', 'value', 'statistic', 'source', 'use', 'denominator', 'link'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => forTerminal(c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  '));
  return { rows, text: `Engagement-rate benchmarks by follower band (band [min, max); none holds the account: platform-wide):\n${[head, ...cells].map(line).join('\n')}\n` };
}
