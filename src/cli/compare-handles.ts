/**
 * The handles a dataset names accounts by, for `compare` to show who followed and who left by name:
 * the followers it lists with their profiles (`audience.newest`, `audience.profiles`), the accounts
 * its posts answer, share or mention, and who interacted with them. Only what the input pairs with
 * an id; never a guess.
 */
import type { AccountRef, Dataset, Interaction, Post } from '../model/dataset.js';

/** The dataset, read as before, and the id → handle pairs seen once its posts and interactions have been read. */
export function withHandles(dataset: Dataset): { dataset: Dataset; handles: Map<string, string> } {
  const handles = new Map<string, string>();
  const note = (ref: AccountRef): void => {
    if (ref.id !== undefined && ref.handle) handles.set(ref.id, ref.handle);
  };
  for (const a of [...(dataset.audience?.newest ?? []), ...(dataset.audience?.profiles ?? [])]) note(a);
  async function* posts(source: AsyncIterable<readonly Post[]>): AsyncGenerator<readonly Post[]> {
    for await (const batch of source) {
      for (const p of batch) for (const ref of [...(p.target ? [p.target] : []), ...p.mentions]) note(ref);
      yield batch;
    }
  }
  async function* interactions(source: AsyncIterable<readonly Interaction[]>): AsyncGenerator<readonly Interaction[]> {
    for await (const batch of source) {
      // An interaction named by its id alone carries that id (lower-cased) as its actor: not a handle.
      for (const i of batch) if (i.actorId !== undefined && i.actor !== i.actorId.toLowerCase()) note({ id: i.actorId, handle: i.actor });
      yield batch;
    }
  }
  return { dataset: { ...dataset, posts: posts(dataset.posts), interactions: dataset.interactions && interactions(dataset.interactions) }, handles };
}
