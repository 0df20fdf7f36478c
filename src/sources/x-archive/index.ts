/**
 * The X/Twitter account archive source (docs/formats.md `x-archive`): the zip as downloaded, the extracted folder,
 * or a single `tweets.js`/`tweet.js` (its sibling files are read when present). Tweets are streamed
 * part by part; the small files (manifest, account, follower/following lists) are read first.
 */
import type { Account, Dataset, Post } from '../../model/dataset.js';
import { type Declaration, missingOf } from '../../model/capabilities.js';
import { EngageAuditError } from '../../errors.js';
import { arr, obj, str, type Json } from '../../lib/json.js';
import { isoUtc } from '../../lib/dates.js';
import type { Container } from '../container/index.js';
import { readEntry, readSmall, zipDamageOr } from '../container/index.js';
import { compileSelection, decodeEach, type CompiledSelection } from '../../lib/select-json.js';
import { startReaderThread, useReaderThread, type ReaderThread } from './reader-thread.js';
import { mapTweet, TWEET_SELECTION, type Owner } from './map-tweet.js';
import { readYtdArray, readYtdTokens } from './ytd-reader.js';
import { xArchiveSource } from './source.js';

/** Posts handed on at once (see `posts`). */
const POSTS_AT_ONCE = 64;
const TWEETS = compileSelection(TWEET_SELECTION);
const ACCOUNT_ID = (key: string): CompiledSelection => compileSelection({ [key]: { accountId: true } });
/** like.js is only counted: each record is checked, none is built. */
const NOTHING = compileSelection({});

const TWEET_FILE = /^tweets?(?:-part(\d+))?\.js$/i;


function base(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function dir(name: string): string {
  const i = name.lastIndexOf('/');
  return i === -1 ? '' : name.slice(0, i);
}

function partNumber(name: string): number {
  const m = TWEET_FILE.exec(base(name));
  return m?.[1] === undefined ? 0 : Number(m[1]);
}

async function* once(buf: Buffer): AsyncGenerator<Buffer> {
  yield buf;
}

/** All records of a small archive file. */
async function readRecords(container: Container, name: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const label = `${container.label}: ${name}`;
  for await (const batch of readYtdArray(once(await readSmall(container, name)), label)) for (const r of batch) out.push(r);
  return out;
}

/** Streams the records of a possibly large archive file, calling `each` per record. */
async function forEachRecord(container: Container, name: string, select: CompiledSelection, each: (record: unknown) => void): Promise<void> {
  const label = `${container.label}: ${name}`;
  for await (const batch of readEntry(container, name, (stream) => readYtdArray(stream, label, { select }))) for (const r of batch) each(r);
}

/** What the small files say of the account: who it is, whom it follows and is followed by, its likes. */
interface AccountFiles {
  owner: Owner;
  displayName: string | null;
  /** What the small files settle of the declaration. */
  declared: Pick<Declaration, 'account' | 'threadPosts' | 'followers' | 'followerIds' | 'following' | 'followingIds' | 'followerProfiles' | 'followerOrder' | 'likesGiven'>;
  followerIds: string[] | null;
  followingIds: string[] | null;
  likesGiven: number | null;
}

/**
 * account.js (else the manifest's userInfo; the e-mail address is never read), follower.js,
 * following.js and like.js.
 */
async function readAccountFiles(container: Container, inData: (file: string) => string | undefined, manifest: Json | undefined, warnings: string[]): Promise<AccountFiles> {
  const userInfo = obj(manifest?.['userInfo']);
  const owner: Owner = { id: str(userInfo?.['accountId']) ?? null, handle: str(userInfo?.['userName'])?.toLowerCase() ?? null };
  let displayName = str(userInfo?.['displayName']) ?? null;
  const accountFile = inData('account.js');
  if (accountFile) {
    const acc = obj(obj((await readRecords(container, accountFile))[0])?.['account']);
    if (acc) {
      owner.id = str(acc['accountId']) ?? owner.id;
      owner.handle = str(acc['username'])?.toLowerCase() ?? owner.handle;
      displayName = str(acc['accountDisplayName']) ?? displayName;
    }
  }
  const unknown = owner.id === null && owner.handle === null ? 'No account.js or manifest.js: the account is unknown, so self-replies (threads) are counted as replies.' : null;
  if (unknown !== null) warnings.push('account.js not found: self-replies cannot be told from replies to others.');

  const readIds = async (file: string, key: string): Promise<string[] | null> => {
    const name = inData(file);
    if (!name) return null;
    const ids: string[] = [];
    await forEachRecord(container, name, ACCOUNT_ID(key), (r) => {
      const id = str(obj(obj(r)?.[key])?.['accountId']);
      if (id !== undefined) ids.push(id);
    });
    return ids;
  };
  const followerIds = await readIds('follower.js', 'follower');
  const followingIds = await readIds('following.js', 'following');
  let likesGiven: number | null = null;
  const likeFile = inData('like.js');
  if (likeFile) {
    // Counted from the token batches: each record is checked, none is built.
    likesGiven = 0;
    const label = `${container.label}: ${likeFile}`;
    for await (const { count } of readEntry(container, likeFile, (stream) => readYtdTokens(stream, label, { select: NOTHING }))) likesGiven += count;
  }
  const noFollowers = followerIds === null ? 'follower.js is missing from the archive.' : true;
  const noFollowing = followingIds === null ? 'following.js is missing from the archive.' : true;
  const declared = {
    account: unknown ?? true,
    threadPosts: unknown ?? true,
    followers: noFollowers,
    followerIds: noFollowers,
    following: noFollowing,
    followingIds: noFollowing,
    followerProfiles: 'follower.js names followers by id only, without their profiles.',
    followerOrder: 'follower.js does not say when each follower followed.',
    likesGiven: likesGiven === null ? 'like.js is missing from the archive.' : true,
  } as const;
  return { owner, displayName, declared, followerIds, followingIds, likesGiven };
}

function parseManifest(buf: Buffer, label: string): Json {
  const text = buf.toString('utf8');
  const eq = text.indexOf('=');
  if (eq === -1) throw new EngageAuditError('MALFORMED', `${label}: no \`window.__THAR_CONFIG =\` wrapper`);
  try {
    const value = obj(JSON.parse(text.slice(eq + 1).trim().replace(/;\s*$/, '')));
    if (!value) throw new Error('not an object');
    return value;
  } catch (error) {
    throw new EngageAuditError('MALFORMED', `${label}: not valid JSON after the wrapper (${(error as Error).message})`);
  }
}

export interface XArchiveOptions {
  /** When the user named one tweets file, only that file is read. */
  onlyTweetFile?: string | undefined;
  target: string;
}

export async function loadXArchive(container: Container, options: XArchiveOptions): Promise<Dataset> {
  const names = container.names;
  if (names.length === 0) {
    throw new EngageAuditError('EMPTY_INPUT', `${container.label}: the ${container.kind} is empty`);
  }
  const manifestName = names.filter((n) => base(n).toLowerCase() === 'manifest.js').sort((a, b) => a.length - b.length)[0];
  const tweetCandidates = names.filter((n) => TWEET_FILE.test(base(n)));
  const warnings: string[] = [];
  let complete = true;

  let manifest: Json | undefined;
  if (manifestName) manifest = parseManifest(await readSmall(container, manifestName), `${container.label}: ${manifestName}`);
  const dataDir = manifestName !== undefined ? dir(manifestName) : tweetCandidates.length > 0 ? dir(tweetCandidates.sort((a, b) => a.length - b.length)[0]!) : null;
  if (dataDir === null) {
    throw new EngageAuditError('UNKNOWN_FORMAT', `${container.label}: no data/tweets.js or data/tweet.js found: not an X archive`);
  }
  const rootDir = dir(dataDir);
  const inData = (file: string): string | undefined => {
    const want = (dataDir ? `${dataDir}/${file}` : file).toLowerCase();
    return names.find((n) => n.toLowerCase() === want);
  };
  const resolveManifestFile = (fileName: string): string | undefined => {
    const direct = rootDir ? `${rootDir}/${fileName}` : fileName;
    return names.find((n) => n === direct) ?? inData(base(fileName));
  };

  // Which tweet files: the one named, else the manifest's list, else the ones found beside it.
  let tweetFiles: string[];
  if (options.onlyTweetFile !== undefined) {
    tweetFiles = [options.onlyTweetFile];
    const siblings = tweetCandidates.filter((n) => n !== options.onlyTweetFile && dir(n) === dir(options.onlyTweetFile!));
    if (siblings.length > 0) {
      warnings.push(`Only ${base(options.onlyTweetFile)} was read, not ${siblings.map(base).join(', ')} beside it. Pass the folder to read every part.`);
      complete = false;
    }
  } else {
    const types = obj(manifest?.['dataTypes']);
    const listed = [...(arr(obj(types?.['tweets'])?.['files'])), ...arr(obj(types?.['tweet'])?.['files'])]
      .map((f) => str(obj(f)?.['fileName']))
      .filter((f): f is string => f !== undefined);
    if (listed.length > 0) {
      tweetFiles = [];
      for (const f of listed) {
        const found = resolveManifestFile(f);
        if (found) tweetFiles.push(found);
        else {
          warnings.push(`manifest.js lists ${f}, which is missing: its tweets are not in this report.`);
          complete = false;
        }
      }
    } else {
      tweetFiles = tweetCandidates.filter((n) => dir(n) === dataDir);
    }
  }
  tweetFiles = [...new Set(tweetFiles)].sort((a, b) => partNumber(a) - partNumber(b));
  if (tweetFiles.length === 0) {
    throw new EngageAuditError('UNKNOWN_FORMAT', `${container.label}: no tweets file (data/tweets.js, data/tweet.js) found: not an X archive or an incomplete one`);
  }
  const generatedRaw = str(obj(manifest?.['archiveInfo'])?.['generationDate']);
  const generated = isoUtc(generatedRaw);
  if (obj(manifest?.['archiveInfo'])?.['isPartialArchive'] === true) {
    warnings.push('The manifest marks this archive as partial: X left some data out.');
    complete = false;
  }

  // A large archive's tweets are read on a second thread, started now so that it works while the
  // small files are read here.
  const thread: ReaderThread | null = (await useReaderThread(container, tweetFiles)) ? startReaderThread(container.reopen!, tweetFiles) : null;
  let files: AccountFiles;
  try {
    files = await readAccountFiles(container, inData, manifest, warnings);
  } catch (error) {
    await thread?.stop();
    throw error;
  }
  const { owner, followerIds, followingIds } = files;

  const account: Account = {
    id: owner.id,
    handle: owner.handle,
    displayName: files.displayName,
    followers: followerIds?.length ?? null,
    following: followingIds?.length ?? null,
    posts: null,
  };
  const state = { complete, warnings };

  async function* posts(): AsyncGenerator<Post[]> {
    let total = 0;
    let edits = 0;
    let file = -1;
    const where = { label: '', index: 0 };
    let out: Post[] = [];
    // Each record is built, mapped and dropped before the next is built: a batch's records are
    // never all alive at once, which leaves the garbage collector little to copy.
    const each = (record: unknown): void => {
      where.index += 1;
      const mapped = mapTweet(record, owner, where);
      if ('post' in mapped) out.push(mapped.post);
      else edits += 1;
    };
    /**
     * The posts of a batch of file `at`'s records, a few at a time: posts waiting to be folded are
     * what the garbage collector copies. A record that does not map may be a damaged zip's doing.
     */
    async function* map(tokens: Uint8Array, at: number): AsyncGenerator<Post[]> {
      if (at !== file) {
        file = at;
        where.label = `${container.label}: ${tweetFiles[at]}`;
        where.index = 0;
      }
      for (let from = 0; from < tokens.length; ) {
        out = [];
        try {
          from = decodeEach(tokens, TWEETS, each, from, POSTS_AT_ONCE);
        } catch (error) {
          throw await zipDamageOr(container, tweetFiles[at]!, error);
        }
        total += out.length;
        if (out.length > 0) yield out;
      }
    }
    if (thread !== null) {
      for await (const batch of thread.batches()) yield* map(batch.tokens, batch.file);
    } else {
      for (let at = 0; at < tweetFiles.length; at++) {
        const label = `${container.label}: ${tweetFiles[at]}`;
        for await (const batch of readEntry(container, tweetFiles[at]!, (stream) => readYtdTokens(stream, label, { select: TWEETS }))) yield* map(batch.tokens, at);
      }
    }
    account.posts = total;
    if (edits > 0) state.warnings.push(`${edits} earlier version${edits === 1 ? '' : 's'} of edited tweets left out (the final version counts).`);
  }

  return {
    platform: 'x',
    source: 'archive',
    target: options.target,
    account,
    availability: missingOf({
      likes: true,
      replies: 'The X archive has no reply counts for your posts.',
      reposts: true,
      quotes: 'The X archive has no quote counts for your posts.',
      impressions: 'The X archive has no impression (view) counts.',
      inboundIdentities:
        'The X archive does not say who replied to, reposted or liked your posts: inbound layers are estimated from counts; two-way, L2/L3, engaged audience and responsiveness need an API pull.',
      replyThreads: 'The X archive holds none of the replies under your posts, so answered replies cannot be told.',
      replyPosts: true,
      repostPosts: true,
      quotePosts: true,
      outboundIdentities: true,
      clients: true,
      ...files.declared,
    }),
    followerIds,
    followingIds,
    likesGiven: files.likesGiven,
    posts: posts(),
    interactions: null,
    state,
    close: () => {
      void thread?.stop();
      container.close();
    },
    describe: { format: xArchiveSource.format, files: [...names] },
    asOf: generated,
    ...(generated ? { asOfSource: 'generation-date' as const } : {}),
  };
}
