/** Progress on stderr with ora, only when stderr is a terminal: stdout carries the report alone. */
import type { Io } from './io.js';

export interface Progress {
  update(text: string): void;
  stop(): void;
}

export async function startProgress(io: Io, text: string): Promise<Progress | null> {
  if (!io.stderrIsTTY) return null;
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: process.stderr, discardStdin: false }).start();
  let last = 0;
  return {
    update(next) {
      const now = Date.now();
      if (now - last < 100) return; // redraw at most ten times a second
      last = now;
      spinner.text = next;
    },
    stop() {
      spinner.stop();
    },
  };
}
