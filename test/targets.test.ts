/** Which platform a command-line target names (docs/formats.md "Common to every source", README "Use"). */
import { describe, expect, it } from 'vitest';
import { parseAccountTarget } from '../src/sources/targets.js';
import { EngageAuditError } from '../src/errors.js';

describe('parseAccountTarget', () => {
  it.each([
    ['@alice.bsky.social', undefined, { kind: 'bluesky', actor: 'alice.bsky.social' }],
    ['@Example.COM', undefined, { kind: 'bluesky', actor: 'example.com' }],
    ['@example.com', 'bluesky', { kind: 'bluesky', actor: 'example.com' }],
    ['did:plc:z72i7hdynmk6r22z27h6tvur', undefined, { kind: 'bluesky', actor: 'did:plc:z72i7hdynmk6r22z27h6tvur' }],
    ['https://bsky.app/profile/alice.bsky.social', undefined, { kind: 'bluesky', actor: 'alice.bsky.social' }],
    ['https://bsky.app/profile/did:plc:abc/post/3lhx', undefined, { kind: 'bluesky', actor: 'did:plc:abc' }],
    ['@bob@social.example', undefined, { kind: 'mastodon', user: 'bob', instance: 'social.example' }],
    ['bob@Social.Example', undefined, { kind: 'mastodon', user: 'bob', instance: 'social.example' }],
    ['https://social.example/@bob', undefined, { kind: 'mastodon', user: 'bob', instance: 'social.example' }],
    ['x:@Carol_Codes', undefined, { kind: 'x', username: 'carol_codes' }],
    ['x:carol', undefined, { kind: 'x', username: 'carol' }],
    ['https://x.com/carol', undefined, { kind: 'x', username: 'carol' }],
    ['https://twitter.com/carol/status/1', undefined, { kind: 'x', username: 'carol' }],
    ['@carol', 'x', { kind: 'x', username: 'carol' }],
    ['carol', 'x', { kind: 'x', username: 'carol' }],
    ['@alice', 'bluesky', { kind: 'bluesky', actor: 'alice' }],
    ['-', undefined, { kind: 'stdin' }],
    ['ig:@Juniper.Studio', undefined, { kind: 'instagram', username: 'juniper.studio' }],
    ['ig:me', undefined, { kind: 'instagram', username: 'me' }],
    ['https://www.instagram.com/juniper_studio/', undefined, { kind: 'instagram', username: 'juniper_studio' }],
    ['@juniper', 'instagram', { kind: 'instagram', username: 'juniper' }],
    ['fb:HarborBakery', undefined, { kind: 'facebook', page: 'harborbakery' }],
    ['fb:100064123456789', undefined, { kind: 'facebook', page: '100064123456789' }],
    ['https://www.facebook.com/HarborBakery', undefined, { kind: 'facebook', page: 'harborbakery' }],
    ['https://www.facebook.com/profile.php?id=100064123456789', undefined, { kind: 'facebook', page: '100064123456789' }],
    ['threads:@dana.example', undefined, { kind: 'threads', username: 'dana.example' }],
    ['https://www.threads.net/@dana.example', undefined, { kind: 'threads', username: 'dana.example' }],
    ['https://www.threads.com/@dana.example/post/C1', undefined, { kind: 'threads', username: 'dana.example' }],
    ['yt:@Evan.Example', undefined, { kind: 'youtube', channel: '@evan.example' }],
    ['yt:evan-example', undefined, { kind: 'youtube', channel: '@evan-example' }],
    ['yt:UCa1b2c3d4e5f6g7h8i9j0kL', undefined, { kind: 'youtube', channel: 'UCa1b2c3d4e5f6g7h8i9j0kL' }],
    ['https://www.youtube.com/@evan.example/videos', undefined, { kind: 'youtube', channel: '@evan.example' }],
    ['https://www.youtube.com/channel/UCa1b2c3d4e5f6g7h8i9j0kL', undefined, { kind: 'youtube', channel: 'UCa1b2c3d4e5f6g7h8i9j0kL' }],
    ['@evan.example', 'youtube', { kind: 'youtube', channel: '@evan.example' }],
  ])('%s (--platform %s)', (raw, platform, want) => {
    expect(parseAccountTarget(raw, platform)).toEqual(want);
  });

  it('refuses an ambiguous @name with the choices', () => {
    let error: unknown;
    try {
      parseAccountTarget('@carol');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngageAuditError);
    expect((error as EngageAuditError).exitCode).toBe(2);
    expect((error as EngageAuditError).hint).toMatch(/x:@carol \(X\), @carol\.bsky\.social \(Bluesky\), @carol@instance\.social \(Mastodon\)/);
  });

  it('needs an instance for Mastodon and a valid X name', () => {
    expect(() => parseAccountTarget('@bob', 'mastodon')).toThrow(/needs its instance/);
    expect(() => parseAccountTarget('x:@not-valid-name')).toThrow(/not an X username/);
    expect(() => parseAccountTarget('@bob@social.example', 'x')).toThrow(/is a Mastodon address, but --platform is x/);
  });

  it('says what a name looks like on the platform a prefix names', () => {
    expect(() => parseAccountTarget('ig:@has space')).toThrow(/not an Instagram username/);
    expect(() => parseAccountTarget('fb:abc')).toThrow(/not a Facebook Page's username/);
    expect(() => parseAccountTarget('threads:@a/b')).toThrow(/not a Threads username/);
    expect(() => parseAccountTarget('yt:@ab')).toThrow(/not a YouTube handle/);
    // A profile address of one of these platforms that names no account is not read as Mastodon.
    expect(parseAccountTarget('https://www.youtube.com/watch?v=abc')).toBeNull();
    expect(parseAccountTarget('https://www.threads.net/')).toBeNull();
  });

  it('a post, reel or group address is not a profile: a usage error saying to give the profile', () => {
    for (const url of ['https://www.instagram.com/p/CxYz123/', 'https://www.instagram.com/reel/Cabc/', 'https://www.facebook.com/groups/123', 'https://www.facebook.com/story.php?story_fbid=1&id=2']) {
      expect(() => parseAccountTarget(url)).toThrow(/is not a profile address/);
    }
  });

  it('is not a handle: plain words and paths', () => {
    expect(parseAccountTarget('archive.zip')).toBeNull(); // .zip is a top-level domain, but no @: a missing file
    expect(parseAccountTarget('alice.bsky.social', 'bluesky')).toEqual({ kind: 'bluesky', actor: 'alice.bsky.social' });
    expect(parseAccountTarget('some/folder')).toBeNull();
    expect(parseAccountTarget('notes')).toBeNull();
  });
});
