/**
 * What a source is. An export source says whether it reads a folder, an archive or a file (by content)
 * and loads it; a live source reads an account out of a target and pulls it. The registry
 * (registry.ts) lists them in order. A source module imports its heavy reader only in `load` or `pull`.
 */
import path from 'node:path';
import type { Dataset } from '../model/dataset.js';
import type { ArchiveLimits, Container } from './container/index.js';
import type { ColumnMap } from './csv/columns.js';
import type { PullOptions } from './pull-options.js';
import { accountOn, type Target } from './targets.js';

export interface LoadOptions {
  /** Where relative paths start. */
  cwd?: string;
  /** Standard input's bytes, for the `-` target. */
  stdin?: () => AsyncIterable<Uint8Array>;
  /** `--platform`: how to read a handle that could belong to several platforms, or which export a path is. */
  platform?: string | undefined;
  /** Settings of API pulls; defaults in DEFAULT_PULL. */
  pull?: Partial<PullOptions>;
  /** Keep direct messages of a Mastodon archive. */
  includePrivate?: boolean | undefined;
  /** CSV: the column map (`--columns`) and the follower count (`--followers`). */
  columns?: ColumnMap | undefined;
  followers?: number | undefined;
  /** Limits on untrusted archives (zip bombs); defaults in DEFAULT_LIMITS. */
  limits?: ArchiveLimits | undefined;
}

/** What an export source is shown: a folder or archive (its file names), or one file (its first bytes). */
export type Probe =
  | { kind: 'container'; container: Container; target: string }
  | {
      kind: 'file';
      /** The absolute path, and the target as the user wrote it. */
      file: string;
      target: string;
      head: Buffer;
      /** The head as text, without a byte-order mark or leading space. */
      text: string;
      size: number;
      /** The text starts as JSON does (`{` or `[`). */
      json: boolean;
    };

/** An export source; `K`, the kinds of input it reads, is all the registry shows it. */
export interface ExportSource<K extends Probe['kind'] = Probe['kind']> {
  id: string;
  description: string;
  /** Its name in `inspect` (a saved dataset has none: it shows the source it was saved from). */
  format?: string;
  /** The `--platform` values that name this export. */
  platforms: readonly string[];
  reads: readonly K[];
  /** Whether the input is this export, by its content. For a container, `--platform` overrides it. */
  detect(probe: Extract<Probe, { kind: K }>, options: LoadOptions): boolean | Promise<boolean>;
  load(probe: Extract<Probe, { kind: K }>, options: LoadOptions): Promise<Dataset>;
}

/** An account on a live platform, as a target names it. */
export type Account = Exclude<Target, { kind: 'path' } | { kind: 'stdin' }>;

export interface LiveSource<A extends Account = Account> {
  /** The platform, as `--platform` names it. */
  id: A['kind'];
  description: string;
  /** The account a target names on this platform, or null. `platform` is `--platform`, if any. */
  parseTarget(raw: string, platform: string | undefined): A | null;
  pull(account: A, target: string, options: PullOptions): Promise<Dataset>;
}

/**
 * A live platform's contract from its id, its description and its pull: the account is read from a
 * target by targets.ts for that id. The pull should import the platform's reader only when called.
 */
export function liveSource<K extends Account['kind']>(
  id: K,
  description: string,
  pull: (account: Extract<Account, { kind: K }>, target: string, options: PullOptions) => Promise<Dataset>,
): LiveSource<Extract<Account, { kind: K }>> {
  // The id is the account's kind: TypeScript cannot see that through the distributed Extract.
  return { id, description, parseTarget: (raw: string, platform: string | undefined) => accountOn(id, raw, platform), pull } as unknown as LiveSource<Extract<Account, { kind: K }>>;
}

export type Source = ExportSource | LiveSource;

export const isLive = (source: Source): source is LiveSource => 'pull' in source;

/** A path's last part, in lower case. */
export const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1).toLowerCase();

/** The folder a file is in, not walked into its subfolders: for one file of an extracted export. */
export async function parentFolder(file: string, target: string): Promise<Container> {
  const { openFolder } = await import('./container/folder.js');
  return openFolder(path.dirname(file), path.dirname(target) || '.', false);
}
