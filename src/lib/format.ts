/** Number formatting shared by audit display values and the human reporters: percentages, counts, nulls. */

export const NA = 'n/a';

export function pct(x: number | null, digits = 1): string {
  if (x === null) return NA;
  const shown = (x * 100).toFixed(digits);
  // Some, but less than the last digit shows: never printed as a 0 that reads as none.
  return x > 0 && Number(shown) === 0 ? `< ${(10 ** -digits).toFixed(digits)} %` : `${shown} %`;
}

/**
 * A sampled share with its margin: "48.5 % ± 3.0 %", or, where the margin would reach past 0 or
 * 100 %, the one bound it gives: "0.0 % (at most 0.3 %)", "100.0 % (at least 99.7 %)".
 */
export function pctWithin(share: number | null, margin: number | null): string {
  if (share === null || margin === null) return pct(share);
  if (share - margin < 0) return `${pct(share)} (at most ${pct(Math.min(1, share + margin))})`;
  if (share + margin > 1) return `${pct(share)} (at least ${pct(Math.max(0, share - margin))})`;
  return `${pct(share)} ± ${pct(margin)}`;
}

/** An engagement rate: small fractions keep three decimals of a percent. */
export function rate(x: number | null): string {
  if (x === null) return NA;
  const p = x * 100;
  return `${p >= 1 ? p.toFixed(2) : p.toFixed(3)} %`;
}

export function int(x: number | null): string {
  return x === null ? NA : Math.round(x).toLocaleString('en-US');
}

export function dec(x: number | null, digits = 2): string {
  return x === null ? NA : x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/** A size in bytes as people read it: `2 GB`, `512 MB`, or in bytes under 1 MB. */
export function byteSize(n: number): string {
  if (n >= 1024 ** 3) return `${Number((n / 1024 ** 3).toFixed(1))} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${n} bytes`;
}

/** Platform names as people write them. */
export const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  x: 'X', bluesky: 'Bluesky', mastodon: 'Mastodon', linkedin: 'LinkedIn', instagram: 'Instagram',
  facebook: 'Facebook', threads: 'Threads', youtube: 'YouTube', tiktok: 'TikTok', other: 'other',
};

/**
 * How every output names the audited account (docs/metrics.md "Naming the account"): `@handle`, else the
 * name the source gives (page, profile, person), else its id (a DID); `detail` is the second of these
 * when there is one. With none: "(unnamed <Platform> account)", never the input's path.
 */
export function accountName(
  account: { id: string | null; handle: string | null; displayName: string | null },
  platform: string,
): { name: string; detail: string | null } {
  if (account.handle) return { name: `@${account.handle}`, detail: account.displayName || null };
  if (account.displayName) return { name: account.displayName, detail: account.id || null };
  if (account.id) return { name: account.id, detail: null };
  const known = platform !== 'other' && PLATFORM_NAMES[platform];
  return { name: known ? `(unnamed ${known} account)` : '(unnamed account)', detail: null };
}

/** `accountName` on one line: "name (detail)". */
export function accountTitle(account: Parameters<typeof accountName>[0], platform: string): string {
  const { name, detail } = accountName(account, platform);
  return detail ? `${name} (${detail})` : name;
}
