// npm run build && node bench/csv.mjs [--rows 2000000]
// Peak RSS and wall time of an audit of a large CSV export: a LinkedIn Shares.csv (in the shape
// LinkedIn writes: BOM, CRLF, quoted commentary, some of it on several lines) and a post CSV read
// with --columns. The files are generated once under bench/out/, streaming (never held whole).
// 2,000,000 rows on 2 cores: the 345 MB Shares.csv took 3.2 GB when its rows were all held and
// 0.2 GB read row by row; the 136 MB post CSV 2.0 GB and 0.18 GB; the time about the same (25-40 s).
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const args = process.argv.slice(2);
const rows = args.includes('--rows') ? Number(args[args.indexOf('--rows') + 1]) : 2_000_000;

async function write(file, header, line) {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(`${file}.part`);
  let buf = header;
  for (let i = 0; i < rows; i++) {
    buf += line(i);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  renameSync(`${file}.part`, file);
}

const start = Date.UTC(2015, 0, 1);
const stamp = (i) => new Date(start + i * 137_000).toISOString().replace('T', ' ').slice(0, 19);

const shares = path.join(here, 'out', `linkedin-${rows}`, 'Shares.csv');
await write(shares, '\uFEFFDate,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\r\n', (i) => {
  const link = `https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A${7000000000000000000n + BigInt(i)}`;
  const text = i % 10 === 0 ? `"Line one of post ${i}, with a comma\r\n""second line"""` : i % 7 === 0 ? '' : `Post number ${i} about tide pools and the people who count them`;
  const shared = i % 7 === 0 ? `https://www.linkedin.com/feed/update/urn:li:share:${6000000000000000000n + BigInt(i)}` : '';
  return `${stamp(i)},${link},${text},${shared},,MEMBER_NETWORK\r\n`;
});

const posts = path.join(here, 'out', `posts-${rows}.csv`);
await write(posts, 'when,text,hearts,answers,boosts,type\n', (i) => `${new Date(start + i * 137_000).toISOString()},"Post ${i}, about tide pools",${i % 50},${i % 7},${i % 3},${['original', 'reply', 'thread', 'quote'][i % 4]}\n`);

const runs = [
  ['LinkedIn Shares.csv', [shares]],
  ['post CSV (--columns)', [posts, '--platform', 'csv', '--columns', 'date=when,text=text,likes=hearts,replies=answers,reposts=boosts,kind=type', '--followers', '850']],
];
for (const [label, argv] of runs) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(here, 'measure.mjs'), ...argv, '--json', '--quiet', '--as-of', '2025-12-31'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let rss = null;
  try {
    rss = JSON.parse(r.stderr.trim().split('\n').pop()).maxRssKb / 1024;
  } catch {
    rss = null;
  }
  const mb = (statSync(argv[0]).size / 1024 ** 2).toFixed(0);
  console.log(`${label}: ${rows} rows, ${mb} MB: exit ${r.status}, ${(ms / 1000).toFixed(1)} s, peak RSS ${rss === null ? '?' : rss.toFixed(0)} MB${r.status === 0 ? '' : ` (${r.stderr.trim().split('\n')[0]})`}`);
}
