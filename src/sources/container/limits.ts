/** Limits on untrusted archives and the entry times they record (SECURITY.md, docs/metrics.md "The report date"). */
import { EngageAuditError } from '../../errors.js';

/**
 * Limits on untrusted archives (SECURITY.md). The defaults are generous for a real 1 GB X archive
 * with its media; a zip bomb or a hostile archive stops quickly with exit 3, before anything is
 * inflated. The config file's `limits` changes them.
 */
export interface ArchiveLimits {
  /** Entries in one zip. */
  entries: number;
  /** Bytes once unpacked, all entries together (as the central directory declares them). */
  unpackedBytes: number;
  /** Unpacked ÷ packed size of one entry above 1 MB (text deflates 5–20×, a bomb 1000× and more). */
  compressionRatio: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = { entries: 500_000, unpackedBytes: 64 * 1024 ** 3, compressionRatio: 200 };

const BOMB_HINT = 'If the archive is genuine, raise the limit in the config file (limits).';

export function bomb(label: string, why: string, kind: 'zip' | 'archive'): EngageAuditError {
  return new EngageAuditError('BAD_ZIP', `${label}: ${why}: refused as a possible ${kind} bomb (limits in SECURITY.md)`, { hint: BOMB_HINT });
}

/** DOS times start in 1980: an entry at or before its first day records no time (some tools write zeros). */
const FIRST_ENTRY_TIME = Date.UTC(1980, 0, 2);

/** Keeps the newest usable entry time. */
export function newerEntryTime(newest: number | null, time: number): number | null {
  if (!Number.isFinite(time) || time < FIRST_ENTRY_TIME) return newest;
  return newest === null || time > newest ? time : newest;
}
