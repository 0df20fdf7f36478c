/**
 * A validating, selective JSON reader over UTF-8 bytes. It checks the whole value against the JSON
 * grammar, exactly as `JSON.parse` would accept or refuse it, but keeps only the parts a selection
 * names: everything else is checked and skipped without making a string or an object. For an
 * archive record of 1–2 KB of which a tweet needs a dozen fields, that is most of the bytes.
 *
 * It works in two steps that may run on two threads. `emitSelected` checks the bytes and
 * writes the kept parts as a compact token stream (raw byte copies, no strings made). `decodeTokens`
 * builds the values from the tokens. The token format is described once, at `T_STRING` below.
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

/**
 * Why a read stopped before the value's end. Thrown inside the reader, caught in `select`, and
 * returned from there as a result. It is made at most once a value, so its cost does not show.
 */
class Stop extends Error {
  constructor(readonly status: 'incomplete' | 'invalid') {
    super(status);
  }
}

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

const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

const WHITESPACE = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09]) WHITESPACE[c] = 1;

/** Whether a byte is JSON whitespace (space, tab, CR, LF; nothing else). */
export function isJsonSpace(c: number): boolean {
  return WHITESPACE[c] === 1;
}

/** Bytes that end a run of plain string content: the quote, the backslash, control characters. */
const STRING_STOP = new Uint8Array(256);
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 1;

/** What a simple escape's letter stands for (" \ / b f n r t; `u` aside, no other byte may follow a backslash). */
const UNESCAPED = new Uint8Array(256);
for (const [letter, byte] of [['"', 0x22], ['\\', 0x5c], ['/', 0x2f], ['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09]] as const) {
  UNESCAPED[letter.charCodeAt(0)] = byte;
}

/**
 * The token format. A stream holds one token tree per value, one after another.
 * - T_STRING, u32 length (little-endian), UTF-8 bytes: a string, escapes already resolved.
 * - T_JSON, u32 length, UTF-8 bytes: any other kept value, as JSON text.
 * - T_OBJECT, then for each kept member its key tag (1 + the key's place in the selection) and its
 *   value, then T_END.
 * - T_ARRAY, then each item, then T_END.
 * Key tags are 1 to 255, so T_END (0) cannot be mistaken for one.
 */
const T_STRING = 1;
const T_JSON = 2;
const T_OBJECT = 3;
const T_ARRAY = 4;
const T_END = 0;

/** The most a new token buffer starts with (after a batch with one huge record, say); it grows as needed. */
const MAX_START = 1 << 21;

export type EmitResult = { status: 'ok'; end: number } | { status: 'incomplete' } | { status: 'invalid'; at: number };

/**
 * Checks JSON values and writes their selected parts as tokens to a growable buffer. It reads one
 * value at a time, synchronously. The hot loops copy the fields they use to locals: V8 keeps those
 * in registers, which measurably beats reading the fields again each byte.
 */
export class TokenWriter {
  /** The tokens, in `buf[0, length)`; `count` values. */
  buf: Buffer;
  length = 0;
  count = 0;

  // The value being read: its bytes, where reading is, where the bytes end, and the nesting.
  private b: Buffer = EMPTY;
  private i = 0;
  private end = 0;
  private depth = 0;
  private maxDepth = 64;
  /** Whether the string just skipped held an escape. */
  private escaped = false;
  /** Where the last key read starts (its opening quote) and ends (after its closing quote). */
  private keyFrom = 0;
  private keyTo = 0;

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
    this.ensure(5 + text.length);
    this.head(this.length, T_JSON, text.length);
    text.copy(this.buf, this.length + 5);
    this.length += 5 + text.length;
    this.count += 1;
  }

  /**
   * Checks the JSON value that starts at `from` (after any whitespace) in `bytes[from, to)` and
   * writes its selected parts. `end` is the offset just after it; nothing after it is looked at.
   * 'incomplete' means the bytes stop before the value does. 'invalid' means they are not JSON
   * there, or nest deeper than `depthLimit`. Only 'ok' leaves anything written.
   */
  select(bytes: Buffer, from: number, to: number, sel: CompiledSelection, depthLimit = 64): EmitResult {
    const mark = this.length;
    this.b = bytes;
    this.i = from;
    this.end = to;
    this.depth = 0;
    this.maxDepth = depthLimit;
    try {
      this.selected(sel, this.ws());
      this.count += 1;
      return { status: 'ok', end: this.i };
    } catch (error) {
      // Anything else thrown (a stack overflow with a huge depth limit, say) counts as refused too.
      this.length = mark;
      return error instanceof Stop && error.status === 'incomplete' ? { status: 'incomplete' } : { status: 'invalid', at: this.i };
    } finally {
      this.b = EMPTY;
    }
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }

  private stop(status: 'incomplete' | 'invalid', at = this.i): never {
    this.i = at;
    throw new Stop(status);
  }

  /** The next byte that is not JSON whitespace, not consumed. */
  private ws(): number {
    const buf = this.b;
    const e = this.end;
    let j = this.i;
    while (j < e) {
      const c = buf[j]!;
      if (WHITESPACE[c] === 0) {
        this.i = j;
        return c;
      }
      j++;
    }
    return this.stop('incomplete', j);
  }

  /** Skips a string starting at its opening quote; sets `escaped`. */
  private skipString(): void {
    const buf = this.b;
    const e = this.end;
    let j = this.i + 1;
    this.escaped = false;
    for (;;) {
      while (j < e && STRING_STOP[buf[j]!] === 0) j++;
      if (j >= e) this.stop('incomplete', j);
      const c = buf[j]!;
      if (c === QUOTE) {
        this.i = j + 1;
        return;
      }
      if (c !== BACKSLASH) this.stop('invalid', j);
      if (j + 1 >= e) this.stop('incomplete', j);
      const x = buf[j + 1]!;
      this.escaped = true;
      if (UNESCAPED[x] !== 0) j += 2;
      else if (x === 0x75) {
        for (let k = j + 2; k < j + 6; k++) {
          if (k >= e) this.stop('incomplete', j);
          if (HEX[buf[k]!] !== 1) this.stop('invalid', j);
        }
        j += 6;
      } else this.stop('invalid', j);
    }
  }

  /**
   * Where a run of one or more digits starting at `j` ends. The bytes must go on after it: a
   * number that runs to the end of the bytes is incomplete, as more digits may follow.
   */
  private digitsEnd(j: number): number {
    const buf = this.b;
    const e = this.end;
    if (j >= e) return this.stop('incomplete', j);
    let c = buf[j]!;
    if (c < ZERO || c > NINE) return this.stop('invalid', j);
    j++;
    while (j < e && (c = buf[j]!) >= ZERO && c <= NINE) j++;
    if (j >= e) return this.stop('incomplete', j);
    return j;
  }

  /** Skips a number starting at `i` (a minus or a digit). */
  private skipNumber(): void {
    const buf = this.b;
    const e = this.end;
    let j = this.i;
    if (buf[j] === MINUS) j++;
    // The integer part: 0, or digits that do not start with 0.
    if (j < e && buf[j] === ZERO) {
      j++;
      if (j >= e) this.stop('incomplete', j);
    } else j = this.digitsEnd(j);
    if (buf[j] === 0x2e) j = this.digitsEnd(j + 1);
    const c = buf[j];
    if (c === 0x65 || c === 0x45) {
      j++;
      if (j >= e) this.stop('incomplete', j);
      if (buf[j] === 0x2b || buf[j] === MINUS) j++;
      j = this.digitsEnd(j);
    }
    this.i = j;
  }

  private skipWord(word: string): void {
    for (let k = 0; k < word.length; k++) {
      if (this.i >= this.end) this.stop('incomplete');
      if (this.b[this.i] !== word.charCodeAt(k)) this.stop('invalid');
      this.i++;
    }
  }

  /**
   * Opens an object or array at `i`. False when it closes at once (`{}`, `[]`, consumed).
   * Otherwise `i` is at its first member or item.
   */
  private open(close: number): boolean {
    if (++this.depth > this.maxDepth) this.stop('invalid');
    this.i++;
    if (this.ws() !== close) return true;
    this.i++;
    this.depth--;
    return false;
  }

  /** After a member or item: true after a comma, false at the closing bracket (both consumed). */
  private more(close: number): boolean {
    const c = this.ws();
    this.i++;
    if (c === COMMA) return true;
    if (c !== close) this.stop('invalid');
    this.depth--;
    return false;
  }

  /** Checks a member's key and colon; `i` is then at its value. */
  private key(): void {
    if (this.ws() !== QUOTE) this.stop('invalid');
    this.keyFrom = this.i;
    this.skipString();
    this.keyTo = this.i;
    if (this.ws() !== COLON) this.stop('invalid');
    this.i++;
  }

  private skipValue(c: number): void {
    if (c === QUOTE) this.skipString();
    else if (c === OPEN_CURLY) {
      if (this.open(CLOSE_CURLY)) {
        do {
          this.key();
          this.skipValue(this.ws());
        } while (this.more(CLOSE_CURLY));
      }
    } else if (c === OPEN_SQ) {
      if (this.open(CLOSE_SQ)) {
        do this.skipValue(this.ws());
        while (this.more(CLOSE_SQ));
      }
    } else if (c === 0x74) this.skipWord('true');
    else if (c === 0x66) this.skipWord('false');
    else if (c === 0x6e) this.skipWord('null');
    else if (c === MINUS || (c >= ZERO && c <= NINE)) this.skipNumber();
    else this.stop('invalid');
  }

  /** Writes a length-prefixed token's head at `at`: its tag and the u32 length. */
  private head(at: number, tag: number, len: number): void {
    this.buf[at] = tag;
    this.buf.writeUInt32LE(len, at + 1);
  }

  /** Copies `b[from, to)` to the output as a token of that type. */
  private emitBytes(tag: number, from: number, to: number): void {
    const len = to - from;
    this.ensure(5 + len);
    this.head(this.length, tag, len);
    const o = this.length + 5;
    if (len < 256) {
      // Short copies by hand: cheaper than a call into `copy`.
      const src = this.b;
      const dst = this.buf;
      const at = o - from;
      for (let k = from; k < to; k++) dst[at + k] = src[k]!;
    } else this.b.copy(this.buf, o, from, to);
    this.length = o + len;
  }

  /** The whole value at `i`: checked by skipping it, then copied as one token. */
  private whole(c: number): void {
    const from = this.i;
    this.skipValue(c);
    const to = this.i;
    if (c !== QUOTE) this.emitBytes(T_JSON, from, to);
    else if (!this.escaped) this.emitBytes(T_STRING, from + 1, to - 1);
    else if (!this.emitUnescaped(from + 1, to - 1)) this.emitBytes(T_JSON, from, to);
  }

  /** The four hex digits at `at`, already checked. */
  private hex4(at: number): number {
    return parseInt(this.b.toString('latin1', at, at + 4), 16);
  }

  /**
   * Writes the content of a checked string with escapes, `b[from, to)`, as a T_STRING token with
   * its escapes resolved to UTF-8. So the thread that builds values need not parse it. Returns
   * false, writing nothing, when it escapes a lone surrogate, which UTF-8 cannot carry: it is then
   * kept as JSON. Resolved escapes are never longer than they were written.
   */
  private emitUnescaped(from: number, to: number): boolean {
    this.ensure(5 + to - from);
    const start = this.length;
    let w = start + 5;
    const dst = this.buf;
    const src = this.b;
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
      let cp = this.hex4(k + 2);
      k += 6;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        // A high surrogate must be followed by an escaped low one; anything else is lone.
        if (cp > 0xdbff || k + 6 > to || src[k] !== BACKSLASH || src[k + 1] !== 0x75) return false;
        const low = this.hex4(k + 2);
        if (low < 0xdc00 || low > 0xdfff) return false;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        k += 6;
      }
      w += dst.write(String.fromCodePoint(cp), w);
    }
    this.head(start, T_STRING, w - start - 5);
    this.length = w;
    return true;
  }

  /** The selected key whose bytes are `b[from, to)` (quotes included), if any. */
  private keyEntry(node: Node, from: number, to: number): KeyEntry | undefined {
    const b = this.b;
    if (this.escaped) return node.byName.get(JSON.parse(b.toString('utf8', from, to)) as string);
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

  private token(tag: number): void {
    this.ensure(1);
    this.buf[this.length++] = tag;
  }

  /** Reads the value at `i` (its first byte is `c`) and writes what `node` keeps of it. */
  private selected(node: Node, c: number): void {
    if (node.kind === OBJECT && c === OPEN_CURLY) {
      this.token(T_OBJECT);
      if (this.open(CLOSE_CURLY)) {
        do {
          this.key();
          const entry = node.keys.length === 0 ? undefined : this.keyEntry(node, this.keyFrom, this.keyTo);
          if (entry === undefined) this.skipValue(this.ws());
          else {
            this.token(entry.tag);
            this.selected(entry.node, this.ws());
          }
        } while (this.more(CLOSE_CURLY));
      }
      this.token(T_END);
    } else if (node.kind === ARRAY && c === OPEN_SQ) {
      this.token(T_ARRAY);
      if (this.open(CLOSE_SQ)) {
        do this.selected(node.item!, this.ws());
        while (this.more(CLOSE_SQ));
      }
      this.token(T_END);
    } else this.whole(c);
  }
}

const EMPTY = Buffer.alloc(0);

/** Builds values from a token stream, one at a time, with the selection that wrote it. */
class TokenReader {
  private readonly text: Buffer;
  constructor(
    private readonly t: Uint8Array,
    public p: number,
  ) {
    this.text = Buffer.from(t.buffer, t.byteOffset, t.byteLength);
  }

  value(node: Node): unknown {
    const t = this.t;
    const tag = t[this.p++]!;
    if (tag === T_STRING || tag === T_JSON) {
      const len = this.text.readUInt32LE(this.p);
      const from = this.p + 4;
      this.p = from + len;
      const text = this.text.toString('utf8', from, from + len);
      return tag === T_STRING ? text : JSON.parse(text);
    }
    if (tag === T_OBJECT) {
      const value: Record<string, unknown> = {};
      for (let k = t[this.p++]!; k !== T_END; k = t[this.p++]!) {
        const entry = node.keys[k - 1]!;
        value[entry.name] = this.value(entry.node);
      }
      return value;
    }
    if (tag === T_ARRAY) {
      const value: unknown[] = [];
      const item = node.item!;
      while (t[this.p] !== T_END) value.push(this.value(item));
      this.p++;
      return value;
    }
    throw new Error(`token stream damaged at ${this.p - 1}`);
  }
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
 * `from` (0 or an offset this returned) and stops after `limit` values. Returns the offset reached
 * (the stream's length when all are read).
 */
export function decodeEach(tokens: Uint8Array, sel: CompiledSelection, each: (value: unknown) => void, from = 0, limit = Infinity): number {
  const reader = new TokenReader(tokens, from);
  for (let n = 0; n < limit && reader.p < tokens.length; n++) each(reader.value(sel));
  return reader.p;
}

/** Checks one value and writes its selected parts to `writer`: see `TokenWriter#select`. */
export function emitSelected(bytes: Buffer, from: number, to: number, sel: CompiledSelection, writer: TokenWriter, depthLimit = 64): EmitResult {
  return writer.select(bytes, from, to, sel, depthLimit);
}

export type SelectResult = { status: 'ok'; value: unknown; end: number } | { status: 'incomplete' } | { status: 'invalid'; at: number };

/** One value, checked, selected and built: `emitSelected` then `decodeTokens`. */
export function readSelected(bytes: Buffer, from: number, to: number, sel: CompiledSelection, depthLimit = 64): SelectResult {
  const writer = new TokenWriter(256);
  const r = writer.select(bytes, from, to, sel, depthLimit);
  if (r.status !== 'ok') return r;
  return { status: 'ok', value: decodeTokens(writer.take(), sel)[0], end: r.end };
}
