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
