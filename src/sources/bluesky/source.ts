/** Bluesky's public API as a source: the contract of contract.ts over pullBluesky. */
import { liveSource } from '../contract.js';

export const blueskySource = liveSource('bluesky', 'Bluesky public API: @name.bsky.social, a domain handle, did:plc:…, https://bsky.app/profile/…', async (account, target, options) =>
  (await import('./index.js')).pullBluesky(account.actor, target, options),
);
