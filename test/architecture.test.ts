/**
 * DESIGN.md: imports point down only (cli → reporters → report → audits → metrics → model; sources →
 * model; lib and errors import nothing internal), and the core does no I/O and never reads the clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = path.join(ROOT, 'src');
const RANK: Record<string, number> = { model: 0, metrics: 1, audits: 2, report: 3, reporters: 4, cli: 5 };
const CORE = ['model', 'metrics', 'audits', 'report', 'reporters'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** `layer` of a file under src: its first folder, or the file name for top-level files. */
function layerOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

/** Every edge that breaks the rules, as "from → to". */
export function violations(sources: ReadonlyArray<{ file: string; text: string }>): string[] {
  const bad: string[] = [];
  for (const { file, text } of sources) {
    const from = layerOf(file);
    for (const spec of importsOf(text)) {
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts'));
        const to = layerOf(target);
        if (to === from || to === 'errors' || to === 'lib') continue;
        if (from === 'lib' || from === 'errors') bad.push(`${path.relative(SRC, file)} → ${spec}`);
        else if (from === 'sources' && to !== 'model') bad.push(`${path.relative(SRC, file)} → ${spec}`);
        else if (from in RANK && (to === 'sources' ? from !== 'cli' : !(to in RANK) || RANK[to]! >= RANK[from]!)) {
          bad.push(`${path.relative(SRC, file)} → ${spec}`);
        }
      } else if (CORE.includes(from)) {
        const allowed = ['zod', 'chalk', 'cli-table3'];
        const tableOnly = spec === 'chalk' || spec === 'cli-table3';
        if (!allowed.includes(spec) || (tableOnly && !file.endsWith(path.join('reporters', 'table.ts')))) {
          bad.push(`${path.relative(SRC, file)} → ${spec}`);
        }
      }
    }
    if (CORE.includes(from) || from === 'lib') {
      if (/\bDate\.now\(|new Date\(\s*\)|\bprocess\.|performance\.now\(/.test(text)) bad.push(`${path.relative(SRC, file)} reads the clock or the process`);
    }
  }
  return bad;
}

describe('architecture', () => {
  const sources = files(SRC).map((file) => ({ file, text: readFileSync(file, 'utf8') }));

  it('has no upward import, no I/O in the core, and no clock', () => {
    expect(sources.length).toBeGreaterThan(30);
    expect(violations(sources)).toEqual([]);
  });

  it('the check itself catches each kind of violation', () => {
    const at = (rel: string, text: string) => ({ file: path.join(SRC, rel), text });
    expect(
      violations([
        at('metrics/x.ts', "import { AUDITS } from '../audits/index.js';"),
        at('model/y.ts', "import { buildReport } from '../report/build-report.js';"),
        at('reporters/json.ts', "import { readFile } from 'node:fs/promises';"),
        at('reporters/csv.ts', "import chalk from 'chalk';"),
        at('report/z.ts', "const { loadDataset } = await import('../sources/index.js');"),
        at('sources/s.ts', "import { MetricsFold } from '../metrics/fold.js';"),
        at('lib/l.ts', "import type { Post } from '../model/dataset.js';"),
        at('metrics/clock.ts', 'const now = Date.now();'),
      ]),
    ).toHaveLength(8);
    expect(violations([at('cli/main.ts', "import { loadDataset } from '../sources/index.js';"), at('audits/a.ts', "import type { Metrics } from '../model/report.js';")])).toEqual([]);
  });
});

/**
 * The packages a module loads before it runs, following its static imports (`import type` and
 * `await import()` are not loads at start-up).
 */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) packages.add(spec);
    }
  };
  visit(entry);
  return packages;
}

describe('start-up', () => {
  it('an audit loads no schema library, CSV parser, zip reader, HTTP client or terminal styling before it needs them', () => {
    const loaded = staticPackages(path.join(SRC, 'cli/run-audit.ts'));
    for (const lazy of ['zod', 'csv-parse', 'yauzl', 'undici', 'chalk', 'cli-table3', 'ora', 'tar-stream']) expect([...loaded], lazy).not.toContain(lazy);
    // and the check sees a static import when there is one
    expect([...staticPackages(path.join(SRC, 'sources/saved-dataset.ts'))]).toContain('zod');
  });
});
