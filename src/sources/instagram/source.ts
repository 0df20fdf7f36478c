/** Instagram's "Download your information" (JSON) as a source: a container. */
import type { ExportSource } from '../contract.js';

export const instagramSource = {
  id: 'instagram-archive',
  description: 'Instagram "Download your information" in JSON: .zip or folder',
  format: 'Instagram export',
  platforms: ['instagram'],
  reads: ['container'],
  detect: async (probe) => (await import('./index.js')).isInstagramExport(probe.container.names),
  load: async (probe) => (await import('./index.js')).loadInstagram(probe.container, { target: probe.target }),
} as const satisfies ExportSource<'container'>;
