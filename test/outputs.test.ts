/** Several `-o` in one run (docs/reports.md "Output files"): each file in its extension's format, all or none. */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, withTempDir } from './helpers.js';

const ARCHIVE = 'fixtures/x-archive/sample-2022.zip';
const FB = 'fixtures/facebook/page-export.csv';

describe('several -o', () => {
  it('writes each file in the format its extension names, the same as one -o would, and nothing on standard output', async () => {
    await withTempDir(async (dir) => {
      const at = (name: string) => path.join(dir, name);
      const r = await runCli([ARCHIVE, '-o', at('r.html'), '-o', at('r.json'), '-o', at('r.xlsx'), '-o', at('r.csv'), '-o', at('r.md')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      for (const [file, format] of [['r.json', 'json'], ['r.csv', 'csv'], ['r.md', 'markdown'], ['r.html', 'html']]) {
        expect(await readFile(at(file!), 'utf8'), file).toBe((await runCli([ARCHIVE, '--format', format!])).stdout);
      }
      expect((await readFile(at('r.xlsx'))).subarray(0, 2).toString()).toBe('PK');
      expect((await readdir(dir)).sort()).toEqual(['r.csv', 'r.html', 'r.json', 'r.md', 'r.xlsx']);
    });
  });

  it('holds every target in each file', async () => {
    await withTempDir(async (dir) => {
      const r = await runCli([ARCHIVE, FB, '-o', path.join(dir, 'r.json'), '-o', path.join(dir, 'r.csv'), '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8')) as unknown[]).length).toBe(2);
      expect((await readFile(path.join(dir, 'r.csv'), 'utf8')).trimEnd().split('\r\n').length).toBe(3);
    });
  });

  it('fails before any audit (exit 6) when one cannot be written, and writes none of them', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'r.json'), 'earlier');
      // A target that does not exist: an audit would end in exit 3.
      const r = await runCli(['fixtures/nothing-here.zip', '-o', path.join(dir, 'missing', 'r.html'), '-o', path.join(dir, 'r.json')]);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/-o .*r\.html: cannot write the report \(ENOENT/);
      expect(await readFile(path.join(dir, 'r.json'), 'utf8')).toBe('earlier');
      expect(await readdir(dir)).toEqual(['r.json']);
    });
  });

  it('refuses the same file twice, --format or --json with several, and an extension the tool does not write', async () => {
    await withTempDir(async (dir) => {
      const twice = await runCli([ARCHIVE, '-o', path.join(dir, 'r.json'), '-o', path.join(dir, '.', 'r.json')]);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/are the same file/);
      const format = await runCli([ARCHIVE, '--format', 'json', '-o', path.join(dir, 'a.json'), '-o', path.join(dir, 'b.html')]);
      expect(format.code).toBe(2);
      expect(format.stderr).toMatch(/--format with several -o/);
      expect((await runCli([ARCHIVE, '--json', '-o', path.join(dir, 'a.json'), '-o', path.join(dir, 'b.html')])).code).toBe(2);
      const pdf = await runCli([ARCHIVE, '-o', path.join(dir, 'a.json'), '-o', path.join(dir, 'b.pdf')]);
      expect(pdf.code).toBe(2);
      expect(pdf.stderr).toMatch(/the tool writes no \.pdf file/);
      expect(existsSync(path.join(dir, 'a.json'))).toBe(false);
    });
  });
});
