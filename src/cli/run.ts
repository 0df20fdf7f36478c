/** The process entry: real io, exit code on the process, quiet exit when stdout's reader goes away. */
import { main } from './main.js';
import { processIo } from './io.js';

export async function run(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2), processIo());
}
