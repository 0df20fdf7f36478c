/** Facebook's "Download your information" your_posts JSON as a source: a container. */
import type { ExportSource } from '../contract.js';

export const facebookSource = {
  id: 'facebook-export',
  description: 'Facebook "Download your information" your_posts JSON, or a Meta Business Suite page CSV',
  format: 'Facebook posts export',
  platforms: ['facebook'],
  reads: ['container'],
  detect: async (probe) => {
    const { FACEBOOK_POSTS } = await import('./index.js');
    return probe.container.names.some((n) => FACEBOOK_POSTS.test(n));
  },
  load: async (probe) => (await import('./index.js')).loadFacebookPosts(probe.container, { target: probe.target }),
} as const satisfies ExportSource<'container'>;
