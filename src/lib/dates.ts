/** Date helpers. Everything is UTC: docs/metrics.md counts UTC calendar days. */

export const DAY_MS = 86_400_000;

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

// "Wed Oct 10 20:19:24 +0000 2018" (X archive created_at). Parsed by hand: Date.parse of this
// layout works in V8 but is not guaranteed by the language (docs/formats.md `x-archive`, "Dates").
const TWITTER_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** Milliseconds since the epoch of an X archive date, or NaN when it is not one. */
export function parseTwitterDate(value: string): number {
  const m = TWITTER_DATE.exec(value);
  if (!m) return Number.NaN;
  const month = MONTHS[m[1]!];
  if (month === undefined) return Number.NaN;
  const [y, d, hh, mm, ss] = [Number(m[9]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  // Impossible fields (Feb 30, 24:00, an offset of 99 minutes) are refused, not rolled over.
  if (!validClock(y, month, d, hh, mm, ss) || Number(m[7]) > 23 || Number(m[8]) > 59) return Number.NaN;
  const offsetMinutes = (Number(m[7]) * 60 + Number(m[8])) * (m[6] === '-' ? -1 : 1);
  return plausible(fullUtc(y, month, d, hh, mm, ss) - offsetMinutes * 60_000);
}

/** Whether these calendar and clock fields name a real instant (the year is checked elsewhere). */
function validClock(y: number, month: number, d: number, hh: number, mm: number, ss: number): boolean {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = month === 1 ? (leap ? 29 : 28) : MONTH_DAYS[month]!;
  return d >= 1 && d <= days && hh <= 23 && mm <= 59 && ss <= 59;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * The ISO form of an X archive date, written from its parts without a Date (the archive's dates are
 * +0000; other offsets go through Date). Null when it is not an X date.
 */
export function twitterDateToIso(value: string): string | null {
  const fast = utcTwitterDateToIso(value);
  if (fast !== undefined) return fast;
  const ms = parseTwitterDate(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function digitsAt(value: string, at: number, count: number): number {
  let n = 0;
  for (let k = at; k < at + count; k++) {
    const c = value.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const upper = (c: number): boolean => c >= 65 && c <= 90;
const lower = (c: number): boolean => c >= 97 && c <= 122;

/**
 * The usual "Www Mmm DD HH:MM:SS +0000 YYYY" by character codes, no regular expression: the ISO
 * string, null when it is that layout with an impossible date, undefined when it is not that layout
 * (the general route decides).
 */
function utcTwitterDateToIso(value: string): string | null | undefined {
  if (value.length !== 30 || !value.startsWith(' +0000 ', 19)) return undefined;
  const sp = (at: number): boolean => value.charCodeAt(at) === 32;
  if (!sp(3) || !sp(7) || !sp(10) || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return undefined;
  if (!upper(value.charCodeAt(0)) || !lower(value.charCodeAt(1)) || !lower(value.charCodeAt(2))) return undefined;
  const month = MONTHS[value.slice(4, 7)];
  const d = digitsAt(value, 8, 2);
  const hh = digitsAt(value, 11, 2);
  const mm = digitsAt(value, 14, 2);
  const ss = digitsAt(value, 17, 2);
  const y = digitsAt(value, 26, 4);
  if (month === undefined || d < 0 || hh < 0 || mm < 0 || ss < 0 || y < 0) return undefined;
  if (y < 1990 || y >= 2200 || !validClock(y, month, d, hh, mm, ss)) return null;
  return `${value.slice(26, 30)}-${MONTH_NUMBERS[month]}-${value.slice(8, 10)}T${value.slice(11, 19)}.000Z`;
}

const MONTH_NUMBERS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;

const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A command-line date: `YYYY-MM-DD` (a UTC day: its start, or its end when `endOfDay`) or a full
 * ISO-8601 time with a zone. Returns epoch ms or NaN.
 */
export function parseCliDate(value: string, endOfDay: boolean): number {
  const v = value.trim();
  if (ISO_DATE_ONLY.test(v)) {
    const start = dayStart(v);
    return endOfDay ? start + DAY_MS - 1 : start;
  }
  return ISO_DATE_TIME.test(v) && !Number.isNaN(dayStart(v)) ? Date.parse(v) : Number.NaN;
}

/**
 * The start of the calendar day a `YYYY-MM-DD…` text begins with, or NaN when that day does not
 * exist: Date.parse rolls 2025-02-30 over into March.
 */
function dayStart(v: string): number {
  const day = v.slice(0, 10);
  const start = Date.parse(`${day}T00:00:00.000Z`);
  return Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== day ? Number.NaN : start;
}

/** Whole UTC days since the epoch: the calendar day of an instant. */
export function dayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const monthOfDay = new Map<number, string>();

/** `YYYY-MM` of an instant (memoised by day: posts share few days). */
export function monthKey(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let key = monthOfDay.get(day);
  if (key === undefined) {
    key = new Date(day * DAY_MS).toISOString().slice(0, 7);
    if (monthOfDay.size > 100_000) monthOfDay.clear();
    monthOfDay.set(day, key);
  }
  return key;
}

/** Every `YYYY-MM` from `first` to `last`, inclusive. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const endY = Number(last.slice(0, 4));
  const endM = Number(last.slice(5, 7));
  while ((y < endY || (y === endY && m <= endM)) && out.length < 12 * 300) {
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

/** Date.UTC without its trap: it reads years 0–99 as 1900–1999. */
function fullUtc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const t = fullUtc(y, mo, d, h, mi, s);
  const check = new Date(t);
  return check.getUTCFullYear() === y && check.getUTCMonth() === mo && check.getUTCDate() === d ? t : Number.NaN;
}

function hour12(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  const pm = ampm.toLowerCase() === 'pm';
  return (h % 12) + (pm ? 12 : 0);
}

/**
 * A date as exports write it (docs/formats.md "Common to every source"), always as UTC when no zone is given — never the
 * machine's local time: ISO-8601, `YYYY-MM-DD HH:MM:SS`, `YYYY/MM/DD HH:MM:SS UTC`, `DD Mon YYYY`,
 * `M/D/YY, h:mm AM`, `MM/DD/YYYY HH:MM[ am]`, Unix seconds. Returns epoch ms or NaN.
 */
export function parseExportDate(raw: string): number {
  return plausible(parseExportDateAny(raw));
}

function parseExportDateAny(raw: string): number {
  const v = raw.trim();
  if (v === '') return Number.NaN;
  let m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (m) {
    const base = utc(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    const zone = m[7];
    if (!zone || /^(z|utc|gmt)$/i.test(zone)) return base;
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    return base - (z[1] === '-' ? -1 : 1) * (+z[2]! * 60 + +z[3]!) * 60_000;
  }
  m = /^(\d{1,2})[ -]([A-Za-z]{3})[a-z]*[ -](\d{2}|\d{4})$/.exec(v);
  if (m) {
    const mo = MONTHS[m[2]![0]!.toUpperCase() + m[2]!.slice(1).toLowerCase()];
    if (mo === undefined) return Number.NaN;
    const y = m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!;
    return utc(y, mo, +m[1]!);
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(v);
  if (m) {
    const y = m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!;
    return utc(y, +m[1]! - 1, +m[2]!, hour12(+(m[4] ?? 0), m[7]), +(m[5] ?? 0), +(m[6] ?? 0));
  }
  if (/^\d{9,10}$/.test(v)) return Number(v) * 1000;
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? Number.NaN : t;
  }
  return Number.NaN;
}

/** Social posts happen between these instants; anything else is a damaged or hostile value. */
export const EARLIEST_POST = Date.UTC(1990, 0, 1);
export const LATEST_POST = Date.UTC(2200, 0, 1);

/** The epoch ms of a plausible post time, or NaN (out of range, not finite). */
export function plausible(ms: number): number {
  return Number.isFinite(ms) && ms >= EARLIEST_POST && ms < LATEST_POST ? ms : Number.NaN;
}

/**
 * An ISO-8601 time from an API or an export, in UTC when it carries no zone (Date.parse would read
 * a zone-less time as the machine's local time). Returns the normalized ISO string, or null when it
 * is not a time or not a plausible one.
 */
export function isoUtc(value: string | undefined): string | null {
  if (value === undefined) return null;
  let v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) v += 'T00:00:00Z';
  else if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(v)) v += 'Z';
  if (Number.isNaN(dayStart(v))) return null;
  const ms = plausible(Date.parse(v));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** ISO string of epoch ms when plausible, else null. */
export function isoOf(ms: number): string | null {
  const t = plausible(ms);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** An ISO 8601 time to the second, UTC, without milliseconds (sub-seconds cut); text that is no date unchanged. */
export function isoSeconds(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
