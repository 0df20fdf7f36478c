/** The README's options table is the one the command line's own definitions give (src/cli/options-table.ts). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliProgram, optionsTable, withOptionsTable } from '../src/cli/options-table.js';
import { FORMATS } from '../src/reporters/index.js';
import { ROOT } from './helpers.js';

describe('the README options table', () => {
  it('matches the command line (else run `npm run readme:options`)', async () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const expected = withOptionsTable(readme, optionsTable(await cliProgram()));
    expect(expected, 'README.md lacks the <!-- options:start --> … <!-- options:end --> block').not.toBeNull();
    expect(readme === expected, 'the README options table differs from the command line: run `npm run readme:options` and commit README.md').toBe(true);
  });

  it('lists every option of every command, with every format and --redact', async () => {
    const program = await cliProgram();
    const table = optionsTable(program);
    for (const command of program.commands) {
      expect(table, command.name()).toContain(`#### \`engage-audit ${command.name()}`);
      for (const option of command.options) expect(table, `${command.name()} ${option.flags}`).toContain(`| \`${option.flags.replace(/\s*[<[].*$/, '')}\` |`);
    }
    expect(table).toContain('| `--redact` |');
    for (const format of FORMATS) expect(table).toContain(`\`${format}\``);
  });

  it('writes flags, argument, escaped description, choices and default as a hand-built command gives them', () => {
    const program = new Command('tool');
    program
      .command('go')
      .description('go somewhere')
      .argument('<where>', 'the place')
      .addOption(new Option('-m, --mode <mode>', 'how: fast|slow').choices(['fast', 'slow']).default('fast'))
      .option('--dry', 'do nothing');
    expect(optionsTable(program)).toBe(
      [
        '#### `tool`',
        '',
        '#### `tool go <where>`',
        '',
        'go somewhere',
        '',
        '- `where`: the place',
        '',
        '| option | argument | meaning | choices | default |',
        '| --- | --- | --- | --- | --- |',
        '| `-m, --mode` | `<mode>` | how: fast\\|slow | `fast`, `slow` | `fast` |',
        '| `--dry` |  | do nothing |  |  |',
        '',
      ].join('\n'),
    );
  });
});
