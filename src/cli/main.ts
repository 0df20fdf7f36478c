/**
 * The command line (README "Use"): `main(argv, io) → exit code`. Heavy modules (sources,
 * metrics, reporters) load only when a command needs them, so `--help` and `--version` stay fast.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { EngageAuditError, errorText, EXIT, exitCodeOf, interruptedExit, isEngageAuditError } from '../errors.js';
import { forTerminal, toJson } from '../lib/text.js';
import { FORMAT_DESCRIPTIONS, FORMATS } from '../reporters/index.js';
import { PLATFORM_CHOICES, SOURCES } from '../sources/registry.js';
import type { Io } from './io.js';
import { addSuggestions, closest, oneLineError } from './suggest.js';
import { addExamples } from './examples.js';
import { SHELLS, type Shell } from './completion.js';
import type { RawAuditOptions, RawPullOptions } from './options.js';

export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const EXIT_CODES_HELP = `
Exit codes:
  0  report produced
  1  report produced, but below --fail-under or an audit at --fail-on (an overall score that covers
     less of the weight than the minimum fails --fail-under unless --allow-partial)
  2  usage or configuration error
  3  input error (unreadable or malformed export, unknown format)
  4  network or API error
  5  internal error (please report it)
  6  the output could not be written: disk full, folder missing or not writable, standard output closed
     (an earlier file of that name is left as it was)
  130  interrupted (Ctrl-C): what was fetched or read so far is written first, marked incomplete
  143  stopped by SIGTERM: as 130

The audit options (formats, window, gates, live pulls, CSV columns): engage-audit audit --help`;

/** What each source reads, from the registry. */
const SOURCES_HELP = `\nWhat a target can be (found by its content; --platform settles an ambiguous one):\n${SOURCES.map((s) => `  ${s.id.padEnd(17)}${s.description}`).join('\n')}`;

/** The options every command that reads a live account shares. */
function addPullOptions(command: Command): Command {
  return command
    .addOption(new Option('--platform <platform>', 'the platform of an ambiguous handle, or which export a path is').choices(PLATFORM_CHOICES))
    .option('--api-base <url>', 'send API requests to this host instead (a self-hosted server, a test server)')
    .option('--max-posts <n>', 'read at most this many of the newest posts of a live account (default 1000)')
    .option('--budget <n>', 'live pulls: the most requests for who replied to, liked and reposted the posts, after the profile and its pages (0-100000; default: Bluesky 2500, Mastodon 250, X 150; 0 = none). Threads of every post with replies come first, then likers and reposters of the most engaged posts')
    .option('--audience', 'live pulls: also read the follower and following lists and the followers\' public profiles (Bluesky, Mastodon, X), for audience quality')
    .option('--sample <n>', 'with --audience, where profiles cost a request each (Bluesky): classify a seeded uniform sample of this many followers (1000-100000, default 1000)')
    .option('--seed <n>', 'with --audience: the seed of the sample (default 1); the same seed draws the same sample')
    .option('--audience-cap <n>', 'with --audience: the most accounts of each list read (default: Bluesky 50000, Mastodon 8000, X 15000); a list cut there is not held')
    .option('--threads <n>', 'retired: --threads 0 is --budget 0; any other value limits nothing')
    .option('--concurrency <n>', 'API requests in flight at once (default 4)')
    .option('--timeout <ms>', 'per-request timeout in milliseconds (default 15000)')
    .option('--max-wait <seconds>', 'longest rate-limit wait to accept before stopping with what was fetched (default 900)')
    .option('--deadline <seconds>', 'longest time a live pull may take; then it stops and keeps what was fetched (default 1200)')
    .option('--columns <map>', 'CSV: which column holds what, e.g. date=Publish time,likes=Reactions,replies=Comments')
    .option('--followers <n>', 'CSV: the follower count, which a post CSV does not hold')
    .option('--include-private', 'Mastodon archive: keep direct messages (left out by default)');
}

export async function main(argv: readonly string[], io: Io, built?: (program: Command) => void): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command();
  program
    .name('engage-audit')
    .description('Audit how engaged a social-media account really is: who talks with whom, in both directions.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), outputError: (s, write) => write(`engage-audit: ${forTerminal(oneLineError(s.replace(/^error: /, '')), { lines: true })}`) })
    .showHelpAfterError('  hint: Run `engage-audit audit --help` for the options.')
    .addHelpText('after', EXIT_CODES_HELP);

  const auditCommand = program
    .command('audit', { isDefault: true })
    .description('audit one or more targets (the default command)')
    .argument(
      '[target...]',
      'an account (@name.bsky.social, @user@instance, x:@name, a profile URL), an export (the X archive .zip, its folder, data/tweets.js), a saved dataset .json, or - for one on stdin',
    )
    .addOption(new Option('-f, --format <format>', `output format (default: table, or as the -o file's extension says): ${FORMATS.map((f) => `${f}: ${FORMAT_DESCRIPTIONS[f]}`).join('; ')}`).choices(FORMATS))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write the report to a file instead of standard output; repeat it for several files, each in the format its extension names', (file: string, files: string[] = []) => [...files, file])
    .option('--since <date>', 'window start (YYYY-MM-DD = start of that UTC day, or ISO-8601)')
    .option('--until <date>', 'window end (YYYY-MM-DD = end of that UTC day, or ISO-8601)')
    .option('--days <n>', 'the N UTC days ending at the report date (else at the newest post)')
    .option('--as-of <date>', 'report date, for reproducible reports (default: --until, else the date the source records: the time of a pull, the generation date of an archive, the newest entry of a zip)')
    .option('--fail-under <score>', 'exit 1 when the overall score is below this (0-100), or is n/a because less of the weight was measured than the minimum (config minCoverage, default 0.5)')
    .option('--allow-partial', 'gate on the partial score when the overall score is n/a for too little coverage, and let audits that were not measured pass assertions (also config allowPartial: true)')
    .addOption(new Option('--fail-on <level>', 'exit 1 when an audit is at this level or worse').choices(['warn', 'fail', 'none']))
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('--quiet', 'print nothing on stderr but errors')
    .option('--verbose', 'say what is read, on stderr')
    .option('--targets <file>', 'more targets, one a line (# starts a comment)')
    .option('--redact', "replace other accounts' handles with stable pseudonyms in every output")
    .option('--csv-bom', 'start each CSV written (the csv report, --posts-csv) with a UTF-8 byte-order mark, so Excel reads accented names right')
    .option('--posts-csv <file>', 'also write one CSV row per post of the window (id, url, date, kind, counts, engagements)')
    .option('--actions <n>', 'next actions: the most items per list (replies to answer, people to answer, one-way accounts, new followers; default 10, config actions.max; 0 leaves them out)')
    .option('--previous <file>', 'an earlier saved dataset of the account: next actions list the followers gained since (both need the follower list)')
    .option('--config <file>', `thresholds, benchmarks, weights and assertions (default: ${'.engage-auditrc.json'} found upward)`);
  addPullOptions(auditCommand).addHelpText('after', SOURCES_HELP).action(async (targets: string[], raw: RawAuditOptions) => {
      const { parseAuditOptions } = await import('./options.js');
      const options = await parseAuditOptions(raw, io.cwd);
      const { runAudit } = await import('./run-audit.js');
      exitCode = await runAudit(targets, options, io, VERSION);
  });

  addPullOptions(
    program
      .command('pull')
      .description('fetch a live account (or read an export) and save the normalized dataset, to audit later offline')
      .argument('<target>', 'an account or an export, as for audit')
      .option('-o, --output <file>', 'where to save the dataset (default: standard output)')
      .option('--since <date>', 'stop at posts older than this (YYYY-MM-DD or ISO-8601)')
      .option('--days <n>', 'stop at posts older than N days')
      .option('--quiet', 'print nothing on stderr but errors')
      .option('--verbose', 'say what is fetched, on stderr')
      .option('--redact', "replace other accounts' handles and ids with stable pseudonyms in the saved dataset"),
  ).action(async (target: string, raw: RawPullOptions & { output?: string; since?: string; days?: string; quiet?: boolean; verbose?: boolean; redact?: boolean }) => {
    const { runPull } = await import('./run-pull.js');
    exitCode = await runPull(target, raw, io, VERSION);
  });

  addPullOptions(
    program
      .command('inspect')
      .description('say what an export or target holds: files, posts by kind, dates, follower data, and which metrics it can and cannot give')
      .argument('<target>', 'an export, a saved dataset, or an account'),
  )
    .option('--json', 'as JSON')
    .option('--as-of <date>', 'judge as a report of that date would (freshness needs a date when the source records none)')
    .action(async (target: string, raw: RawPullOptions & { json?: boolean; asOf?: string }) => {
      const { runInspect } = await import('./inspect.js');
      exitCode = await runInspect(target, raw, io, VERSION);
    });

  program
    .command('compare')
    .description('what changed between two reports or datasets of an account: metrics, scores, audits, followers gained and lost')
    .argument('<old>', 'the earlier report (.json from --json -o), dataset or export')
    .argument('<new>', 'the later one')
    .addOption(new Option('-f, --format <format>', 'table (default), markdown, or json').choices(['table', 'markdown', 'json']))
    .option('--json', 'same as --format json')
    .action(async (oldTarget: string, newTarget: string, opts: { json?: boolean; format?: 'table' | 'markdown' | 'json' }) => {
      const { runCompare } = await import('./compare.js');
      exitCode = await runCompare(oldTarget, newTarget, opts, io, VERSION);
    });

  program
    .command('list-audits')
    .description('the audits: ids, titles, categories and thresholds, with units')
    .option('--json', 'as JSON')
    .option('--config <file>', `the thresholds and benchmarks this config file sets (default: ${'.engage-auditrc.json'} found upward, else the defaults)`)
    .action(async (opts: { json?: boolean; config?: string }) => {
      const { loadConfig } = await import('./config.js');
      const { listAudits } = await import('./list-audits.js');
      io.stdout(listAudits(Boolean(opts.json), await loadConfig(io.cwd, opts.config)));
    });

  program
    .command('schema')
    .description('print the JSON Schema (2020-12) of the report or of a saved dataset')
    .addArgument(new Command().createArgument('[kind]', 'report, dataset or config').choices(['report', 'dataset', 'config']).default('report'))
    .action(async (kind: 'report' | 'dataset' | 'config') => {
      const { jsonSchema } = await import('./schema.js');
      io.stdout(`${toJson(jsonSchema(kind), 2)}\n`);
    });

  program
    .command('completion')
    .description('print a shell completion script (see the examples for where to put it)')
    .addArgument(new Command().createArgument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .action(async (shell: Shell) => {
      const { completionScript } = await import('./completion.js');
      io.stdout(forTerminal(completionScript(program, auditCommand.name(), shell), { lines: true }));
    });

  addSuggestions(program);
  addExamples(program);

  // `--threads N` no longer picks the N newest posts: said once, before the command runs.
  program.hook('preAction', (_program, action) => {
    const { threads, quiet } = action.opts<{ threads?: string; quiet?: boolean }>();
    if (threads !== undefined && /^\s*\d+\s*$/.test(threads) && Number(threads) > 0 && !quiet) {
      io.stderr(`${forTerminal(`engage-audit: note: --threads ${threads.trim()} no longer limits anything: the threads of every post with replies are fetched, and --budget caps the requests.`)}\n`);
    }
  });

  // The program built, not run: what the README's options table is generated from (src/cli/options-table.ts).
  if (built !== undefined) return (built(program), EXIT.ok);
  // A bare command is a question: the help answers it (exit 2, as arguments are missing).
  if (argv.length === 0) {
    io.stderr(forTerminal(program.helpInformation(), { lines: true }));
    return EXIT.usage;
  }
  // A mistyped command would be read as a target of the default command: say what was meant instead.
  const meant = mistypedCommand(argv[0]!, program.commands.map((c) => c.name()), io.cwd);
  if (meant !== null) {
    io.stderr(errorText(new EngageAuditError('USAGE', `${argv[0]!}: no such command or file. Did you mean \`engage-audit ${meant}\`?`, { hint: 'Run `engage-audit --help` for the commands.' })));
    return EXIT.usage;
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    // A command stopped by a signal says so, whatever it wrote.
    return io.signal?.aborted ? interruptedExit(io.signal) : exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (isEngageAuditError(error)) {
      io.stderr(errorText(error));
      return exitCodeOf(error, io.signal);
    }
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`engage-audit: internal error, please report it with the command you ran:\n${forTerminal(stack, { lines: true })}\n`);
    return EXIT.internal;
  }
}

/**
 * The command `word` most likely meant, when it is not a command, not a path that exists, and not
 * shaped like a target (no `@`, `.`, `/` or `:`), and is within two edits of one; else null.
 */
export function mistypedCommand(word: string, commands: readonly string[], cwd: string): string | null {
  if (word.startsWith('-') || commands.includes(word) || /[@./:\\]/.test(word) || word.length < 3) return null;
  if (existsSync(path.resolve(cwd, word))) return null;
  return closest(word, commands);
}
