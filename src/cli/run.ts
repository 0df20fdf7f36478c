/** The process entry: real io, exit code on the process, quiet exit when stdout's reader goes away. */
import { main } from './main.js';
import { processIo } from './io.js';

export async function run(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`engage-audit: cannot write the report to standard output (${error.code ?? error.message})\n`);
    process.exit(5);
  });
  // Ctrl-C once: stop pulling, keep and write what was fetched (exit 130). Twice: stop at once.
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
  process.exitCode = await main(process.argv.slice(2), { ...processIo(), signal: controller.signal });
}
