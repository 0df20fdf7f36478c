/**
 * The examples at the end of each command's help. Those that read no live account run in the test
 * suite (test/cli-conventions.test.ts) from the project folder, so they stay true; "(exits N)" states
 * an exit code other than 0.
 */
import type { Command } from 'commander';

interface Example {
  run: string;
  says: string;
  exits?: number;
}

const SAMPLE = 'fixtures/x-archive/sample-2022.zip';

const EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  audit: [
    { run: `engage-audit ${SAMPLE} --as-of 2025-05-31`, says: 'audit an X archive as it was on a date, as a table' },
    { run: 'engage-audit fixtures/mastodon-archive/sample.zip -o report.html', says: 'a Mastodon archive, as an HTML page' },
    { run: 'engage-audit @alice.bsky.social --days 90 --json -o alice.json', says: 'a live Bluesky account, its last 90 days, as JSON' },
    { run: `engage-audit ${SAMPLE} --quiet --fail-under 95`, says: 'a CI gate: the score is 92, so this fails and says why on stderr', exits: 1 },
  ],
  pull: [
    { run: 'engage-audit pull @alice.bsky.social --audience -o alice.json', says: 'fetch a live account with its followers, to audit later offline' },
    { run: 'engage-audit pull fixtures/mastodon-archive/sample.zip -o dana.json', says: 'read an export once and save the normalized dataset' },
    { run: 'engage-audit pull fixtures/bluesky-car/repo.car --redact -o shared.json', says: "a dataset to share, other accounts' handles replaced" },
  ],
  inspect: [
    { run: `engage-audit inspect ${SAMPLE}`, says: 'what an export holds and which metrics it can give' },
    { run: 'engage-audit inspect fixtures/bluesky-car/repo.car --json', says: 'the same as JSON' },
    { run: 'engage-audit inspect @user@mastodon.social', says: 'what a live account would give' },
  ],
  compare: [
    { run: `engage-audit compare fixtures/x-archive/sample-2022 ${SAMPLE}`, says: 'two reads of one account (here the same archive, folder and zip)' },
    { run: `engage-audit compare fixtures/x-archive/sample-2022 ${SAMPLE} --json`, says: 'the same as JSON' },
  ],
  'list-audits': [
    { run: 'engage-audit list-audits', says: 'every audit with its default thresholds and the benchmarks' },
    { run: 'engage-audit list-audits --config fixtures/config/agency.json', says: 'the thresholds a config file sets, with units' },
    { run: 'engage-audit list-audits --json', says: 'as JSON, raw values with their units' },
  ],
  schema: [
    { run: 'engage-audit schema', says: 'the JSON Schema of the report' },
    { run: 'engage-audit schema config', says: 'the JSON Schema of the config file, for an editor' },
  ],
  completion: [
    { run: 'engage-audit completion bash > ~/.local/share/bash-completion/completions/engage-audit', says: 'bash: loaded by the next shell' },
    { run: 'engage-audit completion zsh > ~/.zfunc/_engage-audit', says: 'zsh: with fpath+=~/.zfunc before compinit in ~/.zshrc' },
    { run: 'engage-audit completion fish > ~/.config/fish/completions/engage-audit.fish', says: 'fish' },
  ],
};

/** "Examples:" after the help of every command that has some. */
export function addExamples(program: Command): void {
  for (const command of program.commands) {
    const examples = EXAMPLES[command.name()];
    if (!examples) continue;
    const text = examples.map((e) => `  $ ${e.run}\n      ${e.says}${e.exits === undefined ? '' : ` (exits ${e.exits})`}`).join('\n');
    command.addHelpText('after', `\nExamples:\n${text}`);
  }
}
