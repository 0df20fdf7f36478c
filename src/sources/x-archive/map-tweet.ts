/**
 * One X archive tweet record → a Post (docs/metrics.md §1 kinds, docs/formats.md `x-archive` traps): ids and counts
 * are strings; `retweeted` is always false, so native retweets are found by `RT @`; self-replies are
 * threads; legacy "@user …" tweets with a reply-to user but no status id are replies; quotes are
 * status links to other accounts; of an edit chain only the last version is kept.
 */
import type { AccountRef, Post, PostKind } from '../../model/dataset.js';
import { twitterDateToIso } from '../../lib/dates.js';
import { handleKey } from '../../lib/accounts.js';
import { decodeEntities, stripTags } from '../../lib/text.js';
import { EngageAuditError } from '../../errors.js';
import { arr, MAX_COUNT, obj, str, type Json } from '../../lib/json.js';
import type { Selection } from '../../lib/select-json.js';

export interface Owner {
  id: string | null;
  handle: string | null;
}

const STATUS_URL = /^https?:\/\/(?:www\.|mobile\.)?(?:twitter|x)\.com\/([A-Za-z0-9_]{1,15})\/status(?:es)?\/(\d+)/i;

/** A count written as a string (or a number); null when absent or not a non-negative integer. */
function count(value: unknown): number | null {
  const s = str(value)?.trim();
  if (s === undefined || s.length === 0 || s.length > 10) return null;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return null;
  }
  const n = Number(s);
  return n <= MAX_COUNT ? n : null;
}

/** `source` values repeat (a handful of clients): their visible text, remembered. */
const clients = new Map<string, string | null>();
function clientOf(source: string): string | null {
  let client = clients.get(source);
  if (client === undefined) {
    client = stripTags(source) || null;
    if (clients.size < 10_000) clients.set(source, client);
  }
  return client;
}

/** The ids of the edit chain this record belongs to, when it has one. */
function editChain(tweet: Json): string[] {
  const info = obj(tweet['edit_info']);
  if (!info) return [];
  const initial = obj(info['initial']);
  const edit = obj(info['edit']);
  const control = initial ?? obj(edit?.['editControlInitial']);
  const ids = arr(control?.['editTweetIds']);
  if (ids.length < 2) return []; // a chain of one: nothing to drop
  return ids.map(str).filter((s): s is string => s !== undefined);
}

function handleOf(value: unknown): string | undefined {
  const s = str(value);
  return s ? handleKey(s) : undefined;
}

function isSelf(owner: Owner, ref: AccountRef): boolean {
  return (owner.id !== null && ref.id === owner.id) || (owner.handle !== null && ref.handle === owner.handle);
}

/** The account a user_mentions entry names. */
function refOf(m: Json): AccountRef {
  const ref: AccountRef = {};
  const mid = str(m['id_str']) ?? str(m['id']);
  const h = handleOf(m['screen_name']);
  if (mid && mid !== '-1') ref.id = mid;
  if (h) ref.handle = h;
  return ref;
}

/** Up to this many mentions, duplicates are found by looking along the list. */
const FEW = 16;

/** Whether one of `refs` goes by `key` (its handle, else its id). */
function named(refs: readonly AccountRef[], key: string): boolean {
  for (const ref of refs) if ((ref.handle ?? ref.id) === key) return true;
  return false;
}

const TWEET_FIELDS = {
  id_str: true,
  id: true,
  created_at: true,
  full_text: true,
  text: true,
  in_reply_to_status_id_str: true,
  in_reply_to_status_id: true,
  in_reply_to_user_id_str: true,
  in_reply_to_user_id: true,
  in_reply_to_screen_name: true,
  source: true,
  favorite_count: true,
  retweet_count: true,
  entities: { user_mentions: [{ id_str: true, id: true, screen_name: true }], urls: [{ expanded_url: true }] },
  edit_info: { initial: { editTweetIds: [true] }, edit: { editControlInitial: { editTweetIds: [true] } } },
} as const satisfies Selection;

/**
 * Every part of a record that `mapTweet` reads, and nothing else: the archive reader builds only
 * these (a record is a `{"tweet": …}` wrapper or a bare tweet). Keep in step with `mapTweet`; the
 * tests map each record both ways and compare.
 */
export const TWEET_SELECTION: Selection = { ...TWEET_FIELDS, tweet: TWEET_FIELDS };

export type MapResult = { post: Post } | { dropped: 'edit' };

/** Where a record is, for errors: a text, or a file and a record number (made a text only on error). */
export type Where = string | { readonly label: string; readonly index: number };
const whereText = (where: Where): string => (typeof where === 'string' ? where : `${where.label} record ${where.index}`);

/**
 * Maps one record. `record` is the element as found (a `{"tweet": …}` wrapper or a bare tweet);
 * `where` names it in errors ("data/tweets.js record 12").
 */
export function mapTweet(record: unknown, owner: Owner, where: Where): MapResult {
  const wrapper = obj(record);
  const tweet = obj(wrapper?.['tweet']) ?? wrapper;
  if (!tweet) throw new EngageAuditError('MALFORMED', `${whereText(where)}: a tweet record is not an object`);
  const id = str(tweet['id_str']) ?? str(tweet['id']);
  if (!id || !/^\d+$/.test(id)) throw new EngageAuditError('MALFORMED', `${whereText(where)}: the tweet has no id_str`);
  const createdRaw = str(tweet['created_at']);
  const createdAt = createdRaw === undefined ? null : twitterDateToIso(createdRaw);
  if (createdAt === null) {
    throw new EngageAuditError('MALFORMED', `${whereText(where)} (tweet ${id}): created_at ${JSON.stringify(createdRaw ?? null)} is not an X date`);
  }

  const chain = editChain(tweet);
  if (chain.length > 1 && chain[chain.length - 1] !== id) return { dropped: 'edit' };

  const text = decodeEntities(str(tweet['full_text']) ?? str(tweet['text']) ?? '');
  const entities = obj(tweet['entities']);
  const mentionsRaw: Json[] = [];
  for (const m of arr(entities?.['user_mentions'])) {
    const o = obj(m);
    if (o !== undefined) mentionsRaw.push(o);
  }

  let kind: PostKind = 'original';
  let target: AccountRef | undefined;
  let targetPostId: string | undefined;

  const replyStatus = str(tweet['in_reply_to_status_id_str']) ?? str(tweet['in_reply_to_status_id']);
  const replyUser = str(tweet['in_reply_to_user_id_str']) ?? str(tweet['in_reply_to_user_id']);
  if (text.startsWith('RT @')) {
    kind = 'repost';
    const first = mentionsRaw[0];
    const fromText = /^RT @([A-Za-z0-9_]{1,15})/.exec(text)?.[1]?.toLowerCase();
    target = first ? refOf(first) : fromText ? { handle: fromText } : undefined;
    if (target && !target.handle && fromText) target.handle = fromText;
  } else if (replyStatus !== undefined || replyUser !== undefined) {
    const ref: AccountRef = {};
    if (replyUser && replyUser !== '-1') ref.id = replyUser;
    const byId = replyUser ? mentionsRaw.find((m) => (str(m['id_str']) ?? str(m['id'])) === replyUser) : undefined;
    const h = handleOf(tweet['in_reply_to_screen_name']) ?? handleOf(byId?.['screen_name']) ?? /^@([A-Za-z0-9_]{1,15})/.exec(text)?.[1]?.toLowerCase();
    if (h) ref.handle = h;
    target = ref;
    targetPostId = replyStatus;
    kind = isSelf(owner, ref) ? 'thread' : 'reply';
  } else {
    for (const u of arr(entities?.['urls'])) {
      const expanded = str(obj(u)?.['expanded_url']);
      const m = expanded ? STATUS_URL.exec(expanded) : null;
      if (!m) continue;
      const h = m[1]!.toLowerCase();
      if (h === 'i' || isSelf(owner, { handle: h })) continue; // i/web/status names no account; own links are not quotes
      kind = 'quote';
      target = { handle: h };
      targetPostId = m[2];
      break;
    }
  }

  const mentions: AccountRef[] = [];
  if (kind === 'repost') {
    if (target) mentions.push(target);
  } else {
    // A tweet names few accounts: a look along the list finds those already kept; a set does for
    // a record that names many (a hostile one may name millions).
    const seen = mentionsRaw.length > FEW ? new Set<string>() : null;
    for (const m of mentionsRaw) {
      const ref = refOf(m);
      const key = ref.handle ?? ref.id;
      if (!key || isSelf(owner, ref) || (seen === null ? named(mentions, key) : seen.has(key))) continue;
      seen?.add(key);
      mentions.push(ref);
    }
  }

  const source = str(tweet['source']);
  const client = source ? clientOf(source) : null;
  const post: Post = {
    id,
    createdAt,
    kind,
    text,
    url: `https://x.com/${owner.handle ?? 'i/web'}/status/${id}`,
    mentions,
    client,
    metrics: {
      likes: count(tweet['favorite_count']),
      replies: null,
      reposts: count(tweet['retweet_count']),
      quotes: null,
      impressions: null,
    },
  };
  if (target) post.target = target;
  if (targetPostId) post.targetPostId = targetPostId;
  return { post };
}
