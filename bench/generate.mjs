// Writes a synthetic X archive of N tweets (about 1 KB each) in the real shapes of docs/formats.md `x-archive`,
// as a folder and as a zip, streaming so that even 1M tweets never sit in memory.
// Usage: node bench/generate.mjs N [outDir]
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import yazl from 'yazl';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const CLIENTS = [
  ['https://mobile.twitter.com', 'Twitter Web App', 40],
  ['http://twitter.com/download/iphone', 'Twitter for iPhone', 25],
  ['http://twitter.com/download/android', 'Twitter for Android', 15],
  ['https://buffer.com', 'Buffer', 8],
  ['https://www.hootsuite.com', 'Hootsuite Inc.', 7],
  ['https://tweetdeck.twitter.com', 'TweetDeck', 5],
];
const OWNER_ID = '1400000000000000001';
const OWNER = 'bench_account';

function twitterDate(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

/** A small deterministic generator, so every run writes the same archive. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const LOREM = 'tide pools hold more life than you would think &amp; every rock is a neighbourhood of its own with anemones, limpets and crabs that all depend on the rhythm of the water coming and going twice a day';

function tweet(i, n, rand) {
  const id = (1400000000000000000n + BigInt(i) * 1000003n).toString();
  const time = Date.UTC(2020, 0, 1) + Math.floor((i / n) * 5 * 365 * 86400000);
  const other = Math.floor(rand() * 5000);
  const otherHandle = `user_${other}`;
  const otherId = String(1000000 + other);
  const r = rand();
  const clientPick = rand() * 100;
  let acc = 0;
  let client = CLIENTS[0];
  for (const c of CLIENTS) if (clientPick < (acc += c[2])) { client = c; break; }
  const mentions = [];
  const urls = [];
  let text = `${LOREM} #${i % 97}`;
  const extra = {};
  let likes = Math.floor(rand() * rand() * 200);
  let rts = Math.floor(rand() * rand() * 40);
  if (r < 0.2) {
    text = `RT @${otherHandle}: ${LOREM.slice(0, 100)}…`;
    mentions.push({ name: otherHandle, screen_name: otherHandle, indices: ['3', String(3 + otherHandle.length + 1)], id_str: otherId, id: otherId });
    likes = 0;
    rts = 0;
  } else if (r < 0.45) {
    text = `@${otherHandle} ${LOREM.slice(0, 160)}`;
    mentions.push({ name: otherHandle, screen_name: otherHandle, indices: ['0', String(otherHandle.length + 1)], id_str: otherId, id: otherId });
    Object.assign(extra, { in_reply_to_status_id_str: String(1300000000000000000n + BigInt(i)), in_reply_to_status_id: String(1300000000000000000n + BigInt(i)), in_reply_to_user_id: otherId, in_reply_to_user_id_str: otherId, in_reply_to_screen_name: otherHandle });
  } else if (r < 0.55) {
    const prev = (1400000000000000000n + BigInt(Math.max(0, i - 1)) * 1000003n).toString();
    Object.assign(extra, { in_reply_to_status_id_str: prev, in_reply_to_status_id: prev, in_reply_to_user_id: OWNER_ID, in_reply_to_user_id_str: OWNER_ID, in_reply_to_screen_name: OWNER });
  } else if (r < 0.6) {
    urls.push({ url: 'https://t.co/abc', expanded_url: `https://twitter.com/${otherHandle}/status/${1300000000000000000n + BigInt(i)}`, display_url: `twitter.com/${otherHandle}/st…`, indices: ['140', '163'] });
  } else if (r < 0.7) {
    mentions.push({ name: otherHandle, screen_name: otherHandle, indices: ['10', String(10 + otherHandle.length + 1)], id_str: otherId, id: otherId });
    text = `thanks to @${otherHandle} ${LOREM.slice(0, 150)}`;
  }
  return {
    tweet: {
      edit_info: { initial: { editTweetIds: [id], editableUntil: new Date(time + 3600000).toISOString(), editsRemaining: '5', isEditEligible: false } },
      retweeted: false,
      source: `<a href="${client[0]}" rel="nofollow">${client[1]}</a>`,
      entities: { hashtags: [{ text: String(i % 97), indices: ['200', '203'] }], symbols: [], user_mentions: mentions, urls },
      display_text_range: ['0', String(Math.min(280, text.length))],
      favorite_count: String(likes),
      id_str: id,
      truncated: false,
      retweet_count: String(rts),
      id,
      created_at: twitterDate(time),
      favorited: false,
      full_text: text,
      lang: 'en',
      ...extra,
    },
  };
}

async function writeYtd(file, global, count, make) {
  const out = createWriteStream(file);
  out.write(`window.YTD.${global}.part0 = [ `);
  for (let i = 0; i < count; i++) {
    const chunk = `${i === 0 ? '' : ', '}${JSON.stringify(make(i), null, 2)}`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.write(' ]');
  out.end();
  await once(out, 'finish');
}

export async function generate(n, outDir) {
  const folder = path.join(outDir, `x-${n}`);
  const zipFile = `${folder}.zip`;
  if (existsSync(zipFile) && existsSync(path.join(folder, 'data', 'tweets.js'))) return { folder, zipFile };
  const data = path.join(folder, 'data');
  mkdirSync(data, { recursive: true });
  const rand = rng(n);
  await writeYtd(path.join(data, 'tweets.js'), 'tweets', n, (i) => tweet(i, n, rand));
  const followers = 5000;
  const following = 3000;
  await writeYtd(path.join(data, 'follower.js'), 'follower', followers, (i) => ({ follower: { accountId: String(1000000 + i), userLink: `https://twitter.com/intent/user?user_id=${1000000 + i}` } }));
  await writeYtd(path.join(data, 'following.js'), 'following', following, (i) => ({ following: { accountId: String(1002000 + i), userLink: `https://twitter.com/intent/user?user_id=${1002000 + i}` } }));
  await writeYtd(path.join(data, 'like.js'), 'like', 2000, (i) => ({ like: { tweetId: String(1300000000000000000n + BigInt(i)), fullText: 'liked', expandedUrl: 'https://twitter.com/i/web/status/1' } }));
  writeFileSync(path.join(data, 'account.js'), `window.YTD.account.part0 = [ { "account" : { "username" : "${OWNER}", "accountId" : "${OWNER_ID}", "accountDisplayName" : "Bench Account", "createdAt" : "2019-01-01T00:00:00.000Z" } } ]`);
  writeFileSync(
    path.join(data, 'manifest.js'),
    `window.__THAR_CONFIG = ${JSON.stringify({ userInfo: { accountId: OWNER_ID, userName: OWNER, displayName: 'Bench Account' }, archiveInfo: { isPartialArchive: false }, dataTypes: { tweets: { files: [{ fileName: 'data/tweets.js', globalName: 'YTD.tweets.part0', count: String(n) }] } } }, null, 2)}`,
  );
  const zip = new yazl.ZipFile();
  for (const f of ['manifest.js', 'account.js', 'tweets.js', 'follower.js', 'following.js', 'like.js']) zip.addFile(path.join(data, f), `data/${f}`);
  zip.end();
  const out = createWriteStream(zipFile);
  zip.outputStream.pipe(out);
  await once(out, 'finish');
  return { folder, zipFile };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10000);
  const outDir = process.argv[3] ?? path.join(path.dirname(new URL(import.meta.url).pathname), 'out');
  const { zipFile } = await generate(n, outDir);
  console.log(zipFile);
}
