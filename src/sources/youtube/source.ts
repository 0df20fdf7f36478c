/** The YouTube Data API v3 as a source: the contract of contract.ts over pullYouTube. */
import { liveSource } from '../contract.js';

export const youtubeSource = liveSource('youtube', 'YouTube Data API v3: yt:@handle, yt:UC…, https://www.youtube.com/@handle or --platform youtube (YOUTUBE_API_KEY required)', async (account, target, options) =>
  (await import('./index.js')).pullYouTube(account.channel, target, options),
);
