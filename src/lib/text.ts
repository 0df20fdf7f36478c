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
 * (FORMATS.md §6): "ðŸš€" for 🚀. Re-reading the string's code units as bytes repairs it. Strings
 * with characters above U+00FF were not mangled and are left alone, as are ones that are not valid
 * UTF-8 once repaired.
 */
export function repairMojibake(text: string): string {
  if (!/[\u0080-\u00ff]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text;
  const repaired = Buffer.from(text, 'latin1').toString('utf8');
  return repaired.includes('\uFFFD') ? text : repaired;
}

/**
 * Text from outside (a server's error body, a file's bytes, a handle) made safe for one terminal
 * line: control characters — newlines, escapes that could drive the terminal — become spaces, runs
 * of spaces shrink, and very long text is cut.
 */
export function oneLine(text: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
