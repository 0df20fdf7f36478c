// The naive way to read an archive, for comparison: inflate tweets.js whole, strip the wrapper,
// JSON.parse it, count the kinds. Prints its peak RSS and counts as JSON on stdout.
// Usage: node bench/baseline.mjs ARCHIVE.zip|FOLDER
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';

async function readTweetsJs(target) {
  if (statSync(target).isDirectory()) return readFileSync(path.join(target, 'data', 'tweets.js'));
  const zip = await new Promise((res, rej) => yauzl.open(target, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z))));
  return new Promise((resolve, reject) => {
    zip.on('entry', (entry) => {
      if (!entry.fileName.endsWith('tweets.js')) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      });
    });
    zip.on('end', () => reject(new Error('no tweets.js')));
    zip.readEntry();
  });
}

const buf = await readTweetsJs(process.argv[2]);
const text = buf.toString('utf8');
const tweets = JSON.parse(text.slice(text.indexOf('=') + 1));
const kinds = { original: 0, reply: 0, repost: 0 };
for (const row of tweets) {
  const t = row.tweet ?? row;
  if (t.full_text.startsWith('RT @')) kinds.repost++;
  else if (t.in_reply_to_status_id_str) kinds.reply++;
  else kinds.original++;
}
process.stdout.write(JSON.stringify({ kinds, maxRssKb: process.resourceUsage().maxRSS }));
