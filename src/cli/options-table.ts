/**
 * The README's options table, generated from the command line's own definitions (`npm run
 * readme:options` rewrites it; a test checks the README holds what this prints).
 */
import type { Command, Option } from 'commander';
import { main } from './main.js';

export const OPTIONS_START = '<!-- options:start -->';
export const OPTIONS_END = '<!-- options:end -->';

/** The commander program `main` builds, not run. */
export async function cliProgram(): Promise<Command> {
  let program: Command | undefined;
  const ignore = (): void => {};
  await main([], { stdout: ignore, stderr: ignore, env: {}, cwd: process.cwd(), isTTY: false }, (built) => {
    program = built;
  });
  return program!;
}

/** Text inside a table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

const code = (text: string): string => `\`${cell(text)}\``;

/** A row of the table; the default column only where some option of the command declares a default. */
function optionRow(option: Option, defaults: boolean): string {
  const [flags, argument] = [option.flags.replace(/\s*[<[].*$/, ''), /[<[].*[>\]]/.exec(option.flags)?.[0]];
  const choices = option.argChoices?.map(code).join(', ') ?? '';
  const fallback = option.defaultValue === undefined ? '' : code(String(option.defaultValue));
  return `| ${code(flags)} | ${argument === undefined ? '' : code(argument)} | ${cell(option.description)} | ${choices} |${defaults ? ` ${fallback} |` : ''}`;
}

/** Markdown: for the program and each command, its usage line, description and a table of its options. */
export function optionsTable(program: Command): string {
  const sections = [program, ...program.commands].map((command) => {
    const name = command === program ? program.name() : `${program.name()} ${command.name()}`;
    const args = command.registeredArguments.map((a) => {
      const word = `${a.name()}${a.variadic ? '...' : ''}`;
      return a.required ? `<${word}>` : `[${word}]`;
    });
    const argumentNotes = command.registeredArguments
      .filter((a) => a.description !== '')
      .map((a) => `- ${code(a.name())}: ${cell(a.description)}${a.argChoices ? ` (${a.argChoices.map(code).join(', ')})` : ''}${a.defaultValue === undefined ? '' : ` (default ${code(String(a.defaultValue))})`}`);
    const options = command.options.filter((o) => !o.hidden);
    // A negatable flag (--no-color) declares `true` as its default: not a default worth a column.
    const defaults = options.some((o) => o.defaultValue !== undefined && !o.negate);
    return [
      `#### ${code([name, ...args].join(' '))}`,
      ...(command.description() === '' ? [] : ['', cell(command.description())]),
      ...(argumentNotes.length > 0 ? ['', ...argumentNotes] : []),
      ...(options.length > 0 ? ['', `| option | argument | meaning | choices |${defaults ? ' default |' : ''}`, `| --- | --- | --- | --- |${defaults ? ' --- |' : ''}`, ...options.map((o) => optionRow(o, defaults))] : []),
    ].join('\n');
  });
  return `${sections.join('\n\n')}\n`;
}

/** `readme` with the text between the markers replaced by `table`; null when a marker is missing. */
export function withOptionsTable(readme: string, table: string): string | null {
  const start = readme.indexOf(OPTIONS_START);
  const end = readme.indexOf(OPTIONS_END);
  if (start < 0 || end < start) return null;
  return `${readme.slice(0, start + OPTIONS_START.length)}\n${table}${readme.slice(end)}`;
}
