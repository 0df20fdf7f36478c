/** One X archive record → Post: the classification rules of docs/metrics.md §1 and docs/formats.md `x-archive`. */
import { describe, expect, it } from 'vitest';
import { mapTweet, type Owner } from '../src/sources/x-archive/map-tweet.js';
import type { Post } from '../src/model/dataset.js';

const owner: Owner = { id: '1400000000000000001', handle: 'example_org' };

function tweet(fields: Record<string, unknown>): unknown {
  return {
    tweet: {
      id_str: '1890000000000000101',
      id: '1890000000000000101',
      created_at: 'Thu Feb 13 09:05:00 +0000 2025',
      full_text: 'hello',
      favorite_count: '3',
      retweet_count: '1',
      retweeted: false,
      source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
      entities: { hashtags: [], symbols: [], urls: [], user_mentions: [] },
      ...fields,
    },
  };
}

function post(fields: Record<string, unknown>, who: Owner = owner): Post {
  const r = mapTweet(tweet(fields), who, 'test');
  if (!('post' in r)) throw new Error('dropped');
  return r.post;
}

const mention = (screen_name: string, id_str: string) => ({ name: screen_name, screen_name, indices: ['0', '5'], id_str, id: id_str });

describe('mapTweet', () => {
  it('reads ids, string counts, the date, entities in text and the client name', () => {
    const p = post({ full_text: 'a &amp; b &gt; c &#x1F30A;' });
    expect(p.id).toBe('1890000000000000101');
    expect(p.createdAt).toBe('2025-02-13T09:05:00.000Z');
    expect(p.text).toBe('a & b > c 🌊');
    expect(p.client).toBe('Twitter Web App');
    expect(p.metrics).toEqual({ likes: 3, replies: null, reposts: 1, quotes: null, impressions: null });
    expect(p.kind).toBe('original');
  });

  it('takes a bare tweet object (2020 archives) like a wrapped one', () => {
    const wrapped = tweet({}) as { tweet: unknown };
    const bare = mapTweet(wrapped.tweet, owner, 'test');
    expect(bare).toEqual(mapTweet(wrapped, owner, 'test'));
  });

  it('finds native retweets by `RT @` although `retweeted` is false, and targets the first mention', () => {
    const p = post({ full_text: 'RT @River_Otter: shipped &amp; done @other', favorite_count: '0', retweet_count: '0', entities: { urls: [], user_mentions: [mention('River_Otter', '222'), mention('other', '333')] } });
    expect(p.kind).toBe('repost');
    expect(p.target).toEqual({ id: '222', handle: 'river_otter' });
    expect(p.mentions).toEqual([{ id: '222', handle: 'river_otter' }]);
  });

  it('tells replies to others from self-replies (threads)', () => {
    const reply = post({ in_reply_to_status_id_str: '1', in_reply_to_user_id_str: '222', in_reply_to_screen_name: 'river_otter', full_text: '@river_otter yes', entities: { urls: [], user_mentions: [mention('river_otter', '222')] } });
    expect(reply.kind).toBe('reply');
    expect(reply.target).toEqual({ id: '222', handle: 'river_otter' });
    expect(reply.targetPostId).toBe('1');
    const self = post({ in_reply_to_status_id_str: '2', in_reply_to_user_id_str: owner.id, in_reply_to_screen_name: 'example_org' });
    expect(self.kind).toBe('thread');
  });

  it('names a reply target without in_reply_to_screen_name from the mention with its id, else the leading @name', () => {
    const byMention = post({ in_reply_to_status_id_str: '1', in_reply_to_user_id_str: '555', full_text: '@Heron_Hub @x hi', entities: { urls: [], user_mentions: [mention('x', '9'), mention('Heron_Hub', '555')] } });
    expect(byMention.target).toEqual({ id: '555', handle: 'heron_hub' });
    const byText = post({ in_reply_to_status_id_str: '1', in_reply_to_user_id_str: '556', full_text: '@Tern_Team hi' });
    expect(byText.target).toEqual({ id: '556', handle: 'tern_team' });
  });

  it('counts a legacy addressed tweet (reply-to user, no status id) as a reply, or a thread when addressed to itself', () => {
    expect(post({ in_reply_to_user_id_str: '777', in_reply_to_screen_name: 'sandpiper' }).kind).toBe('reply');
    expect(post({ in_reply_to_user_id_str: owner.id }).kind).toBe('thread');
  });

  it('without the owner known, a self-reply cannot be told apart and counts as a reply', () => {
    expect(post({ in_reply_to_status_id_str: '2', in_reply_to_user_id_str: owner.id }, { id: null, handle: null }).kind).toBe('reply');
  });

  it('finds quotes by status links to other accounts only', () => {
    const url = (expanded_url: string) => ({ entities: { urls: [{ url: 'https://t.co/x', expanded_url, display_url: 'x' }], user_mentions: [] } });
    const q = post(url('https://twitter.com/Dune_Data/status/1234567890'));
    expect(q.kind).toBe('quote');
    expect(q.target).toEqual({ handle: 'dune_data' });
    expect(q.targetPostId).toBe('1234567890');
    expect(post(url('https://x.com/dune_data/status/42?s=20')).kind).toBe('quote');
    expect(post(url('https://twitter.com/Example_Org/status/42')).kind).toBe('original');
    expect(post(url('https://twitter.com/i/web/status/42')).kind).toBe('original');
    expect(post(url('https://example.com/dune_data/status/42')).kind).toBe('original');
  });

  it('keeps only the last version of an edit chain', () => {
    const chain = ['1890000000000000101', '1890000000000000202'];
    const first = mapTweet(tweet({ edit_info: { initial: { editTweetIds: chain, editableUntil: '2025-02-13T10:05:00.000Z', editsRemaining: '4', isEditEligible: true } } }), owner, 't');
    expect(first).toEqual({ dropped: 'edit' });
    const last = mapTweet(
      tweet({ id_str: chain[1], id: chain[1], edit_info: { edit: { initialTweetId: chain[0], editControlInitial: { editTweetIds: chain, editableUntil: 'x', editsRemaining: '4', isEditEligible: true } } } }),
      owner,
      't',
    );
    expect('post' in last && last.post.id).toBe(chain[1]);
    const single = mapTweet(tweet({ edit_info: { initial: { editTweetIds: ['1890000000000000101'], editableUntil: 'x', editsRemaining: '5', isEditEligible: false } } }), owner, 't');
    expect('post' in single).toBe(true);
  });

  it('leaves out mentions of the account itself and duplicates', () => {
    const p = post({ full_text: '@example_org @kelp @kelp hi', entities: { urls: [], user_mentions: [mention('example_org', owner.id!), mention('Kelp', '5'), mention('kelp', '5')] } });
    expect(p.mentions).toEqual([{ id: '5', handle: 'kelp' }]);
  });

  it('leaves out duplicates and the account itself however many accounts a tweet names', () => {
    // 40 mentions (more than the short-list route takes): 20 accounts each named twice, in two
    // spellings, with the account itself among them; 20 distinct others are kept, first spelling.
    const names = Array.from({ length: 20 }, (_, k) => `acct_${k}`);
    const user_mentions = [mention('Example_Org', owner.id!), ...names.map((n, k) => mention(n.toUpperCase(), String(500 + k))), ...names.map((n, k) => mention(n, String(500 + k)))];
    expect(user_mentions).toHaveLength(41);
    const p = post({ full_text: 'many', entities: { urls: [], user_mentions } });
    expect(p.mentions).toEqual(names.map((n, k) => ({ id: String(500 + k), handle: n })));
    // the same rule on a short list
    const few = post({ full_text: 'few', entities: { urls: [], user_mentions: user_mentions.slice(0, 4).concat(user_mentions.slice(21, 24)) } });
    expect(few.mentions).toEqual(names.slice(0, 3).map((n, k) => ({ id: String(500 + k), handle: n })));
  });

  it('gives null for a count that is not a non-negative integer', () => {
    expect(post({ favorite_count: 'many', retweet_count: '-2' }).metrics).toMatchObject({ likes: null, reposts: null });
  });

  it('refuses a record without an id or a readable date, naming where it is', () => {
    expect(() => mapTweet(tweet({ id_str: undefined, id: undefined }), owner, 'data/tweets.js record 3')).toThrow(/data\/tweets\.js record 3: the tweet has no id_str/);
    expect(() => mapTweet(tweet({ created_at: '2025-02-13' }), owner, 'data/tweets.js record 4')).toThrow(/record 4 \(tweet 1890000000000000101\): created_at "2025-02-13" is not an X date/);
    expect(() => mapTweet('text', owner, 'r')).toThrow(/not an object/);
  });
});
