/** Facebook Pages through the Graph API as a source: the contract of contract.ts over pullFacebookPage. */
import { liveSource } from '../contract.js';

export const facebookPagesSource = liveSource('facebook', 'Facebook Pages Graph API: fb:page, https://www.facebook.com/page or --platform facebook (FACEBOOK_TOKEN required)', async (account, target, options) =>
  (await import('./index.js')).pullFacebookPage(account.page, target, options),
);
