/** The LinkedIn data export as a source: a container with Shares.csv or Connections.csv, or one of its CSV files. */
import path from 'node:path';
import { baseName, type ExportSource, parentFolder } from '../contract.js';

export const linkedinSource = {
  id: 'linkedin',
  description: 'LinkedIn data export: .zip or folder (Shares.csv, Comments.csv, Connections.csv …)',
  format: 'LinkedIn export',
  platforms: ['linkedin'],
  reads: ['container', 'file'],
  detect: (probe, options) =>
    probe.kind === 'container'
      ? probe.container.names.some((n) => /^(shares(_\d+)?|connections)\.csv$/.test(baseName(n)))
      : !probe.json && /^(shares(_\d+)?|connections|comments|reactions)\.csv$/i.test(path.basename(probe.file)) && (options.platform === undefined || options.platform === 'linkedin'),
  async load(probe) {
    const { loadLinkedIn } = await import('./index.js');
    if (probe.kind === 'container') return loadLinkedIn(probe.container, { target: probe.target });
    // One CSV file: the export's other CSV files beside it.
    const folder = await parentFolder(probe.file, probe.target);
    return loadLinkedIn({ ...folder, names: folder.names.filter((n) => n.toLowerCase().endsWith('.csv')) }, { target: probe.target });
  },
} as const satisfies ExportSource;
