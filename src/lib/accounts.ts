/** Telling the audited account from others, wherever posts name accounts. */

/** A handle as keys use it: lower-cased, without `@`. */
export function handleKey(handle: string): string {
  return handle.toLowerCase().replace(/^@/, '');
}

/**
 * Whether a named account is `account` itself: the same id, or the same handle (`handleKey`).
 * (Structural types: lib imports nothing internal.)
 */
export function makeIsSelf(account: { id: string | null; handle: string | null }): (ref: { id?: string | undefined; handle?: string | undefined }) => boolean {
  const id = account.id;
  const handle = account.handle === null ? null : handleKey(account.handle);
  return (ref) => (id !== null && ref.id !== undefined && ref.id === id) || (handle !== null && ref.handle !== undefined && handleKey(ref.handle) === handle);
}

/**
 * One key per account whatever names it (docs/metrics.md "One identity per account"). While a source
 * is read, a reference is keyed `id:<id>` when it carries an id, else by its handle, turned into the
 * id that handle was already seen with; `note` records each id and handle named together. Once
 * everything is read, `label` turns any key given out into the account's final name: the handle its
 * id was named with last (a renamed account goes by its newest name), else `id:<id>`, else the
 * handle. Memory grows with accounts, not posts.
 */
export class AccountIdentities {
  /** id → its key (one string per account, so maps keyed by it hash it once) and its newest handle. */
  private readonly byId = new Map<string, { key: string; handle: string | null; time: number }>();
  /** handle → the first id the source named it with (a handle later taken by another id stays). */
  private readonly idOfHandle = new Map<string, string>();

  private named(id: string): { key: string; handle: string | null; time: number } {
    let named = this.byId.get(id);
    if (named === undefined) this.byId.set(id, (named = { key: `id:${id}`, handle: null, time: Number.NEGATIVE_INFINITY }));
    return named;
  }

  /**
   * The key of `ref`, named in a post or interaction of time `time`, recording the pair when it names
   * an id and a handle together. The id's handle is the one of the latest time (ties: the first in
   * sort order). A handle-only reference is keyed as `key` does.
   */
  note(ref: { id?: string | undefined; handle?: string | undefined }, time: number): string | null {
    const { id, handle } = ref;
    if (!id) return this.key(ref);
    const named = this.named(id);
    if (!handle) return named.key;
    if (named.handle === handle) {
      if (time > named.time) named.time = time; // the pairing most references repeat
      return named.key;
    }
    const h = handleKey(handle);
    if (named.handle === null || time > named.time || (time === named.time && h < named.handle)) {
      named.handle = h;
      named.time = time;
    }
    if (!this.idOfHandle.has(h)) this.idOfHandle.set(h, id);
    return named.key;
  }

  /** The account's key as far as the pairs seen so far tell; null for a reference that names nobody. */
  key(ref: { id?: string | undefined; handle?: string | undefined }): string | null {
    if (ref.id) return this.named(ref.id).key;
    if (!ref.handle) return null;
    const h = handleKey(ref.handle);
    const id = this.idOfHandle.get(h);
    return id === undefined ? h : this.named(id).key;
  }

  /** The final name of a key `key` gave out, once every pair is known. */
  label(key: string): string {
    const id = key.startsWith('id:') ? key.slice(3) : this.idOfHandle.get(key);
    if (id === undefined) return key;
    return this.byId.get(id)?.handle ?? `id:${id}`;
  }
}
