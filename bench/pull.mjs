// The API pull bench: a local Bluesky-shaped server with a fixed latency per request serves 2,000
// posts (100 a page) and 100 threads; engage-audit pulls them with its defaults (concurrency 4).
// Ideal = the pages in sequence plus the threads at the set concurrency, each one latency long.
// Prints wall time, request count, repeated requests and the ratio to the ideal (target ≤ 1.25).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const LATENCY = 50;
const POSTS = 2000;
const PAGE = 100;
const THREADS = 100;
const CONCURRENCY = 4;
const DID = 'did:plc:benchbenchbenchbenchbenc';
const HANDLE = 'bench.bsky.social';

const rkey = (i) => `3l${String(i).padStart(11, '0')}`;
const uri = (i) => `at://${DID}/app.bsky.feed.post/${rkey(i)}`;
const time = (i) => new Date(Date.UTC(2025, 5, 1) - i * 3_600_000).toISOString();

function feedItem(i) {
  // The newest THREADS posts have one reply each; the rest have nothing to fetch.
  return {
    post: {
      uri: uri(i), cid: `bafy${i}`, author: { did: DID, handle: HANDLE },
      record: { $type: 'app.bsky.feed.post', text: `post ${i}`, createdAt: time(i) },
      replyCount: i < THREADS ? 1 : 0, repostCount: 0, likeCount: 0, quoteCount: 0, indexedAt: time(i),
    },
  };
}

function thread(i) {
  return {
    thread: {
      $type: 'app.bsky.feed.defs#threadViewPost',
      post: feedItem(i).post,
      replies: [{ $type: 'app.bsky.feed.defs#threadViewPost', post: { uri: `at://did:plc:other${i}/app.bsky.feed.post/r${i}`, cid: 'c', author: { did: `did:plc:other${i}`, handle: `fan${i}.bsky.social` }, record: { text: 'nice', createdAt: time(i) }, indexedAt: time(i) }, replies: [] }],
    },
  };
}

const seen = new Map();
let requests = 0;
const server = createServer((req, res) => {
  requests++;
  seen.set(req.url, (seen.get(req.url) ?? 0) + 1);
  const url = new URL(req.url, 'http://127.0.0.1');
  const q = url.searchParams;
  setTimeout(() => {
    let body;
    if (url.pathname.endsWith('getProfile')) body = { did: DID, handle: HANDLE, followersCount: 5000, followsCount: 400, postsCount: POSTS };
    else if (url.pathname.endsWith('getAuthorFeed')) {
      const start = Number(q.get('cursor') ?? 0);
      const feed = Array.from({ length: Math.min(PAGE, POSTS - start) }, (_, k) => feedItem(start + k));
      body = { feed, ...(start + PAGE < POSTS ? { cursor: String(start + PAGE) } : {}) };
    } else if (url.pathname.endsWith('getPostThread')) body = thread(Number(q.get('uri').split('/').pop().slice(2)));
    else {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"error":"NotFound"}');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }, LATENCY);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const started = process.hrtime.bigint();
let stderr = '';
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [path.join(here, 'measure.mjs'), `@${HANDLE}`, '--api-base', base, '--max-posts', String(POSTS), '--threads', String(THREADS), '--concurrency', String(CONCURRENCY), '--json', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (d) => (stderr += d));
  child.on('exit', resolve);
});
const inProcess = JSON.parse(stderr.trim().split('\n').pop()).ms;
const wall = Number(process.hrtime.bigint() - started) / 1e6;
server.close();

const pages = Math.ceil(POSTS / PAGE);
const ideal = (1 + pages) * LATENCY + Math.ceil(THREADS / CONCURRENCY) * LATENCY;
const repeated = [...seen.values()].filter((n) => n > 1).length;
console.log(`\nAPI pull: ${POSTS} posts in ${pages} pages + ${THREADS} threads, ${LATENCY} ms a request, concurrency ${CONCURRENCY}`);
console.log('| process wall time | of which the pull and report | requests | repeated | ideal | ratio, pull / ideal (target ≤ 1.25) |');
console.log('| --- | --- | --- | --- | --- | --- |');
console.log(`| ${(wall / 1000).toFixed(2)} s | ${(inProcess / 1000).toFixed(2)} s | ${requests} (expected ${1 + pages + THREADS}) | ${repeated} | ${(ideal / 1000).toFixed(2)} s | ${(inProcess / ideal).toFixed(2)} |`);
if (code !== 0) console.log(`engage-audit exited ${code}`);
