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

  it('is not a handle: plain words and paths', () => {
    expect(parseAccountTarget('archive.zip')).toBeNull(); // .zip is a top-level domain, but no @: a missing file
    expect(parseAccountTarget('alice.bsky.social', 'bluesky')).toEqual({ kind: 'bluesky', actor: 'alice.bsky.social' });
    expect(parseAccountTarget('some/folder')).toBeNull();
    expect(parseAccountTarget('notes')).toBeNull();
  });
});
