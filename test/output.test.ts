/**
 * The files the CLI writes (-o, pull -o, --posts-csv): never one of the inputs (exit 2 before
 * anything is read), written whole or not at all (a failed write leaves the previous file as it was,
 * exit 6), and every target of a run gets a row, whatever happened to it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chmod, copyFile, cp, link, lstat, open, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { OutputFile, type OutputFs } from '../src/cli/safe-write.js';
import { ROOT, X_FIXTURES, runCli, withTempDir } from './helpers.js';

const SAMPLE_ZIP = path.join(X_FIXTURES, 'sample-2022.zip');
const AS_OF = ['--as-of', '2025-05-31'];

/** Every file under `dir` (hidden ones too) with its bytes, for before/after comparisons. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() && !e.isSymbolicLink()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(dir, full)] = e.isSymbolicLink() ? `-> ${await readlink(full)}` : (await readFile(full)).toString('base64');
  }
  return out;
}

/** A folder with the sample zip, the sample folder, a --targets list and a config file. */
async function inputs(dir: string): Promise<void> {
  await copyFile(SAMPLE_ZIP, path.join(dir, 'x.zip'));
  await cp(path.join(X_FIXTURES, 'sample-2022'), path.join(dir, 'export'), { recursive: true });
  await writeFile(path.join(dir, 'list.txt'), 'x.zip\n');
  await writeFile(path.join(dir, 'rc.json'), '{}\n');
  await symlink(path.join(dir, 'x.zip'), path.join(dir, 'link.zip'));
  await link(path.join(dir, 'x.zip'), path.join(dir, 'hard.zip'));
}

describe('an output that is an input is refused before anything is read (exit 2)', () => {
  it.each([
    [['x.zip', '--posts-csv', 'x.zip'], /--posts-csv x\.zip is the input x\.zip/],
    [['x.zip', '-o', 'x.zip', '--format', 'table'], /-o x\.zip is the input x\.zip/],
    // Without --format, a .zip is no output format at all: refused for that first, before anything is read.
    [['x.zip', '-o', 'x.zip'], /-o x\.zip: the tool writes no \.zip file/],
    [['x.zip', '-o', './x.zip', '--json'], /-o \.\/x\.zip is the input x\.zip/],
    [['x.zip', '-o', 'link.zip', '--json'], /-o link\.zip is the input x\.zip/],
    [['link.zip', '-o', 'hard.zip', '--json'], /-o hard\.zip is the input link\.zip/],
    [['--targets', 'list.txt', '--posts-csv', 'hard.zip'], /--posts-csv hard\.zip is the input x\.zip/],
    [['--targets', 'list.txt', '-o', 'list.txt', '--json'], /-o list\.txt is the input --targets list\.txt/],
    [['x.zip', '--config', 'rc.json', '-o', 'rc.json', '--json'], /-o rc\.json is the input --config rc\.json/],
    [['x.zip', '-o', 'same.csv', '--posts-csv', 'same.csv'], /-o same\.csv and --posts-csv same\.csv are the same file/],
    [['x.zip', '-o', 'new/../out.csv', '--posts-csv', 'out.csv'], /-o new\/\.\.\/out\.csv and --posts-csv out\.csv are the same file/],
    [['export', '-o', 'export/report.json'], /-o export\/report\.json is inside the input folder export/],
    [['x.zip', 'export', '--posts-csv', 'export/data/posts.csv'], /--posts-csv export\/data\/posts\.csv is inside the input folder export/],
    [['export', '-o', 'export', '--json'], /-o export is inside the input folder export/],
    [['pull', 'x.zip', '-o', 'link.zip'], /-o link\.zip is the input x\.zip/],
    [['pull', 'export', '-o', 'export/data/dataset.json'], /-o export\/data\/dataset\.json is inside the input folder export/],
  ])('%j', async (argv, pattern) => {
    await withTempDir(async (dir) => {
      await inputs(dir);
      const before = await snapshot(dir);
      const r = await runCli(argv, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[0]).toMatch(pattern);
      expect(lines[1]).toMatch(/^ {2}hint: \S/);
      expect(await snapshot(dir)).toEqual(before); // nothing written, nothing cut, no temporary file
    });
  });

  it('the config file found upward is an input too', async () => {
    await withTempDir(async (dir) => {
      await inputs(dir);
      await writeFile(path.join(dir, '.engage-auditrc.json'), '{}\n');
      const before = await snapshot(dir);
      const r = await runCli(['x.zip', '-o', '.engage-auditrc.json', '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/-o \.engage-auditrc\.json is the input --config \S*\.engage-auditrc\.json/);
      expect(await snapshot(dir)).toEqual(before);
    });
  });

  it('an output beside the input, and an account target, are not refused', async () => {
    await withTempDir(async (dir) => {
      await inputs(dir);
      const r = await runCli(['x.zip', '-o', 'report.json', '--posts-csv', 'posts.csv', ...AS_OF], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')).account.handle).toBe('tidepool_lab');
      // 32 posts in the sample, all in the window (fixtures/x-archive/EXPECTED.md): a header and 32 rows.
      expect((await readFile(path.join(dir, 'posts.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(33);
      expect((await readdir(dir)).sort()).toEqual(['export', 'hard.zip', 'link.zip', 'list.txt', 'posts.csv', 'rc.json', 'report.json', 'x.zip']);
    });
  });
});

describe('a failed run leaves the previous files as they were', () => {
  it('a missing input: the old --posts-csv and -o files keep their bytes (exit 3)', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'old.csv'), 'target,id\nold,1\n');
      await writeFile(path.join(dir, 'old.json'), '{"old":true}\n');
      const before = await snapshot(dir);
      const r = await runCli(['missing.zip', '--posts-csv', 'old.csv', '-o', 'old.json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/missing\.zip: no such file or folder/);
      expect(await snapshot(dir)).toEqual(before);
    });
  });
});

/** The real file system, except that writes to files whose name contains `name` fail past `limit` bytes, as a full disk does. */
function fullDisk(name: string, limit: number): OutputFs & { failed: number } {
  const fs = {
    failed: 0,
    async open(file: string, flags: 'wx' | 'w', mode: number) {
      const handle = await open(file, flags, mode);
      if (!path.basename(file).includes(name)) return handle;
      let written = 0;
      return {
        write: async (data: Uint8Array) => {
          const room = limit - written;
          if (room <= 0) {
            fs.failed++;
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
          }
          const { bytesWritten } = await handle.write(data.subarray(0, Math.min(room, data.length)));
          written += bytesWritten;
          return { bytesWritten };
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
  return fs;
}

describe('a write that fails (disk full) is exit 6 and the previous file survives byte for byte', () => {
  it.each([
    ['-o', 'report.json', ['-o', 'report.json', '--json'], /^engage-audit: -o report\.json: cannot write the report \(ENOSPC: no space left on the device\)$/],
    ['--posts-csv', 'posts.csv', ['--posts-csv', 'posts.csv', '-o', 'report.json'], /^engage-audit: --posts-csv posts\.csv: cannot write it \(ENOSPC: no space left on the device\)$/],
  ])('%s', async (_flag, file, argv, pattern) => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, file), 'the previous file\n');
      await writeFile(path.join(dir, 'report.json'), '{"previous":true}\n');
      const before = await snapshot(dir);
      const fs = fullDisk(file, 1000);
      const r = await runCli([SAMPLE_ZIP, ...AS_OF, ...argv], { cwd: dir, outputFs: fs });
      expect(fs.failed).toBeGreaterThan(0);
      expect(r.code, r.stderr).toBe(6);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[0]).toMatch(pattern);
      expect(lines[1]).toMatch(/^ {2}hint: .*free space/);
      expect(r.stdout).toBe('');
      expect(await snapshot(dir)).toEqual(before); // the old files, and no temporary file left
    });
  });

  it('pull -o', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'dataset.json'), '{"previous":true}\n');
      const before = await snapshot(dir);
      const fs = fullDisk('dataset.json', 4096);
      const r = await runCli(['pull', SAMPLE_ZIP, '-o', 'dataset.json'], { cwd: dir, outputFs: fs });
      expect(fs.failed).toBeGreaterThan(0);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toMatch(/^engage-audit: -o dataset\.json: cannot write the dataset \(ENOSPC: no space left on the device\)\n {2}hint: /);
      expect(await snapshot(dir)).toEqual(before);
    });
  });

  it('a folder that does not exist is exit 6 before anything is read', async () => {
    const r = await runCli([SAMPLE_ZIP, '--posts-csv', 'no/such/folder/posts.csv']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^engage-audit: --posts-csv no\/such\/folder\/posts\.csv: cannot write it \(ENOENT: its folder does not exist\)\n {2}hint: /);
    const pull = await runCli(['pull', SAMPLE_ZIP, '-o', 'no/such/folder/dataset.json']);
    expect(pull.code).toBe(6);
  });

  /** Mounts a tmpfs of `size` at a new folder under `dir`; null when mounting is not permitted here. */
  function smallDisk(dir: string, size: string): string | null {
    const mount = path.join(dir, 'disk');
    try {
      mkdirSync(mount);
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mount], { stdio: 'ignore' });
      return mount;
    } catch {
      return null;
    }
  }

  it('a real full disk (a 12 KiB tmpfs): -o and pull -o keep the previous file', async (context) => {
    await withTempDir(async (dir) => {
      const disk = smallDisk(dir, '12k');
      if (disk === null) {
        context.skip();
        return;
      }
      try {
        // The previous files take one page each; the new ones need more than is left (11 KB, 15 KB).
        await writeFile(path.join(disk, 'report.json'), '{"previous":true}\n');
        await writeFile(path.join(disk, 'dataset.json'), '{"old":true}\n');
        const before = await snapshot(disk);
        const r = await runCli([SAMPLE_ZIP, '--json', ...AS_OF, '-o', path.join(disk, 'report.json')]);
        expect(r.code, r.stderr).toBe(6);
        expect(r.stderr).toMatch(/report\.json: cannot write the report \(ENOSPC: no space left on the device\)/);
        const pull = await runCli(['pull', SAMPLE_ZIP, '-o', path.join(disk, 'dataset.json')]);
        expect(pull.code, pull.stderr).toBe(6);
        expect(await snapshot(disk)).toEqual(before);
      } finally {
        execFileSync('umount', ['-l', disk]);
      }
    });
  });
});

describe('the writer (src/cli/safe-write.ts)', () => {
  it('a write that fails part-way holds the producer back with the error; discarding leaves the old file', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'old.txt'), 'old\n');
      const out = await OutputFile.open('-o old.txt', 'it', path.join(dir, 'old.txt'), fullDisk('old.txt', 100_000));
      let failure: unknown;
      let chunks = 0;
      while (failure === undefined && chunks < 1000) {
        out.write('x'.repeat(1 << 16));
        chunks++;
        await out.drain()?.catch((error: unknown) => (failure = error));
      }
      expect(failure).toMatchObject({ code: 'OUTPUT', exitCode: 6, message: '-o old.txt: cannot write it (ENOSPC: no space left on the device)' });
      expect(chunks).toBeLessThan(100); // held back at about 1 MB in flight, not after everything was queued
      await out.discard();
      expect(await readFile(path.join(dir, 'old.txt'), 'utf8')).toBe('old\n');
      expect(await readdir(dir)).toEqual(['old.txt']);
    });
  });

  it('replaces the file a link points to (the link stays) with the mode of the file it replaces', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'real.json'), 'old\n');
      await chmod(path.join(dir, 'real.json'), 0o600);
      await symlink('real.json', path.join(dir, 'link.json'));
      const r = await runCli([SAMPLE_ZIP, '--json', ...AS_OF, '-o', 'link.json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect((await lstat(path.join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
      expect(JSON.parse(await readFile(path.join(dir, 'real.json'), 'utf8')).account.handle).toBe('tidepool_lab');
      expect((await stat(path.join(dir, 'real.json'))).mode & 0o777).toBe(0o600);
      expect((await readdir(dir)).sort()).toEqual(['link.json', 'real.json']);
    });
  });

  it('writes a device such as /dev/null in place (never renames over it)', async () => {
    const ok = await runCli([SAMPLE_ZIP, '--json', '-o', '/dev/null']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });
});

describe('every target gets a row', () => {
  it('when every target fails, --format csv -o still writes the error rows, with the worst exit code', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'empty.zip'), '');
      const r = await runCli(['missing.zip', 'empty.zip', '--format', 'csv', '-o', 'out.csv'], { cwd: dir });
      expect(r.code, r.stderr).toBe(3);
      const rows = parse(await readFile(path.join(dir, 'out.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
      expect(rows.map((row) => row['target'])).toEqual(['missing.zip', 'empty.zip']);
      expect(rows[0]!['error']).toMatch(/^missing\.zip: no such file or folder/);
      expect(rows[1]!['error']).toMatch(/^empty\.zip: the file is empty/);
      const json = await runCli(['missing.zip', 'empty.zip', '--json'], { cwd: dir });
      expect(json.code).toBe(3);
      expect((JSON.parse(json.stdout) as Array<{ target: string; error: { code: string } }>).map((e) => [e.target, e.error.code])).toEqual([
        ['missing.zip', 'TARGET_NOT_FOUND'],
        ['empty.zip', 'EMPTY_INPUT'],
      ]);
    });
  });

  it.each([
    ['Ctrl-C', undefined, 130],
    ['SIGTERM', 'SIGTERM', 143],
  ])('stopped (%s) before they start: each target has a "not started" row', async (_what, reason, code) => {
    const r = await runCli([SAMPLE_ZIP, path.join(X_FIXTURES, 'sample-2022'), '--json'], { signal: AbortSignal.abort(reason) });
    expect(r.code, r.stderr).toBe(code);
    const rows = JSON.parse(r.stdout) as Array<{ target: string; error: { code: string; exitCode: number; message: string } }>;
    expect(rows.map((e) => [e.target, e.error.code, e.error.exitCode])).toEqual([
      [SAMPLE_ZIP, 'INTERRUPTED', code],
      [path.join(X_FIXTURES, 'sample-2022'), 'INTERRUPTED', code],
    ]);
    expect(rows[0]!.error.message).toMatch(/not started: the run was interrupted/);
    expect(r.stderr).toMatch(/2 of 2 targets were not started: the run was interrupted/);
  });

  it('an interrupted run does not replace --posts-csv, and says so', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'posts.csv'), 'the previous file\n');
      const before = await snapshot(dir);
      const r = await runCli([SAMPLE_ZIP, '--posts-csv', 'posts.csv', '--json'], { cwd: dir, signal: AbortSignal.abort() });
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/--posts-csv posts\.csv: not written: the run was interrupted/);
      expect(await snapshot(dir)).toEqual(before);
    });
  });
});

describe('standard output', () => {
  it('the exit codes are in --help', async () => {
    const help = await runCli(['--help'], { cwd: ROOT });
    expect(help.stdout).toMatch(/\n {2}6 {2}the output could not be written: disk full, folder missing or not writable, standard output closed\n/);
    expect(help.stdout).toMatch(/\n {2}143 {2}stopped by SIGTERM/);
  });
});
