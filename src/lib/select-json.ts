/**
 * A validating, selective JSON reader over UTF-8 bytes. It checks the whole value against the JSON
 * grammar, exactly as `JSON.parse` would accept or refuse it, but keeps only the parts a selection
 * names: everything else is checked and skipped without making a string or an object. For an
 * archive record of 1–2 KB of which a tweet needs a dozen fields, that is most of the bytes.
 *
 * It works in two steps that may run on two threads: `emitSelected` checks the bytes and writes the
 * kept parts as a compact token stream (raw byte copies, no strings made); `decodeTokens` builds the
 * values from the tokens. Tokens: 1 = a string without escapes (u32 length, its UTF-8 bytes), 2 = any
 * other kept value as JSON text (u32 length, bytes), 3 = an object (then key tag, value, … and 0),
 * 4 = an array (values, then 0).
 *
 * A selection is `true` (the whole value, as `JSON.parse` gives it), `{ key: selection, … }` (an
 * object, keeping only those keys) or `[selection]` (an array, each item so selected). A value whose
 * type is not the one the selection expects is kept whole. So, for valid JSON,
 * `readSelected(bytes, sel)` deep-equals `prune(JSON.parse(text), sel)` (see `prune` below); the
 * tests hold the two routes against each other.
 */

export type Selection = true | { readonly [key: string]: Selection } | readonly [Selection];

const ALL = 0;
const OBJECT = 1;
const ARRAY = 2;

interface KeyEntry {
  readonly name: string;
  /** Its tag in the token stream: 1 + its place in `keys`. */
  readonly tag: number;
  readonly bytes: Uint8Array;
  readonly node: Node;
}

interface Node {
  readonly kind: typeof ALL | typeof OBJECT | typeof ARRAY;
  /** For objects: the kept keys by their UTF-8 length. */
  readonly byLength: ReadonlyArray<readonly KeyEntry[]>;
  readonly byName: ReadonlyMap<string, KeyEntry>;
  readonly keys: readonly KeyEntry[];
  /** For arrays: how each item is selected. */
  readonly item: Node | null;
  /** The selection this node was compiled from. */
  readonly source: Selection;
}

export type CompiledSelection = Node;


export function compileSelection(sel: Selection): CompiledSelection {
  if (sel === true) return { kind: ALL, byLength: [], byName: new Map(), keys: [], item: null, source: sel };
  if (Array.isArray(sel)) {
    return { kind: ARRAY, byLength: [], byName: new Map(), keys: [], item: compileSelection((sel as readonly [Selection])[0]), source: sel };
  }
  const byLength: KeyEntry[][] = [];
  const byName = new Map<string, KeyEntry>();
  const keys: KeyEntry[] = [];
  for (const [name, child] of Object.entries(sel as Record<string, Selection>)) {
    if (name === '__proto__') throw new Error('a selection cannot name __proto__');
    // Keys are matched by their bytes: exact for ASCII names (any other spelling of them is escaped).
    if (!/^[\x20-\x7e]*$/.test(name)) throw new Error(`a selection names keys in printable ASCII only, not ${JSON.stringify(name)}`);
    if (keys.length === 255) throw new Error('a selection keeps at most 255 keys of one object');
    const bytes = Buffer.from(name, 'utf8');
    const entry: KeyEntry = { name, tag: keys.length + 1, bytes, node: compileSelection(child) };
    while (byLength.length <= bytes.length) byLength.push([]); // dense: no holes to look up
    byLength[bytes.length]!.push(entry);
    byName.set(name, entry);
    keys.push(entry);
  }
  return { kind: OBJECT, byLength, byName, keys, item: null, source: sel };
}

/** The same selection applied to an already parsed value: the reference the tests compare with. */
export function prune(value: unknown, sel: Selection): unknown {
  if (sel === true) return value;
  if (Array.isArray(sel)) return Array.isArray(value) ? value.map((v) => prune(v, (sel as readonly [Selection])[0])) : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(sel as Record<string, Selection>)) {
    if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = prune((value as Record<string, unknown>)[key], child);
  }
  return out;
}

/** Thrown inside, caught at the top: the bytes end before the value does. */
const INCOMPLETE = { stop: 'incomplete' };
/** Thrown inside, caught at the top: not JSON (or nested deeper than allowed). */
const INVALID = { stop: 'invalid' };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const OPEN_SQ = 0x5b;
const CLOSE_SQ = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Bytes that may follow a backslash, besides `u`: " \ / b f n r t. */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

// The reader's state: one value is read at a time, synchronously.
let b: Buffer = Buffer.alloc(0);
let i = 0;
let end = 0;
let depth = 0;
let maxDepth = 64;
/** Whether the string just skipped held an escape. */
let escaped = false;

const WHITESPACE = new Uint8Array(256);
WHITESPACE[0x20] = 1;
WHITESPACE[0x0a] = 1;
WHITESPACE[0x0d] = 1;
WHITESPACE[0x09] = 1;

/** Whether a byte is JSON whitespace (space, tab, CR, LF; nothing else). */
export function isJsonSpace(c: number): boolean {
  return WHITESPACE[c] === 1;
}

/** The next byte that is not JSON whitespace, not consumed. (Hot loops work on locals.) */
function ws(): number {
  const buf = b;
  const e = end;
  let j = i;
  while (j < e) {
    const c = buf[j]!;
    if (WHITESPACE[c] === 0) {
      i = j;
      return c;
    }
    j++;
  }
  i = j;
  throw INCOMPLETE;
}

/** Bytes that end a run of plain string content: the quote, the backslash, control characters. */
const STRING_STOP = new Uint8Array(256);
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;

/** Skips a string starting at its opening quote; sets `escaped`. */
function skipString(): void {
  const buf = b;
  const e = end;
  let j = i + 1;
  escaped = false;
  for (;;) {
    while (j < e && STRING_STOP[buf[j]!] === 0) j++;
    i = j;
    if (j >= e) throw INCOMPLETE;
    const c = buf[j]!;
    if (c === QUOTE) {
      i = j + 1;
      return;
    }
    if (c !== BACKSLASH) throw INVALID;
    if (j + 1 >= e) throw INCOMPLETE;
    const x = buf[j + 1]!;
    escaped = true;
    if (SIMPLE_ESCAPE[x] === 1) j += 2;
    else if (x === 0x75) {
      for (let k = j + 2; k < j + 6; k++) {
        if (k >= e) throw INCOMPLETE;
        if (HEX[buf[k]!] !== 1) throw INVALID;
      }
      j += 6;
    } else throw INVALID;
  }
}

/**
 * Where a run of one or more digits starting at `j` ends. The bytes must go on after it: a number
 * that runs to the end of the bytes is incomplete, as more digits may follow.
 */
function digitsEnd(j: number): number {
  const buf = b;
  const e = end;
  if (j >= e) return incomplete(j);
  let c = buf[j]!;
  if (c < ZERO || c > NINE) return invalid(j);
  j++;
  while (j < e && (c = buf[j]!) >= ZERO && c <= NINE) j++;
  if (j >= e) return incomplete(j);
  return j;
}

/** Skips a number starting at `i` (a minus or a digit). */
function skipNumber(): void {
  const buf = b;
  let j = i;
  if (buf[j] === MINUS) j++;
  // The integer part: 0, or digits that do not start with 0.
  if (j < end && buf[j] === ZERO) {
    j++;
    if (j >= end) return incomplete(j);
  } else j = digitsEnd(j);
  if (buf[j] === 0x2e) j = digitsEnd(j + 1);
  const c = buf[j];
  if (c === 0x65 || c === 0x45) {
    j++;
    if (j >= end) return incomplete(j);
    if (buf[j] === 0x2b || buf[j] === MINUS) j++;
    j = digitsEnd(j);
  }
  i = j;
}

function incomplete(at: number): never {
  i = at;
  throw INCOMPLETE;
}

function invalid(at: number): never {
  i = at;
  throw INVALID;
}

function skipWord(word: string): void {
  for (let k = 0; k < word.length; k++) {
    if (i >= end) throw INCOMPLETE;
    if (b[i] !== word.charCodeAt(k)) throw INVALID;
    i++;
  }
}

/**
 * Opens an object or array at `i`: false when it closes at once (`{}`, `[]`, consumed). Otherwise
 * `i` is at its first member or item.
 */
function open(close: number): boolean {
  if (++depth > maxDepth) throw INVALID;
  i++;
  if (ws() !== close) return true;
  i++;
  depth--;
  return false;
}

/** After a member or item: true after a comma (consumed), false at the closing bracket (consumed). */
function more(close: number): boolean {
  const c = ws();
  i++;
  if (c === COMMA) return true;
  if (c !== close) throw INVALID;
  depth--;
  return false;
}

/** Where the last key read starts (its opening quote) and ends (after its closing quote). */
let keyFrom = 0;
let keyTo = 0;

/** Checks a member's key and colon; `i` is then at its value. */
function key(): void {
  if (ws() !== QUOTE) throw INVALID;
  keyFrom = i;
  skipString();
  keyTo = i;
  if (ws() !== COLON) throw INVALID;
  i++;
}

function skipValue(c: number): void {
  if (c === QUOTE) skipString();
  else if (c === OPEN_CURLY) {
    if (open(CLOSE_CURLY)) {
      do {
        key();
        skipValue(ws());
      } while (more(CLOSE_CURLY));
    }
  } else if (c === OPEN_SQ) {
    if (open(CLOSE_SQ)) {
      do skipValue(ws());
      while (more(CLOSE_SQ));
    }
  } else if (c === 0x74) skipWord('true');
  else if (c === 0x66) skipWord('false');
  else if (c === 0x6e) skipWord('null');
  else if (c === MINUS || (c >= ZERO && c <= NINE)) skipNumber();
  else throw INVALID;
}

const T_STRING = 1;
const T_JSON = 2;
const T_OBJECT = 3;
const T_ARRAY = 4;
const T_END = 0;

/** The most a new token buffer starts with (after a batch with one huge record, say); it grows as needed. */
const MAX_START = 1 << 21;

/** A growable buffer of tokens, with the number of values written to it. */
export class TokenWriter {
  buf: Buffer;
  length = 0;
  count = 0;
  constructor(private readonly initial = 1 << 16) {
    this.buf = Buffer.allocUnsafeSlow(initial);
  }

  /**
   * The tokens written so far, in a buffer of their own (never a shared pool's: it can be
   * transferred to another thread); the writer goes on in a new buffer a little larger than these.
   */
  take(): Uint8Array {
    const tokens = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.length);
    this.buf = Buffer.allocUnsafeSlow(Math.max(this.initial, Math.min(this.length + (this.length >>> 2), MAX_START)));
    this.length = 0;
    this.count = 0;
    return tokens;
  }

  /** Writes a value already parsed another way, as one JSON token. */
  writeValue(value: unknown): void {
    const text = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
    out = this.buf;
    o = this.length;
    ensure(5 + text.length);
    out[o++] = T_JSON;
    out.writeUInt32LE(text.length, o);
    o += 4;
    text.copy(out, o);
    o += text.length;
    this.buf = out;
    this.length = o;
    this.count += 1;
    out = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);
// The token output of the value being emitted.
let out: Buffer = EMPTY;
let o = 0;

function ensure(n: number): void {
  if (o + n <= out.length) return;
  const bigger = Buffer.allocUnsafeSlow(Math.max(out.length * 2, o + n));
  out.copy(bigger, 0, 0, o);
  out = bigger;
}

/** Copies `b[from, to)` to the output as a token of that type. */
function emitBytes(tag: number, from: number, to: number): void {
  const len = to - from;
  ensure(5 + len);
  out[o] = tag;
  out[o + 1] = len & 0xff;
  out[o + 2] = (len >>> 8) & 0xff;
  out[o + 3] = (len >>> 16) & 0xff;
  out[o + 4] = len >>> 24;
  o += 5;
  if (len < 256) {
    const src = b;
    const dst = out;
    const at = o - from;
    for (let k = from; k < to; k++) dst[at + k] = src[k]!;
  } else b.copy(out, o, from, to);
  o += len;
}

/** The whole value at `i`: checked by skipping it, then copied as one token. */
function whole(c: number): void {
  const from = i;
  skipValue(c);
  if (c !== QUOTE) emitBytes(T_JSON, from, i);
  else if (!escaped) emitBytes(T_STRING, from + 1, i - 1);
  else if (!emitUnescaped(from + 1, i - 1)) emitBytes(T_JSON, from, i);
}

/** The value of a hex digit already checked to be one. */
function hexValue(c: number): number {
  return c <= NINE ? c - ZERO : (c | 0x20) - 0x57;
}

function hex4(at: number): number {
  return (hexValue(b[at]!) << 12) | (hexValue(b[at + 1]!) << 8) | (hexValue(b[at + 2]!) << 4) | hexValue(b[at + 3]!);
}

/** What a simple escape's letter stands for. */
const UNESCAPED = new Uint8Array(256);
for (const [letter, byte] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09]] as const) {
  UNESCAPED[letter.charCodeAt(0)] = byte;
}

/**
 * The content of a checked string with escapes, `b[from, to)`, written as a plain string token with
 * its escapes resolved to UTF-8, so that the thread building values need not parse it. False (and
 * nothing written) when it escapes a lone surrogate, which UTF-8 cannot carry: it is then kept as
 * JSON. Resolved escapes are never longer than they were written.
 */
function emitUnescaped(from: number, to: number): boolean {
  ensure(5 + to - from);
  const start = o;
  let w = o + 5;
  const dst = out;
  const src = b;
  let k = from;
  while (k < to) {
    const c = src[k]!;
    if (c !== BACKSLASH) {
      dst[w++] = c;
      k++;
      continue;
    }
    const e = src[k + 1]!;
    if (e !== 0x75) {
      dst[w++] = UNESCAPED[e]!;
      k += 2;
      continue;
    }
    let cp = hex4(k + 2);
    k += 6;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      // A high surrogate must be followed by an escaped low one; anything else is lone.
      if (cp > 0xdbff || k + 6 > to || src[k] !== BACKSLASH || src[k + 1] !== 0x75) return false;
      const low = hex4(k + 2);
      if (low < 0xdc00 || low > 0xdfff) return false;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      k += 6;
    }
    if (cp < 0x80) dst[w++] = cp;
    else if (cp < 0x800) {
      dst[w++] = 0xc0 | (cp >> 6);
      dst[w++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      dst[w++] = 0xe0 | (cp >> 12);
      dst[w++] = 0x80 | ((cp >> 6) & 0x3f);
      dst[w++] = 0x80 | (cp & 0x3f);
    } else {
      dst[w++] = 0xf0 | (cp >> 18);
      dst[w++] = 0x80 | ((cp >> 12) & 0x3f);
      dst[w++] = 0x80 | ((cp >> 6) & 0x3f);
      dst[w++] = 0x80 | (cp & 0x3f);
    }
  }
  const len = w - start - 5;
  dst[start] = T_STRING;
  dst[start + 1] = len & 0xff;
  dst[start + 2] = (len >>> 8) & 0xff;
  dst[start + 3] = (len >>> 16) & 0xff;
  dst[start + 4] = len >>> 24;
  o = w;
  return true;
}

function keyEntry(node: Node, from: number, to: number): KeyEntry | undefined {
  if (escaped) return node.byName.get(JSON.parse(b.toString('utf8', from, to)) as string);
  const len = to - from - 2;
  if (len >= node.byLength.length) return undefined;
  const candidates = node.byLength[len]!;
  for (let e = 0; e < candidates.length; e++) {
    const entry = candidates[e]!;
    const bytes = entry.bytes;
    let k = 0;
    while (k < len && b[from + 1 + k] === bytes[k]) k++;
    if (k === len) return entry;
  }
  return undefined;
}

function token(tag: number): void {
  ensure(1);
  out[o++] = tag;
}

function selected(node: Node, c: number): void {
  if (node.kind === OBJECT && c === OPEN_CURLY) {
    token(T_OBJECT);
    if (open(CLOSE_CURLY)) {
      do {
        key();
        const entry = node.keys.length === 0 ? undefined : keyEntry(node, keyFrom, keyTo);
        if (entry === undefined) skipValue(ws());
        else {
          token(entry.tag);
          selected(entry.node, ws());
        }
      } while (more(CLOSE_CURLY));
    }
    token(T_END);
  } else if (node.kind === ARRAY && c === OPEN_SQ) {
    token(T_ARRAY);
    if (open(CLOSE_SQ)) {
      do selected(node.item!, ws());
      while (more(CLOSE_SQ));
    }
    token(T_END);
  } else whole(c);
}

export type EmitResult = { status: 'ok'; end: number } | { status: 'incomplete' } | { status: 'invalid'; at: number };

/**
 * Checks the JSON value that starts at `from` (after any whitespace) in `bytes[from, to)` and writes
 * its selected parts to `writer`. `end` is the offset just after it; nothing after it is looked at.
 * 'incomplete' means the bytes stop before the value does; 'invalid' that they are not JSON there
 * (or nest deeper than `depthLimit`). Only 'ok' leaves anything in the writer.
 */
export function emitSelected(bytes: Buffer, from: number, to: number, sel: CompiledSelection, writer: TokenWriter, depthLimit = 64): EmitResult {
  b = bytes;
  i = from;
  end = to;
  depth = 0;
  maxDepth = depthLimit;
  out = writer.buf;
  o = writer.length;
  try {
    selected(sel, ws());
    writer.length = o;
    writer.count += 1;
    return { status: 'ok', end: i };
  } catch (stop) {
    if (stop === INCOMPLETE) return { status: 'incomplete' };
    return { status: 'invalid', at: i };
  } finally {
    writer.buf = out;
    b = EMPTY;
    out = EMPTY;
  }
}

/** Buffer's own decoder, without the argument checks of `toString` (called once per kept string). */
type Utf8Buffer = Buffer & { utf8Slice(from: number, to: number): string };
const HAS_UTF8_SLICE = typeof (Buffer.prototype as { utf8Slice?: unknown }).utf8Slice === 'function';

// The token input being decoded.
let t: Uint8Array = EMPTY;
let tb = EMPTY as Utf8Buffer;
let p = 0;

function u32(): number {
  const v = t[p]! | (t[p + 1]! << 8) | (t[p + 2]! << 16) | (t[p + 3]! << 24);
  p += 4;
  return v >>> 0;
}

function decodeValue(node: Node): unknown {
  const tag = t[p++]!;
  if (tag === T_STRING) {
    const len = u32();
    p += len;
    return HAS_UTF8_SLICE ? tb.utf8Slice(p - len, p) : tb.toString('utf8', p - len, p);
  }
  if (tag === T_JSON) {
    const len = u32();
    p += len;
    return JSON.parse(tb.toString('utf8', p - len, p));
  }
  if (tag === T_OBJECT) {
    const value: Record<string, unknown> = {};
    for (let k = t[p++]!; k !== T_END; k = t[p++]!) {
      const entry = node.keys[k - 1]!;
      value[entry.name] = decodeValue(entry.node);
    }
    return value;
  }
  if (tag === T_ARRAY) {
    const value: unknown[] = [];
    const item = node.item!;
    while (t[p] !== T_END) value.push(decodeValue(item));
    p++;
    return value;
  }
  throw new Error(`token stream damaged at ${p - 1}`);
}

/** The values a token stream holds, built with the selection that wrote it. */
export function decodeTokens(tokens: Uint8Array, sel: CompiledSelection): unknown[] {
  const values: unknown[] = [];
  decodeEach(tokens, sel, (value) => values.push(value));
  return values;
}

/**
 * Builds the values of a token stream one at a time and hands each to `each` before building the
 * next, so that a value's parts can be garbage as soon as `each` is done with it. Starts at offset
 * `from` (0 or an offset this returned) and stops after `limit` values; returns the offset reached
 * (the stream's length when all are read).
 */
export function decodeEach(tokens: Uint8Array, sel: CompiledSelection, each: (value: unknown) => void, from = 0, limit = Infinity): number {
  const buffer = Buffer.from(tokens.buffer, tokens.byteOffset, tokens.byteLength) as Utf8Buffer;
  let at = from;
  for (let n = 0; n < limit && at < tokens.length; n++) {
    t = tokens;
    tb = buffer;
    p = at;
    let value: unknown;
    try {
      value = decodeValue(sel);
      at = p;
    } finally {
      t = EMPTY;
      tb = EMPTY as Utf8Buffer;
    }
    each(value);
  }
  return at;
}

export type SelectResult = { status: 'ok'; value: unknown; end: number } | { status: 'incomplete' } | { status: 'invalid'; at: number };

/** One value, checked, selected and built: `emitSelected` then `decodeTokens`. */
export function readSelected(bytes: Buffer, from: number, to: number, sel: CompiledSelection, depthLimit = 64): SelectResult {
  const writer = new TokenWriter(256);
  const r = emitSelected(bytes, from, to, sel, writer, depthLimit);
  if (r.status !== 'ok') return r;
  return { status: 'ok', value: decodeTokens(writer.take(), sel)[0], end: r.end };
}
