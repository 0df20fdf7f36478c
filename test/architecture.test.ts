/**
 * docs/architecture.md: imports point down only (cli → reporters → report → audits → metrics → model; sources →
 * model; lib and errors import nothing internal), the core does no I/O and never reads the clock,
 * and reporters and CLI write text from outside only through forTerminal (docs/reports.md "Safety").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { TEXT_FORMATS, render } from '../src/reporters/index.js';
import { renderMany } from '../src/reporters/many.js';
import { isLive, type Source } from '../src/sources/contract.js';
import { PLATFORM_CHOICES, SOURCES } from '../src/sources/registry.js';
import { expectInert, ROOT, TERMINAL_UNSAFE } from './helpers.js';

const SRC = path.join(ROOT, 'src');
const RANK: Record<string, number> = { model: 0, metrics: 1, audits: 2, report: 3, reporters: 4, cli: 5 };
const CORE = ['model', 'metrics', 'audits', 'report', 'reporters'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** The .ts files under a folder, with their text. */
function read(dir: string): Array<{ file: string; text: string }> {
  return files(dir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** A made-up source file at `rel` under src, for checking the checks. */
const at = (rel: string, text: string) => ({ file: path.join(SRC, rel), text });

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
        const allowed = ['zod', 'chalk', 'cli-table3', 'write-excel-file/node'];
        const tableOnly = spec === 'chalk' || spec === 'cli-table3';
        const workbookOnly = spec === 'write-excel-file/node';
        if (!allowed.includes(spec) || (tableOnly && !file.endsWith(path.join('reporters', 'table.ts'))) || (workbookOnly && !file.endsWith(path.join('reporters', 'xlsx.ts')))) {
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
  const sources = read(SRC);

  it('has no upward import, no I/O in the core, and no clock', () => {
    expect(sources.length).toBeGreaterThan(30);
    expect(violations(sources)).toEqual([]);
  });

  it('the check itself catches each kind of violation', () => {
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
        at('reporters/html.ts', "import writeXlsxFile from 'write-excel-file/node';"),
      ]),
    ).toHaveLength(9);
    expect(violations([at('cli/main.ts', "import { loadDataset } from '../sources/index.js';"), at('audits/a.ts', "import type { Metrics } from '../model/report.js';")])).toEqual([]);
  });
});

/** Every `.md` document a file under src names that is not a file of the project, as "file → document". */
export function foreignDocs(sources: ReadonlyArray<{ file: string; text: string }>): string[] {
  const bad: string[] = [];
  for (const { file, text } of sources) {
    for (const m of text.matchAll(/[\w./-]*\w\.md\b/g)) {
      if (!existsSync(path.join(ROOT, m[0]))) bad.push(`${path.relative(SRC, file)} → ${m[0]}`);
    }
  }
  return bad;
}

describe('documents the code cites', () => {
  it('no file under src cites a document outside the project', () => {
    expect(foreignDocs(read(SRC))).toEqual([]);
  });

  it('the check sees a citation of a document the project does not hold', () => {
    expect(foreignDocs([at('metrics/m.ts', '/** METRICS.md §3, see docs/metrics.md §7, FORMATS.md §1 and docs/nowhere.md. */')])).toEqual([
      'metrics/m.ts → METRICS.md',
      'metrics/m.ts → FORMATS.md',
      'metrics/m.ts → docs/nowhere.md',
    ]);
    expect(foreignDocs([at('cli/c.ts', '// README.md "Use", SECURITY.md, docs/reports.md "Safety", docs/formats.md `x`')])).toEqual([]);
  });

  it('docs/formats.md has a section for each source of the registry, in its order', () => {
    const sections = [...readFileSync(path.join(ROOT, 'docs/formats.md'), 'utf8').matchAll(/^## `([\w-]+)`/gm)].map((m) => m[1]);
    expect(sections).toEqual(SOURCES.map((s) => s.id));
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
  it('an audit loads no schema library, CSV parser, zip reader, workbook writer, HTTP client or terminal styling before it needs them', () => {
    const loaded = staticPackages(path.join(SRC, 'cli/run-audit.ts'));
    for (const lazy of ['zod', 'csv-parse', 'yauzl', 'undici', 'chalk', 'cli-table3', 'ora', 'tar-stream', 'write-excel-file']) expect([...loaded], lazy).not.toContain(lazy);
    // and the check sees a static import when there is one
    expect([...staticPackages(path.join(SRC, 'sources/saved-dataset.ts'))]).toContain('zod');
  });
});

/**
 * Terminal safety (docs/reports.md "Safety"): the reporters and the CLI write text from outside only
 * through forTerminal (or toJson / inertJson for JSON, escapeHtml and csvCell, which use it).
 */
const HOSTILE = '\x1b]8;;http://evil.example/\x07x\x1b]8;;\x07\x1b[2J\x9b1m\x85\u202e\u2066\x07\x00\r';

/** Fields the schema holds to a fixed set of names (the renderers look them up), and dates. */
const FIXED = new Set(['component']);
const DATE = /^\d{4}-\d{2}(-\d{2}(T[\d:.]+Z)?)?$/;

/** Every other string of a value with HOSTILE added. */
function poison(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return FIXED.has(key) || DATE.test(value) ? value : `${value}${HOSTILE}`;
  if (Array.isArray(value)) return value.map((v) => poison(v, key));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
}

describe('terminal safety of the reporters', () => {
  const golden = JSON.parse(readFileSync(path.join(ROOT, 'test/golden/sample-2022.json'), 'utf8')) as Report;
  const hostile = poison(golden) as Report;
  // Record keys come from the source too.
  hostile.input.availability = { ...hostile.input.availability, [`key${HOSTILE}`]: `why${HOSTILE}` };
  const failed = { target: `t${HOSTILE}`, error: { code: 'NOT_FOUND', exitCode: 4, message: `m${HOSTILE}`, hint: `h${HOSTILE}` } };

  it('every reporter in the registry, alone and for several targets, prints nothing a terminal acts on', async () => {
    expect(TEXT_FORMATS.length).toBeGreaterThanOrEqual(6);
    // The workbook (bytes) is checked in test/xlsx.test.ts.
    for (const format of TEXT_FORMATS) {
      for (const color of [false, true]) {
        const one = await render(hostile, format, { color, width: 100 });
        const many = await renderMany([{ report: hostile }, failed, { report: golden }], format, { color, width: 100 });
        for (const [what, text] of [['one', one], ['many', many]] as const) {
          // colour is the one escape a reporter writes itself: SGR sequences, only when asked
          expectInert(color ? text.replace(/\x1b\[[0-9;]*m/g, '') : text, `${format} (${what}, colour ${color})`);
        }
      }
    }
    // and the text is still there: JSON keeps it exactly, as escapes
    expect(JSON.parse(await render(hostile, 'json'))).toEqual(hostile);
  });

  it('the hostile report is hostile: without the reporters’ escaping it would fail the check', () => {
    expect(TERMINAL_UNSAFE.test(JSON.stringify(hostile))).toBe(true);
    expect(TERMINAL_UNSAFE.test(`${hostile.account.displayName} ${hostile.audits[0]!.advice}`)).toBe(true);
  });
});

/** Functions whose result is safe to write: forTerminal and what is built on it. */
const SAFE_CALLS = new Set(['forTerminal', 'oneLine', 'toJson', 'inertJson', 'errorText']);
/**
 * Values written as they are, each made safe where it is built: report text by the reporters
 * (checked above), the comparison and the audit list line by line, commander's help (our own text).
 */
const RENDERED: Record<string, string[]> = {
  'cli/run-audit.ts': ['text'],
  'cli/compare.ts': ['renderComparison'],
  'cli/main.ts': ['listAudits', 's'],
};

/** Every `io.stdout(…)` / `io.stderr(…)` whose argument does not come through forTerminal or its kin. */
export function unsafeWrites(sources: ReadonlyArray<{ file: string; text: string }>): string[] {
  const bad: string[] = [];
  for (const { file, text } of sources) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    const allowed = new Set(RENDERED[rel] ?? []);
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const safe = (node: ts.Expression): boolean => {
      if (ts.isParenthesizedExpression(node)) return safe(node.expression);
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
      if (ts.isTemplateExpression(node)) return node.templateSpans.every((s) => safe(s.expression));
      if (ts.isConditionalExpression(node)) return safe(node.whenTrue) && safe(node.whenFalse);
      if (ts.isIdentifier(node)) return allowed.has(node.text);
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) return SAFE_CALLS.has(node.expression.text) || allowed.has(node.expression.text);
      // lines.map((l) => forTerminal(l)).join('\n'): each line made safe
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join') {
        const mapped = node.expression.expression;
        if (ts.isCallExpression(mapped) && ts.isPropertyAccessExpression(mapped.expression) && mapped.expression.name.text === 'map') {
          const f = mapped.arguments[0];
          return f !== undefined && ts.isArrowFunction(f) && !ts.isBlock(f.body) && safe(f.body);
        }
      }
      return false;
    };
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'io' &&
        ['stdout', 'stderr'].includes(node.expression.name.text)
      ) {
        for (const arg of node.arguments) if (!safe(arg)) bad.push(`${rel}: ${node.getText(sf)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return bad;
}

describe('terminal safety of the CLI', () => {
  const cli = read(path.join(SRC, 'cli'));

  it('writes to stdout and stderr only through forTerminal, toJson, errorText or a checked renderer', () => {
    expect(cli.filter((s) => /\bio\.std(out|err)\(/.test(s.text)).length).toBeGreaterThanOrEqual(6);
    expect(unsafeWrites(cli)).toEqual([]);
  });

  it('the check itself catches each kind of unsafe write', () => {
    expect(
      unsafeWrites([
        at('cli/a.ts', 'io.stderr(`engage-audit: ${target}: failed\\n`);'),
        at('cli/b.ts', 'io.stdout(`${JSON.stringify(summary, null, 2)}\\n`);'),
        at('cli/c.ts', 'io.stdout(lines.join("\\n"));'),
        at('cli/d.ts', 'io.stderr(json ? toJson(x) : `${x.name}`);'),
        at('cli/e.ts', 'io.stdout(text);'), // allowed in run-audit.ts only
        at('cli/g.ts', "io.stdout(lines.map((l) => l.trim()).join('\\n'));"),
      ]),
    ).toHaveLength(6);
    expect(
      unsafeWrites([
        at('cli/run-audit.ts', 'io.stdout(text); io.stderr(`${forTerminal(`engage-audit: ${target}`)}\\n`); io.stderr(errorText(e));'),
        at('cli/f.ts', "io.stdout(json ? `${toJson(x, 2)}\\n` : 'none\\n');"),
        at('cli/h.ts', "io.stdout(`${lines.map((l) => forTerminal(l)).join('\\n')}\\n`);"),
      ]),
    ).toEqual([]);
  });
});

/**
 * The source registry (src/sources/registry.ts): every source module exports the contract, and no list
 * of platforms is written anywhere else.
 */
const SOURCE_NAMES = new Set<string>([...SOURCES.map((s) => s.id), ...PLATFORM_CHOICES]);

/** Every array literal outside the registry of two or more strings that all name sources or platforms. */
export function platformLists(sources: ReadonlyArray<{ file: string; text: string }>): string[] {
  const bad: string[] = [];
  for (const { file, text } of sources) {
    const rel = path.relative(SRC, file).split(path.sep).join('/');
    if (rel === 'sources/registry.ts') continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isArrayLiteralExpression(node) &&
        node.elements.length >= 2 &&
        node.elements.every((e) => ts.isStringLiteralLike(e) && SOURCE_NAMES.has(e.text))
      ) {
        bad.push(`${rel}: ${node.getText(sf)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return bad;
}

describe('the source registry', () => {
  it('every source module is in the registry, once, and exports the contract', async () => {
    const modules = files(path.join(SRC, 'sources')).filter((f) => path.basename(f) === 'source.ts');
    const exported: unknown[] = [];
    for (const file of modules) {
      const found = Object.values((await import(file)) as Record<string, unknown>).filter((v) => typeof v === 'object' && v !== null && 'id' in v);
      expect(found, path.relative(SRC, file)).toHaveLength(1);
      exported.push(...found);
    }
    expect(modules.length).toBe(SOURCES.length);
    expect(new Set(exported)).toEqual(new Set(SOURCES));
    expect(new Set(SOURCES.map((s) => s.id)).size).toBe(SOURCES.length);
    for (const source of SOURCES as readonly Source[]) {
      expect(typeof source.id, source.id).toBe('string');
      expect(source.description.length, source.id).toBeGreaterThan(10);
      if (isLive(source)) {
        expect([typeof source.parseTarget, typeof source.pull], source.id).toEqual(['function', 'function']);
      } else {
        expect([typeof source.detect, typeof source.load], source.id).toEqual(['function', 'function']);
        expect(Array.isArray(source.platforms), source.id).toBe(true);
        expect(source.reads.length, source.id).toBeGreaterThan(0);
        for (const kind of source.reads) expect(['container', 'file']).toContain(kind);
      }
    }
  });

  it('the registry loads no reader: each source imports its reader only when chosen', () => {
    expect([...staticPackages(path.join(SRC, 'sources/registry.ts'))]).toEqual([]);
    // and the check sees a reader's package when there is one
    expect([...staticPackages(path.join(SRC, 'sources/bluesky-car/index.ts'))]).toContain('@ipld/car');
  });

  it('no list of platforms is written outside the registry', () => {
    expect(SOURCE_NAMES.size).toBeGreaterThanOrEqual(11);
    expect(platformLists(read(SRC))).toEqual([]);
  });

  it('the check itself catches the lists written by hand', () => {
    expect(
      platformLists([
        at('cli/main.ts', "new Option('--platform <platform>', 'the platform').choices(['x', 'bluesky', 'mastodon', 'linkedin', 'instagram', 'facebook', 'csv'])"),
        at('cli/options.ts', "export const PLATFORM_CHOICES = ['x', 'bluesky', 'mastodon'] as const;"),
        at('sources/targets.ts', "export const API_PLATFORMS = ['bluesky', 'mastodon', 'x'] as const;"),
        at('sources/index.ts', "const platform = ['x', 'bluesky', 'mastodon'].includes(options.platform ?? '') ? options.platform : undefined;"),
        at('sources/index.ts', "export const EXPORT_PLATFORMS = ['x', 'bluesky', 'mastodon', 'linkedin', 'instagram', 'facebook', 'csv'] as const;"),
      ]),
    ).toHaveLength(5);
    // the model's own names (with platforms no source reads) and one-platform lists are not source lists
    expect(platformLists([at('model/names.ts', "export const PLATFORMS = ['x', 'bluesky', 'tiktok', 'other'] as const;"), at('sources/x/source.ts', "platforms: ['x'],")])).toEqual([]);
  });
});
