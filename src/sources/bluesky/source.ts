/** Bluesky's public API as a source: the contract of contract.ts over pullBluesky. */
import type { LiveSource } from '../contract.js';
import { accountOn } from '../targets.js';

export const blueskySource = {
  id: 'bluesky',
  description: 'Bluesky public API: @name.bsky.social, a domain handle, did:plc:…, https://bsky.app/profile/…',
  parseTarget: (raw, platform) => accountOn('bluesky', raw, platform),
  async pull(account, target, options) {
    return (await import('./index.js')).pullBluesky(account.actor, target, options);
  },
} as const satisfies LiveSource<{ kind: 'bluesky'; actor: string }>;
