/** Instagram professional accounts through the Graph API as a source: the contract of contract.ts over pullInstagram. */
import { liveSource } from '../contract.js';

export const instagramApiSource = liveSource('instagram', 'Instagram Graph API: ig:@name, ig:me, https://instagram.com/name or --platform instagram (INSTAGRAM_TOKEN required)', async (account, target, options) =>
  (await import('./index.js')).pullInstagram(account.username, target, options),
);
