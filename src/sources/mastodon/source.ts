/** Mastodon's public API as a source: the contract of contract.ts over pullMastodon. */
import { liveSource } from '../contract.js';

export const mastodonSource = liveSource('mastodon', 'Mastodon public API: @user@instance, https://instance/@user (MASTODON_TOKEN optional, sent only to the instance MASTODON_INSTANCE names)', async (account, target, options) =>
  (await import('./index.js')).pullMastodon(account.user, account.instance, target, options),
);
