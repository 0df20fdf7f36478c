/**
 * A uniform view of an export as given, by kind: a zip (zip.ts), an extracted folder (folder.ts), a
 * `.tar.gz` (tar-gz.ts); what a file is by its first bytes (sniff.ts); the helpers loaders read
 * entries with (entries.ts).
 */
import type { Container, ReopenSpec } from './entries.js';
import { openFolder } from './folder.js';
import { openZip } from './zip.js';

export { accountNameOf, type Container, findEntries, findEntry, readEntry, readJsonEntry, readSmall, type ReopenSpec, zipDamageOr } from './entries.js';
export { openFolder } from './folder.js';
export { type ArchiveLimits, DEFAULT_LIMITS } from './limits.js';
export { looksLikeGzip, looksLikeZip, sniff } from './sniff.js';
export { openTarGz } from './tar-gz.js';
export { openZip } from './zip.js';

/** Opens the container a spec describes, on whichever thread calls it. */
export function reopenContainer(spec: ReopenSpec): Promise<Container> {
  return spec.kind === 'zip' ? openZip(spec.file, spec.label, spec.limits) : openFolder(spec.dir, spec.label, spec.recursive);
}
