/** The Mastodon account archive as a source: a container with outbox.json. */
import { baseName, type ExportSource } from '../contract.js';

export const mastodonArchiveSource = {
  id: 'mastodon-archive',
  description: 'Mastodon account archive: .zip, .tar.gz or folder (outbox.json, actor.json, likes.json)',
  format: 'Mastodon archive',
  platforms: ['mastodon'],
  reads: ['container'],
  detect: (probe) => probe.container.names.some((n) => baseName(n) === 'outbox.json'),
  async load(probe, options) {
    return (await import('./index.js')).loadMastodonArchive(probe.container, { target: probe.target, includePrivate: options.includePrivate ?? false });
  },
} as const satisfies ExportSource<'container'>;
