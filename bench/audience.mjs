// The audience bench: a local Bluesky-shaped server with a fixed latency per request serves an
// account of 20,000 followers (getFollowers 100 a page, getFollows, getProfiles 25 a call,
// getAuthorFeed limit 1 per follower) and a few posts; engage-audit pulls it with `--audience
// --budget 0` (concurrency 4), once sampling 1,000 followers (the default) and once every follower
// (`--sample 20000`). Prints wall time, requests (by kind), repeated requests and peak RSS of the
// CLI process. No rate limit: the bench measures the work, bench/pull.mjs the pacing.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const FOLLOWERS = 20_000;
const LATENCY = 20;
const DID = 'did:plc:benchaudiencebenchaudienc';
const HANDLE = 'bench.bsky.social';
const NOW = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
const did = (i) => `did:plc:follower${String(i).padStart(8, '0')}`;
const handle = (i) => `f${i}.bsky.social`;
const iso = (ms) => new Date(ms).toISOString();

/** Follower i: every tenth never posted, the rest last posted i % 200 days ago. */
const follower = (i) => ({
  did: did(i),
  handle: handle(i),
  createdAt: iso(NOW - (100 + (i % 900)) * DAY),
  postsCount: i % 10 === 0 ? 0 : 10 + (i % 300),
  followersCount: i % 500,
  followsCount: i % 7 === 0 ? 2000 + i : 100 + (i % 400),
  lastPost: NOW - (i % 200) * DAY,
});

function serve() {
  const stats = { requests: 0, kinds: new Map(), seen: new Map() };
  const server = createServer((req, res) => {
    stats.requests++;
    stats.seen.set(req.url, (stats.seen.get(req.url) ?? 0) + 1);
    const url = new URL(req.url, 'http://127.0.0.1');
    const q = url.searchParams;
    const kind = url.pathname.split('.').pop();
    stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
    setTimeout(() => {
      let body;
      if (kind === 'getProfile') body = { did: DID, handle: HANDLE, followersCount: FOLLOWERS, followsCount: 50, postsCount: 3 };
      else if (kind === 'getAuthorFeed' && q.get('actor') !== DID && q.get('actor') !== HANDLE) {
        const i = Number(q.get('actor').slice('did:plc:follower'.length));
        const f = follower(i);
        body = { feed: f.postsCount === 0 ? [] : [{ post: { uri: `at://${f.did}/app.bsky.feed.post/x`, cid: 'c', author: { did: f.did, handle: f.handle }, record: { text: 'hi', createdAt: iso(f.lastPost) }, indexedAt: iso(f.lastPost) } }] };
      } else if (kind === 'getAuthorFeed') {
        body = { feed: [0, 1, 2].map((k) => ({ post: { uri: `at://${DID}/app.bsky.feed.post/p${k}`, cid: 'c', author: { did: DID, handle: HANDLE }, record: { text: `post ${k}`, createdAt: iso(NOW - k * DAY) }, replyCount: 0, repostCount: 0, likeCount: 1, quoteCount: 0, indexedAt: iso(NOW - k * DAY) } })) };
      } else if (kind === 'getFollowers' || kind === 'getFollows') {
        const total = kind === 'getFollowers' ? FOLLOWERS : 50;
        const start = Number(q.get('cursor') ?? 0);
        const n = Math.min(100, total - start);
        const items = Array.from({ length: n }, (_, k) => ({ did: did(start + k), handle: handle(start + k), createdAt: follower(start + k).createdAt, labels: [] }));
        body = { subject: { did: DID, handle: HANDLE }, [kind === 'getFollowers' ? 'followers' : 'follows']: items, ...(start + n < total ? { cursor: String(start + n) } : {}) };
      } else if (kind === 'getProfiles') {
        body = {
          profiles: q.getAll('actors').map((a) => {
            const f = follower(Number(a.slice('did:plc:follower'.length)));
            return { did: f.did, handle: f.handle, createdAt: f.createdAt, followersCount: f.followersCount, followsCount: f.followsCount, postsCount: f.postsCount, labels: [] };
          }),
        };
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"error":"NotFound"}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }, LATENCY);
  });
  return { server, stats };
}

async function run(name, extra) {
  const { server, stats } = serve();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const started = process.hrtime.bigint();
  let stderr = '';
  let stdout = '';
  const code = await new Promise((resolve) => {
    const argv = [path.join(here, 'measure.mjs'), `@${HANDLE}`, '--api-base', base, '--budget', '0', '--audience', ...extra, '--as-of', '2025-06-01', '--json', '--quiet'];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', resolve);
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  server.close();
  const last = JSON.parse(stderr.trim().split('\n').pop());
  const repeated = [...stats.seen.values()].filter((n) => n > 1).length;
  const kinds = Object.fromEntries([...stats.kinds.entries()].sort());
  console.log(`${name}: exit ${code}, ${(wallMs / 1000).toFixed(2)} s, ${stats.requests} requests ${JSON.stringify(kinds)}, ${repeated} repeated, peak RSS ${(last.maxRssKb / 1024).toFixed(0)} MB`);
}

console.log(`audience bench: ${FOLLOWERS.toLocaleString('en')} followers, ${LATENCY} ms a request, concurrency 4`);
await run('sample 1,000', []);
await run('every follower', ['--sample', String(FOLLOWERS)]);
