// Runs the built CLI in this process on the given arguments, then prints its peak RSS as JSON on
// stderr's last line, for bench/run.mjs.
import { main } from '../dist/cli/main.js';
import { processIo } from '../dist/cli/io.js';

const io = { ...processIo(), stdout: () => undefined, isTTY: false, stderrIsTTY: false };
const started = performance.now();
const code = await main(process.argv.slice(2), io);
const ms = performance.now() - started;
process.stderr.write(`\n${JSON.stringify({ code, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`);
process.exitCode = code;
