/** `engage-audit completion bash|zsh|fish`: scripts generated from the command definitions, valid, and completing in bash. */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../src/cli/completion.js';
import { runCli, withTempDir } from './helpers.js';

const has = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;

/** The candidates bash's completion function offers for the command line `words` (the last one being completed). */
function complete(script: string, dir: string, ...words: string[]): string[] {
  const file = path.join(dir, 'completion.bash');
  writeFileSync(file, script);
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _engage_audit; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').sort();
}

describe('completion', () => {
  it('prints a script per shell; bash parses it (bash -n), and zsh/fish where installed', async () => {
    await withTempDir(async (dir) => {
      for (const shell of ['bash', 'zsh', 'fish'] as const) {
        const r = await runCli(['completion', shell]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('engage-audit');
        const file = path.join(dir, `script.${shell}`);
        writeFileSync(file, r.stdout);
        if (!has(shell)) continue;
        const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
        expect(check.status, `${shell}: ${check.stderr}`).toBe(0);
      }
    });
  });

  it('bash completes options, their choices, commands, argument choices and files', async () => {
    const script = (await runCli(['completion', 'bash'])).stdout;
    await withTempDir(async (dir) => {
      writeFileSync(path.join(dir, 'export.zip'), '');
      expect(complete(script, dir, 'engage-audit', '--fo')).toEqual(['--followers', '--format']);
      expect(complete(script, dir, 'engage-audit', '--format', '')).toEqual(['csv', 'html', 'json', 'markdown', 'ndjson', 'table', 'xlsx']);
      expect(complete(script, dir, 'engage-audit', 'x.zip', '--fail-on', '')).toEqual(['fail', 'none', 'warn']);
      expect(complete(script, dir, 'engage-audit', 'schema', '')).toEqual(['config', 'dataset', 'report']);
      expect(complete(script, dir, 'engage-audit', 'completion', 'z')).toEqual(['zsh']);
      expect(complete(script, dir, 'engage-audit', 'pull', '--o')).toEqual(['--output']);
      expect(complete(script, dir, 'engage-audit', 'li')).toEqual(['list-audits']);
      expect(complete(script, dir, 'engage-audit', 'ex')).toEqual(['export.zip']);
      expect(complete(script, dir, 'engage-audit', 'inspect', 'e')).toEqual(['export.zip']);
      expect(complete(script, dir, 'engage-audit', 'list-audits', '--config', 'e')).toEqual(['export.zip']);
    });
  }, 20_000);

  it('is generated from the definitions: an option added to a program appears in every shell', async () => {
    const program = new Command().name('engage-audit');
    program.command('audit').option('--json', 'as JSON').addOption(new Option('--colour <when>', 'when to colour').choices(['always', 'never']));
    program.command('schema').argument('[kind]', 'which');
    const bash = completionScript(program, 'audit', 'bash');
    expect(bash).toContain('--colour');
    expect(bash).toContain('always never');
    expect(completionScript(program, 'audit', 'zsh')).toContain("'--colour[when to colour]:value:(always never)'");
    expect(completionScript(program, 'audit', 'fish')).toContain("-l colour -x -a 'always never' -d 'when to colour'");
    await withTempDir(async (dir) => {
      expect(complete(bash, dir, 'engage-audit', '--colour', '')).toEqual(['always', 'never']);
      expect(complete(bash, dir, 'engage-audit', '--c')).toEqual(['--colour']);
    });
  }, 20_000);
});
