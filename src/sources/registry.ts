/**
 * The sources, in order: live platforms first, then exports in the order detection tries them. Adding a
 * platform is one folder with a source.ts and one line here. This module stays light: each source
 * imports its reader only when it is chosen, so the command line can read the list at start-up.
 */
import { blueskySource } from './bluesky/source.js';
import { blueskyCarSource } from './bluesky-car/source.js';
import { type ExportSource, isLive, type LiveSource, type Source } from './contract.js';
import { csvSource } from './csv/source.js';
import { datasetSource } from './dataset/source.js';
import { facebookSource } from './facebook/source.js';
import { facebookPagesSource } from './facebook-pages/source.js';
import { instagramSource } from './instagram/source.js';
import { instagramApiSource } from './instagram-api/source.js';
import { linkedinSource } from './linkedin/source.js';
import { mastodonSource } from './mastodon/source.js';
import { mastodonArchiveSource } from './mastodon-archive/source.js';
import { threadsSource } from './threads/source.js';
import { xSource } from './x-api/source.js';
import { xArchiveSource } from './x-archive/source.js';
import { youtubeSource } from './youtube/source.js';

export const SOURCES = [
  xSource,
  blueskySource,
  mastodonSource,
  youtubeSource,
  facebookPagesSource,
  threadsSource,
  instagramApiSource,
  blueskyCarSource,
  xArchiveSource,
  mastodonArchiveSource,
  datasetSource,
  linkedinSource,
  instagramSource,
  facebookSource,
  csvSource,
] as const satisfies readonly Source[];

const ALL: readonly Source[] = SOURCES;
export const LIVE_SOURCES: readonly LiveSource[] = ALL.filter(isLive);
export const EXPORT_SOURCES: readonly ExportSource[] = ALL.filter((s): s is ExportSource => !isLive(s));

/** The `--platform` values: each live platform, then each export's. */
export const PLATFORM_CHOICES: readonly string[] = [...new Set(ALL.flatMap((s): readonly string[] => (isLive(s) ? [s.id] : s.platforms)))];
