/** src/lib/pseudonym.ts: stand-ins for other accounts and for the addresses that name them. */
import { describe, expect, it } from 'vitest';
import { namesAccount, postPseudonym, pseudonym } from '../../src/lib/pseudonym.js';

describe('namesAccount', () => {
  it('finds an account named as a piece of an id or address, not inside another word or number', () => {
    const did = 'did:plc:y2ucdiptrzuvnbwm23kgpss5';
    expect(namesAccount(`at://${did}/app.bsky.feed.post/3lk6tutij22gd`, { id: did })).toBe(true);
    expect(namesAccount(`at://${did}/app.bsky.feed.post/3lk6tutij22gd#repost`, { id: 'did:plc:other' })).toBe(false);
    expect(namesAccount('https://bsky.app/profile/Nimbus.bsky.social/post/3lk6', { handle: 'nimbus.bsky.social' })).toBe(true);
    expect(namesAccount('https://social.example/@alice/1130000000000001', { handle: 'alice@social.example' })).toBe(true);
    expect(namesAccount('https://social.example/users/alice/statuses/1/activity', { handle: 'alice@social.example' })).toBe(true);
    // an X status id is not its author's id, even where the author's digits occur in it
    expect(namesAccount('1890000000000002221', { id: '222', handle: 'river_otter' })).toBe(false);
    expect(namesAccount('https://social.example/@alicia/1', { handle: 'alice' })).toBe(false);
    expect(namesAccount('anything', {})).toBe(false);
  });
});

describe('stand-ins', () => {
  it('are stable, distinct for distinct inputs and show nothing of them', () => {
    const a = 'at://did:plc:abc/app.bsky.feed.post/1';
    expect(postPseudonym(a)).toBe(postPseudonym(a));
    expect(postPseudonym(a)).toMatch(/^post-[0-9a-f]{12}$/);
    expect(postPseudonym(a)).not.toBe(postPseudonym(a.replace('/1', '/2')));
    expect(pseudonym('@Alice')).toBe(pseudonym('alice'));
    expect(pseudonym('alice')).toMatch(/^user-[0-9a-f]{12}$/);
  });
});
