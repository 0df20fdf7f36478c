/**
 * Worker thread of the fuzz suite (test/fuzz/isolated-cli.ts). It loads the CLI's `main()` from src
 * through Vite's SSR loader (the same TypeScript the other tests run) and runs it on request with an
 * in-memory Io, exactly as test/helpers.ts `runCli` does. Running it here rather than in the test
 * process lets the suite stop a run that hangs or allocates without bound (terminate the thread,
 * cap its heap) and catch exceptions that escape `main()` (uncaught, unhandled rejections).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'vite';

const { root } = workerData;
/** The id of the run in progress, to attribute escaped exceptions to it. */
let current = null;
const post = (message) => parentPort.postMessage(message);
const describe = (e) => String((e && e.stack) || e);
process.on('uncaughtException', (e) => post({ type: 'uncaught', id: current, error: describe(e) }));
process.on('unhandledRejection', (e) => post({ type: 'uncaught', id: current, error: describe(e) }));

const server = await createServer({
  configFile: false,
  root,
  cacheDir: path.join(tmpdir(), 'engage-audit-fuzz-vite'),
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
});
const { main } = await server.ssrLoadModule(path.join(root, 'src/cli/main.ts'));

parentPort.on('message', async (msg) => {
  if (msg.type === 'close') {
    await server.close();
    process.exit(0);
  }
  if (msg.type !== 'run') return;
  current = msg.id;
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    env: msg.env,
    cwd: msg.cwd,
    isTTY: false,
    stderrIsTTY: false,
  };
  const rssBefore = process.memoryUsage().rss;
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 5);
  const started = performance.now();
  let code = null;
  let thrown = null;
  try {
    code = await main(msg.argv, io);
  } catch (e) {
    thrown = describe(e);
  }
  const ms = performance.now() - started;
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  // Let stray callbacks of this run (a stream error nobody listens to) surface before answering.
  await new Promise((resolve) => setTimeout(resolve, 1));
  clearInterval(sampler);
  const maxRssAfter = process.resourceUsage().maxRSS * 1024;
  post({ type: 'done', id: msg.id, code, stdout, stderr, thrown, ms, rssBefore, rssPeak, maxRssBefore, maxRssAfter });
  current = null;
});
post({ type: 'ready' });
