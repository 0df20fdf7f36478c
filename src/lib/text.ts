/** Text helpers for post content and HTML fragments found in exports. */

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'",
};

/** Decodes the HTML entities X writes into `full_text` (`&amp;`, `&gt;`, numeric ones). */
export function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  // The common entities by hand (this runs once per post); anything else through the full pattern.
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const common = text.startsWith('amp;', amp + 1) ? '&' : text.startsWith('gt;', amp + 1) ? '>' : text.startsWith('lt;', amp + 1) ? '<' : null;
    if (common === null) return out + decodeAll(text.slice(from));
    out += text.slice(from, amp) + common;
    from = amp + (common === '&' ? 5 : 4);
    amp = text.indexOf('&', from);
  }
  return out + text.slice(from);
}

function decodeAll(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return codePoint(parseInt(body.slice(2), 16), whole);
    if (body.startsWith('#')) return codePoint(parseInt(body.slice(1), 10), whole);
    return Object.hasOwn(NAMED, body) ? NAMED[body]! : whole;
  });
}

function codePoint(n: number, fallback: string): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : fallback;
}

/** The visible text of a small HTML fragment such as X's `source` (`<a href=…>Twitter Web App</a>`). */
export function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, '')).trim();
}

/**
 * Meta's exports (Instagram, Facebook) write UTF-8 text with each byte as a `\u00XX` escape
 * (docs/formats.md `instagram`): "ðŸš€" for 🚀. Re-reading the string's code units as bytes repairs it. Strings
 * with characters above U+00FF were not mangled and are left alone, as are ones that are not valid
 * UTF-8 once repaired.
 */
export function repairMojibake(text: string): string {
  if (!/[\u0080-\u00ff]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text;
  const repaired = Buffer.from(text, 'latin1').toString('utf8');
  return repaired.includes('\uFFFD') ? text : repaired;
}

/** What an unsafe character or a whole escape sequence becomes on a terminal: visible, and inert. */
const STAND_IN = '\uFFFD';

/**
 * Characters a terminal acts on, or that disguise text, beyond the C0 controls (which JSON already
 * writes as `\u` escapes): DEL, the C1 controls, the bidi embeddings, overrides and isolates (the
 * "Trojan Source" set), and the line and paragraph separators.
 */
const BEYOND_C0 = '\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
/** Every character forTerminal acts on. */
const ANY_UNSAFE = `[\\u0000-\\u001f${BEYOND_C0}]`;

/**
 * An escape sequence as a terminal reads it — CSI (`ESC [ … final`), a string command such as OSC 8
 * hyperlinks (`ESC ] … BEL` or `ESC ] … ESC \\`; also DCS, SOS, PM, APC), any other `ESC …` — then
 * line breaks and tabs, then any other C0 control, DEL, C1 control or bidi override. Linear: every
 * repetition stops at the next ESC.
 */
const UNSAFE = new RegExp(
  `\\x1b(?:\\[[0-?]*[ -/]*[@-~]|[\\]PX^_][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)|[ -/]*[0-~])|\\r\\n?|${ANY_UNSAFE}`,
  'g',
);

const HAS_UNSAFE = new RegExp(ANY_UNSAFE);

/** Tabs and line breaks, as they stay where a format keeps lines (the others become LF). */
const WHITE = new Map([['\t', '\t'], ['\n', '\n'], ['\r\n', '\r\n'], ['\r', '\n'], ['\u2028', '\n'], ['\u2029', '\n']]);

/**
 * Text from outside (an export, a server, a file name) made inert for a terminal — the one rule
 * behind every human output and every message (docs/reports.md "Safety"): each escape sequence, and
 * each other control character (C0, DEL, C1) or bidi embedding, override or isolate, becomes one
 * U+FFFD. Line breaks (LF, CRLF, a lone CR, U+2028, U+2029) and tabs are text: on one line they
 * become a space; with `lines` (CSV cells, multi-line messages) LF, CRLF and tabs stay and the
 * other breaks become LF. Clean text comes back unchanged.
 */
export function forTerminal(text: string, options: { lines?: boolean } = {}): string {
  if (!HAS_UNSAFE.test(text)) return text; // the common case, five times faster than replace
  return text.replace(UNSAFE, (match) => {
    const white = WHITE.get(match);
    return white === undefined ? STAND_IN : options.lines ? white : ' ';
  });
}

/**
 * Untrusted text on one terminal line: `forTerminal`, then runs of spaces shrink and very long
 * text is cut.
 */
export function oneLine(text: string, max = 500): string {
  const flat = forTerminal(text).replace(/ {2,}/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const JSON_UNSAFE = new RegExp(`[${BEYOND_C0}]`, 'g');

/**
 * JSON text that is safe to print: the characters a terminal acts on that JSON.stringify leaves
 * raw (DEL, C1, bidi overrides, U+2028/U+2029) are written as `\u` escapes, so the value is the same.
 * Works on any slice of JSON text: those characters can stand only inside strings.
 */
export function inertJson(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `JSON.stringify` for output: see inertJson. */
export function toJson(value: unknown, space?: number): string {
  return inertJson(JSON.stringify(value, null, space));
}
