/** The X API v2 as a source: the contract of contract.ts over pullX. */
import { liveSource } from '../contract.js';

export const xSource = liveSource('x', 'X API v2: x:@name, https://x.com/name or --platform x (X_BEARER_TOKEN required)', async (account, target, options) =>
  (await import('./index.js')).pullX(account.username, target, options),
);
