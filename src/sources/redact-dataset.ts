/**
 * `--redact` for datasets and the rows of `--posts-csv`. A module of its own, without the dataset
 * schema, so that an audit does not load the schema library to redact its posts.
 */
import type { Account, AccountRef, Audience, Interaction, ListedAccount, Post } from '../model/dataset.js';
import { makeIsSelf } from '../lib/accounts.js';
import { namesAccount, postPseudonym, pseudonym, redactMentions } from '../lib/pseudonym.js';

/**
 * What `--redact` does to each part of a dataset of `account`: other accounts become stable
 * pseudonyms (ids too), and so do the addresses that would name them: the post a post answers,
 * reposts or quotes, a repost's id when it carries the reposted post's address, and the ids of
 * other people's replies. A repost's URL (the reposted post's) is left out. Pseudonyms are stable, so
 * an audit of the redacted dataset gives the same metrics as one of the original.
 */
export function redactor(account: Account): {
  ids: (list: readonly string[] | null) => string[] | null;
  post: (p: Post) => Post;
  interaction: (i: Interaction) => Interaction;
  audience: (a: Audience) => Audience;
} {
  const selfId = account.id;
  const isSelf = makeIsSelf(account);
  const keep = (handle: string): boolean => isSelf({ handle });
  /** Post ids given a stand-in, so that interactions on those posts follow them. */
  const replaced = new Map<string, string>();
  const id = (value: string): string => (value === selfId ? value : pseudonym(`id:${value}`));
  const ref = (r: AccountRef) => {
    const out: { id?: string; handle?: string } = {};
    if (r.id !== undefined) out.id = id(r.id);
    if (r.handle !== undefined) out.handle = keep(r.handle) ? r.handle : pseudonym(r.handle);
    return out;
  };
  /** A follower listed or profiled: the stand-ins of the follower lists, its handle's pseudonym, no address (it would name them). */
  const listed = <T extends ListedAccount>(a: T): T => {
    const { url: _url, ...out } = { ...a };
    if (a.id !== undefined) out.id = pseudonym(`id:${a.id}`);
    if (a.handle !== undefined) out.handle = pseudonym(a.handle);
    return out as T;
  };
  return {
    ids: (list) => list?.map((id) => pseudonym(`id:${id}`)) ?? null,
    audience: (a) => ({ ...a, newest: a.newest.map(listed), profiles: a.profiles.map(listed) }),
    post: (p) => {
      const post = { ...p, mentions: p.mentions.map(ref) };
      const other = p.target === undefined || !isSelf(p.target);
      if (p.target) post.target = ref(p.target);
      if (p.text !== undefined) post.text = redactMentions(p.text, keep);
      if (p.kind === 'repost') delete post.url;
      if (p.targetPostId !== undefined && other) post.targetPostId = postPseudonym(p.targetPostId);
      // An id that carries the other post's address: a repost's (Bluesky, when the feed gives no id
      // of the repost itself) or one made from it (a LinkedIn comment's `comment:<post URL>#n`).
      const carries = (p.kind === 'repost' && p.target !== undefined && namesAccount(p.id, p.target)) || (p.targetPostId !== undefined && p.id.includes(p.targetPostId));
      if (other && carries) {
        post.id = postPseudonym(p.id);
        replaced.set(p.id, post.id);
      }
      return post;
    },
    interaction: (i) => {
      const out: Interaction = { ...i, postId: replaced.get(i.postId) ?? i.postId, actor: keep(i.actor) ? i.actor : pseudonym(i.actor) };
      if (i.actorId !== undefined) out.actorId = id(i.actorId);
      if (i.parentActor !== undefined) out.parentActor = keep(i.parentActor) ? i.parentActor : pseudonym(i.parentActor);
      // Reply ids are only compared with each other (responsiveness): the same stand-in keeps them equal.
      if (i.id !== undefined) out.id = postPseudonym(i.id);
      if (i.parentId !== undefined) out.parentId = postPseudonym(i.parentId);
      return out;
    },
  };
}

