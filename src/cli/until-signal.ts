/** Reading that stops on SIGINT or SIGTERM: what was read before is kept, and said to be incomplete. */
import type { Dataset, Post } from '../model/dataset.js';

/**
 * The dataset with its posts read only until `signal` aborts: then reading stops (the source closes
 * its files) and the input is marked incomplete, so the report holds the posts read before. A live
 * pull is left as it is: it stops on the signal itself and keeps what it fetched.
 */
export function untilSignal(dataset: Dataset, signal: AbortSignal | undefined): Dataset {
  if (signal === undefined || dataset.source === 'api') return dataset;
  const stop = signal;
  const source = dataset.posts;
  const { state } = dataset;
  async function* posts(): AsyncGenerator<readonly Post[]> {
    let n = 0;
    const stopped = (): boolean => {
      if (!stop.aborted) return false;
      state.complete = false;
      state.interrupted = true;
      state.warnings.push(`Interrupted after ${n} posts: the report holds the posts read before the run was stopped.`);
      return true;
    };
    if (stopped()) return;
    for await (const batch of source) {
      n += batch.length;
      yield batch;
      if (stopped()) return;
    }
  }
  return { ...dataset, posts: posts() };
}
