/**
 * The comments under a Page's posts (docs/formats.md `facebook`): every level at once
 * (`filter=stream`, oldest first, a reply naming its `parent`), paged by `paging.next`, each comment
 * keyed by its author's id (Facebook people have no public username). What the token may not read is
 * recorded once and then declared (CommentAccess).
 */
import type { Declaration } from '../../model/capabilities.js';
import type { Interaction, Post } from '../../model/dataset.js';
import { HttpError, type HttpClient } from '../http.js';
import { flatReply, replyDepths, type Fetched, type PostRequests } from '../pull-threads.js';
import { threadsDeclaration } from '../pull-declaration.js';
import { arr, count, obj, str, type Json } from '../../lib/json.js';
import { graphNext, type GraphUsage } from './graph.js';

const PAGE = 100;
/** Comment pages one post may take (10,000 comments) before it is cut, with `capped`. */
const MAX_COMMENT_PAGES = 100;
/** The Graph code of a permission the token lacks. */
const NO_PERMISSION = '10';

/**
 * What the token let this pull read of the comments: refused (a permission missing: no comment is
 * asked again), or read without their authors (`from` needs a Page token or pages_read_user_content).
 */
export class CommentAccess {
  refused: string | null = null;
  /** Comments read without a `from`. */
  anonymous = 0;

  unreachable = (): string | null => this.refused;

  /** The declaration's inbound keys once the comments are in (null: none were asked). */
  declare(interactions: readonly Interaction[] | null): Pick<Declaration, 'inboundIdentities' | 'replyThreads'> {
    if (interactions === null) return threadsDeclaration(null);
    const why =
      this.refused ??
      (this.anonymous > 0
        ? `Facebook sent ${this.anonymous} comments without their authors: a Page access token (or a user token with pages_read_user_content) names who commented and which comments the Page answered.`
        : null);
    return why === null ? threadsDeclaration(interactions) : { inboundIdentities: why, replyThreads: why };
  }
}

/** The comments of one post as interactions on it: depth 1 under the post, one more under a comment. */
export function commentInteractions(comments: readonly Json[], postId: string, access: CommentAccess): Interaction[] {
  const parentOf = new Map<string, string | undefined>();
  for (const c of comments) {
    const id = str(c['id']);
    if (id) parentOf.set(id, str(obj(c['parent'])?.['id']));
  }
  const depth = replyDepths(parentOf, postId);
  const out: Interaction[] = [];
  for (const c of comments) {
    const id = str(c['id']);
    if (!id) continue;
    const author = str(obj(c['from'])?.['id']);
    if (!author) {
      access.anonymous++;
      continue;
    }
    const i = flatReply({ id: author }, postId, id, parentOf, depth, str(c['created_time']));
    if (i) out.push(i);
  }
  return out;
}

/** The Facebook side of who commented on each post, for the pull core: comments only (Facebook names no reactor or sharer here). */
export function facebookComments(root: string, usage: GraphUsage, access: CommentAccess): PostRequests {
  const first = (post: Post): string => {
    const params = new URLSearchParams({ fields: 'id,created_time,from{id},parent{id}', filter: 'stream', order: 'chronological', summary: '1', limit: String(PAGE) });
    return `${root}/${encodeURIComponent(post.id)}/comments?${params}`;
  };
  return {
    pageSize: { likes: PAGE, reposts: PAGE },
    replies: async (client: HttpClient, post: Post): Promise<Fetched> => {
      const comments: Json[] = [];
      const seen = new Set<string>();
      let url: string | undefined = first(post);
      let pages = 0;
      try {
        while (url !== undefined) {
          if (pages >= MAX_COMMENT_PAGES) return { interactions: commentInteractions(comments, post.id, access), capped: true, requests: pages };
          const page = obj(await usage.get(client, url));
          pages++;
          comments.push(...arr(page?.['data']).map(obj).filter((c): c is Json => c !== undefined));
          const next = graphNext(root, obj(page?.['paging'])?.['next']);
          // The last page has no next URL; an empty page or a repeated one would loop.
          url = next !== undefined && !seen.has(next) && arr(page?.['data']).length > 0 ? next : undefined;
          if (next) seen.add(next);
        }
      } catch (error) {
        if (error instanceof HttpError && error.apiError === NO_PERMISSION) {
          // Graph's words without the URL and status the client puts first: one reason for every post.
          const said = error.message.replace(/^.*?: \d{3} /, '');
          access.refused ??= `This token may not read the comments of the Page's posts (${said}): a Page access token, or a user token with pages_read_engagement and pages_read_user_content, reads them.`;
        }
        throw error;
      }
      return { interactions: commentInteractions(comments, post.id, access), requests: pages };
    },
    unreachable: access.unreachable,
  };
}

/** The count a Graph edge summary carries (`{data: [], summary: {total_count}}`), or null without one. */
export const summaryCount = (edge: unknown): number | null => count(obj(obj(edge)?.['summary'])?.['total_count']);
