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
 * id was first named with, else `id:<id>`, else the handle. Memory grows with accounts, not posts.
 */
export class AccountIdentities {
  /** id → the first handle the source named it with. */
  private readonly handleOfId = new Map<string, string>();
  /** handle → the first id the source named it with. */
  private readonly idOfHandle = new Map<string, string>();

  /** Records that `ref` names an id and a handle together (the first pairing of each one holds). */
  pair(ref: { id?: string | undefined; handle?: string | undefined }): void {
    const { id, handle } = ref;
    if (!id || !handle) return;
    const known = this.handleOfId.get(id);
    if (known === handle) return; // the pairing most references repeat
    const h = handleKey(handle);
    if (known === undefined) this.handleOfId.set(id, h);
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
    return this.handleOfId.get(id) ?? `id:${id}`;
  }
}
