/** The Threads API as a source: the contract of contract.ts over pullThreads. */
import { liveSource } from '../contract.js';

export const threadsSource = liveSource('threads', "Threads API: threads:@name or https://www.threads.net/@name, the token owner's own account (THREADS_TOKEN required)", async (account, target, options) =>
  (await import('./index.js')).pullThreads(account.username, target, options),
);
