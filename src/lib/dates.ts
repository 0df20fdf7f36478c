/** Date helpers. Everything is UTC: METRICS.md counts UTC calendar days. */

export const DAY_MS = 86_400_000;

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

// "Wed Oct 10 20:19:24 +0000 2018" (X archive created_at). Parsed by hand: Date.parse of this
// layout works in V8 but is not guaranteed by the language (FORMATS.md §1.4).
const TWITTER_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** Milliseconds since the epoch of an X archive date, or NaN when it is not one. */
export function parseTwitterDate(value: string): number {
  const m = TWITTER_DATE.exec(value);
  if (!m) return Number.NaN;
  const month = MONTHS[m[1]!];
  if (month === undefined) return Number.NaN;
  const offsetMinutes = (Number(m[7]) * 60 + Number(m[8])) * (m[6] === '-' ? -1 : 1);
  return (
    Date.UTC(Number(m[9]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) -
    offsetMinutes * 60_000
  );
}

const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A command-line date: `YYYY-MM-DD` (a UTC day: its start, or its end when `endOfDay`) or a full
 * ISO-8601 time with a zone. Returns epoch ms or NaN.
 */
export function parseCliDate(value: string, endOfDay: boolean): number {
  const v = value.trim();
  if (ISO_DATE_ONLY.test(v)) {
    const start = Date.parse(`${v}T00:00:00.000Z`);
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== v) return Number.NaN;
    return endOfDay ? start + DAY_MS - 1 : start;
  }
  if (ISO_DATE_TIME.test(v)) {
    // Date.parse rolls 2025-02-30T… over into March; the calendar date must exist.
    const day = v.slice(0, 10);
    const start = Date.parse(`${day}T00:00:00.000Z`);
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day) return Number.NaN;
    return Date.parse(v);
  }
  return Number.NaN;
}

/** Whole UTC days since the epoch: the calendar day of an instant. */
export function dayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM` of an instant. */
export function monthKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** Every `YYYY-MM` from `first` to `last`, inclusive. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const endY = Number(last.slice(0, 4));
  const endM = Number(last.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
