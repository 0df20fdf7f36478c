/**
 * Stable pseudonyms for other people's handles (`--redact`): the same handle always gives the same
 * pseudonym, so reports stay comparable, but the handle is not shown. Two FNV-1a hashes make 12 hex
 * digits. A pseudonym hides a name from a reader; it does not resist someone who tries candidate
 * handles, so redacted reports are for sharing, not for secrets.
 */
function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function pseudonym(handle: string): string {
  const key = handle.toLowerCase().replace(/^@/, '');
  const a = fnv1a(key, 0x811c9dc5).toString(16).padStart(8, '0');
  const b = fnv1a(key, 0x1b873593).toString(16).padStart(8, '0');
  return `user-${a}${b.slice(0, 4)}`;
}

/** Replaces every `@handle` (X, Bluesky domain or Mastodon `@user@host` form) in a text. */
export function redactMentions(text: string, keep: (handle: string) => boolean = () => false): string {
  return text.replace(/@([A-Za-z0-9_][A-Za-z0-9_.-]*(?:@[A-Za-z0-9.-]+)?)/g, (whole, h: string) => {
    const handle = h.replace(/\.$/, '');
    return keep(handle) ? whole : `@${pseudonym(handle)}${h.slice(handle.length)}`;
  });
}
