/**
 * The LinkedIn member export (FORMATS.md §5): Shares.csv (both header spellings, the 2018 UTF-16
 * tab-separated variant, the literal-quote quirk of multi-line commentary), Comments.csv (replies),
 * Reactions.csv (likes given), Connections.csv (header below the `Notes:` preamble; connections are
 * mutual) and Member_Follows.csv. Files are matched by base name, case-insensitively. LinkedIn gives
 * no counts of what posts received and no follower list.
 */
import type { Dataset, Post, PostKind } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { parseExportDate } from '../../lib/dates.js';
import { type Container, findEntries, readSmall } from '../container.js';
import { cell, decodeCsv, parseCsv, type CsvTable } from '../csv-read.js';
import { memoryDataset, noReceivedCounts } from '../memory.js';

const LINKEDIN_POST = /^https?:\/\/(www\.)?linkedin\.com\/(feed\/update|posts)\//i;

/** Undoes LinkedIn's quirk: after the first line, each line of a multi-line text is wrapped in literal quotes. */
export function unquoteLines(text: string): string {
  const lines = text.split(/\r?\n/);
  if (lines.length === 1) return text;
  const strip = (l: string): string => l.replace(/^"/, '').replace(/"$/, '');
  return [lines[0]!.replace(/"$/, ''), ...lines.slice(1).map(strip)].join('\n');
}

async function table(container: Container, base: RegExp, findHeader?: (cells: string[]) => boolean): Promise<{ name: string; table: CsvTable } | null> {
  const name = findEntries(container, base)[0];
  if (!name) return null;
  const text = decodeCsv(await readSmall(container, name, 512 << 20));
  return { name, table: parseCsv(text, `${container.label}: ${name}`, findHeader) };
}

function date(value: string | undefined, where: string): string {
  const t = parseExportDate((value ?? '').replace(/\s+UTC$/i, ' UTC'));
  if (Number.isNaN(t)) throw new EngageAuditError('MALFORMED', `${where}: Date ${JSON.stringify(value ?? '')} is not a date LinkedIn writes`);
  return new Date(t).toISOString();
}

export async function loadLinkedIn(container: Container, options: { target: string }): Promise<Dataset> {
  const shares = await table(container, /^shares(_\d+)?\.csv$/i);
  const connections = await table(container, /^connections\.csv$/i, (cells) => cells[0]?.toLowerCase() === 'first name');
  if (!shares && !connections) throw new EngageAuditError('UNKNOWN_FORMAT', `${container.label}: no Shares.csv or Connections.csv: not a LinkedIn export`);
  const comments = await table(container, /^comments\.csv$/i);
  const reactions = await table(container, /^reactions\.csv$/i);
  const follows = await table(container, /^member_follows\.csv$/i);
  const warnings: string[] = [];

  const posts: Post[] = [];
  shares?.table.records.forEach((r, i) => {
    const where = `${container.label}: ${shares.name} row ${shares.table.headerLine + i + 1}`;
    const commentary = unquoteLines(cell(r, 'ShareCommentary', 'Share Commentary') ?? '').trim();
    const shared = (cell(r, 'SharedUrl', 'SharedURL', 'Shared URL') ?? '').trim();
    let kind: PostKind = 'original';
    if (LINKEDIN_POST.test(shared)) kind = commentary === '' ? 'repost' : 'quote';
    const link = (cell(r, 'ShareLink', 'Share Link') ?? '').trim();
    const post: Post = {
      id: link || `${shares.name}#${i + 1}`,
      createdAt: date(cell(r, 'Date'), where),
      kind,
      text: commentary,
      mentions: [],
      client: null,
      metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null },
    };
    if (link) post.url = link;
    if (kind !== 'original') post.targetPostId = shared;
    posts.push(post);
  });
  comments?.table.records.forEach((r, i) => {
    const where = `${container.label}: ${comments.name} row ${comments.table.headerLine + i + 1}`;
    const link = (cell(r, 'Link') ?? '').trim();
    const post: Post = {
      id: `comment:${link}#${i + 1}`,
      createdAt: date(cell(r, 'Date'), where),
      kind: 'reply',
      text: cell(r, 'Message') ?? '',
      target: {},
      mentions: [],
      client: null,
      metrics: { likes: null, replies: null, reposts: null, quotes: null, impressions: null },
    };
    if (link) post.targetPostId = link;
    posts.push(post);
  });

  const personKey = (r: Record<string, string>): string => {
    const url = (cell(r, 'URL', 'Profile URL') ?? '').trim();
    return url || `${(cell(r, 'First Name') ?? '').trim()} ${(cell(r, 'Last Name') ?? '').trim()}`.trim();
  };
  const connectionIds = connections ? connections.table.records.map(personKey).filter((k) => k !== '') : null;
  const followIds = follows
    ? follows.table.records.filter((r) => (cell(r, 'Status') ?? 'Active').trim().toLowerCase() === 'active').map((r) => (cell(r, 'FullName', 'Full Name') ?? '').trim()).filter((k) => k !== '')
    : [];
  const followingIds = connectionIds === null ? null : [...connectionIds, ...followIds];
  if (connections && /\d+-[A-Za-z]{3}-\d{2}/.test(cell(connections.table.records[0] ?? {}, 'Connected On') ?? '')) {
    warnings.push('Connections.csv looks re-saved by a spreadsheet (dates like 9-Sep-22).');
  }

  return memoryDataset({
    platform: 'linkedin',
    source: 'archive',
    target: options.target,
    account: {
      id: null,
      handle: null,
      displayName: null,
      followers: connectionIds?.length ?? null,
      following: followingIds?.length ?? null,
      posts: posts.length,
    },
    availability: {
      ...noReceivedCounts('The LinkedIn export', 'LinkedIn keeps them in its own analytics'),
      ...(connectionIds === null
        ? { followers: 'Connections.csv was not found.', following: 'Connections.csv was not found.', followerIds: 'Connections.csv was not found.', followingIds: 'Connections.csv was not found.' }
        : {}),
      ...(reactions === null ? { likesGiven: 'Reactions.csv was not found.' } : {}),
      clients: 'LinkedIn does not record the app that sent each post.',
      account: 'The export does not name the account; followers here are your connections (they are mutual).',
    },
    followerIds: connectionIds,
    followingIds,
    likesGiven: reactions?.table.records.length ?? null,
    posts,
    warnings,
    format: 'LinkedIn export',
    files: [...container.names],
  });
}
