/**
 * The LinkedIn member export (docs/formats.md `linkedin`): Shares.csv (both header spellings, the 2018 UTF-16
 * tab-separated variant, the literal-quote quirk of multi-line commentary, a row per attached media),
 * Comments.csv (replies), Reactions.csv (likes given), all three read as LinkedIn writes them (see
 * `LINKEDIN_RECORD`; docs/metrics.md §7), Connections.csv (header below the `Notes:` preamble;
 * connections are mutual) and Member_Follows.csv. Files are matched by base name, case-insensitively.
 * LinkedIn gives no counts of what posts received and no follower list.
 */
import type { Dataset, Post, PostKind } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { parseExportDate } from '../../lib/dates.js';
import { accountNameOf, type Container, findEntries, readEntry } from '../container/index.js';
import { cell, csvBatches, lineRecordBatches, type CsvBatch } from '../csv-read.js';
import { memoryDataset, noReceivedCounts } from '../memory.js';
import { linkedinSource } from './source.js';

const LINKEDIN_POST = /^https?:\/\/(www\.)?linkedin\.com\/(feed\/update|posts)\//i;

/** Undoes LinkedIn's quirk: after the first line, each line of a multi-line text is wrapped in literal quotes. */
export function unquoteLines(text: string): string {
  const lines = text.split(/\r?\n/);
  if (lines.length === 1) return text;
  const strip = (l: string): string => l.replace(/^"/, '').replace(/"$/, '');
  return [lines[0]!.replace(/"$/, ''), ...lines.slice(1).map(strip)].join('\n');
}

/**
 * How LinkedIn writes Shares.csv, Comments.csv and Reactions.csv (not RFC 4180): a record begins at a
 * line that begins with its date (`2025-07-13 08:15:21`, 2018: `"2017/08/21 06:50:00 UTC"`), or, when
 * LinkedIn left the date blank, with the delimiter and a LinkedIn address; the lines in between belong
 * to it, raw line breaks and `\"`-escaped quotes included.
 */
const LINKEDIN_RECORD = /^"?\d{4}([-/])\d{2}\1\d{2} \d{2}:\d{2}:\d{2}(?: UTC)?"?(?:[,\t]|$)|^(?:"")?[,\t]"?https?:\/\/(?:www\.)?linkedin\.com\//;

/** Said under every LinkedIn file that cannot be read: downloading the same export again would not help. */
const NOT_AS_LINKEDIN_WRITES =
  'LinkedIn\'s files are read as LinkedIn writes them, and this one is not: use the file from the downloaded export as it is, not a copy opened and saved by a spreadsheet.';

/** A file read as LinkedIn writes its posts and reactions (the text column, if any, may take line breaks). */
interface LinkedInLayout {
  textColumn?: string;
}

/**
 * Where every LinkedIn CSV is read: as a stream, a batch of records at a time, each batch made into
 * what the reader keeps by `each` (so rows are never all held). `each` runs inside the entry's read:
 * a row that does not map in a damaged zip is reported as the damage. Files with a `layout` are read
 * as LinkedIn writes them (`LINKEDIN_RECORD`) and must begin with a `Date` column; the others
 * (Connections.csv, Member_Follows.csv) as RFC 4180.
 */
async function* readCsv<T>(container: Container, name: string, each: (batch: CsvBatch) => T, read: LinkedInLayout | ((cells: string[]) => boolean) | undefined): AsyncGenerator<T> {
  const label = `${container.label}: ${name}`;
  try {
    yield* readEntry(container, name, async function* (stream) {
      if (read === undefined || typeof read === 'function') {
        for await (const batch of csvBatches(stream, label, read)) yield each(batch);
        return;
      }
      for await (const batch of lineRecordBatches(stream, label, { recordStart: LINKEDIN_RECORD, ...read })) {
        const first = batch.header[0] ?? '';
        if (first.toLowerCase() !== 'date') {
          throw new EngageAuditError('MALFORMED', `${label}: its header begins ${JSON.stringify(first)}, not with the Date column LinkedIn writes first: not LinkedIn's ${name}`);
        }
        yield each(batch);
      }
    });
  } catch (error) {
    if (error instanceof EngageAuditError && error.code === 'MALFORMED') throw new EngageAuditError('MALFORMED', error.message, { hint: NOT_AS_LINKEDIN_WRITES });
    throw error;
  }
}

/** Every value `each` gives for the records of a file, or null when there is no such file. */
async function collect<T>(container: Container, name: string | undefined, each: (batch: CsvBatch) => T[], read?: LinkedInLayout | ((cells: string[]) => boolean)): Promise<T[] | null> {
  if (name === undefined) return null;
  const out: T[] = [];
  for await (const values of readCsv(container, name, each, read)) for (const v of values) out.push(v);
  return out;
}

/** The account's name: First Name and Last Name of Profile.csv's first row (no other column is read). */
async function profileName(container: Container, name: string | undefined, warnings: string[]): Promise<string | null> {
  return accountNameOf(async () => {
    const names = await collect(container, name, (batch) => batch.records.slice(0, 1).map((r) => `${(cell(r, 'First Name') ?? '').trim()} ${(cell(r, 'Last Name') ?? '').trim()}`.trim()));
    return names?.find((n) => n !== '') ?? null;
  }, warnings);
}

function date(value: string | undefined, where: string): string {
  const t = parseExportDate((value ?? '').replace(/\s+UTC$/i, ' UTC'));
  if (Number.isNaN(t)) throw new EngageAuditError('MALFORMED', `${where}: Date ${JSON.stringify(value ?? '')} is not a date LinkedIn writes`);
  return new Date(t).toISOString();
}

const NO_COUNTS = { likes: null, replies: null, reposts: null, quotes: null, impressions: null };

/** What reading a file's posts left out, to be said once it is read. */
interface LeftOut {
  /** Rows whose Date LinkedIn left blank. */
  undated: number;
  /** Shares.csv rows repeating the ShareLink of the row before (LinkedIn writes a row per attached media). */
  repeated: number;
  lastLink: string;
}

/** The rows of a batch that are posts: a blank Date or a repeat of the row before is counted in `left`, not kept. */
function postRows(batch: CsvBatch, left: LeftOut, linkOf?: (r: Record<string, string>) => string): Array<{ r: Record<string, string>; row: number }> {
  const out: Array<{ r: Record<string, string>; row: number }> = [];
  batch.records.forEach((r, k) => {
    if (linkOf) {
      const link = linkOf(r);
      if (link !== '' && link === left.lastLink) {
        left.repeated++;
        return;
      }
      left.lastLink = link;
    }
    if ((cell(r, 'Date') ?? '').trim() === '') left.undated++;
    else out.push({ r, row: batch.row + k });
  });
  return out;
}

const shareLink = (r: Record<string, string>): string => (cell(r, 'ShareLink', 'Share Link') ?? '').trim();

/** The posts of a batch of Shares.csv rows. */
function sharePosts(label: string, name: string, batch: CsvBatch, left: LeftOut): Post[] {
  return postRows(batch, left, shareLink).map(({ r, row }) => {
    const where = `${label}: ${name} row ${row}`;
    const commentary = unquoteLines(cell(r, 'ShareCommentary', 'Share Commentary') ?? '').trim();
    const shared = (cell(r, 'SharedUrl', 'SharedURL', 'Shared URL') ?? '').trim();
    let kind: PostKind = 'original';
    if (LINKEDIN_POST.test(shared)) kind = commentary === '' ? 'repost' : 'quote';
    const link = shareLink(r);
    const post: Post = {
      id: link || `${name}#${row - batch.headerLine}`,
      createdAt: date(cell(r, 'Date'), where),
      kind,
      text: commentary,
      mentions: [],
      client: null,
      metrics: { ...NO_COUNTS },
    };
    if (link) post.url = link;
    if (kind !== 'original') post.targetPostId = shared;
    return post;
  });
}

/** The replies of a batch of Comments.csv rows. */
function commentPosts(label: string, name: string, batch: CsvBatch, left: LeftOut): Post[] {
  return postRows(batch, left).map(({ r, row }) => {
    const where = `${label}: ${name} row ${row}`;
    const link = (cell(r, 'Link') ?? '').trim();
    const post: Post = {
      id: `comment:${link}#${row - batch.headerLine}`,
      createdAt: date(cell(r, 'Date'), where),
      kind: 'reply',
      text: cell(r, 'Message') ?? '',
      target: {},
      mentions: [],
      client: null,
      metrics: { ...NO_COUNTS },
    };
    if (link) post.targetPostId = link;
    return post;
  });
}

/**
 * Shares.csv and Comments.csv, the posts, are read as the audit asks for them, so a large export is
 * never held in memory; the other files (connections, follows, reactions) are read first and only
 * what they count is kept.
 */
export async function loadLinkedIn(container: Container, options: { target: string }): Promise<Dataset> {
  const file = (base: RegExp): string | undefined => findEntries(container, base)[0];
  const sharesName = file(/^shares(_\d+)?\.csv$/i);
  const connectionsName = file(/^connections\.csv$/i);
  if (!sharesName && !connectionsName) throw new EngageAuditError('UNKNOWN_FORMAT', `${container.label}: no Shares.csv or Connections.csv: not a LinkedIn export`);
  const commentsName = file(/^comments\.csv$/i);
  const reactionsName = file(/^reactions\.csv$/i);
  const followsName = file(/^member_follows\.csv$/i);
  const warnings: string[] = [];
  const displayName = await profileName(container, file(/^profile\.csv$/i), warnings);

  const personKey = (r: Record<string, string>): string => {
    const url = (cell(r, 'URL', 'Profile URL') ?? '').trim();
    return url || `${(cell(r, 'First Name') ?? '').trim()} ${(cell(r, 'Last Name') ?? '').trim()}`.trim();
  };
  let resaved = false;
  const connectionIds = await collect(
    container,
    connectionsName,
    (batch) => {
      if (batch.row === batch.headerLine + 1 && /\d+-[A-Za-z]{3}-\d{2}/.test(cell(batch.records[0] ?? {}, 'Connected On') ?? '')) resaved = true;
      return batch.records.map(personKey).filter((k) => k !== '');
    },
    (cells) => cells[0]?.toLowerCase() === 'first name',
  );
  const followIds =
    (await collect(container, followsName, (batch) =>
      batch.records.filter((r) => (cell(r, 'Status') ?? 'Active').trim().toLowerCase() === 'active').map((r) => (cell(r, 'FullName', 'Full Name') ?? '').trim()).filter((k) => k !== ''),
    )) ?? [];
  const likesGiven = (await collect(container, reactionsName, (batch) => [batch.records.length], {}))?.reduce((a, b) => a + b, 0) ?? null;
  const followingIds = connectionIds === null ? null : [...connectionIds, ...followIds];
  if (resaved) warnings.push('Connections.csv looks re-saved by a spreadsheet (dates like 9-Sep-22).');

  const account = { id: null, handle: null, displayName, followers: connectionIds?.length ?? null, following: followingIds?.length ?? null, posts: null as number | null };
  const label = container.label;
  async function* posts(): AsyncGenerator<Post[]> {
    let total = 0;
    const files = [
      [sharesName, sharePosts, 'ShareCommentary'],
      [commentsName, commentPosts, 'Message'],
    ] as const;
    for (const [name, each, textColumn] of files) {
      if (name === undefined) continue;
      const left: LeftOut = { undated: 0, repeated: 0, lastLink: '' };
      for await (const batch of readCsv(container, name, (b) => each(label, name, b, left), { textColumn })) {
        total += batch.length;
        if (batch.length > 0) yield batch;
      }
      if (left.undated > 0) warnings.push(`${name}: ${left.undated} row${left.undated === 1 ? '' : 's'} whose Date LinkedIn left blank ${left.undated === 1 ? 'is' : 'are'} not counted.`);
      if (left.repeated > 0) warnings.push(`${name}: ${left.repeated} row${left.repeated === 1 ? '' : 's'} repeat the post of the row before (LinkedIn writes a row per attached media): each post is counted once.`);
    }
    account.posts = total;
  }

  const stream = posts();
  const noConnections = connectionIds === null ? 'Connections.csv was not found.' : null;
  const noShares = sharesName === undefined ? 'Shares.csv was not found: your reposts and quotes are not counted.' : null;
  return memoryDataset({
    platform: 'linkedin',
    source: 'archive',
    target: options.target,
    account,
    declaration: {
      ...noReceivedCounts('The LinkedIn export', 'LinkedIn keeps them in its own analytics'),
      replyPosts: commentsName === undefined ? 'Comments.csv was not found: your comments are not counted.' : true,
      repostPosts: noShares ?? true,
      quotePosts: noShares ?? true,
      threadPosts: 'Comments.csv does not say whose post a comment is on: comments on your own posts count as replies.',
      outboundIdentities: 'The LinkedIn export does not name the accounts your comments and shares answer or mention.',
      followers: noConnections ?? true,
      following: noConnections ?? true,
      followerIds: noConnections ?? true,
      followingIds: noConnections ?? true,
      followerProfiles: 'The export lists connections by name only, without their profiles.',
      followerOrder: 'Not read from the export.',
      likesGiven: likesGiven === null ? 'Reactions.csv was not found.' : true,
      clients: 'LinkedIn does not record the app that sent each post.',
      account: displayName === null ? 'The export does not name the account; followers here are your connections (they are mutual).' : true,
    },
    followerIds: connectionIds,
    followingIds,
    likesGiven,
    posts: stream,
    warnings,
    format: linkedinSource.format,
    files: [...container.names],
    close: () => {
      void stream.return(undefined);
      container.close();
    },
  });
}
