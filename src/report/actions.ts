/**
 * Next actions (docs/reports.md "Next actions", docs/metrics.md "Next actions"): the audit as four
 * to-do lists, each item with who, a link and why. Fed the window's posts and the interactions on them
 * by the metrics fold; pure: no I/O, no clock.
 */
import type { Account, Audience, Coverage, Interaction, ListedAccount, Platform, Post } from '../model/dataset.js';
import type { ActionItem, ActionList } from '../model/report.js';
import { unmet, type Missing, type Requirement } from '../model/capabilities.js';
import { ResponsivenessAccumulator } from '../metrics/responsiveness.js';
import { handleKey, makeIsSelf } from '../lib/accounts.js';
import { dayIndex, dayKey, toIso } from '../lib/dates.js';
import { mastodonInstance, postLink, profileLink, type Link, type LinkContext } from './links.js';

/** What each list needs of the source (docs/metrics.md "What each number needs"). */
export const ACTION_NEEDS = {
  'unanswered-replies': { all: ['replyThreads'] },
  'unanswered-engagers': { all: ['inboundIdentities'] },
  'one-way': { all: ['outboundIdentities', 'inboundIdentities'] },
  'new-followers': { all: ['followerOrder'] },
} as const satisfies Record<ActionList['id'], Requirement>;

const TITLES: Record<ActionList['id'], string> = {
  'unanswered-replies': 'Replies to answer',
  'unanswered-engagers': 'People who engage but get nothing back',
  'one-way': 'Accounts you engage with who never engage back',
  'new-followers': 'New followers to thank',
};

/**
 * The title of the new-followers list when it is the newest followers the platform listed (no
 * `--previous`): nothing says they are new since any date, so neither does the title, and `total`
 * counts the newest listed, not followers gained.
 */
const NEWEST_TITLE = 'Newest followers to thank';

/** Whether a list is the newest followers listed (its headline says "the 10 newest", not "the first 10 of"). */
export const isNewestFollowers = (list: Pick<ActionList, 'id' | 'title'>): boolean => list.id === 'new-followers' && list.title === NEWEST_TITLE;

export interface ActionsInput {
  platform: Platform;
  target: string;
  account: Account;
  source: string;
  /** The source's missing keys and why, with what the pull did not fetch (as the metrics read them). */
  missing: Missing;
  followerIds: readonly string[] | null;
  followingIds: readonly string[] | null;
  audience: Audience | null;
  /** `--previous`: the follower list of an earlier saved dataset of the account, and its date. */
  previous: { followerIds: readonly string[] | null; asOf: string | null } | null;
  /** What a live pull fetched of who interacted; null for exports. */
  coverage: Coverage | null;
  /** The most items per list. */
  max: number;
}

/** "from 18 of 30 threads, 2 cut short by the server" when a pull fetched only part of `kinds`, else null. */
function partial(coverage: Coverage | null, kinds: ReadonlyArray<keyof Coverage>): string | null {
  if (coverage === null) return null;
  const parts = kinds.flatMap((k) => {
    const c = coverage[k];
    const what = (n: number) => `${k === 'replies' ? 'thread' : `${k === 'likes' ? 'liker' : 'reposter'} list`}${n === 1 ? '' : 's'}`;
    return [...(c.fetched < c.needed ? [`${c.fetched} of ${c.needed} ${what(c.needed)}`] : []), ...(c.capped > 0 ? [`${c.capped} ${what(c.capped)} cut short by the server`] : [])];
  });
  return parts.length === 0 ? null : `Counted from what the pull fetched (${parts.join(', ')}): there may be more.`;
}

type Ref = { id?: string | undefined; handle?: string | undefined };

/** Accounts named by id or handle: one matches another by either. */
class Names {
  private readonly ids = new Set<string>();
  private readonly handles = new Set<string>();
  add(ref: Ref): void {
    if (ref.id) this.ids.add(ref.id);
    if (ref.handle) this.handles.add(handleKey(ref.handle));
  }
  has(ref: Ref): boolean {
    return (ref.id !== undefined && this.ids.has(ref.id)) || (ref.handle !== undefined && this.handles.has(handleKey(ref.handle)));
  }
}

/** An interaction's account: its id, and its handle unless the actor is only the id again. */
function actorRef(i: Interaction): Ref {
  return { id: i.actorId, handle: i.actorId !== undefined && i.actor === i.actorId.toLowerCase() ? undefined : i.actor };
}
const keyOf = (ref: Ref): string => (ref.id ? `id:${ref.id}` : handleKey(ref.handle ?? ''));
const whoOf = (ref: Ref): string => (ref.handle ? handleKey(ref.handle) : (ref.id ?? 'unknown'));
const GIVEN = ['reply', 'repost', 'quote', 'like'] as const;
const MADE = ['reply', 'repost', 'quote', 'mention'] as const;
type Tally<K extends string> = { ref: Ref; counts: Record<K, number>; total: number };

function tally<K extends string>(map: Map<string, Tally<K>>, ref: Ref, kind: K, kinds: readonly K[]): void {
  const key = keyOf(ref);
  let t = map.get(key);
  if (t === undefined) map.set(key, (t = { ref: { ...ref }, counts: Object.fromEntries(kinds.map((k) => [k, 0])) as Record<K, number>, total: 0 }));
  if (!t.ref.handle && ref.handle) t.ref.handle = ref.handle;
  if (!t.ref.id && ref.id) t.ref.id = ref.id;
  t.counts[kind] += 1;
  t.total += 1;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const NOUNS = { reply: ['reply', 'replies'], repost: ['repost', 'reposts'], quote: ['quote', 'quotes'], like: ['like', 'likes'], mention: ['mention', 'mentions'] } as const;
const counted = <K extends keyof typeof NOUNS>(t: Tally<K>, kinds: readonly K[]): string =>
  kinds.filter((k) => t.counts[k] > 0).map((k) => plural(t.counts[k], NOUNS[k][0], NOUNS[k][1])).join(', ');
const byTotal = <K extends string>(a: Tally<K>, b: Tally<K>): number => b.total - a.total || (whoOf(a.ref) < whoOf(b.ref) ? -1 : whoOf(a.ref) > whoOf(b.ref) ? 1 : 0);

function item(ref: Ref, link: Link, reason: string, count: number | null, at: string | null): ActionItem {
  return { who: whoOf(ref), id: ref.id ?? null, ...link, reason, count, at };
}

export class ActionsCollector {
  private readonly isSelf;
  /** The responsiveness rule itself (docs/metrics.md §3), so the list's count is the report's. */
  private readonly threads: ResponsivenessAccumulator;
  private readonly depth1 = new Map<string, { i: Interaction; time: number }>();
  private readonly noId: Array<{ i: Interaction; time: number }> = [];
  /** Every reply by others under the posts: id → its author. */
  private readonly replyAuthor = new Map<string, Ref>();
  private readonly ownAnswers: string[] = [];
  private readonly repliedTo = new Names();
  private readonly inbound = new Names();
  private readonly given = new Map<string, Tally<(typeof GIVEN)[number]>>();
  private readonly made = new Map<string, Tally<(typeof MADE)[number]>>();
  private postUrl: string | null = null;

  constructor(private readonly input: ActionsInput) {
    this.isSelf = makeIsSelf(input.account);
    this.threads = new ResponsivenessAccumulator(unmet(ACTION_NEEDS['unanswered-replies'], input.missing) === null);
  }

  /** A post of the window: whom it answers, shares, quotes or mentions. */
  addPost(post: Post): void {
    if (this.postUrl === null && post.kind !== 'repost' && post.url) this.postUrl = post.url;
    const seen = new Set<string>();
    const note = (ref: Ref, kind: (typeof MADE)[number]) => {
      if (this.isSelf(ref) || (!ref.id && !ref.handle) || seen.has(keyOf(ref))) return;
      seen.add(keyOf(ref));
      tally(this.made, ref, kind, MADE);
    };
    if (post.target && (post.kind === 'reply' || post.kind === 'repost' || post.kind === 'quote')) {
      note(post.target, post.kind);
      if (post.kind === 'reply' && !this.isSelf(post.target)) this.repliedTo.add(post.target);
    }
    for (const m of post.mentions) note(m, 'mention');
  }

  /** An interaction on a window post; `self` when the account made it. */
  addInteraction(i: Interaction, self: boolean): void {
    const parsed = i.createdAt === undefined ? Number.NaN : Date.parse(i.createdAt);
    const time = Number.isNaN(parsed) ? null : parsed;
    if (self) {
      this.threads.addOwn(i, time);
      if (i.kind === 'reply' && i.parentId !== undefined) this.ownAnswers.push(i.parentId);
      return;
    }
    this.threads.addOther(i, time);
    const ref = actorRef(i);
    if (i.kind === 'reply' && i.depth === 1) {
      if (i.id === undefined) this.noId.push({ i, time: time ?? Number.NaN });
      else this.depth1.set(i.id, { i, time: time ?? Number.NaN });
    }
    if (i.kind === 'reply' && i.id !== undefined) this.replyAuthor.set(i.id, ref);
    this.inbound.add(ref);
    if ((GIVEN as readonly string[]).includes(i.kind)) tally(this.given, ref, i.kind as (typeof GIVEN)[number], GIVEN);
  }

  finish(): ActionList[] {
    const { platform, target } = this.input;
    const ctx: LinkContext = { platform, instance: platform === 'mastodon' ? mastodonInstance(target, this.postUrl) : null };
    return [this.unansweredReplies(ctx), this.engagers(ctx), this.oneWay(ctx), this.newFollowers(ctx)];
  }

  private list(id: ActionList['id'], items: ActionItem[] | null, unavailable: string | null, note: string | null = null): ActionList {
    return { id, title: TITLES[id], total: items === null ? null : items.length, items: items === null ? [] : items.slice(0, this.input.max), unavailable, note };
  }

  private unmet(id: ActionList['id']): string | null {
    return unmet(ACTION_NEEDS[id], this.input.missing);
  }

  private unansweredReplies(ctx: LinkContext): ActionList {
    const why = this.unmet('unanswered-replies');
    if (why !== null) return this.list('unanswered-replies', null, why);
    const { ids } = this.threads.unanswered();
    const open = [...ids.map((id) => this.depth1.get(id)!), ...this.noId];
    open.sort((a, b) => (Number.isNaN(a.time) ? 1 : 0) - (Number.isNaN(b.time) ? 1 : 0) || b.time - a.time || ((a.i.id ?? '') < (b.i.id ?? '') ? -1 : 1));
    const items = open.map(({ i, time }) => {
      const ref = actorRef(i);
      const link = i.id === undefined ? { link: null, noLink: 'the source gives no id for this reply' } : postLink(ctx, i.id, ref.handle);
      const at = Number.isNaN(time) ? null : toIso(time);
      return item(ref, link, `replied to your post${at ? ` on ${dayKey(dayIndex(time))}` : ''}; not answered`, null, at);
    });
    return this.list('unanswered-replies', items, null, partial(this.input.coverage, ['replies']));
  }

  private engagers(ctx: LinkContext): ActionList {
    const why = this.unmet('unanswered-engagers');
    if (why !== null) return this.list('unanswered-engagers', null, why);
    const answered = new Names();
    for (const parent of this.ownAnswers) {
      const ref = this.replyAuthor.get(parent);
      if (ref) answered.add(ref);
    }
    const following = this.input.followingIds === null ? null : new Set(this.input.followingIds);
    const follows = (ref: Ref): boolean => following !== null && ((ref.id !== undefined && following.has(ref.id)) || (ref.handle !== undefined && following.has(handleKey(ref.handle))));
    const ranked = [...this.given.values()].filter((t) => !answered.has(t.ref) && !this.repliedTo.has(t.ref) && !follows(t.ref)).sort(byTotal);
    const items = ranked.map((t) => item(t.ref, profileLink(ctx, t.ref), `gave ${counted(t, GIVEN)}; never answered${following === null ? '' : ', not followed'}`, t.total, null));
    let note = partial(this.input.coverage, ['replies', 'likes', 'reposts']);
    if (following === null) {
      const reason = this.input.missing['followingIds'] ?? 'The source gives no following list.';
      const pull = this.input.source === 'api' && !reason.includes('--audience') ? ' Live pulls: --audience reads the following list.' : '';
      note = [note, `Some of them may be accounts this one follows, which the source cannot tell: ${reason.replace(/\.?$/, '.')}${pull}`].filter(Boolean).join(' ');
    }
    return this.list('unanswered-engagers', items, null, note);
  }

  private oneWay(ctx: LinkContext): ActionList {
    const why = this.unmet('one-way');
    if (why !== null) return this.list('one-way', null, why);
    const ranked = [...this.made.values()].filter((t) => !this.inbound.has(t.ref)).sort(byTotal);
    const items = ranked.map((t) => item(t.ref, profileLink(ctx, t.ref), `you gave ${counted(t, MADE)}; no reply, repost, quote, like or mention back in the window`, t.total, null));
    const unseen = partial(this.input.coverage, ['replies', 'likes', 'reposts']);
    return this.list('one-way', items, null, unseen && `${unseen.replace(/: there may be more\.$/, '')}: some may have engaged unseen.`);
  }

  private newFollowers(ctx: LinkContext): ActionList {
    const { previous, followerIds, audience } = this.input;
    const known = new Map<string, ListedAccount>();
    for (const a of [...(audience?.newest ?? []), ...(audience?.profiles ?? [])]) if (a.id) known.set(a.id, a);
    const listed = (a: ListedAccount, reason: string): ActionItem => {
      const ref = { id: a.id, handle: a.handle };
      const link = a.url && /^https:\/\/[^\s"'<>]+$/.test(a.url) ? { link: a.url, noLink: null } : profileLink(ctx, ref);
      return item(ref, link, reason, null, null);
    };
    if (previous !== null) {
      if (followerIds === null) return this.list('new-followers', null, this.input.missing['followerIds'] ?? 'The source gives no follower list.');
      if (previous.followerIds === null) return this.list('new-followers', null, 'The earlier dataset (--previous) has no follower list to compare with.');
      const before = new Set(previous.followerIds);
      const since = previous.asOf ? ` of ${previous.asOf.slice(0, 10)}` : '';
      const items = followerIds.filter((id) => !before.has(id)).map((id) => listed(known.get(id) ?? { id }, `follows since the earlier dataset${since}`));
      return this.list('new-followers', items, null);
    }
    const why = this.unmet('new-followers');
    if (why === null && audience?.order === 'newest-first') {
      // Only the ones shown count: the pull keeps the newest 100, which says nothing of how many are new.
      const items = audience.newest.slice(0, this.input.max).map((a) => listed(a, 'among the newest followers'));
      const list = this.list('new-followers', items, null, 'The newest followers as the platform lists them; --previous <an earlier saved dataset> lists exactly who followed since.');
      return { ...list, title: NEWEST_TITLE };
    }
    const reason = why ?? 'The followers were not read in the order they followed.';
    return this.list('new-followers', null, `${reason.replace(/\.?$/, '.')} Give --previous <an earlier saved dataset of the account> to list the followers gained since (both need the follower list).`);
  }
}

/** `--redact`: the lists keep their counts and reasons; names become pseudonyms, ids and links are left out. */
export function redactActions(lists: readonly ActionList[], name: (who: string) => string): ActionList[] {
  return lists.map((l) => ({ ...l, items: l.items.map((i) => ({ ...i, who: name(i.who), id: null, link: null, noLink: 'left out by --redact' })) }));
}
