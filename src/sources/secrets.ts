/**
 * The redaction of secrets (tokens) from every text a pull lets out (SECURITY.md): by plain string
 * search, never a pattern built from the secret, so a secret of any length is redacted.
 */

/** The longest token accepted (SECURITY.md): no real token is near it, and servers refuse such headers. */
export const MAX_TOKEN_LENGTH = 8192;
/** The shortest token accepted: a shorter one would match ordinary words, and its forms could not all be redacted. */
export const MIN_TOKEN_LENGTH = 8;

export type Redact = (text: string) => string;

const REDACTED = '[redacted]';

/** ASCII letters lower-cased and nothing else: the text keeps its length, so positions in it stay valid. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** Every byte of the UTF-8 text as a `%xx` escape. */
function everyCharEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/**
 * The base64 characters that depend on the text's bytes alone, wherever the text starts among
 * other bytes (3 alignments), in standard and URL-safe alphabets.
 */
function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: string[] = [];
  for (let before = 0; before < 3; before++) {
    const b64 = Buffer.concat([Buffer.alloc(before), bytes]).toString('base64');
    const whole = b64.slice(Math.ceil((8 * before) / 6), Math.floor((8 * (before + bytes.length)) / 6));
    out.push(whole, whole.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/**
 * The forms a secret takes when a server echoes it, ASCII case aside (a URL parser lower-cases a
 * host, a server may upper-case): raw, percent-encoded (as encodeURIComponent does, and every byte),
 * percent-decoded, JSON-escaped (slashes escaped or not), base64 (standard and URL-safe). A header
 * value `Bearer X` gives the forms of `X` too. Forms under 4 characters are left out.
 */
function secretForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    for (const v of new Set([value, value.replace(/^Bearer\s+/i, '')])) {
      const json = JSON.stringify(v).slice(1, -1);
      forms.add(v).add(encodeURIComponent(v)).add(everyCharEncoded(v)).add(json).add(json.replace(/\//g, '\\/'));
      for (const b of base64Forms(v)) forms.add(b);
      try {
        forms.add(decodeURIComponent(v));
      } catch {
        // not percent-encoded: nothing to decode
      }
    }
  }
  return [...new Set([...forms].map(asciiLower))].filter((f) => f.length >= 4);
}

/**
 * A redaction of the given secrets: every place a form of one appears (ASCII case ignored) becomes
 * `[redacted]`, overlapping and adjacent places as one. The identity without secrets.
 */
export function secretRedactor(values: readonly string[]): Redact {
  const forms = secretForms(values);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    const lower = asciiLower(text);
    const spans: Array<[number, number]> = [];
    for (const form of forms) {
      for (let at = lower.indexOf(form); at !== -1; at = lower.indexOf(form, at + 1)) {
        const last = spans[spans.length - 1];
        // the same form found again inside its previous place (a secret like `abab`): one longer span
        if (last && at <= last[1] && at >= last[0]) last[1] = Math.max(last[1], at + form.length);
        else spans.push([at, at + form.length]);
      }
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a[0] - b[0]);
    let out = '';
    let from = 0; // where the text not yet written starts
    let [start, end] = spans[0]!;
    for (const [s, e] of spans) {
      if (s <= end) {
        end = Math.max(end, e);
        continue;
      }
      out += `${text.slice(from, start)}${REDACTED}`;
      from = end;
      [start, end] = [s, e];
    }
    return `${out}${text.slice(from, start)}${REDACTED}${text.slice(end)}`;
  };
}
