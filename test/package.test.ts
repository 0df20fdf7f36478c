/**
 * The package as users get it (README "Set up"): `npm pack`, the tarball installed into an empty
 * folder from the npm cache (never the network), then the installed bin run there. Also the clone's
 * bin, which builds a missing or stale dist/ once, and an installed package's, which never builds.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, withTempDir } from './helpers.js';

const exec = promisify(execFile);
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SAMPLE = path.join(ROOT, 'fixtures/x-archive/sample-2022.zip');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : -1, stdout, stderr };
  }
}

/**
 * The lockfile of a folder that installs the tarball: its dependencies at the versions this project
 * locks (the entries the project's own lock marks as not dev-only, same places). `npm ci` caches
 * package tarballs but not the registry's version lists, so without it an offline install could not
 * resolve a single dependency; with it, npm takes each one from the cache by its integrity.
 */
function appLock(tarball: string, integrity: string): unknown {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; license: string; bin: unknown; engines: unknown; dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, { dev?: boolean }> };
  const runtime = Object.entries(lock.packages).filter(([place, entry]) => place !== '' && entry.dev !== true);
  const spec = `file:../${tarball}`;
  return {
    name: 'app',
    lockfileVersion: lock.lockfileVersion,
    requires: true,
    packages: {
      '': { name: 'app', dependencies: { [manifest.name]: spec } },
      [`node_modules/${manifest.name}`]: {
        version: manifest.version,
        resolved: spec,
        integrity,
        license: manifest.license,
        dependencies: manifest.dependencies,
        bin: manifest.bin,
        engines: manifest.engines,
      },
      ...Object.fromEntries(runtime),
    },
  };
}

describe('the packed tarball', () => {
  let dir = '';
  let app = '';
  let files: string[] = [];
  let installed: Run = { code: -1, stdout: '', stderr: '' };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'engage-audit-pack-'));
    // The tests' setup has built dist/; prepack (the build) is left out here so the other test
    // files, which run dist/ at the same time, never see it half rewritten.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    expect(packed.code, packed.stderr).toBe(0);
    const [entry] = JSON.parse(packed.stdout) as { filename: string; integrity: string; files: { path: string }[] }[];
    files = entry!.files.map((f) => f.path).sort();
    app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'app', private: true, dependencies: { 'engage-audit': `file:../${entry!.filename}` } }, null, 2)}\n`);
    writeFileSync(path.join(app, 'package-lock.json'), `${JSON.stringify(appLock(entry!.filename, entry!.integrity), null, 2)}\n`);
    installed = await run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, entry!.filename)], app);
  }, 60_000);

  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('holds the bin, the built code with its types, the docs and LICENSE, and nothing else', () => {
    for (const file of ['LICENSE', 'README.md', 'package.json', 'bin/engage-audit.js', 'scripts/dist-stale.mjs', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/run.js', 'docs/metrics.md', 'docs/reports.md']) {
      expect(files, file).toContain(file);
    }
    const junk = files.filter((file) => /\.(png|map|tgz)$|\.test\.|^(src|test|fixtures|bench|node_modules|\.ci)\/|make-screenshot|^tsconfig/.test(file));
    expect(junk).toEqual([]);
    const outside = files.filter((file) => !/^(bin|dist|docs|scripts)\/|^(LICENSE|README\.md|package\.json)$/.test(file));
    expect(outside).toEqual([]);
  });

  it('installs from the npm cache with no install script', () => {
    const missing = /ENOTCACHED|cache mode is 'only-if-cached'/.test(installed.stderr);
    expect(installed.code, missing
      ? `the npm cache lacks a dependency of the package (the tests never go to the network): run \`npm ci\` with a connection once to fill it\n${installed.stderr}`
      : installed.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(app, 'node_modules/engage-audit/package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const lifecycle = Object.keys(manifest.scripts ?? {}).filter((name) => /^(pre|post)?(install|prepare)$/.test(name));
    expect(lifecycle).toEqual([]);
  });

  it('runs `npx engage-audit --version` from the install, without building', async () => {
    expect(installed.code).toBe(0);
    const version = await run('npx', ['--no', '--', 'engage-audit', '--version'], app);
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('audits the sample archive from the install as the golden report says', async () => {
    expect(installed.code).toBe(0);
    const audit = await run('npx', ['--no', '--', 'engage-audit', SAMPLE, '--format', 'json', '--as-of', '2025-05-31'], app, { SOURCE_DATE_EPOCH: '1767225600' });
    expect(audit.code, audit.stderr).toBe(0);
    const report = JSON.parse(audit.stdout) as { input: { target: string } };
    const golden = JSON.parse(readFileSync(path.join(ROOT, 'test/golden/sample-2022.json'), 'utf8')) as { input: { target: string } };
    // The golden report names the sample as given from the project's folder; here it is absolute.
    expect({ ...report, input: { ...report.input, target: golden.input.target } }).toEqual(golden);
  });
});

describe('the bin of a clone', () => {
  /** A clone in small: the bin, the staleness check, the compiler, and a two-file src/ whose run() prints a word. */
  function clone(root: string): void {
    for (const file of ['bin/engage-audit.js', 'scripts/dist-stale.mjs', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(path.join(ROOT, file), path.join(root, file));
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    mkdirSync(path.join(root, 'src/cli'), { recursive: true });
    writeFileSync(path.join(root, 'src/index.ts'), 'export const name = "engage-audit";\n');
    writeFileSync(path.join(root, 'src/cli/run.ts'), 'export async function run(): Promise<void> {\n  process.stdout.write(`ran ${process.argv.slice(2).join(" ")}\\n`);\n}\n');
  }
  const bin = (root: string, ...args: string[]) => run(process.execPath, [path.join(root, 'bin/engage-audit.js'), ...args], root);
  const BUILDING = 'engage-audit: dist/ is missing or older than src/: building it once (npm run build)\n';

  it('builds a missing or stale dist/ once, saying so in one line, then runs', async () => {
    await withTempDir(async (root) => {
      clone(root);
      expect(await bin(root, 'x')).toEqual({ code: 0, stdout: 'ran x\n', stderr: BUILDING });
      expect(await bin(root, 'y')).toEqual({ code: 0, stdout: 'ran y\n', stderr: '' });
      // A source edited after the build: built again.
      const later = new Date(Date.now() + 60_000);
      writeFileSync(path.join(root, 'src/index.ts'), 'export const name = "engage-audit 2";\n');
      utimesSync(path.join(root, 'src/index.ts'), later, later);
      expect(await bin(root, 'z')).toEqual({ code: 0, stdout: 'ran z\n', stderr: BUILDING });
    });
  });

  it('says in one line and a hint that the build failed, exit 5, no stack', async () => {
    await withTempDir(async (root) => {
      clone(root);
      writeFileSync(path.join(root, 'src/index.ts'), 'export const name: number = "engage-audit";\n');
      const result = await bin(root, 'x');
      expect(result.code).toBe(5);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`${BUILDING}engage-audit: the build of dist/ failed: src/index.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n  hint: Run \`npm run build\` to see every error, fix them, and run again.\n`);
    });
  });

  it('never builds where src/ or the compiler is missing (an installed package)', async () => {
    await withTempDir(async (root) => {
      clone(root);
      expect((await bin(root, 'x')).code).toBe(0);
      rmSync(path.join(root, 'node_modules'));
      const later = new Date(Date.now() + 60_000);
      utimesSync(path.join(root, 'src/index.ts'), later, later);
      expect(await bin(root, 'x')).toEqual({ code: 0, stdout: 'ran x\n', stderr: '' });
    });
  });
});
