/** Number formatting for the human formats (table, Markdown, HTML): percentages, counts, nulls. */

export const NA = 'n/a';

export function pct(x: number | null, digits = 1): string {
  return x === null ? NA : `${(x * 100).toFixed(digits)} %`;
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

export function day(iso: string | null): string {
  return iso === null ? NA : iso.slice(0, 10);
}

export function countsLabel(counted: readonly string[]): string {
  return counted.length === 0 ? 'no engagement counts' : counted.join(' + ');
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A sparkline of values; null values show as a space. */
export function sparkline(values: ReadonlyArray<number | null>): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const max = Math.max(...known);
  const min = Math.min(0, ...known);
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (max === min) return SPARKS[0];
      return SPARKS[Math.min(SPARKS.length - 1, Math.floor(((v - min) / (max - min)) * (SPARKS.length - 1) + 0.5))];
    })
    .join('');
}
