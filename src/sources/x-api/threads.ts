/**
 * Who interacted with an X post, through the X API v2 (docs/formats.md `x`): the replies of its
 * conversation by recent search (posts of the last 7 days) or full-archive search (older posts, where
 * the tier allows it), its likers (liking_users) and its reposters (retweeted_by), each paged 100 at
 * a time. What the token's access tier refuses is recorded once, and the kind (or, for full-archive
 * search, the replies of older posts) is then unavailable for the whole pull with the reason
 * (XThreadAccess).
 */
import type { Declaration } from '../../model/capabilities.js';
import type { AccountRef, CoverageKind, Interaction, Post } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { HttpError, type HttpClient } from '../http.js';
import { flatReply, interactionBy, replyDepths, type Fetched, type PostRequests } from '../pull-threads.js';
import { threadsDeclaration } from '../pull-declaration.js';
import { arr, obj, str, type Json } from '../../lib/json.js';

const PAGE = 100;
/** Recent search covers this many days before the request. */
export const RECENT_SEARCH_DAYS = 7;
const RECENT_SEARCH_MS = RECENT_SEARCH_DAYS * 86_400_000;
/** Search pages one conversation may take (10,000 replies) before it is cut, with `capped`. */
export const MAX_SEARCH_PAGES = 100;

/** Problem types (the last segment of `type`) that mean the token's access tier cannot call the endpoint. */
const TIER_PROBLEMS = new Set(['client-forbidden', 'client-not-enrolled', 'usage-capped']);

/** What the tier may refuse: a kind's endpoint, or full-archive search (the replies of posts older than recent search reaches). */
type Endpoint = CoverageKind | 'archive';

const ENDPOINT: Record<Endpoint, string> = {
  replies: 'recent search (GET /2/tweets/search/recent)',
  archive: 'full-archive search (GET /2/tweets/search/all)',
  likes: 'liking users (GET /2/tweets/:id/liking_users)',
  reposts: 'reposters (GET /2/tweets/:id/retweeted_by)',
};

/** The refusal of an endpoint by the token's access tier: the kind is unavailable for the whole pull. */
export class XTierRefusal extends EngageAuditError {
  constructor(
    readonly kind: CoverageKind,
    reason: string,
  ) {
    super('AUTH', reason);
  }
}

/**
 * What this pull may ask of the X API for the people who interacted: recent search for posts of the
 * last 7 days, full-archive search for older ones, and the endpoints the token's access tier refused
 * (recorded at the first refusal, then never asked again). Full-archive search is tried by one
 * request before any other is sent, so a tier without it costs one refused request in all.
 * `declare` turns the refusals into the declaration's reasons.
 */
export class XThreadAccess {
  private readonly refused = new Map<Endpoint, string>();
  /** Full-archive search answered once: later requests go out together. */
  private archiveOpen = false;
  /** The first full-archive request while it is under way: the others wait for its answer. */
  private archiveProbe: Promise<void> | null = null;

  /** `now`: the pull's time, epoch ms. */
  constructor(private readonly now: number) {}

  /**
   * Why a post's kind cannot be fetched: the tier refused it, or (replies) the post is older than
   * recent search reaches and the tier refused full-archive search.
   */
  unreachable = (post: Post, kind: CoverageKind): string | null =>
    this.refused.get(kind) ?? (kind === 'replies' && this.archived(post) ? (this.refused.get('archive') ?? null) : null);

  /** Whether the post is older than recent search reaches: its replies need full-archive search. */
  archived(post: Post): boolean {
    return Date.parse(post.createdAt) < this.now - RECENT_SEARCH_MS;
  }

  /** The tier's refusal of a kind, if it refused it. */
  refusal(kind: CoverageKind): string | null {
    return this.refused.get(kind) ?? null;
  }

  /**
   * Runs one request of a kind (`endpoint` 'archive': a full-archive search for replies); a refusal
   * by the tier is recorded and thrown as an XTierRefusal.
   */
  async guard<T>(kind: CoverageKind, run: () => Promise<T>, endpoint: Endpoint = kind): Promise<T> {
    const refused = this.refused.get(endpoint);
    if (refused !== undefined) throw new XTierRefusal(kind, refused);
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof HttpError) || !TIER_PROBLEMS.has(error.apiError ?? '') || (error.status !== 403 && error.status !== 429)) throw error;
      const reason =
        error.apiError === 'usage-capped'
          ? `The X API usage cap of this token's tier is spent, so ${ENDPOINT[endpoint]} cannot be asked (${error.message})`
          : `This token's X API access tier cannot call ${ENDPOINT[endpoint]} (${error.message})`;
      const older = `: replies to posts older than the ${RECENT_SEARCH_DAYS} days recent search reaches are out of reach`;
      if (!this.refused.has(endpoint)) this.refused.set(endpoint, `${reason}${endpoint === 'archive' ? older : ''}.`);
      throw new XTierRefusal(kind, this.refused.get(endpoint)!);
    }
  }

  /**
   * Runs one full-archive search request. Until one was answered, requests go one at a time: the
   * first refusal by the tier is then the only full-archive request of the pull.
   */
  async archive<T>(run: () => Promise<T>): Promise<T> {
    while (!this.archiveOpen && this.archiveProbe !== null && !this.refused.has('archive')) await this.archiveProbe;
    if (this.archiveOpen || this.refused.has('archive')) return this.guard('replies', run, 'archive');
    let done!: () => void;
    this.archiveProbe = new Promise((resolve) => (done = resolve));
    try {
      const out = await this.guard('replies', run, 'archive');
      this.archiveOpen = true;
      return out;
    } finally {
      this.archiveProbe = null;
      done();
    }
  }

  /**
   * The declaration's inbound keys once the interactions are in (null: none were asked). Replies
   * refused: no reply threads. Inbound identities are held while any kind was allowed; when all three
   * were refused, the reasons say why.
   */
  declare(interactions: readonly Interaction[] | null): Pick<Declaration, 'inboundIdentities' | 'replyThreads'> {
    if (interactions === null) return threadsDeclaration(null);
    const replies = this.refused.get('replies');
    const all = (['replies', 'likes', 'reposts'] as const).map((k) => this.refused.get(k));
    return {
      inboundIdentities: all.every((r) => r !== undefined) ? all.join(' ') : true,
      replyThreads: replies ?? true,
    };
  }
}

/** A user object of the v2 API as an account reference. */
function userRef(user: Json | undefined): AccountRef {
  const r: AccountRef = {};
  const id = str(user?.['id']);
  const name = str(user?.['username'])?.toLowerCase();
  if (id) r.id = id;
  if (name) r.handle = name;
  return r;
}

/** The data, includes.users and next token of a page; a page may lack `data` (result_count 0), `includes` or `meta`. */
function pageOf(body: unknown): { data: Json[]; users: Map<string, Json>; next: string | undefined } {
  const page = obj(body);
  const data = arr(page?.['data']).map(obj).filter((d): d is Json => d !== undefined);
  const users = new Map<string, Json>();
  for (const u of arr(obj(page?.['includes'])?.['users'])) {
    const user = obj(u);
    const id = str(user?.['id']);
    if (user && id) users.set(id, user);
  }
  return { data, users, next: str(obj(page?.['meta'])?.['next_token']) || undefined };
}


/** The replies of a conversation, found by search, as interactions on its root post. */
export function conversationInteractions(tweets: readonly Json[], users: ReadonlyMap<string, Json>, rootId: string): Interaction[] {
  const parentOf = new Map<string, string | undefined>();
  for (const t of tweets) {
    const id = str(t['id']);
    if (!id || id === rootId) continue;
    const replied = arr(t['referenced_tweets']).map(obj).find((r) => str(r?.['type']) === 'replied_to');
    parentOf.set(id, str(replied?.['id']));
  }
  const depth = replyDepths(parentOf, rootId);
  const out: Interaction[] = [];
  for (const t of tweets) {
    const id = str(t['id']);
    if (!id || !parentOf.has(id)) continue;
    const author = str(t['author_id']);
    const ref = userRef(users.get(author ?? '')); // `includes` may be missing: then the id alone
    if (!ref.id && author) ref.id = author;
    const i = flatReply(ref, rootId, id, parentOf, depth, str(t['created_at']));
    if (i) out.push(i);
  }
  return out;
}

/** The X side of the people who interacted with each post, for the pull core. */
export function xPostRequests(base: string, access: XThreadAccess): PostRequests {
  const root = base.replace(/\/+$/, '');
  const users = (kind: 'likes' | 'reposts', path: string) => async (client: HttpClient, post: Post, cursor: string | undefined): Promise<Fetched> =>
    access.guard(kind, async () => {
      const params = new URLSearchParams({ max_results: String(PAGE) });
      if (cursor) params.set('pagination_token', cursor);
      const page = pageOf((await client.getJson(`${root}/2/tweets/${encodeURIComponent(post.id)}/${path}?${params}`)).body);
      const interactions = page.data.flatMap((u) => interactionBy(userRef(u), { postId: post.id, kind: kind === 'likes' ? 'like' : 'repost', depth: 1 }) ?? []);
      return { interactions, next: page.next };
    });
  return {
    pageSize: { likes: PAGE, reposts: PAGE },
    replies: async (client, post) =>
      access.guard('replies', async () => {
        // Posts older than recent search reaches: full-archive search, from the post's own time (it defaults to 30 days back).
        const archived = access.archived(post);
        const search = archived ? 'all' : 'recent';
        const ask = (url: string) => (archived ? access.archive(() => client.getJson(url)) : client.getJson(url));
        const tweets: Json[] = [];
        const people = new Map<string, Json>();
        const tokens = new Set<string>();
        let token: string | undefined;
        for (let pages = 0; ; pages++) {
          if (pages >= MAX_SEARCH_PAGES) return { interactions: conversationInteractions(tweets, people, post.id), capped: true, requests: pages };
          const params = new URLSearchParams({
            query: `conversation_id:${post.id}`,
            max_results: String(PAGE),
            'tweet.fields': 'author_id,created_at,in_reply_to_user_id,referenced_tweets,conversation_id',
            expansions: 'author_id',
            'user.fields': 'username',
          });
          if (archived) params.set('start_time', `${post.createdAt.slice(0, 19)}Z`);
          if (token) params.set('next_token', token);
          const page = pageOf((await ask(`${root}/2/tweets/search/${search}?${params}`)).body);
          tweets.push(...page.data);
          for (const [id, u] of page.users) people.set(id, u);
          // The last page has no next_token; a repeated one would loop.
          if (!page.next || tokens.has(page.next)) break;
          tokens.add(page.next);
          token = page.next;
        }
        return { interactions: conversationInteractions(tweets, people, post.id), ...(tokens.size > 0 ? { requests: tokens.size + 1 } : {}) };
      }),
    likes: users('likes', 'liking_users'),
    reposts: users('reposts', 'retweeted_by'),
    unreachable: access.unreachable,
  };
}
