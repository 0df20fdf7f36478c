/** The Bluesky repository export (.car) as a source: a file whose header holds the CAR's `roots` and `version` keys. */
import type { ExportSource } from '../contract.js';

export const blueskyCarSource = {
  id: 'bluesky-car',
  description: 'Bluesky repository export: the .car file',
  format: 'Bluesky repository (CAR)',
  platforms: ['bluesky'],
  reads: ['file'],
  detect: (probe) => probe.head.includes(Buffer.from('eroots')) && probe.head.includes(Buffer.from('gversion')),
  load: async (probe, options) => (await import('./index.js')).loadBlueskyCar(probe.file, { target: probe.target, label: probe.target, size: probe.size, onEvent: options?.pull?.onEvent }),
} as const satisfies ExportSource<'file'>;
