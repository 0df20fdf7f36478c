/**
 * "Did you mean …?" for a mistyped command or option value: the nearest candidate within two edits.
 * `suggestChoices` makes every option and argument with fixed choices say which one was meant, and
 * `oneLineError` folds commander's own suggestion for a mistyped option onto the message line.
 */
import { InvalidArgumentError, type Argument, type Command, type Option } from 'commander';

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate nearest to `word` (case aside) within two edits, the first of equals; else null. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: { name: string; d: number } | null = null;
  for (const name of candidates) {
    const d = editDistance(word.toLowerCase(), name);
    if (d <= 2 && (best === null || d < best.d)) best = { name, d };
  }
  return best?.name ?? null;
}

/**
 * Every option and argument with choices, in `program` and its commands, names the nearest choice of a
 * wrong value; a usage error of a command points at that command's help.
 */
export function addSuggestions(program: Command): void {
  for (const command of program.commands) command.showHelpAfterError(`  hint: Run \`engage-audit ${command.name()} --help\` for the options.`);
  for (const command of [program, ...program.commands]) {
    const targets: Array<Option | Argument> = [...command.options, ...command.registeredArguments];
    for (const target of targets) {
      const choices = target.argChoices;
      if (!choices) continue;
      target.argParser((value: string) => {
        if (choices.includes(value)) return value;
        const meant = closest(value, choices);
        throw new InvalidArgumentError(`${meant === null ? '' : `Did you mean ${meant}? `}Allowed choices are ${choices.join(', ')}.`);
      });
    }
  }
}

/** Commander's message with its "(Did you mean --x?)" line folded onto the message line. */
export function oneLineError(message: string): string {
  return message.replace(/\n\((Did you mean [^)]*)\)/, '. $1');
}
