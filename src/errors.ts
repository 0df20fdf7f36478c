/**
 * Every error the tool knows how to explain. A known error prints one line plus a hint and maps to an
 * exit code (README "Exit codes"); anything else is an internal error (exit 5, "please report").
 */
import { forTerminal, oneLine } from './lib/text.js';

export const EXIT = {
  ok: 0,
  threshold: 1,
  usage: 2,
  input: 3,
  network: 4,
  internal: 5,
  /** An output (-o, --posts-csv, standard output) could not be written. */
  output: 6,
  /** Ctrl-C (SIGINT): what was fetched or read so far is kept and written. */
  interrupted: 130,
  /** SIGTERM: as Ctrl-C. */
  terminated: 143,
} as const;

export type ErrorCode =
  | 'USAGE'
  | 'CONFIG'
  | 'TARGET_NOT_FOUND'
  | 'UNKNOWN_FORMAT'
  | 'EMPTY_INPUT'
  | 'MALFORMED'
  | 'TRUNCATED'
  | 'BAD_ZIP'
  | 'NETWORK'
  | 'NOT_FOUND'
  | 'AUTH'
  | 'RATE_LIMIT'
  | 'OUTPUT'
  | 'INTERRUPTED';

const TABLE: Record<ErrorCode, { exitCode: number; hint: string }> = {
  USAGE: { exitCode: EXIT.usage, hint: 'Run `engage-audit audit --help` for the options.' },
  CONFIG: { exitCode: EXIT.usage, hint: 'Fix the configuration and run again.' },
  TARGET_NOT_FOUND: {
    exitCode: EXIT.input,
    hint: 'Give the path of an export (zip, folder or file) or of a saved dataset .json.',
  },
  UNKNOWN_FORMAT: {
    exitCode: EXIT.input,
    hint: 'Supported: X, Mastodon, LinkedIn, Instagram and Facebook exports (zip or folder), a Bluesky .car, a post CSV (--platform csv --columns …), a saved dataset .json. `engage-audit inspect <path>` says what a path holds.',
  },
  EMPTY_INPUT: {
    exitCode: EXIT.input,
    hint: 'Point at the export as downloaded (the .zip) or at the folder it unpacks to.',
  },
  MALFORMED: {
    exitCode: EXIT.input,
    hint: 'The file is not in the format its platform writes; download the export again.',
  },
  TRUNCATED: {
    exitCode: EXIT.input,
    hint: 'The file ends too early: the download or extraction was probably cut off. Download the export again.',
  },
  BAD_ZIP: {
    exitCode: EXIT.input,
    hint: 'The zip is damaged or incomplete (an interrupted download?). Download it again or extract it and pass the folder.',
  },
  NETWORK: { exitCode: EXIT.network, hint: 'Check the connection, or try again later.' },
  NOT_FOUND: { exitCode: EXIT.network, hint: 'Check the handle or URL.' },
  AUTH: { exitCode: EXIT.network, hint: 'Check the token in the environment.' },
  RATE_LIMIT: { exitCode: EXIT.network, hint: 'The platform limited requests; try again later.' },
  OUTPUT: { exitCode: EXIT.output, hint: 'Check that the folder exists, is writable and has free space; an earlier file of that name is left as it was.' },
  INTERRUPTED: { exitCode: EXIT.interrupted, hint: 'Stopped by Ctrl-C or SIGTERM before anything was fetched.' },
};

/** A message as shown: one line (config errors list their problems on lines of their own), cut to 600 characters. */
function shown(code: ErrorCode, text: string): string {
  // Messages quote servers' bodies and files' bytes, which must not break the line or drive the terminal.
  return code === 'CONFIG' ? forTerminal(text, { lines: true }) : oneLine(text, 600);
}

export class EngageAuditError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** The message and hint as given, before they are made one line and cut: what a redaction must see whole. */
  #text: string;
  #hint: string;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(shown(code, message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EngageAuditError';
    this.code = code;
    this.exitCode = TABLE[code].exitCode;
    this.#text = message;
    this.#hint = options.hint ?? TABLE[code].hint;
  }

  get hint(): string {
    return this.#hint;
  }

  /**
   * Applies a redaction to the whole message and hint, before the cut (a secret cut in half would
   * survive it), and shows the result. Returns this error.
   */
  redactWith(redact: (text: string) => string): this {
    this.#text = redact(this.#text);
    this.#hint = redact(this.#hint);
    const before = this.message;
    this.message = shown(this.code, this.#text);
    // The stack's first line quotes the message as it was.
    if (this.stack?.includes(before)) this.stack = this.stack.replace(before, () => this.message);
    return this;
  }
}

export function isEngageAuditError(error: unknown): error is EngageAuditError {
  return error instanceof EngageAuditError;
}

/** The exit code of a run stopped by `signal` (its reason is the signal's name): 143 for SIGTERM, else 130. */
export function interruptedExit(signal: AbortSignal | undefined): number {
  return signal?.reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/** An error's exit code; an interruption's names the signal that stopped the run. */
export function exitCodeOf(error: EngageAuditError, signal: AbortSignal | undefined): number {
  return error.code === 'INTERRUPTED' ? interruptedExit(signal) : error.exitCode;
}

/**
 * An error as standard error shows it: the message, then the hint, both inert for a terminal. With
 * several targets, `target` names the one that failed when the message does not already.
 */
export function errorText(error: EngageAuditError, target?: string): string {
  const named = target === undefined || error.message.includes(oneLine(target)) ? '' : `${target}: `;
  return `engage-audit: ${forTerminal(named + error.message, { lines: true })}\n  hint: ${forTerminal(error.hint, { lines: true })}\n`;
}
