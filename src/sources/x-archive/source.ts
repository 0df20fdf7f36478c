/** The X/Twitter account archive as a source: a container with the tweet files, or one `window.YTD…` file. */
import path from 'node:path';
import { baseName, type ExportSource, parentFolder } from '../contract.js';

export const xArchiveSource = {
  id: 'x-archive',
  description: 'X/Twitter account archive: the .zip as downloaded, the extracted folder, or data/tweets.js',
  format: 'X/Twitter archive',
  platforms: ['x'],
  reads: ['container', 'file'],
  detect: (probe) =>
    probe.kind === 'container'
      ? probe.container.names.some((n) => /^tweets?(-part\d+)?\.js$/.test(baseName(n)) || baseName(n) === 'manifest.js')
      : probe.text.startsWith('window.'),
  async load(probe) {
    const { loadXArchive } = await import('./index.js');
    if (probe.kind === 'container') return loadXArchive(probe.container, { target: probe.target });
    return loadXArchive(await parentFolder(probe.file, probe.target), { target: probe.target, onlyTweetFile: path.basename(probe.file) });
  },
} as const satisfies ExportSource;
