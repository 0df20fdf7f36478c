/**
 * Stable pseudonyms for other people's handles (`--redact`): the same handle always gives the same
 * pseudonym, so reports stay comparable, but the handle is not shown. Two FNV-1a hashes make 12 hex
 * digits. A pseudonym hides a name from a reader; it does not resist someone who tries candidate
 * handles, so redacted reports are for sharing, not for secrets.
 */
import { handleKey } from './accounts.js';

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** 12 hex digits of `key`. */
function digest(key: string): string {
  const a = fnv1a(key, 0x811c9dc5).toString(16).padStart(8, '0');
  const b = fnv1a(key, 0x1b873593).toString(16).padStart(8, '0');
  return `${a}${b.slice(0, 4)}`;
}

export function pseudonym(handle: string): string {
  return `user-${digest(handleKey(handle))}`;
}

/** Whether `value` has the form of a pseudonym (no platform's ids or handles do). */
export function isPseudonym(value: string): boolean {
  return /^user-[0-9a-f]{12}$/.test(value);
}

/**
 * A stable stand-in for a post's id or address that may name its author (a Bluesky `at://did:…`
 * URI, a Mastodon URL, an X status id anyone can look up). Case is kept: ids are case-sensitive.
 */
export function postPseudonym(ref: string): string {
  return `post-${digest(ref)}`;
}

/**
 * Whether a post id or address names `ref`: its id, its handle or a Mastodon handle's user part is
 * one of the pieces between `/ # ? @` (so `at://did:plc:x/…` names did:plc:x, but the X status id
 * 1890000000000002221 does not name the account 222).
 */
export function namesAccount(value: string, ref: { id?: string | undefined; handle?: string | undefined }): boolean {
  const pieces = value.toLowerCase().split(/[/#?@]/);
  const names = [ref.id?.toLowerCase(), ref.handle?.toLowerCase(), ref.handle?.toLowerCase().split('@')[0]];
  return names.some((n) => n !== undefined && n.length > 0 && pieces.includes(n));
}

/** Replaces every `@handle` (X, Bluesky domain or Mastodon `@user@host` form) in a text. */
export function redactMentions(text: string, keep: (handle: string) => boolean = () => false): string {
  return text.replace(/@([A-Za-z0-9_][A-Za-z0-9_.-]*(?:@[A-Za-z0-9.-]+)?)/g, (whole, h: string) => {
    const handle = h.replace(/\.$/, '');
    return keep(handle) ? whole : `@${pseudonym(handle)}${h.slice(handle.length)}`;
  });
}
