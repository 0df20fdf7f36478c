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
  | { kind: 'x'; username: string }
  /** `me`: the token's own professional account. */
  | { kind: 'instagram'; username: string }
  /** A Page's username or numeric id. */
  | { kind: 'facebook'; page: string }
  | { kind: 'threads'; username: string }
  /** A handle with its `@`, or a channel id (`UC` and 22 more). */
  | { kind: 'youtube'; channel: string };

const X_NAME = /^[A-Za-z0-9_]{1,15}$/;
/** Instagram and Threads share their usernames. */
const IG_NAME = /^[A-Za-z0-9._]{1,30}$/;
const FB_PAGE = /^(?:[0-9]{1,20}|[A-Za-z0-9.]{5,50})$/;
const YT_HANDLE = /^@[A-Za-z0-9._-]{3,30}$/;
const YT_CHANNEL = /^UC[A-Za-z0-9_-]{22}$/;

/**
 * The platforms a prefix or a web address names: `ig:@name`, `fb:page`, `threads:@name`, `yt:@handle`,
 * and the profile addresses of each. Each checks its name and says what a name there looks like.
 */
const PREFIXED: readonly { prefix: string; hosts: readonly string[]; kind: 'instagram' | 'facebook' | 'threads' | 'youtube'; what: string; read: (name: string) => Target | null }[] = [
  {
    prefix: 'ig',
    hosts: ['instagram.com', 'www.instagram.com', 'm.instagram.com'],
    kind: 'instagram',
    what: 'an Instagram username (1–30 letters, digits, . or _), or me',
    read: (n) => (IG_NAME.test(n) ? { kind: 'instagram', username: n.toLowerCase() } : null),
  },
  {
    prefix: 'fb',
    hosts: ['facebook.com', 'www.facebook.com', 'm.facebook.com', 'web.facebook.com'],
    kind: 'facebook',
    what: "a Facebook Page's username (5 or more letters, digits or .) or numeric id",
    read: (n) => (FB_PAGE.test(n) ? { kind: 'facebook', page: n.toLowerCase() } : null),
  },
  {
    prefix: 'threads',
    hosts: ['threads.net', 'www.threads.net', 'threads.com', 'www.threads.com'],
    kind: 'threads',
    what: 'a Threads username (1–30 letters, digits, . or _)',
    read: (n) => (IG_NAME.test(n) ? { kind: 'threads', username: n.toLowerCase() } : null),
  },
  {
    prefix: 'yt',
    hosts: ['youtube.com', 'www.youtube.com', 'm.youtube.com'],
    kind: 'youtube',
    what: 'a YouTube handle (@ and 3–30 letters, digits, . _ or -) or channel id (UC…)',
    read: (n) => (YT_CHANNEL.test(n) ? { kind: 'youtube', channel: n } : YT_HANDLE.test(`@${n.replace(/^@/, '')}`) ? { kind: 'youtube', channel: `@${n.replace(/^@/, '')}`.toLowerCase() } : null),
  },
];

/** First parts of an address that name a post, a page of the site or a feature, never an account. */
const NOT_PROFILES: Partial<Record<(typeof PREFIXED)[number]['kind'], readonly string[]>> = {
  instagram: ['p', 'reel', 'reels', 'tv', 'stories', 'explore', 'accounts', 'direct'],
  facebook: ['groups', 'events', 'watch', 'share', 'photo.php', 'story.php', 'permalink.php', 'marketplace', 'gaming'],
};

/** The account a profile address names on a platform of PREFIXED, or null. */
function prefixedUrl(host: string, parts: readonly string[], query: URLSearchParams): Target | null {
  const p = PREFIXED.find((x) => x.hosts.includes(host));
  if (!p) return null;
  const first = parts[0] ? decodeURIComponent(parts[0]) : '';
  if (NOT_PROFILES[p.kind]?.includes(first.toLowerCase())) {
    throw new EngageAuditError('USAGE', `https://${host}/${parts.join('/')} is not a profile address`, { hint: `Give the account's profile address or name instead (${p.prefix}:name).` });
  }
  if (p.kind === 'facebook') return first === 'profile.php' ? p.read(query.get('id') ?? '') : p.read(first);
  if (p.kind === 'youtube') return first === 'channel' || first === 'c' ? p.read(parts[1] ?? '') : first.startsWith('@') ? p.read(first) : null;
  return p.read(first.replace(/^@/, ''));
}
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

function ambiguous(raw: string, name: string): EngageAuditError {
  return new EngageAuditError('USAGE', `${raw} could be an account on several platforms`, {
    hint: `Say which: x:@${name} (X), @${name}.bsky.social (Bluesky), @${name}@instance.social (Mastodon), ig:@${name}, fb:${name}, threads:@${name}, yt:@${name}, or add --platform.`,
  });
}

/** The account `name` is on a platform of PREFIXED, or a usage error that says what a name there looks like. */
function named(p: (typeof PREFIXED)[number], name: string, raw: string): Target {
  const target = p.read(name);
  if (!target) throw new EngageAuditError('USAGE', `${raw}: not ${p.what}`);
  return target;
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
    const prefixed = prefixedUrl(host, parts, url.searchParams);
    if (prefixed || PREFIXED.some((p) => p.hosts.includes(host))) return prefixed;
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
  const prefix = /^([a-z]+):(.*)$/i.exec(t);
  const prefixed = prefix && PREFIXED.find((p) => p.prefix === prefix[1]!.toLowerCase());
  if (prefixed) return named(prefixed, prefix[2]!.replace(/^@/, ''), raw);
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
  const onPlatform = PREFIXED.find((p) => p.kind === platform);
  if (onPlatform) return named(onPlatform, handle, raw);
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
