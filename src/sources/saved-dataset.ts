/**
 * A dataset saved by `engage-audit pull -o` (or by hand): JSON validated against the dataset schema,
 * audited offline exactly as the live pull was.
 */
import type { Dataset, Interaction, Post, SavedDataset } from '../model/dataset.js';
import { SavedDatasetSchema } from '../model/dataset.js';
import { DEFAULT_SOURCE_DATE } from '../model/names.js';
import { EngageAuditError } from '../errors.js';
import { byteSize } from '../lib/format.js';
import { redactor } from './redact-dataset.js';
import { CAPABILITY_KEYS, CAPABILITY_TITLES, type CapabilityKey, holds, type PartialDeclaration } from '../model/capabilities.js';
import { EVERY_PULL } from './pull-declaration.js';
import { batches } from './memory.js';

export function parseSavedDataset(text: string, label: string): SavedDataset {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new EngageAuditError('MALFORMED', `${label}: not valid JSON (${(error as Error).message})`, {
      hint: 'Give a dataset saved by `engage-audit pull <target> -o dataset.json` (or pipe one into `-`).',
    });
  }
  const parsed = SavedDatasetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new EngageAuditError('MALFORMED', `${label}: not an engage-audit dataset: ${where}: ${issue.message}`, {
      hint: 'Save datasets with `engage-audit pull <target> -o dataset.json`; run `engage-audit schema dataset` for the format.',
    });
  }
  return parsed.data;
}

/** The capability keys that files saved before the full declaration never mention, but for the two their `capabilities` carry. */
export const LATER_KEYS = ['replyPosts', 'repostPosts', 'quotePosts', 'threadPosts', 'outboundIdentities'] as const satisfies readonly CapabilityKey[];

/**
 * The missing keys of a saved dataset (docs/metrics.md "What each source can tell", saved datasets).
 * A file names every key it misses over the keys it lists in `declared`. A file from an older version
 * lists none: a false boolean of its `capabilities` makes that key missing, and of the keys that came
 * later, a live pull holds what every pull holds, while an export saved then is missing them ("save it
 * again"). A list or count the file holds as null is missing whatever the file says.
 */
export function availabilityOf(saved: Pick<SavedDataset, 'availability' | 'capabilities' | 'declared' | 'source' | 'followerIds' | 'followingIds' | 'likesGiven'>): Record<string, string> {
  const out: Record<string, string> = { ...saved.availability };
  if (!saved.capabilities.inboundIdentities) out['inboundIdentities'] ??= 'This saved dataset names nobody who replied to, reposted or liked the posts.';
  if (!saved.capabilities.threads) out['replyThreads'] ??= 'This saved dataset holds no replies under the posts (its threads were not fetched).';
  const declared = new Set(saved.declared ?? CAPABILITY_KEYS.filter((k) => !(LATER_KEYS as readonly string[]).includes(k)));
  const everyPull: PartialDeclaration = EVERY_PULL;
  for (const key of CAPABILITY_KEYS) {
    if (declared.has(key) || out[key] !== undefined) continue;
    if (saved.source !== 'api' || everyPull[key] !== true) out[key] = `This dataset was saved by an older version, which did not record ${CAPABILITY_TITLES[key]}; save it again to have it.`;
  }
  if (saved.followerIds === null) out['followerIds'] ??= 'This saved dataset holds no follower list.';
  if (saved.followingIds === null) out['followingIds'] ??= 'This saved dataset holds no following list.';
  if (saved.likesGiven === null) out['likesGiven'] ??= 'This saved dataset holds no count of likes given.';
  return out;
}

/**
 * A saved dataset audits as the pull it came from: same platform, source and target, so the report is
 * the live run's (but for `generatedAt`). `file` names it in messages.
 */
export function datasetFromSaved(saved: SavedDataset, _file: string): Dataset {
  return {
    platform: saved.platform,
    source: saved.source,
    target: saved.target,
    account: { ...saved.account },
    availability: availabilityOf(saved),
    followerIds: saved.followerIds,
    followingIds: saved.followingIds,
    likesGiven: saved.likesGiven,
    posts: batches<Post>(saved.posts),
    interactions: saved.interactions === null ? null : batches<Interaction>(saved.interactions),
    state: { complete: saved.complete, warnings: [...saved.warnings] },
    asOf: saved.asOf ?? null,
    ...(saved.asOf ? { asOfSource: saved.asOfSource ?? DEFAULT_SOURCE_DATE } : {}),
    coverage: saved.coverage ?? null,
    audience: saved.audience ?? null,
  };
}

/** How much shorter the head may end than it began (see `savedText`). */
const HEAD_SLACK = 64;

export interface SavedText {
  /** The text in pieces, in order; joined, it is the dataset's JSON and a newline. */
  pieces: string[];
  /** The dataset without its posts and interactions. */
  head: Omit<SavedDataset, 'posts' | 'interactions'>;
  posts: number;
  interactions: number | null;
}

/**
 * Reads a dataset's streams to their end into the text `engage-audit pull` saves: the JSON of its
 * saved form (redacted when asked) and a newline. Posts and interactions are turned into text as they
 * come, so memory holds the text, never all of them as objects; past `limit` bytes (what a dataset
 * file may have to be read back whole) reading stops with a USAGE error.
 */
export async function savedText(dataset: Dataset, options: { redact?: boolean; limit: number }): Promise<SavedText> {
  const r = options.redact ? redactor(dataset.account) : null;
  const pieces: string[] = ['']; // the head goes first, once the streams are read
  let bytes = 0;
  let posts = 0;
  const tooLarge = (count: number): EngageAuditError => {
    return new EngageAuditError('USAGE', `${dataset.target}: ${count} posts or more make a dataset larger than one file can be read back (${byteSize(options.limit)})`, {
      hint: 'Audit the export itself (archives are streamed, with no such limit), or pull a shorter window with --since or --days.',
    });
  };
  // The follower lists, set when the dataset is loaded: redacted (or copied) once, they can be long.
  const ids = (list: readonly string[] | null): string[] | null => (list === null ? null : r ? r.ids(list) : [...list]);
  const followerIds = ids(dataset.followerIds);
  const followingIds = ids(dataset.followingIds);
  const audience = dataset.audience ? (r ? r.audience(dataset.audience) : dataset.audience) : null;
  const headOf = (): SavedText['head'] => ({
    kind: 'engage-audit-dataset',
    schemaVersion: 1,
    platform: dataset.platform,
    source: dataset.source,
    target: dataset.target,
    complete: dataset.state.complete,
    warnings: [...dataset.state.warnings],
    account: { ...dataset.account },
    // Still written, derived, so that older versions read newer files.
    capabilities: { inboundIdentities: holds(dataset.availability, 'inboundIdentities'), threads: holds(dataset.availability, 'replyThreads') },
    availability: dataset.availability,
    declared: [...CAPABILITY_KEYS],
    followerIds,
    followingIds,
    likesGiven: dataset.likesGiven,
    asOf: dataset.asOf ?? null,
    // The default is what a file without the field means: written only for the other kinds.
    ...(dataset.asOf && dataset.asOfSource && dataset.asOfSource !== DEFAULT_SOURCE_DATE ? { asOfSource: dataset.asOfSource } : {}),
    // Written when known (live pulls that fetched who interacted); a file without it: unknown.
    ...(dataset.coverage ? { coverage: dataset.coverage } : {}),
    // Written when read (--audience); a file without it: not read.
    ...(audience ? { audience } : {}),
  });
  // The head as it stands now counts from the start (its follower lists may be large); it is made
  // again at the end, when the read's warnings and counts are final. It may end a little shorter
  // (an account's post count set at the end, say): early checks leave it that much room.
  const headBytes = Math.max(0, Buffer.byteLength(JSON.stringify(headOf())) - 1 - HEAD_SLACK);
  bytes = headBytes;
  const add = (text: string, count = posts): void => {
    bytes += Buffer.byteLength(text);
    if (bytes > options.limit) throw tooLarge(count);
    pieces.push(text);
  };
  add(',"posts":[');
  for await (const batch of dataset.posts) {
    for (const p of batch) {
      add(`${posts === 0 ? '' : ','}${JSON.stringify(r ? r.post(p) : p)}`, posts + 1);
      posts += 1;
    }
  }
  add('],"interactions":');
  let interactions: number | null = null;
  if (dataset.interactions) {
    interactions = 0;
    add('[');
    for await (const batch of dataset.interactions) {
      for (const i of batch) {
        add(`${interactions === 0 ? '' : ','}${JSON.stringify(r ? r.interaction(i) : i)}`);
        interactions += 1;
      }
    }
    add(']');
  } else add('null');
  add('}\n');
  // Known only now: whether the read was complete, its warnings, the account's post count.
  const head = headOf();
  const headText = JSON.stringify(head).slice(0, -1); // without its closing brace: posts and interactions follow
  bytes += Buffer.byteLength(headText) - headBytes;
  if (bytes > options.limit) throw tooLarge(posts);
  pieces[0] = headText;
  return { pieces, head, posts, interactions };
}
