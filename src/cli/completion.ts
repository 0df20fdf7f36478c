/**
 * `engage-audit completion bash|zsh|fish`: a completion script generated from the command definitions,
 * so a new command, option or choice (a reporter's format, a schema kind) completes without an edit here.
 * Commands, their options, option values with fixed choices, files where an option takes a `<file>`
 * and for targets.
 */
import { Help, type Command, type Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface OptionSpec {
  names: string[];
  description: string;
  /** null: a flag; 'file': a path; a list: its choices; []: a value with nothing to offer. */
  value: null | 'file' | readonly string[];
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** What the positional arguments complete to: files, or a list of choices. */
  positional: 'file' | readonly string[] | null;
}

function optionSpec(option: Option): OptionSpec {
  const takes = option.required || option.optional;
  return {
    names: [option.long, option.short].filter((n): n is string => Boolean(n)),
    description: option.description,
    value: !takes ? null : option.argChoices ? option.argChoices : /<file>/.test(option.flags) ? 'file' : [],
  };
}

/** The commands as completion sees them: each with its own options and the program's (help, version). */
export function commandSpecs(program: Command): CommandSpec[] {
  const help = new Help();
  return program.commands.map((command) => {
    const first = command.registeredArguments[0];
    return {
      name: command.name(),
      description: command.description(),
      options: help.visibleOptions(command).map(optionSpec),
      positional: first === undefined ? null : (first.argChoices ?? 'file'),
    };
  });
}

/** A description as one short line, free of the characters the shells' syntaxes give a meaning. */
const short = (text: string): string => text.replace(/[[\]:'"\\`$]/g, '').replace(/\s+/g, ' ').replace(/^(.{0,60}\S*).*$/, '$1').trim();

export function completionScript(program: Command, defaultCommand: string, shell: Shell): string {
  const commands = commandSpecs(program);
  const name = program.name();
  const fn = `_${name.replace(/\W/g, '_')}`;
  if (shell === 'bash') return bashScript(name, fn, commands, defaultCommand);
  if (shell === 'zsh') return zshScript(name, fn, commands, defaultCommand);
  return fishScript(name, commands, defaultCommand);
}

function bashScript(name: string, fn: string, commands: CommandSpec[], defaultCommand: string): string {
  const names = commands.map((c) => c.name).join(' ');
  const words = (list: readonly string[]): string => `COMPREPLY=($(compgen -W '${list.join(' ')}' -- "$cur"))`;
  const files = 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))';
  const block = (c: CommandSpec): string => {
    const values = c.options
      .filter((o) => o.value !== null)
      .map((o) => `        ${o.names.join('|')}) ${o.value === 'file' ? files : words(o.value as readonly string[])}; return ;;`);
    const positional = c.positional === null ? 'COMPREPLY=()' : c.positional === 'file' ? files : words(c.positional);
    const first = c.name === defaultCommand ? `\n      if [[ -z $cmd ]]; then ${words(commands.map((x) => x.name))}; compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")); return; fi` : '';
    return `    ${c.name})
      case $prev in
${values.join('\n')}
      esac
      if [[ $cur == -* ]]; then ${words(c.options.flatMap((o) => o.names))}; return; fi${first}
      ${positional} ;;`;
  };
  return `# ${name} completion for bash: source this file, or put it in ~/.local/share/bash-completion/completions/${name}
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd= i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      ${names.replace(/ /g, '|')}) cmd=\${COMP_WORDS[i]}; break ;;
      -*) ;;
      *) break ;;
    esac
  done
  case \${cmd:-${defaultCommand}} in
${commands.map(block).join('\n')}
  esac
}
complete -F ${fn} ${name}
`;
}

function zshScript(name: string, fn: string, commands: CommandSpec[], defaultCommand: string): string {
  const action = (value: OptionSpec['value'] | CommandSpec['positional']): string =>
    value === 'file' ? '_files' : value === null ? '' : value.length === 0 ? ' ' : `(${value.join(' ')})`;
  const spec = (o: OptionSpec): string[] => o.names.map((n) => `'${n}[${short(o.description)}]${o.value === null ? '' : `:value:${action(o.value)}`}'`);
  const block = (c: CommandSpec): string => {
    const positional = c.positional === null ? [] : [`'*:${c.name === defaultCommand ? 'target' : 'argument'}:${c.name === defaultCommand ? `{ [[ -z $cmd ]] && _alternative "commands:command:(${commands.map((x) => x.name).join(' ')})" "files:target:_files" || _files }` : action(c.positional)}'`];
    return `    (${c.name}) _arguments -s -S \\\n      ${[...c.options.flatMap(spec), ...positional].join(' \\\n      ')} ;;`;
  };
  return `#compdef ${name}
# ${name} completion for zsh: put this file as _${name} in a folder of $fpath, or source it after compinit
${fn}() {
  local cmd= i
  for (( i = 2; i < CURRENT; i++ )); do
    case $words[i] in
      (${commands.map((c) => c.name).join('|')}) cmd=$words[i]; break ;;
      (-*) ;;
      (*) break ;;
    esac
  done
  if [[ -n $cmd ]]; then
    words=("$words[1]" "\${(@)words[i+1,-1]}")
    (( CURRENT -= i - 1 ))
  fi
  case \${cmd:-${defaultCommand}} in
${commands.map(block).join('\n')}
  esac
}
if [[ $funcstack[1] == ${fn} ]]; then ${fn} "$@"; else compdef ${fn} ${name}; fi
`;
}

function fishScript(name: string, commands: CommandSpec[], defaultCommand: string): string {
  const quote = (s: string): string => `'${s.replace(/[\\']/g, '\\$&')}'`;
  const others = commands.filter((c) => c.name !== defaultCommand).map((c) => c.name).join(' ');
  const when = (c: CommandSpec): string => (c.name === defaultCommand ? `not __fish_seen_subcommand_from ${others}` : `__fish_seen_subcommand_from ${c.name}`);
  const lines = [`# ${name} completion for fish: put this file in ~/.config/fish/completions/${name}.fish`, `complete -c ${name} -f`];
  for (const c of commands) lines.push(`complete -c ${name} -n __fish_use_subcommand -a ${c.name} -d ${quote(short(c.description))}`);
  for (const c of commands) {
    for (const o of c.options) {
      const flags = o.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
      const value = o.value === null ? '' : o.value === 'file' ? ' -r -F' : o.value.length === 0 ? ' -x' : ` -x -a ${quote(o.value.join(' '))}`;
      lines.push(`complete -c ${name} -n ${quote(when(c))} ${flags}${value} -d ${quote(short(o.description))}`);
    }
    if (c.positional === 'file') lines.push(`complete -c ${name} -n ${quote(when(c))} -F`);
    else if (c.positional !== null) lines.push(`complete -c ${name} -n ${quote(when(c))} -a ${quote(c.positional.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}
