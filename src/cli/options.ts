/** Command-line options → validated audit options, with one clear message per bad value. */
import path from 'node:path';
import { EngageAuditError } from '../errors.js';
import { parseCliDate } from '../lib/dates.js';
import { FORMATS, type Format } from '../reporters/index.js';
import type { Assertions, FailOn } from '../report/exit-code.js';
import type { AuditConfig } from '../model/config.js';
import { loadConfig } from './config.js';
import type { ArchiveLimits } from '../sources/container/index.js';
import { parseColumnMap, type ColumnMap } from '../sources/csv/columns.js';
import { DEFAULT_PULL } from '../sources/pull-options.js';
import { DEFAULT_SAMPLE, DEFAULT_SEED, type AudienceOptions } from '../sources/pull-audience.js';

export interface RawPullOptions {
  platform?: string;
  columns?: string;
  followers?: string;
  includePrivate?: boolean;
  apiBase?: string;
  maxPosts?: string;
  /** Retired: `--threads 0` is `--budget 0`; any other value limits nothing. */
  threads?: string;
  budget?: string;
  audience?: boolean;
  sample?: string;
  seed?: string;
  audienceCap?: string;
  concurrency?: string;
  timeout?: string;
  maxWait?: string;
  deadline?: string;
}

export interface PullSettings {
  platform: string | undefined;
  columns: ColumnMap | undefined;
  followers: number | undefined;
  includePrivate: boolean;
  apiBase: string | undefined;
  maxPosts: number;
  /** The most requests for who interacted with the posts; undefined: the platform's default. */
  budget: number | undefined;
  /** `--audience` with its `--sample`, `--seed` and `--audience-cap`; undefined: the followers are not read. */
  audience: AudienceOptions | undefined;
  concurrency: number;
  timeoutMs: number;
  maxWaitMs: number;
  deadlineMs: number;
}

export interface RawAuditOptions extends RawPullOptions {
  format?: string;
  json?: boolean;
  /** Every `-o`, in order. */
  output?: string[];
  csvBom?: boolean;
  since?: string;
  until?: string;
  days?: string;
  asOf?: string;
  failUnder?: string;
  failOn?: string;
  allowPartial?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  targets?: string;
  postsCsv?: string;
  config?: string;
  redact?: boolean;
  actions?: string;
  previous?: string;
}

export interface AuditOptions extends PullSettings {
  targetsFile: string | undefined;
  postsCsv: string | undefined;
  redact: boolean;
  config: AuditConfig;
  /** The config file read (`--config`, or the one found upward), as the user named it. */
  configFile: string | undefined;
  assert: Assertions | undefined;
  limits: ArchiveLimits;
  /** The format of standard output, when no `-o` is given. */
  format: Format;
  /** Each `-o` file and the format written to it. */
  outputs: ReadonlyArray<{ file: string; format: Format }>;
  /** `--csv-bom`: each CSV written starts with a UTF-8 byte-order mark. */
  csvBom: boolean;
  since: number | undefined;
  until: number | undefined;
  days: number | undefined;
  asOf: number | undefined;
  failUnder: number | undefined;
  failOn: FailOn;
  /** `--allow-partial` or config `allowPartial: true`: gates compare the partial score and pass unmeasured audits. */
  allowPartial: boolean;
  color: boolean | undefined;
  quiet: boolean;
  verbose: boolean;
  /** `--actions N`: the most items per list of next actions (0 leaves them out); undefined: config `actions.max`. */
  actions: number | undefined;
  /** `--previous <file>`: an earlier saved dataset of the account, for new followers. */
  previous: string | undefined;
}

/** `-o report.html` with no --format means HTML, and so on. */
/** The format each `-o` extension writes; a file without an extension gets the table. */
const FORMAT_OF_EXTENSION: Readonly<Record<string, string>> = { json: 'json', ndjson: 'ndjson', jsonl: 'ndjson', csv: 'csv', md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html', txt: 'table', xlsx: 'xlsx' };

/** The format the `-o` file's extension names; an extension the tool does not write is a usage error, not a table in a `.xlsx`. */
function formatOfFile(file: string | undefined): string | undefined {
  const ext = file === undefined ? undefined : /\.([A-Za-z0-9]+)$/.exec(path.basename(file))?.[1]?.toLowerCase();
  if (ext === undefined) return undefined;
  const format = FORMAT_OF_EXTENSION[ext];
  if (format === undefined) {
    throw usage(`-o ${file}: the tool writes no .${ext} file (extensions: ${Object.keys(FORMAT_OF_EXTENSION).map((e) => `.${e}`).join(', ')}); give --format to write one of its formats under this name`);
  }
  return format;
}

function usage(message: string): EngageAuditError {
  return new EngageAuditError('USAGE', message);
}

function date(flag: string, value: string | undefined, endOfDay: boolean): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseCliDate(value, endOfDay);
  if (Number.isNaN(ms)) throw usage(`${flag} ${JSON.stringify(value)} is not a date: use YYYY-MM-DD or an ISO-8601 time with its zone, such as 2025-03-01T12:00:00Z`);
  return ms;
}

/** The number `value` writes (as `Number` reads it), when it is one from `min` to `max` (and whole, when asked). */
function numberIn(value: string, min: number, max: number, integer: boolean): number | undefined {
  // Written in decimal as people write numbers: no 1e3, 0x10 or 0b1 (Number would take them).
  const n = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
  return n >= min && n <= max && (!integer || Number.isInteger(n)) ? n : undefined;
}

/** The smallest sample `--sample` takes: a uniform sample of at least 1,000 followers (docs/metrics.md "Audience quality"). */
const MIN_SAMPLE = 1000;

function whole(flag: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = numberIn(value, min, max, true);
  if (n === undefined) throw usage(`${flag} ${JSON.stringify(value)}: give a whole number from ${min} to ${max}`);
  return n;
}

/** `--audience` and the options that shape it; one of those without it is a mistake, said. */
function audienceOptions(raw: RawPullOptions): AudienceOptions | undefined {
  const given = ([['--sample', raw.sample], ['--seed', raw.seed], ['--audience-cap', raw.audienceCap]] as const).find(([, v]) => v !== undefined);
  if (!raw.audience) {
    if (given) throw usage(`${given[0]} shapes what --audience reads: add --audience`);
    return undefined;
  }
  const cap = raw.audienceCap === undefined ? undefined : whole('--audience-cap', raw.audienceCap, 1, 10_000_000, 1);
  return { sample: whole('--sample', raw.sample, MIN_SAMPLE, 100_000, DEFAULT_SAMPLE), seed: whole('--seed', raw.seed, 0, 4_294_967_295, DEFAULT_SEED), ...(cap !== undefined ? { cap } : {}) };
}

export function parsePullOptions(raw: RawPullOptions): PullSettings {
  let apiBase: string | undefined;
  if (raw.apiBase !== undefined) {
    let url: URL;
    try {
      url = new URL(raw.apiBase);
    } catch {
      throw usage(`--api-base ${JSON.stringify(raw.apiBase)} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usage(`--api-base ${JSON.stringify(raw.apiBase)}: use an http or https URL`);
    if (url.username || url.password) throw usage('--api-base must not carry credentials: tokens come from the environment');
    apiBase = url.toString().replace(/\/+$/, '');
  }
  return {
    platform: raw.platform,
    columns: raw.columns === undefined ? undefined : parseColumnMap(raw.columns),
    followers: raw.followers === undefined ? undefined : whole('--followers', raw.followers, 0, 10_000_000_000, 0),
    includePrivate: raw.includePrivate ?? false,
    apiBase,
    maxPosts: whole('--max-posts', raw.maxPosts, 1, 1_000_000, 1000),
    budget: raw.budget !== undefined ? whole('--budget', raw.budget, 0, 100_000, 0) : whole('--threads', raw.threads, 0, 1000, 1) === 0 ? 0 : undefined,
    audience: audienceOptions(raw),
    concurrency: whole('--concurrency', raw.concurrency, 1, 32, 4),
    timeoutMs: whole('--timeout', raw.timeout, 100, 600_000, 15_000),
    maxWaitMs: whole('--max-wait', raw.maxWait, 0, 86_400, 900) * 1000,
    deadlineMs: whole('--deadline', raw.deadline, 1, 604_800, DEFAULT_PULL.deadlineMs / 1000) * 1000,
  };
}

const FAIL_ON = ['warn', 'fail', 'none'] as const;

export async function parseAuditOptions(raw: RawAuditOptions, cwd: string): Promise<AuditOptions> {
  const loaded = await loadConfig(cwd, raw.config);
  const files = raw.output ?? [];
  // Several -o: each file in the format its extension names (a file without one: the table).
  if (files.length > 1 && (raw.format !== undefined || raw.json)) {
    throw usage(`${raw.json ? '--json' : '--format'} with several -o: each file is written in the format its extension names (${files.join(', ')}); leave ${raw.json ? '--json' : '--format'} out`);
  }
  const format = raw.json ? 'json' : (raw.format ?? formatOfFile(files[0]) ?? 'table');
  if (!(FORMATS as string[]).includes(format)) throw usage(`--format ${JSON.stringify(format)}: choose one of ${FORMATS.join(', ')}`);
  if (raw.json && raw.format !== undefined && raw.format !== 'json') throw usage(`--json and --format ${raw.format} contradict each other`);
  const outputs = files.map((file) => ({ file, format: (files.length > 1 ? (formatOfFile(file) ?? 'table') : format) as Format }));
  const csvBom = raw.csvBom ?? false;
  if (csvBom && raw.postsCsv === undefined && !(outputs.length > 0 ? outputs.some((o) => o.format === 'csv') : format === 'csv')) {
    throw usage('--csv-bom marks the CSV files for Excel, and this run writes none: add --format csv, -o FILE.csv or --posts-csv FILE');
  }
  let days: number | undefined;
  if (raw.days !== undefined) {
    days = numberIn(raw.days, 1, 36_500, true);
    if (days === undefined) throw usage(`--days ${JSON.stringify(raw.days)}: give a whole number of days from 1 to 36500`);
  }
  if (days !== undefined && raw.since !== undefined) throw usage('--days and --since both set the window start: give one of them');
  let failUnder: number | undefined;
  if (raw.failUnder !== undefined) {
    failUnder = numberIn(raw.failUnder, 0, 100, false);
    if (failUnder === undefined) throw usage(`--fail-under ${JSON.stringify(raw.failUnder)}: give a score from 0 to 100`);
  }
  const failOn = raw.failOn ?? 'none';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw usage(`--fail-on ${JSON.stringify(raw.failOn)}: choose warn, fail or none`);
  const since = date('--since', raw.since, false);
  const until = date('--until', raw.until, true);
  const asOf = date('--as-of', raw.asOf, true);
  if (since !== undefined && until !== undefined && since > until) throw usage('--since is after --until');
  if (asOf !== undefined && until !== undefined && asOf < until) throw usage('--as-of is before --until: the report date cannot come before the window ends');
  if (asOf !== undefined && since !== undefined && since > asOf) throw usage('--since is after --as-of');
  return {
    ...parsePullOptions(raw),
    targetsFile: raw.targets,
    postsCsv: raw.postsCsv,
    redact: raw.redact ?? false,
    config: loaded.config,
    configFile: raw.config ?? loaded.file ?? undefined,
    assert: loaded.assert,
    limits: loaded.limits,
    format: format as Format,
    outputs,
    csvBom,
    since,
    until,
    days,
    asOf,
    failUnder,
    failOn: failOn as (typeof FAIL_ON)[number],
    allowPartial: (raw.allowPartial ?? false) || loaded.allowPartial,
    color: raw.color === false ? false : undefined,
    quiet: raw.quiet ?? false,
    verbose: raw.verbose ?? false,
    actions: raw.actions === undefined ? undefined : whole('--actions', raw.actions, 0, 1000, 0),
    previous: raw.previous,
  };
}
