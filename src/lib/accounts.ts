/** Telling the audited account from others, wherever posts name accounts. */

/**
 * Whether a named account is `account` itself: the same id, or the same handle whatever its case.
 * (Structural types: lib imports nothing internal.)
 */
export function makeIsSelf(account: { id: string | null; handle: string | null }): (ref: { id?: string | undefined; handle?: string | undefined }) => boolean {
  const id = account.id;
  const handle = account.handle?.toLowerCase() ?? null;
  return (ref) =>
    (id !== null && ref.id !== undefined && ref.id === id) ||
    (handle !== null && ref.handle !== undefined && ref.handle.toLowerCase() === handle);
}

/** A handle as keys use it: lower-cased, without `@`. */
function handleKey(handle: string): string {
  return handle.toLowerCase().replace(/^@/, '');
}

/**
 * One key per account whatever names it (docs/metrics.md "One identity per account"). While a source
 * is read, a reference is keyed `id:<id>` when it carries an id, else by its handle, turned into the
 * id that handle was already seen with; `pair` records each id and handle named together. Once
 * everything is read, `label` turns any key given out into the account's final name: the handle its
 * id was named with last (a renamed account goes by its newest name), else `id:<id>`, else the
 * handle. Memory grows with accounts, not posts.
 */
export class AccountIdentities {
  /** id → the handle it was named with at the latest time (ties: the first handle in sort order). */
  private readonly handleOfId = new Map<string, { handle: string; time: number }>();
  /** handle → the first id the source named it with (a handle later taken by another id stays). */
  private readonly idOfHandle = new Map<string, string>();

  /** Records that `ref`, in a post or interaction of time `time`, names an id and a handle together. */
  pair(ref: { id?: string | undefined; handle?: string | undefined }, time: number): void {
    const { id, handle } = ref;
    if (!id || !handle) return;
    const known = this.handleOfId.get(id);
    if (known !== undefined && known.handle === handle) {
      if (time > known.time) known.time = time; // the pairing most references repeat
      return;
    }
    const h = handleKey(handle);
    if (known === undefined) this.handleOfId.set(id, { handle: h, time });
    else if (time > known.time || (time === known.time && h < known.handle)) {
      known.handle = h;
      known.time = time;
    }
    if (!this.idOfHandle.has(h)) this.idOfHandle.set(h, id);
  }

  /** The account's key as far as the pairs seen so far tell; null for a reference that names nobody. */
  key(ref: { id?: string | undefined; handle?: string | undefined }): string | null {
    if (ref.id) return `id:${ref.id}`;
    if (!ref.handle) return null;
    const h = handleKey(ref.handle);
    const id = this.idOfHandle.get(h);
    return id === undefined ? h : `id:${id}`;
  }

  /** The final name of a key `key` gave out, once every pair is known. */
  label(key: string): string {
    const id = key.startsWith('id:') ? key.slice(3) : this.idOfHandle.get(key);
    if (id === undefined) return key;
    return this.handleOfId.get(id)?.handle ?? `id:${id}`;
  }
}
