/** Mastodon's public API as a source: the contract of contract.ts over pullMastodon. */
import type { LiveSource } from '../contract.js';
import { accountOn } from '../targets.js';

export const mastodonSource = {
  id: 'mastodon',
  description: 'Mastodon public API: @user@instance, https://instance/@user (MASTODON_TOKEN optional, sent only to the instance MASTODON_INSTANCE names)',
  parseTarget: (raw, platform) => accountOn('mastodon', raw, platform),
  async pull(account, target, options) {
    return (await import('./index.js')).pullMastodon(account.user, account.instance, target, options);
  },
} as const satisfies LiveSource<{ kind: 'mastodon'; user: string; instance: string }>;
