/**
 * What a target on the command line names (docs/formats.md "Common to every source", README "Use"): a path, standard input, or an account
 * on a platform's API. An existing path always wins; `--platform` settles the rest.
 */
import { EngageAuditError } from '../errors.js';

export type Target =
  | { kind: 'path'; path: string }
  | { kind: 'stdin' }
  | { kind: 'bluesky'; actor: string }
  | { kind: 'mastodon'; user: string; instance: string }
  | { kind: 'x'; username: string };

const X_NAME = /^[A-Za-z0-9_]{1,15}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

function ambiguous(raw: string, name: string): EngageAuditError {
  return new EngageAuditError('USAGE', `${raw} could be an account on several platforms`, {
    hint: `Say which: x:@${name} (X), @${name}.bsky.social (Bluesky), @${name}@instance.social (Mastodon), or add --platform x|bluesky|mastodon.`,
  });
}

/** Parses a target that is not an existing path. `platform` is the `--platform` option, if any. */
export function parseAccountTarget(raw: string, platform?: string): Target | null {
  const t = raw.trim();
  if (t === '-') return { kind: 'stdin' };
  if (/^did:(plc|web):[A-Za-z0-9._:%-]+$/.test(t)) return { kind: 'bluesky', actor: t };

  let url: URL | null = null;
  if (/^https?:\/\//i.test(t)) {
    try {
      url = new URL(t);
    } catch {
      return null;
    }
  }
  if (url) {
    const host = url.host.toLowerCase();
    const parts = url.pathname.split('/').filter(Boolean);
    if ((host === 'bsky.app' || host === 'staging.bsky.app') && parts[0] === 'profile' && parts[1]) {
      return { kind: 'bluesky', actor: decodeURIComponent(parts[1]).toLowerCase() };
    }
    if (['x.com', 'twitter.com', 'www.x.com', 'www.twitter.com', 'mobile.twitter.com'].includes(host) && parts[0] && X_NAME.test(parts[0])) {
      return { kind: 'x', username: parts[0].toLowerCase() };
    }
    const at = parts[0]?.startsWith('@') ? parts[0].slice(1) : parts[0] === 'users' ? parts[1] : undefined;
    if (at) return { kind: 'mastodon', user: at.toLowerCase(), instance: host };
    return null;
  }

  if (/^x:@?/i.test(t)) {
    const name = t.replace(/^x:@?/i, '');
    if (!X_NAME.test(name)) throw new EngageAuditError('USAGE', `${raw}: not an X username (1–15 letters, digits or _)`);
    return { kind: 'x', username: name.toLowerCase() };
  }
  const handle = t.replace(/^@/, '');
  const parts = handle.split('@');
  if (parts.length === 2 && parts[0] && parts[1] && DOMAIN.test(parts[1])) {
    if (platform !== undefined && platform !== 'mastodon') throw new EngageAuditError('USAGE', `${raw} is a Mastodon address, but --platform is ${platform}`);
    return { kind: 'mastodon', user: parts[0].toLowerCase(), instance: parts[1].toLowerCase() };
  }
  // Without `@` or --platform a bare word is a path that does not exist (archive.zip is a domain too).
  if (parts.length !== 1 || (!t.startsWith('@') && platform === undefined)) return null;
  if (platform === 'x') {
    if (!X_NAME.test(handle)) throw new EngageAuditError('USAGE', `${raw}: not an X username (1–15 letters, digits or _)`);
    return { kind: 'x', username: handle.toLowerCase() };
  }
  if (platform === 'bluesky') return { kind: 'bluesky', actor: handle.toLowerCase() };
  if (platform === 'mastodon') {
    throw new EngageAuditError('USAGE', `${raw}: a Mastodon account needs its instance, as @user@instance.social`);
  }
  // A handle with dots is a domain: only Bluesky has those (X names have no dots, Mastodon needs user@instance).
  if (DOMAIN.test(handle)) return { kind: 'bluesky', actor: handle.toLowerCase() };
  if (t.startsWith('@') && X_NAME.test(handle)) throw ambiguous(raw, handle);
  return null;
}

/** The account `raw` names on one platform, or null when it names none there (or names no account). */
export function accountOn<K extends Target['kind']>(kind: K, raw: string, platform: string | undefined): Extract<Target, { kind: K }> | null {
  const target = parseAccountTarget(raw, platform);
  return target?.kind === kind ? (target as Extract<Target, { kind: K }>) : null;
}
