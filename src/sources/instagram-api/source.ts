/** Instagram professional accounts through the Graph API as a source: the contract of contract.ts over pullInstagram. */
import type { LiveSource } from '../contract.js';
import { accountOn } from '../targets.js';

export const instagramApiSource = {
  id: 'instagram',
  description: 'Instagram Graph API: ig:@name, ig:me, https://instagram.com/name or --platform instagram (INSTAGRAM_TOKEN required)',
  parseTarget: (raw, platform) => accountOn('instagram', raw, platform),
  async pull(account, target, options) {
    return (await import('./index.js')).pullInstagram(account.username, target, options);
  },
} as const satisfies LiveSource<{ kind: 'instagram'; username: string }>;
