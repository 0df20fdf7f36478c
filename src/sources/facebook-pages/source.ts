/** Facebook Pages through the Graph API as a source: the contract of contract.ts over pullFacebookPage. */
import type { LiveSource } from '../contract.js';
import { accountOn } from '../targets.js';

export const facebookPagesSource = {
  id: 'facebook',
  description: 'Facebook Pages Graph API: fb:page, https://www.facebook.com/page or --platform facebook (FACEBOOK_TOKEN required)',
  parseTarget: (raw, platform) => accountOn('facebook', raw, platform),
  async pull(account, target, options) {
    return (await import('./index.js')).pullFacebookPage(account.page, target, options);
  },
} as const satisfies LiveSource<{ kind: 'facebook'; page: string }>;
