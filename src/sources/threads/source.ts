/** The Threads API as a source: the contract of contract.ts over pullThreads. */
import type { LiveSource } from '../contract.js';
import { accountOn } from '../targets.js';

export const threadsSource = {
  id: 'threads',
  description: "Threads API: threads:@name or https://www.threads.net/@name, the token owner's own account (THREADS_TOKEN required)",
  parseTarget: (raw, platform) => accountOn('threads', raw, platform),
  async pull(account, target, options) {
    return (await import('./index.js')).pullThreads(account.username, target, options);
  },
} as const satisfies LiveSource<{ kind: 'threads'; username: string }>;
