// npm run bench [-- --sizes 10000,100000,1000000]
// For each size: a synthetic archive (zip and folder), engage-audit's full report vs the naive
// baseline (bench/baseline.mjs): wall time, throughput of tweets.js, peak RSS, and the ratio. Then
// start-up (`--version`, `--help` against `node -e 0`) and the targets of the performance issue.
// The first run generates the archives under bench/out/ (1.3 GB for a million tweets).
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const args = process.argv.slice(2);
const sizesArg = args[args.indexOf('--sizes') + 1];
const sizes = (args.includes('--sizes') ? sizesArg : '10000,100000,1000000').split(',').map(Number);
const repeat = 3;

execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });

function timeRun(argv) {
  let best = null;
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--max-old-space-size=4096', ...argv], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const last = (r.stderr.trim().split('\n').pop() ?? '') || r.stdout;
    let rss = null;
    try {
      rss = JSON.parse(last).maxRssKb / 1024;
    } catch {
      rss = null;
    }
    const ok = r.status === 0;
    if (!ok) return { ms, rss, ok, error: r.stderr.split('\n').find((l) => /Error/.test(l))?.trim() ?? r.stderr.trim().split('\n').slice(-3).join(' ') };
    if (best === null || ms < best.ms) best = { ms, rss, ok };
  }
  return best;
}

const rows = [];
for (const n of sizes) {
  const { folder, zipFile } = await generate(n, path.join(here, 'out'));
  const tweetsBytes = statSync(path.join(folder, 'data', 'tweets.js')).size;
  for (const [label, target] of [['zip', zipFile], ['folder', folder]]) {
    const tool = timeRun([path.join(here, 'measure.mjs'), target, '--json', '--quiet']);
    const base = timeRun([path.join(here, 'baseline.mjs'), target]);
    rows.push({ n, label, tweetsBytes, tool, base });
  }
}

const mb = (b) => (b / 1048576).toFixed(0);
console.log(`\nMachine: ${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; best of ${repeat} runs; MB = 2^20 bytes\n`);
console.log('| input | tweets.js | engage-audit | MB/s | peak RSS | baseline | MB/s | peak RSS | ratio |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const { n, label, tweetsBytes, tool, base } of rows) {
  const cell = (r) => (r.ok ? [`${(r.ms / 1000).toFixed(2)} s`, (tweetsBytes / 1048576 / (r.ms / 1000)).toFixed(0), r.rss === null ? '?' : `${r.rss.toFixed(0)} MB`] : ['failed', '–', r.rss === null ? '–' : `${r.rss.toFixed(0)} MB`]);
  const ratio = tool.ok && base.ok ? (tool.ms / base.ms).toFixed(2) : '–';
  console.log(`| ${n.toLocaleString('en-US')} tweets, ${label} | ${mb(tweetsBytes)} MB | ${cell(tool).join(' | ')} | ${cell(base).join(' | ')} | ${ratio} |`);
}
for (const { n, label, tool, base } of rows) {
  if (!tool.ok) console.log(`engage-audit failed on ${n} ${label}: ${tool.error}`);
  if (!base.ok) console.log(`baseline failed on ${n} ${label}: ${base.error}`);
}

// Start-up: the process from spawn to exit, best of 10.
function startup(argv) {
  let best = Infinity;
  for (let i = 0; i < 10; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}
const bin = path.join(root, 'dist', 'cli', 'main.js');
const nodeOnly = startup(['-e', '0']);
const version = startup([bin, '--version']);
const help = startup([bin, '--help']);
console.log('\n| start-up (best of 10) | wall time | × node -e 0 |');
console.log('| --- | --- | --- |');
for (const [label, ms] of [['node -e 0', nodeOnly], ['engage-audit --version', version], ['engage-audit --help', help]]) {
  console.log(`| ${label} | ${ms.toFixed(0)} ms | ${(ms / nodeOnly).toFixed(2)} |`);
}

// The targets, judged on this run.
const row = (n, label) => rows.find((r) => r.n === n && r.label === label);
const verdicts = [];
for (const label of ['zip', 'folder']) {
  const r = row(100000, label);
  if (r?.tool.ok && r.base.ok) verdicts.push([`100,000 tweets (${label}): at most 1.0× the baseline`, r.tool.ms / r.base.ms <= 1, `${(r.tool.ms / r.base.ms).toFixed(2)}×`]);
}
const big = row(1000000, 'zip');
if (big) {
  verdicts.push(['1,000,000 tweets (zip): completes', big.tool.ok, big.tool.ok ? 'yes' : big.tool.error]);
  if (big.tool.ok) {
    verdicts.push(['1,000,000 tweets (zip): peak RSS at most 200 MB', big.tool.rss !== null && big.tool.rss <= 200, `${big.tool.rss?.toFixed(0)} MB`]);
    const mbs = big.tweetsBytes / 1048576 / (big.tool.ms / 1000);
    verdicts.push(['1,000,000 tweets (zip): at least 100 MB/s of tweets.js', mbs >= 100, `${mbs.toFixed(0)} MB/s`]);
  }
}
verdicts.push(['--version at most 2× node -e 0', version <= 2 * nodeOnly, `${(version / nodeOnly).toFixed(2)}×`]);
verdicts.push(['--help at most 2× node -e 0', help <= 2 * nodeOnly, `${(help / nodeOnly).toFixed(2)}×`]);
console.log('\n| target | met | measured |');
console.log('| --- | --- | --- |');
for (const [what, ok, measured] of verdicts) console.log(`| ${what} | ${ok ? 'yes' : 'NO'} | ${measured} |`);
console.log('(the API pull bench follows)');
