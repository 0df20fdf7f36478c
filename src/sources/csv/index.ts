/**
 * Any post-level CSV (docs/metrics.md §7 "CSV"): a column map from `--columns` or a preset recognised by
 * its header (Meta Business Suite page export, Sprout Social post performance). Numbers may carry
 * thousands separators and `%`; ids destroyed by a spreadsheet (`1.22158E+17`) are flagged. Rows are
 * read and mapped as the audit asks for them: a large file is never held in memory.
 */
import type { Account, Dataset, Platform, Post, PostKind } from '../../model/dataset.js';
import { POST_KINDS, PLATFORMS } from '../../model/names.js';
import { EngageAuditError } from '../../errors.js';
import { parseExportDate } from '../../lib/dates.js';
import { handleKey } from '../../lib/accounts.js';
import { MAX_COUNT } from '../../lib/json.js';
import { cell, openCsv, parseNumber } from '../csv-read.js';
import { memoryDataset } from '../memory.js';
import type { ColumnMap, CsvField } from './columns.js';
import { csvSource } from './source.js';

export const PRESETS = {
  meta: {
    description: 'Meta Business Suite page post export',
    columns: {
      id: ['Post ID'], date: ['Publish time'], text: ['Description', 'Title'], url: ['Permalink'],
      likes: ['Reactions', 'Likes'], replies: ['Comments'], reposts: ['Shares'], impressions: ['Views', 'Impressions'],
    },
    account: { id: 'Page ID', handle: 'Account username', displayName: 'Page name' },
    detect: (header: string[]) => has(header, 'Post ID') && has(header, 'Publish time') && (has(header, 'Page ID') || has(header, 'Account username')),
  },
  sprout: {
    description: 'Sprout Social post performance export',
    columns: {
      id: ['Post ID'], date: ['Date'], text: ['Post'], url: ['Link'],
      likes: ['Likes', 'Reactions'], replies: ['Comments'], reposts: ['Shares'], impressions: ['Impressions'],
    },
    account: { displayName: 'Profile' },
    detect: (header: string[]) => has(header, 'Post ID') && has(header, 'Network') && has(header, 'Date') && has(header, 'Impressions'),
  },
} as const satisfies Record<string, { description: string; columns: ColumnMap; account: AccountColumns; detect: (header: string[]) => boolean }>;
/** The columns of a preset that name the account its rows belong to. */
type AccountColumns = Partial<Record<'id' | 'handle' | 'displayName', string>>;
export type Preset = keyof typeof PRESETS;

/** An id a spreadsheet turned into a number: `1.22158E+17`. */
const isMangled = (id: string): boolean => /^\d(\.\d+)?E\+\d+$/i.test(id);

function has(header: string[], name: string): boolean {
  return header.some((h) => h.toLowerCase() === name.toLowerCase());
}


export function detectPreset(header: string[]): Preset | null {
  for (const [name, preset] of Object.entries(PRESETS)) if (preset.detect(header)) return name as Preset;
  return null;
}

/** The platform of a preset's rows: Meta's by its header; Sprout's by the `networks` its rows name, when they all name one. */
function platformOf(header: string[], preset: Preset | null, networks: ReadonlySet<string>): Platform {
  if (preset === 'meta') return has(header, 'Account username') ? 'instagram' : 'facebook';
  if (preset !== 'sprout') return 'other';
  const only = networks.size === 1 ? [...networks][0]! : '';
  const named = only === 'twitter' ? 'x' : only;
  return (PLATFORMS as readonly string[]).includes(named) ? (named as Platform) : 'other';
}

export interface CsvOptions {
  target: string;
  label: string;
  columns?: ColumnMap | undefined;
  followers?: number | undefined;
  platform?: Platform | undefined;
}

/**
 * The posts of a CSV whose bytes `open` reads from the start (each time it is called: a Sprout export
 * is read twice, first for its Network column alone).
 */
export async function loadCsvPosts(open: () => AsyncIterable<Uint8Array>, options: CsvOptions): Promise<Dataset> {
  let csv = await openCsv(open(), options.label);
  const { header } = csv;
  const preset = detectPreset(header);
  const columns: ColumnMap = { ...(preset ? PRESETS[preset].columns : {}), ...options.columns };
  const present = (field: CsvField): string | undefined => columns[field]?.find((c) => has(header, c));
  const countFields = ['likes', 'replies', 'reposts', 'quotes', 'impressions'] as const;
  const counted = countFields.filter((f) => present(f) !== undefined);
  let platform: Platform;
  try {
    if (preset === null && options.columns === undefined) {
      throw new EngageAuditError('UNKNOWN_FORMAT', `${options.target}: a CSV that matches no known export (columns: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', …' : ''})`, {
        hint: 'Say which columns hold what: --platform csv --columns date=<column>,likes=<column>,replies=<column>,… (and --followers N).',
      });
    }
    if (!columns.date) {
      throw new EngageAuditError('USAGE', `${options.label}: which column holds the date? Give --columns date=<column>,likes=<column>,…`, {
        hint: `Columns found: ${header.join(', ')}. Presets: ${Object.keys(PRESETS).join(', ')}.`,
      });
    }
    if (!present('date')) throw new EngageAuditError('MALFORMED', `${options.label}: no column ${columns.date.map((c) => `"${c}"`).join(' or ')} for the date`);
    // Sprout's platform is known only once every row's network is: a first read for that column alone.
    const networks = new Set<string>();
    if (options.platform === undefined && preset === 'sprout') {
      for await (const batch of csv.batches) {
        for (const r of batch.records) {
          const network = (cell(r, 'Network') ?? '').trim().toLowerCase();
          if (network !== '') networks.add(network);
        }
      }
      csv = await openCsv(open(), options.label);
    }
    platform = options.platform ?? platformOf(header, preset, networks);
  } catch (error) {
    csv.close();
    throw error;
  }

  const warnings: string[] = [];
  let mangled = 0;
  const toPost = (r: Record<string, string>, row: number): Post => {
    const get = (field: CsvField): string | undefined => {
      const col = present(field);
      return col === undefined ? undefined : cell(r, col);
    };
    const rawDate = get('date') ?? '';
    const t = parseExportDate(rawDate.replace(/\s*(am|pm)$/i, (m) => ` ${m.trim()}`));
    if (Number.isNaN(t)) throw new EngageAuditError('MALFORMED', `${options.label} row ${row}: date ${JSON.stringify(rawDate)} is not a date`);
    const id = (get('id') ?? '').trim();
    if (isMangled(id)) mangled++;
    if (accountColumns.length > 0) noteAccount(r);
    const kindCell = (get('kind') ?? '').trim().toLowerCase();
    if (kindCell && !(POST_KINDS as readonly string[]).includes(kindCell)) {
      throw new EngageAuditError('MALFORMED', `${options.label} row ${row}: kind ${JSON.stringify(kindCell)} is not one of ${POST_KINDS.join(', ')}`);
    }
    const count = (field: (typeof countFields)[number]): number | null => {
      if (!counted.includes(field)) return null;
      const n = parseNumber(get(field));
      // A blank cell is unknown, not 0; so is a number no count can be (1.22158E+17 from a spreadsheet).
      return n === null || n < 0 || n > MAX_COUNT ? null : Math.round(n);
    };
    const post: Post = {
      id: id || `row-${row}`,
      createdAt: new Date(t).toISOString(),
      kind: (kindCell || 'original') as PostKind,
      text: get('text') ?? '',
      mentions: [],
      client: (get('client') ?? '').trim() || null,
      metrics: { likes: count('likes'), replies: count('replies'), reposts: count('reposts'), quotes: count('quotes'), impressions: count('impressions') },
    };
    const url = (get('url') ?? '').trim();
    if (url) post.url = url;
    if (post.kind === 'repost') post.metrics = { likes: null, replies: null, reposts: null, quotes: null, impressions: null };
    return post;
  };

  // The account the rows name (docs/metrics.md "Naming the account"): named only when every row that
  // names one names the same; the first two different ones are kept for the warning.
  const accountColumns = Object.entries(preset ? PRESETS[preset].account : {}).filter(([, c]) => has(header, c)) as Array<[keyof AccountColumns, string]>;
  const named = new Map<string, AccountColumns>();
  const noteAccount = (r: Record<string, string>): void => {
    const fields: AccountColumns = {};
    for (const [field, column] of accountColumns) {
      const value = (cell(r, column) ?? '').trim();
      if (value !== '' && !(field === 'id' && isMangled(value))) fields[field] = field === 'handle' ? handleKey(value) : value;
    }
    const key = JSON.stringify(fields);
    if (key !== '{}' && named.size < 2) named.set(key, fields);
  };
  const nameAccount = (): void => {
    const [only, other] = [...named.values()];
    if (only === undefined) return;
    if (other === undefined) {
      account.id = only.id ?? null;
      account.handle = only.handle ?? null;
      account.displayName = only.displayName ?? null;
      delete dataset.availability['account'];
      return;
    }
    const show = (f: AccountColumns) => f.displayName ?? f.handle ?? f.id;
    const why = `The rows name more than one account (${show(only)}, ${show(other)}, …).`;
    dataset.availability['account'] = why;
    warnings.push(`${why} They are counted as one account, named by none.`);
  };

  const account: Account = { id: null, handle: null, displayName: null, followers: options.followers ?? null, following: null, posts: null };
  async function* posts(): AsyncGenerator<Post[]> {
    let total = 0;
    for await (const batch of csv.batches) {
      const out = batch.records.map((r, k) => toPost(r, batch.row + k));
      total += out.length;
      if (out.length > 0) yield out;
    }
    account.posts = total;
    nameAccount();
    if (mangled > 0) warnings.push(`${mangled} post id${mangled === 1 ? ' was' : 's were'} turned into numbers like 1.22158E+17 by a spreadsheet: those ids are lost (the counts are fine).`);
  }
  const missing = (field: string) => `The CSV has no ${field} column${preset ? ` (${PRESETS[preset].description})` : ''}.`;
  const countHeld = (field: (typeof countFields)[number]) => counted.includes(field) || missing(field);
  const kinds = present('kind') !== undefined || 'The CSV has no kind column: every row counts as an original post.';
  const dataset = memoryDataset({
    platform,
    source: 'csv',
    target: options.target,
    account,
    declaration: {
      likes: countHeld('likes'),
      replies: countHeld('replies'),
      reposts: countHeld('reposts'),
      quotes: countHeld('quotes'),
      impressions: countHeld('impressions'),
      inboundIdentities: 'A post-level CSV does not say who interacted.',
      replyThreads: 'A post-level CSV holds none of the replies under your posts.',
      replyPosts: kinds,
      repostPosts: kinds,
      quotePosts: kinds,
      threadPosts: kinds,
      outboundIdentities: 'A post-level CSV does not name the accounts your posts answer or mention.',
      followers: options.followers !== undefined || 'Give the follower count with --followers N.',
      following: 'A post-level CSV has no following count.',
      followerIds: 'A post-level CSV has no follower list.',
      followingIds: 'A post-level CSV has no following list.',
      followerProfiles: 'A post-level CSV has no follower list.',
      followerOrder: 'A post-level CSV has no follower list.',
      likesGiven: 'A post-level CSV has no likes given.',
      clients: present('client') !== undefined || 'The CSV has no client column.',
      // Settled once every row is read (nameAccount).
      account: accountColumns.length > 0 ? 'No row names the account.' : 'A post-level CSV does not name the account.',
    },
    posts: posts(),
    warnings,
    format: preset ? `${csvSource.format} (${PRESETS[preset].description})` : csvSource.format,
    files: [options.label],
    close: () => csv.close(),
  });
  return dataset;
}
