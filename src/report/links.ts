/**
 * Links to a post or a profile on the platform's own site, one pure builder per platform (docs/reports.md
 * "Next actions"). A link is built only from pieces that are plainly an id or a handle; anything else
 * gives null and the reason, never a guessed address.
 */
import type { Platform } from '../model/dataset.js';
import { isPseudonym } from '../lib/pseudonym.js';

export type Link = { link: string; noLink: null } | { link: null; noLink: string };

/** What a link needs beyond the item: the Mastodon instance the ids belong to (`https://host`). */
export interface LinkContext {
  platform: Platform;
  instance: string | null;
}

/** Ids, handles and DIDs as platforms write them: nothing that could change a URL's meaning. */
const PIECE = /^[A-Za-z0-9._:~-]+(@[A-Za-z0-9.-]+)?$/;
const ok = (piece: string | undefined): piece is string => piece !== undefined && piece !== '' && PIECE.test(piece);
const link = (url: string): Link => ({ link: url, noLink: null });
const none = (why: string): Link => ({ link: null, noLink: why });
const bare = (handle: string | undefined): string | undefined => handle?.replace(/^@/, '');
/** A redacted dataset's stand-ins (`user-…`, `post-…`) name nobody: no address is built from them. */
const REDACTED = none('redacted: a pseudonym has no address');
const standIn = (...pieces: Array<string | undefined>): boolean => pieces.some((p) => p !== undefined && (isPseudonym(p) || /^post-[0-9a-f]{12}$/.test(p)));

/**
 * The Mastodon instance of the audited account: the host of an `@user@host` or `https://host/@user`
 * target, else the origin of the account's own post addresses (an archive's target is a file).
 */
export function mastodonInstance(target: string, postUrl: string | null): string | null {
  const at = /^@?[A-Za-z0-9_.-]+@([A-Za-z0-9.-]+(?::\d+)?)$/.exec(target.trim());
  if (at) return `https://${at[1]!.toLowerCase()}`;
  for (const candidate of [target.trim(), postUrl]) {
    if (candidate === null || !/^https?:\/\//i.test(candidate)) continue;
    try {
      return new URL(candidate).origin;
    } catch {
      // not an address: try the next
    }
  }
  return null;
}

/** The address of a post `id` by `author` (a handle, `user@host` on Mastodon). */
export function postLink(ctx: LinkContext, id: string | undefined, author: string | undefined): Link {
  const handle = bare(author);
  if (standIn(id, handle)) return REDACTED;
  switch (ctx.platform) {
    case 'bluesky': {
      const m = id === undefined ? null : /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(id);
      return m && ok(m[1]) && ok(m[2]) ? link(`https://bsky.app/profile/${m[1]}/post/${m[2]}`) : none('no at:// address for this post');
    }
    case 'mastodon':
      if (ctx.instance === null) return none('the instance of the account is not known');
      return ok(id) && ok(handle) ? link(`${ctx.instance}/@${handle}/${id}`) : none('no id or author for this post');
    case 'x':
      if (!ok(id)) return none('no id for this post');
      return link(ok(handle) ? `https://x.com/${handle}/status/${id}` : `https://x.com/i/status/${id}`);
    default:
      return none(`no link is built for ${ctx.platform}`);
  }
}

/** The address of an account's profile, by handle, else by id where the platform has such an address. */
export function profileLink(ctx: LinkContext, ref: { id?: string | undefined; handle?: string | undefined }): Link {
  const handle = bare(ref.handle);
  if (standIn(ref.id, handle)) return REDACTED;
  switch (ctx.platform) {
    case 'bluesky': {
      const who = ok(handle) ? handle : ok(ref.id) && ref.id.startsWith('did:') ? ref.id : undefined;
      return who ? link(`https://bsky.app/profile/${who}`) : none('no handle or DID for this account');
    }
    case 'mastodon':
      if (ctx.instance === null) return none('the instance of the account is not known');
      return ok(handle) ? link(`${ctx.instance}/@${handle}`) : none('no handle for this account');
    case 'x':
      if (ok(handle) && /^[A-Za-z0-9_]{1,15}$/.test(handle)) return link(`https://x.com/${handle}`);
      return ok(ref.id) ? link(`https://x.com/i/user/${ref.id}`) : none('no username or id for this account');
    default:
      return none(`no link is built for ${ctx.platform}`);
  }
}
