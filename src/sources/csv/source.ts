/** Any post CSV as a source: a file named .csv, .tsv or .txt, or whose first line has a comma or a tab. */
import { createReadStream } from 'node:fs';
import type { ExportSource } from '../contract.js';

export const csvSource = {
  id: 'csv',
  description: 'any post CSV: --platform csv --columns date=…,likes=…; presets for Meta Business Suite and Sprout Social',
  format: 'CSV',
  platforms: ['csv'],
  reads: ['file'],
  detect: (probe, options) => !probe.json && (/\.(csv|tsv|txt)$/i.test(probe.file) || options.platform === 'csv' || /^[^\n]*,[^\n]*\n/.test(probe.text) || probe.head.includes(0x09)),
  async load(probe, options) {
    const { loadCsvPosts } = await import('./index.js');
    // Read as a stream, row by row: a post CSV has no size limit but its lines' (1 MB).
    return loadCsvPosts(() => createReadStream(probe.file, { highWaterMark: 1 << 20 }), {
      target: probe.target,
      label: probe.target,
      columns: options.columns,
      followers: options.followers,
      ...(options.platform === 'facebook' || options.platform === 'instagram' ? { platform: options.platform } : {}),
    });
  },
} as const satisfies ExportSource<'file'>;
