/** The X API v2 as a source: the contract of contract.ts over pullX. */
import type { LiveSource } from '../contract.js';
import { accountOn } from '../targets.js';

export const xSource = {
  id: 'x',
  description: 'X API v2: x:@name, https://x.com/name or --platform x (X_BEARER_TOKEN required)',
  parseTarget: (raw, platform) => accountOn('x', raw, platform),
  async pull(account, target, options) {
    return (await import('./index.js')).pullX(account.username, target, options);
  },
} as const satisfies LiveSource<{ kind: 'x'; username: string }>;
