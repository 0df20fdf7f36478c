// The API pull bench: a local Bluesky-shaped server with a fixed latency per request serves an
// account's posts (100 a page) and the threads of its posts with replies; engage-audit pulls them
// (concurrency 4). Two scenarios:
//  - "no limit": 2,000 posts, the 100 newest with one reply each, no rate limit.
//  - "rate limited": an account of 1,000 posts over 90 days, 30 % of them (spread over the whole
//    window) with replies, behind a server that allows 100 requests per 10 s window (fixed windows
//    on whole seconds, counted on arrival, answered 429 past the limit) and announces it in
//    RateLimit-Limit / -Remaining / -Reset (epoch seconds) headers, as Bluesky's AppView does. The
//    pull needs 311 requests (the profile, 10 pages, 300 threads): four windows, about 30 s.
// Ideal = the schedule a client that knows the limit could keep: the profile and pages in sequence,
// then the threads at the set concurrency, each request one latency long, and no request sent once a
// window's limit is spent. Prints wall time, requests, 429s, repeated requests and the ratio to the
// ideal (target ≤ 1.25, no 429, no repeated request).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAGE = 100;
const CONCURRENCY = 4;
const DID = 'did:plc:benchbenchbenchbenchbenc';
const HANDLE = 'bench.bsky.social';
const DAY = 86_400_000;

const SCENARIOS = [
  { name: 'no limit', posts: 2000, spanMs: 2000 * 3_600_000, hasReplies: (i) => i < 100, latency: 50, limit: null, budgetArgv: [] },
  {
    name: 'rate limited',
    posts: 1000,
    spanMs: 90 * DAY,
    hasReplies: (i) => i % 10 < 3, // 30 %, spread over the whole 90 days
    latency: 50,
    limit: { requests: 100, windowMs: 10_000 },
    // Every post with replies has its thread fetched, within the default --budget (no option).
    budgetArgv: [],
  },
];

const rkey = (i) => `3l${String(i).padStart(11, '0')}`;
const uri = (i) => `at://${DID}/app.bsky.feed.post/${rkey(i)}`;

function serve(s) {
  const time = (i) => new Date(Date.UTC(2025, 5, 1) - Math.floor((i * s.spanMs) / s.posts)).toISOString();
  const feedItem = (i) => ({
    post: {
      uri: uri(i), cid: `bafy${i}`, author: { did: DID, handle: HANDLE },
      record: { $type: 'app.bsky.feed.post', text: `post ${i}`, createdAt: time(i) },
      replyCount: s.hasReplies(i) ? 1 : 0, repostCount: 0, likeCount: 0, quoteCount: 0, indexedAt: time(i),
    },
  });
  const thread = (i) => ({
    thread: {
      $type: 'app.bsky.feed.defs#threadViewPost',
      post: feedItem(i).post,
      replies: [{ $type: 'app.bsky.feed.defs#threadViewPost', post: { uri: `at://did:plc:other${i}/app.bsky.feed.post/r${i}`, cid: 'c', author: { did: `did:plc:other${i}`, handle: `fan${i}.bsky.social` }, record: { text: 'nice', createdAt: time(i) }, indexedAt: time(i) }, replies: [] }],
    },
  });
  const stats = { requests: 0, refused: 0, seen: new Map(), first: 0, last: 0, firstWindow: 0 };
  let windowStart = 0;
  let used = 0;
  const server = createServer((req, res) => {
    const now = Date.now();
    stats.requests++;
    stats.seen.set(req.url, (stats.seen.get(req.url) ?? 0) + 1);
    if (stats.first === 0) (stats.first = now), (stats.firstWindow = windowStart = Math.floor(now / 1000) * 1000);
    const headers = { 'content-type': 'application/json' };
    let over = false;
    if (s.limit) {
      const { requests, windowMs } = s.limit;
      while (now >= windowStart + windowMs) (windowStart += windowMs), (used = 0);
      over = ++used > requests;
      Object.assign(headers, {
        'ratelimit-limit': String(requests),
        'ratelimit-remaining': String(Math.max(0, requests - used)),
        'ratelimit-reset': String((windowStart + windowMs) / 1000),
        'ratelimit-policy': `${requests};w=${windowMs / 1000}`,
      });
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    const q = url.searchParams;
    setTimeout(() => {
      stats.last = Date.now();
      let body;
      if (over) {
        stats.refused++;
        res.writeHead(429, headers);
        return res.end('{"error":"RateLimitExceeded"}');
      }
      if (url.pathname.endsWith('getProfile')) body = { did: DID, handle: HANDLE, followersCount: 5000, followsCount: 400, postsCount: s.posts };
      else if (url.pathname.endsWith('getAuthorFeed')) {
        const start = Number(q.get('cursor') ?? 0);
        const feed = Array.from({ length: Math.min(PAGE, s.posts - start) }, (_, k) => feedItem(start + k));
        body = { feed, ...(start + PAGE < s.posts ? { cursor: String(start + PAGE) } : {}) };
      } else if (url.pathname.endsWith('getPostThread')) body = thread(Number(q.get('uri').split('/').pop().slice(2)));
      else {
        res.writeHead(404, headers);
        return res.end('{"error":"NotFound"}');
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify(body));
    }, s.latency);
  });
  return { server, stats };
}

/**
 * The ideal schedule, in ms from the first request: `sequential` requests one after another, then
 * `parallel` ones on CONCURRENCY slots, each `latency` long; with a limit, no request starts once
 * its window's budget is spent (the first window starts `offset` ms before the first request).
 */
function idealMs({ sequential, parallel, latency, limit, offset }) {
  let windowStart = -offset;
  let used = 0;
  const admit = (asked) => {
    if (!limit) return asked;
    let t = Math.max(asked, windowStart);
    while (t >= windowStart + limit.windowMs) (windowStart += limit.windowMs), (used = 0);
    if (used >= limit.requests) (windowStart += limit.windowMs), (used = 0), (t = windowStart);
    used++;
    return t;
  };
  let t = 0;
  for (let i = 0; i < sequential; i++) t = admit(t) + latency;
  const slots = Array(CONCURRENCY).fill(t);
  for (let i = 0; i < parallel; i++) {
    slots.sort((a, b) => a - b);
    slots[0] = admit(slots[0]) + latency;
  }
  return Math.max(...slots);
}

async function run(s) {
  const { server, stats } = serve(s);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const started = process.hrtime.bigint();
  let stderr = '';
  const code = await new Promise((resolve) => {
    const argv = [path.join(here, 'measure.mjs'), `@${HANDLE}`, '--api-base', base, '--max-posts', String(s.posts), ...s.budgetArgv, '--concurrency', String(CONCURRENCY), '--json', '--quiet'];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', resolve);
  });
  const inProcess = JSON.parse(stderr.trim().split('\n').pop()).ms;
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  server.close();

  const pages = Math.ceil(s.posts / PAGE);
  const threads = Array.from({ length: s.posts }, (_, i) => i).filter(s.hasReplies).length;
  const pull = stats.last - stats.first; // first request to last answer, as the server saw them
  const ideal = idealMs({ sequential: 1 + pages, parallel: threads, latency: s.latency, limit: s.limit, offset: stats.first - stats.firstWindow });
  const repeated = [...stats.seen.values()].filter((n) => n > 1).length;
  const limit = s.limit ? `${s.limit.requests} requests per ${s.limit.windowMs / 1000} s window` : 'no rate limit';
  console.log(`\nAPI pull, ${s.name}: ${s.posts} posts in ${pages} pages + ${threads} threads, ${s.latency} ms a request, concurrency ${CONCURRENCY}, ${limit}`);
  console.log('| process wall time | pull and report | first request to last answer (the pull) | requests | 429s | repeated | ideal | ratio, pull / ideal (target ≤ 1.25) | ratio, pull and report / ideal |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(`| ${(wall / 1000).toFixed(2)} s | ${(inProcess / 1000).toFixed(2)} s | ${(pull / 1000).toFixed(2)} s | ${stats.requests} (expected ${1 + pages + threads}) | ${stats.refused} | ${repeated} | ${(ideal / 1000).toFixed(2)} s | ${(pull / ideal).toFixed(2)} | ${(inProcess / ideal).toFixed(2)} |`);
  if (code !== 0) console.log(`engage-audit exited ${code}`);
}

for (const s of SCENARIOS) await run(s);
