/**
 * The process entry: real io, exit code on the process, quiet exit when stdout's reader goes away,
 * exit 6 when standard output cannot be written, and the signals.
 */
import { EngageAuditError, errorText, EXIT, interruptedExit } from '../errors.js';
import { main } from './main.js';
import { processIo } from './io.js';
import { removeTempFiles, writeErrorReason } from './safe-write.js';

export async function run(): Promise<void> {
  // However the process ends, no temporary output file is left behind.
  process.on('exit', removeTempFiles);
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(errorText(new EngageAuditError('OUTPUT', `cannot write to standard output (${writeErrorReason(error)})`, {
      hint: 'Free some space where standard output goes, or write the report with -o to another disk.',
    })));
    process.exit(EXIT.output);
  });
  // SIGINT (Ctrl-C) or SIGTERM once: stop pulling and reading, write what was fetched or read,
  // marked incomplete (exit 130 or 143). A second signal: remove the temporary files, stop at once.
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      removeTempFiles();
      process.exit(interruptedExit(controller.signal));
    }
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.exitCode = await main(process.argv.slice(2), processIo(controller.signal));
}
