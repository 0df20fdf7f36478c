/**
 * End-to-end fuzzing through the CLI: a fixture export is copied, one of its files (or the zip or
 * tar.gz itself) is mutated, and the copy is audited in an isolated worker (isolated-cli.ts); the run
 * is judged by oracle.ts. Cases are drawn with fast-check from a fixed seed, so the same cases run
 * every time; each failing case prints as its own reproduction (the format, the file and the ops).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { FIXTURES } from './paths.js';
import { IsolatedCli } from './isolated-cli.js';
import { judge } from './oracle.js';
import {
  applyByteOps, byteOps, carOps, csvOps, jsonOps, mutateCar, mutateCsvBytes, mutateJsonText, mutateYtdText,
  scaled, tarGzOf, zipOf, SEED, type ByteOp, type CarOp, type CsvOp, type JsonOp,
} from './mutate.js';

export type FileKind = 'json' | 'ytd' | 'csv' | 'car' | 'bytes';

export type Mutation =
  | { kind: 'json'; ops: JsonOp[] }
  | { kind: 'ytd'; ops: JsonOp[] }
  | { kind: 'csv'; ops: CsvOp[] }
  | { kind: 'car'; ops: CarOp[] }
  | { kind: 'bytes'; ops: ByteOp[] }
  /** Explicit reproductions only: a described edit of the file's text. */
  | { kind: 'text'; describe: string; edit: (text: string) => string };

export type Case =
  | { where: 'file'; file: string; mutation: Mutation; format: string }
  /** The zip or tar.gz as the fixture has it, with byte ops applied to the archive itself. */
  | { where: 'container'; ops: ByteOp[]; format: string };

export interface FormatSpec {
  name: string;
  /** The files of the export, relative names → bytes (read once). */
  load: () => Promise<Array<[string, Buffer]>>;
  /** The fixture's own archive, for byte mutations of the container. */
  original?: string;
  /** Which files are mutated, and how they are understood. */
  files: Record<string, FileKind>;
  /** How the copy is given to the CLI: the folder, a zip or tar.gz of it, one file of it. */
  pack: 'folder' | 'zip' | 'targz' | { file: string };
  /** The base name of the folder, zip, tar.gz or file given to the CLI. */
  targetName: string;
  args: string[];
  runs: number;
}

/** A minimal reproduction of a bug the fuzzing found: one case of one format. */
export interface Reproduction {
  spec: FormatSpec;
  case: Case;
  /** It hangs today: run it last (after a hang the worker is replaced, which costs a second). */
  hangs?: boolean;
}

const FORMATS = ['json', 'json', 'json', 'json', 'json', 'table', 'markdown', 'csv', 'html', 'ndjson'] as const;

/** Every file below a fixture folder, by relative name with `/`. */
export async function filesOf(dir: string): Promise<Array<[string, Buffer]>> {
  const out: Array<[string, Buffer]> = [];
  async function walk(rel: string): Promise<void> {
    for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(name);
      else out.push([name, await readFile(path.join(dir, name))]);
    }
  }
  await walk('');
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

export const fixtureFolder = (rel: string) => () => filesOf(path.join(FIXTURES, rel));
export const fixtureFile = (rel: string) => async (): Promise<Array<[string, Buffer]>> => [[path.basename(rel), await readFile(path.join(FIXTURES, rel))]];

function mutationArb(kind: FileKind): fc.Arbitrary<Mutation> {
  const bytes = byteOps.map((ops): Mutation => ({ kind: 'bytes', ops }));
  const structured: fc.Arbitrary<Mutation> | null =
    kind === 'json' ? jsonOps.map((ops) => ({ kind: 'json', ops }))
      : kind === 'ytd' ? jsonOps.map((ops) => ({ kind: 'ytd', ops }))
        : kind === 'csv' ? csvOps.map((ops) => ({ kind: 'csv', ops }))
          : kind === 'car' ? carOps.map((ops) => ({ kind: 'car', ops }))
            : null;
  return structured ? fc.oneof({ weight: 3, arbitrary: structured }, { weight: 2, arbitrary: bytes }) : bytes;
}

export function caseArb(spec: FormatSpec): fc.Arbitrary<Case> {
  const format = fc.constantFrom(...FORMATS);
  const fileCase = fc.constantFrom(...Object.keys(spec.files)).chain((file) =>
    fc.record({ where: fc.constant('file' as const), file: fc.constant(file), mutation: mutationArb(spec.files[file]!), format }),
  );
  if (!spec.original) return fileCase;
  const containerCase = fc.record({ where: fc.constant('container' as const), ops: byteOps, format });
  return fc.oneof({ weight: 3, arbitrary: fileCase }, { weight: 1, arbitrary: containerCase });
}

export function describeCase(c: Case): string {
  if (c.where === 'container') return `--format ${c.format}; the archive itself: ${JSON.stringify(c.ops)}`;
  const m = c.mutation;
  const what = m.kind === 'text' ? m.describe : `${m.kind} ${JSON.stringify(m.ops, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 20)}…(${v.length} chars)` : v))}`;
  return `--format ${c.format}; ${c.file}: ${what}`;
}

async function mutateFile(bytes: Buffer, m: Mutation): Promise<Buffer> {
  switch (m.kind) {
    case 'json':
      return Buffer.from(mutateJsonText(bytes.toString('utf8'), m.ops));
    case 'ytd':
      return Buffer.from(mutateYtdText(bytes.toString('utf8'), m.ops));
    case 'csv':
      return mutateCsvBytes(bytes, m.ops);
    case 'car':
      return mutateCar(bytes, m.ops);
    case 'bytes':
      return applyByteOps(bytes, m.ops);
    case 'text': {
      const text = bytes.toString('utf8');
      const edited = m.edit(text);
      if (edited === text) throw new Error(`the reproduction "${m.describe}" no longer changes the fixture: update it`);
      return Buffer.from(edited);
    }
  }
}

/** Writes the case's copy of the export under `dir`; returns the CLI target and the names an error should mention. */
export async function materialize(spec: FormatSpec, files: ReadonlyArray<[string, Buffer]>, c: Case, dir: string): Promise<{ target: string; names: string[] }> {
  await mkdir(dir, { recursive: true });
  if (c.where === 'container') {
    const target = path.join(dir, spec.targetName);
    await writeFile(target, applyByteOps(await readFile(path.join(FIXTURES, spec.original!)), c.ops));
    return { target, names: [spec.targetName] };
  }
  const changed = files.map(([name, bytes]): [string, Buffer | Promise<Buffer>] => [name, name === c.file ? mutateFile(bytes, c.mutation) : bytes]);
  const resolved: Array<[string, Buffer]> = [];
  for (const [name, bytes] of changed) resolved.push([name, await bytes]);
  const names = [spec.targetName, path.basename(c.file)];
  if (spec.pack === 'zip' || spec.pack === 'targz') {
    const target = path.join(dir, spec.targetName);
    await writeFile(target, spec.pack === 'zip' ? await zipOf(resolved) : await tarGzOf(resolved));
    return { target, names };
  }
  const root = path.join(dir, spec.targetName);
  for (const [name, bytes] of resolved) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), bytes);
  }
  return { target: typeof spec.pack === 'object' ? path.join(root, spec.pack.file) : root, names };
}

export interface Failure {
  spec: string;
  index: number;
  reproduction: string;
  problems: string[];
  signature: string;
}

export interface SpecOutcome {
  cases: number;
  failures: Failure[];
  signatures: Map<string, number>;
  slowestMs: number;
}

/** Writes every file of the export under `base` once (for folder and single-file packs). */
async function writeBase(spec: FormatSpec, files: ReadonlyArray<[string, Buffer]>, base: string): Promise<void> {
  for (const [name, bytes] of files) {
    await mkdir(path.dirname(path.join(base, spec.targetName, name)), { recursive: true });
    await writeFile(path.join(base, spec.targetName, name), bytes);
  }
}

/**
 * Runs one case in the worker and judges it. With a `base` copy (folder and single-file packs) the
 * case overwrites its one file there and puts it back afterwards; otherwise it writes its own copy.
 */
async function runCase(spec: FormatSpec, files: ReadonlyArray<[string, Buffer]>, c: Case, cli: IsolatedCli, dir: string, base: string | null) {
  let target: string;
  let names: string[];
  let restore: () => Promise<void>;
  if (base !== null && c.where === 'file' && spec.pack !== 'zip' && spec.pack !== 'targz') {
    const full = path.join(base, spec.targetName, c.file);
    const original = files.find(([n]) => n === c.file)![1];
    await writeFile(full, await mutateFile(original, c.mutation));
    restore = () => writeFile(full, original);
    target = typeof spec.pack === 'object' ? path.join(base, spec.targetName, spec.pack.file) : path.join(base, spec.targetName);
    names = [spec.targetName, path.basename(c.file)];
  } else {
    ({ target, names } = await materialize(spec, files, c, dir));
    restore = () => rm(dir, { recursive: true, force: true });
  }
  const run = await cli.run([target, '--format', c.format, ...spec.args]);
  await restore();
  return { run, verdict: judge(run, c.format, names) };
}

/** Runs `scaled(spec.runs)` cases of one format drawn from the seed; never throws for a failing case. */
export async function fuzzFormat(spec: FormatSpec, seedOffset: number, cli: IsolatedCli, tmp: string): Promise<SpecOutcome> {
  const files = await spec.load();
  const cases = fc.sample(caseArb(spec), { seed: SEED + seedOffset, numRuns: scaled(spec.runs) });
  const failures: Failure[] = [];
  const signatures = new Map<string, number>();
  let slowestMs = 0;
  const base = path.join(tmp, `${spec.name}-base`);
  if (spec.pack !== 'zip' && spec.pack !== 'targz') await writeBase(spec, files, base);
  for (const [i, c] of cases.entries()) {
    const { run, verdict } = await runCase(spec, files, c, cli, path.join(tmp, `${spec.name}-${i}`), base);
    slowestMs = Math.max(slowestMs, run.ms);
    if (process.env['FUZZ_VERBOSE'] === '1') console.log(`${spec.name} #${i}: ${run.status} exit ${run.code} in ${Math.round(run.ms)} ms — ${describeCase(c).slice(0, 200)}`);
    signatures.set(verdict.signature, (signatures.get(verdict.signature) ?? 0) + 1);
    if (verdict.problems.length > 0) {
      failures.push({ spec: spec.name, index: i, reproduction: describeCase(c), problems: verdict.problems, signature: verdict.signature });
    }
  }
  await rm(base, { recursive: true, force: true });
  return { cases: cases.length, failures, signatures, slowestMs };
}

/** Runs reproductions (the ones that hang last); returns the failing ones, each on its own. */
export async function replay(list: readonly Reproduction[], cli: IsolatedCli, tmp: string): Promise<Failure[]> {
  const failures: Failure[] = [];
  const ordered = [...list.filter((r) => !r.hangs), ...list.filter((r) => r.hangs)];
  for (const [i, r] of ordered.entries()) {
    const { verdict } = await runCase(r.spec, await r.spec.load(), r.case, cli, path.join(tmp, `reproduction-${i}`), null);
    if (verdict.problems.length > 0) failures.push({ spec: `${r.spec.name}, reproduction`, index: i, reproduction: describeCase(r.case), problems: verdict.problems, signature: verdict.signature });
  }
  return failures;
}

/** One readable block per distinct problem (the first case that shows it, and how many cases do). */
export function summarize(failures: readonly Failure[]): string {
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = f.spec.endsWith('reproduction') ? `${f.spec} ${f.index}` : `${f.spec}: ${f.problems[0]!.replace(/\d+(\.\d+)?/g, 'N').replace(/(engage-audit-fuzz-|\/tmp\/)\S*/g, '…').slice(0, 120)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()]
    .map((g) => `[${g[0]!.spec}] ${g.length} case(s), e.g. #${g[0]!.index}: ${g[0]!.problems.join(' | ')}\n    reproduce: ${g[0]!.reproduction}`)
    .join('\n');
}

/** The CLI runs every spec file warms its worker with (so the first fuzz case is not slowed by module loading). */
export const WARM_UP: string[][] = [
  ['fixtures/x-archive/sample-2022.zip', '--json'],
  ['fixtures/mastodon-archive/sample.tar.gz', '--format', 'table'],
  ['fixtures/bluesky-car/repo.car', '--format', 'markdown'],
  ['fixtures/instagram/export', '--format', 'html'],
  ['fixtures/linkedin/export.zip', '--format', 'csv'],
  ['fixtures/csv/sprout-posts.csv', '--format', 'ndjson'],
  ['fixtures/hostile/dataset.json', '--json'],
];

let shared: IsolatedCli | null = null;

/**
 * The one CLI worker every CLI fuzz module uses (started on first use; cli.fuzz.test.ts closes it):
 * a run answers within 10 s or counts as a hang (generous: the machine may be busy); the heap cap stops
 * a runaway allocation.
 */
export function sharedCli(): IsolatedCli {
  shared ??= new IsolatedCli({ timeoutMs: 10_000, heapMb: 2048, warmUp: WARM_UP });
  return shared;
}
