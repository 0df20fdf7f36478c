/** The token of a pull, read from the environment and checked before any request. */
import { EngageAuditError } from '../errors.js';
import { badHeaderChar } from './http.js';
import { MAX_TOKEN_LENGTH, MIN_TOKEN_LENGTH } from './secrets.js';
import type { PullOptions } from './pull-options.js';

/**
 * A token from the environment, checked before any request: spaces and line ends around it (a
 * Windows line end saved with it) and a leading `Bearer ` (the header adds it) are left out, with a
 * note; a control or non-ASCII character inside, or a length outside MIN_TOKEN_LENGTH to
 * MAX_TOKEN_LENGTH, is a usage error that names the variable and the position or length, never the
 * value. Undefined when the variable is not set or blank (`missingToken` says which).
 */
export function envToken(options: PullOptions, name: string): string | undefined {
  const raw = options.env[name];
  const trimmed = raw?.trim();
  if (raw === undefined || !trimmed) return undefined;
  const token = trimmed.replace(/^Bearer\s+/i, '');
  const hint = `Set ${name} to the token alone, as the platform gave it.`;
  const bad = badHeaderChar(token);
  if (bad) {
    throw new EngageAuditError('USAGE', `${name} has ${bad.what} at position ${raw.indexOf(token) + bad.index + 1} (of ${raw.length} characters)`, {
      hint: `Set ${name} to the token alone: printable ASCII, no line breaks.`,
    });
  }
  if (token.length > MAX_TOKEN_LENGTH || token.length < MIN_TOKEN_LENGTH) {
    const why = token.length > MAX_TOKEN_LENGTH ? `more than a token can be (${MAX_TOKEN_LENGTH} at most)` : `less than a token can be (${MIN_TOKEN_LENGTH} at least)`;
    throw new EngageAuditError('USAGE', `${name} is ${raw.length} characters long: ${why}`, { hint });
  }
  if (token !== trimmed) options.onEvent?.({ type: 'note', message: `${name} started with "Bearer ", which was left out: the token alone is expected.` });
  if (trimmed !== raw) options.onEvent?.({ type: 'note', message: `${name} had spaces or line ends around it; they were left out.` });
  return token;
}

/** Why a token variable gave no token: `not set`, or `blank (…)` when it holds only spaces or line ends. */
export function missingToken(options: PullOptions, name: string): string {
  return options.env[name] === undefined ? 'not set' : 'blank (spaces or line ends only)';
}
