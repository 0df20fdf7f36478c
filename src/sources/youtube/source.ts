/** The YouTube Data API v3 as a source: the contract of contract.ts over pullYouTube. */
import type { LiveSource } from '../contract.js';
import { accountOn } from '../targets.js';

export const youtubeSource = {
  id: 'youtube',
  description: 'YouTube Data API v3: yt:@handle, yt:UC…, https://www.youtube.com/@handle or --platform youtube (YOUTUBE_API_KEY required)',
  parseTarget: (raw, platform) => accountOn('youtube', raw, platform),
  async pull(account, target, options) {
    return (await import('./index.js')).pullYouTube(account.channel, target, options);
  },
} as const satisfies LiveSource<{ kind: 'youtube'; channel: string }>;
