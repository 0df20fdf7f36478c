/**
 * src/lib/select-json.ts: the validating selective JSON reader. Its grammar is held against the
 * engine's JSON.parse (hand cases, generated values, byte mutations), its selections against `prune`
 * applied to JSON.parse's result, and its token stream against the values written into it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileSelection,
  decodeEach,
  decodeTokens,
  emitSelected,
  prune,
  readSelected,
  TokenWriter,
  type CompiledSelection,
  type SelectResult,
  type Selection,
} from '../../src/lib/select-json.js';
import { TWEET_SELECTION } from '../../src/sources/x-archive/map-tweet.js';

const SEED = 20261202;
const ALL = compileSelection(true);

function bytesOf(input: string | Buffer): Buffer {
  return typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
}

function read(input: string | Buffer, sel: CompiledSelection = ALL, depthLimit = 64): SelectResult {
  const buf = bytesOf(input);
  return readSelected(buf, 0, buf.length, sel, depthLimit);
}

/** The engine's verdict on the whole text (UTF-8 decoded as Buffer does, so bad bytes become U+FFFD). */
function engine(buf: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(buf.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The length of `buf` without the JSON whitespace (space, tab, LF, CR) at its end. */
function trimmedLength(buf: Buffer): number {
  let n = buf.length;
  while (n > 0 && (buf[n - 1] === 0x20 || buf[n - 1] === 0x09 || buf[n - 1] === 0x0a || buf[n - 1] === 0x0d)) n--;
  return n;
}

/**
 * What the reader must answer for a whole text: `{ ok: end }` (a value that ends at byte `end`),
 * 'invalid' (no JSON continues these bytes) or 'incomplete' (a proper prefix of some JSON text).
 * 'number at the end': a number that runs to the last byte is valid JSON, and also a proper prefix
 * of a longer number; the reader, which cannot know whether more bytes follow, says 'incomplete'.
 */
type Verdict = { ok: number } | 'invalid' | 'incomplete' | 'number at the end';
type Case = readonly [label: string, text: string | Buffer, verdict: Verdict];

function checkCase([label, text, verdict]: Case): void {
  const buf = bytesOf(text);
  const r = read(buf);
  const whole = engine(buf);
  if (verdict === 'number at the end') {
    expect(r.status, label).toBe('incomplete');
    expect(whole.ok && typeof whole.value === 'number', `${label}: JSON.parse reads a number`).toBe(true);
    // one more byte of whitespace ends it
    const ended = Buffer.concat([buf, Buffer.from('\n')]);
    expect(read(ended), label).toEqual({ status: 'ok', value: whole.ok ? whole.value : undefined, end: buf.length });
    return;
  }
  if (typeof verdict === 'string') {
    expect(r.status, label).toBe(verdict);
    expect(whole.ok, `${label}: JSON.parse refuses it too`).toBe(false);
    return;
  }
  expect(r, label).toMatchObject({ status: 'ok', end: verdict.ok });
  if (r.status !== 'ok') return;
  // The value is what JSON.parse makes of the bytes up to `end`.
  const prefix = engine(buf.subarray(0, verdict.ok));
  expect(prefix.ok, `${label}: the bytes up to end are JSON`).toBe(true);
  if (prefix.ok) expect(r.value, label).toEqual(prefix.value);
  // Nothing but whitespace follows ⇔ JSON.parse takes the whole text.
  expect(whole.ok, `${label}: JSON.parse of the whole text`).toBe(verdict.ok === trimmedLength(buf));
  if (whole.ok) expect(r.value, label).toEqual(whole.value);
}

const NUMBERS: Case[] = [
  // A number that reaches the end of the bytes may go on (more digits, a fraction, an exponent):
  // the reader cannot tell, so it says 'incomplete'; with a byte after it, it is ok.
  ['0 bare', '0', 'number at the end'],
  ['0', '0 ', { ok: 1 }],
  ['-0', '-0 ', { ok: 2 }],
  ['123 bare', '123', 'number at the end'],
  ['-1.5e-3 bare', '-1.5e-3', 'number at the end'],
  ['123 in an array', '[123]', { ok: 5 }],
  ['01: 0, then garbage', '01 ', { ok: 1 }],
  ['00: 0, then garbage', '00', { ok: 1 }],
  ['-01: -0, then garbage', '-01 ', { ok: 2 }],
  ['[01]', '[01]', 'invalid'],
  ['- then space', '- ', 'invalid'],
  ['- bare', '-', 'incomplete'],
  ['-a', '-a', 'invalid'],
  ['+1', '+1', 'invalid'],
  ['1. then space', '1. ', 'invalid'],
  ['1. bare', '1.', 'incomplete'],
  ['[1.]', '[1.]', 'invalid'],
  ['.5', '.5', 'invalid'],
  ['1e then space', '1e ', 'invalid'],
  ['1e bare', '1e', 'incomplete'],
  ['[1e]', '[1e]', 'invalid'],
  ['1e+ then space', '1e+ ', 'invalid'],
  ['1e+ bare', '1e+', 'incomplete'],
  ['1E-2', '1E-2 ', { ok: 4 }],
  ['2.5e10', '2.5e10\n', { ok: 6 }],
  ['1e400 (Infinity for both)', '1e400 ', { ok: 5 }],
  ['[-1e400]', '[-1e400]', { ok: 8 }],
  ['-0.0e-0', '-0.0e-0 ', { ok: 7 }],
  ['1.5e3.2: 1.5e3, then garbage', '1.5e3.2', { ok: 5 }],
  ['0x10: 0, then garbage', '0x10', { ok: 1 }],
  ['Infinity', 'Infinity', 'invalid'],
  ['-Infinity', '-Infinity', 'invalid'],
  ['NaN', 'NaN', 'invalid'],
];

const LITERALS: Case[] = [
  ['true', 'true', { ok: 4 }],
  ['false', 'false', { ok: 5 }],
  ['null', 'null', { ok: 4 }],
  ['tru', 'tru', 'incomplete'],
  ['nul', 'nul', 'incomplete'],
  ['f', 'f', 'incomplete'],
  ['falsey: false, then garbage', 'falsey', { ok: 5 }],
  ['true x', 'true x', { ok: 4 }],
  ['nulL', 'nulL', 'invalid'],
  ['True', 'True', 'invalid'],
  ['trUe', 'trUe', 'invalid'],
  ['undefined', 'undefined', 'invalid'],
  ['[tru]', '[tru]', 'invalid'],
];

const STRINGS: Case[] = [
  ['""', '""', { ok: 2 }],
  ['"abc"', '"abc"', { ok: 5 }],
  ['"abc', '"abc', 'incomplete'],
  ['a lone quote', '"', 'incomplete'],
  ['every simple escape and \\u00e9', String.raw`"\" \\ \/ \b \f \n \r \t \u00e9"`, { ok: 32 }],
  ['\\x41', String.raw`"\x41"`, 'invalid'],
  ["\\'", String.raw`"\'"`, 'invalid'],
  ['\\u12G4', String.raw`"\u12G4"`, 'invalid'],
  ['\\u12 at the end of the bytes', String.raw`"\u12`, 'incomplete'],
  ['a backslash at the end of the bytes', '"ab\\', 'incomplete'],
  ['raw 0x01 in a string', '"a\u0001b"', 'invalid'],
  ['raw 0x1f in a string', '"a\u001fb"', 'invalid'],
  ['raw LF in a string', '"a\nb"', 'invalid'],
  ['raw tab in a string', '"a\tb"', 'invalid'],
  ['raw DEL 0x7f in a string', '"a\u007fb"', { ok: 5 }],
  ['raw U+2028 in a string', '"a\u2028b"', { ok: 7 }],
  ['raw NBSP in a string', '"a\u00a0b"', { ok: 6 }],
  ['lone surrogate escape', String.raw`"\ud800"`, { ok: 8 }],
  ['surrogate pair escape', String.raw`"\uD83D\uDE00"`, { ok: 14 }],
  // h, é (2 bytes), l, l, o, space, 🌊 (4 bytes), two quotes: 1+2+3+1+4+2 = 13 bytes; `end` counts bytes.
  ['non-ASCII UTF-8', '"héllo 🌊"', { ok: 13 }],
  ['invalid UTF-8 byte 0xff in a string', Buffer.from([0x22, 0xff, 0x22]), { ok: 3 }],
  ['cut UTF-8 sequence before the closing quote', Buffer.from([0x22, 0xe2, 0x82, 0x22]), { ok: 4 }],
  ['0xff outside a string', Buffer.from([0xff]), 'invalid'],
  ['0xff between array items', Buffer.from('[1,\xff2]', 'latin1'), 'invalid'],
  ['a byte order mark before the value', '\ufeff1 ', 'invalid'],
  ["single quotes", "'a'", 'invalid'],
];

const CONTAINERS: Case[] = [
  ['[]', '[]', { ok: 2 }],
  ['{}', '{}', { ok: 2 }],
  ['[ ]', '[ ]', { ok: 3 }],
  ['{ }', '{ }', { ok: 3 }],
  ['nested', '{"a":[1,{"b":null}],"c":"d"}', { ok: 28 }],
  ['[1,]', '[1,]', 'invalid'],
  ['{"a":1,}', '{"a":1,}', 'invalid'],
  ['{,}', '{,}', 'invalid'],
  ['[,1]', '[,1]', 'invalid'],
  ['[1 2]', '[1 2]', 'invalid'],
  ['{"a" 1}', '{"a" 1}', 'invalid'],
  ['{"a":1 "b":2}', '{"a":1 "b":2}', 'invalid'],
  ['{"a"}', '{"a"}', 'invalid'],
  ['{"a":}', '{"a":}', 'invalid'],
  ['{1:2}', '{1:2}', 'invalid'],
  ["{'a':1}", "{'a':1}", 'invalid'],
  ['{"a":1}}', '{"a":1}}', { ok: 7 }],
  ['[1]]', '[1]]', { ok: 3 }],
  ['[]]', '[]]', { ok: 2 }],
  ['[1,', '[1,', 'incomplete'],
  ['[', '[', 'incomplete'],
  ['{', '{', 'incomplete'],
  ['{"a"', '{"a"', 'incomplete'],
  ['{"a":', '{"a":', 'incomplete'],
  ['{"a":1', '{"a":1', 'incomplete'],
  ['[[]', '[[]', 'incomplete'],
  [']', ']', 'invalid'],
  ['}', '}', 'invalid'],
  [':', ':', 'invalid'],
  [',', ',', 'invalid'],
  ['empty', '', 'incomplete'],
  ['whitespace only', ' \t\r\n', 'incomplete'],
];

const WHITESPACE: Case[] = [
  // 4 + '[' + 4 + '1' + 4 + ']' = 15; the trailing whitespace is not part of the value.
  ['space, tab, CR, LF everywhere', ' \t\r\n[ \t\r\n1 \t\r\n] \t\r\n', { ok: 15 }],
  ['around a colon and a comma', '{ "a" : 1 , "b" :2}', { ok: 19 }],
  ['form feed before a value', '\f1 ', 'invalid'],
  ['form feed in an array', '[\f1]', 'invalid'],
  ['vertical tab before a value', '\u000b1 ', 'invalid'],
  ['NBSP before a value', '\u00a01 ', 'invalid'],
  ['NBSP in an array', '[1\u00a0]', 'invalid'],
  ['U+2028 before a value', '\u20281 ', 'invalid'],
  ['U+2028 in an array', '[1,\u2028 2]', 'invalid'],
  ['form feed after a number: the number, then garbage', '1\f', { ok: 1 }],
];

describe('readSelected with `true` agrees with JSON.parse on the grammar', () => {
  for (const [name, cases] of [['numbers', NUMBERS], ['literals', LITERALS], ['strings', STRINGS], ['containers', CONTAINERS], ['whitespace', WHITESPACE]] as const) {
    it(name, () => {
      for (const c of cases) checkCase(c);
    });
  }

  it('has at least 60 hand cases', () => {
    expect(NUMBERS.length + LITERALS.length + STRINGS.length + CONTAINERS.length + WHITESPACE.length).toBeGreaterThanOrEqual(60);
  });

  it('keeps -0 (JSON.parse gives -0 too)', () => {
    const r = read('-0 ');
    expect(r.status).toBe('ok');
    if (r.status === 'ok') expect(Object.is(r.value, -0)).toBe(true);
  });

  it('decodes strings by hand-checked values', () => {
    expect(read(String.raw`"\" \\ \/ \b \f \n \r \t \u00e9"`)).toMatchObject({ value: '" \\ / \b \f \n \r \t é' });
    expect(read(String.raw`"\ud800"`)).toMatchObject({ value: '\ud800' });
    expect(read(Buffer.from([0x22, 0xff, 0x22]))).toMatchObject({ value: '\ufffd' });
    expect(read(Buffer.from([0x22, 0xe2, 0x82, 0x22]))).toMatchObject({ value: '\ufffd' });
    expect(read('[1e400]')).toMatchObject({ value: [Infinity] });
  });

  it('refuses a \\u escape with a non-hex digit as invalid even at the end of the bytes', () => {
    // `"\u12"` is a complete text that no byte can turn into JSON (`"` is not a hex digit): it is
    // not a prefix of any JSON text, so 'incomplete' would be wrong.
    expect(engine(Buffer.from(String.raw`"\u12"`)).ok).toBe(false);
    expect(read(String.raw`"\u12"`).status).toBe('invalid');
    expect(read(String.raw`"\uZZ`).status).toBe('invalid');
  });

  it('nests exactly depthLimit levels, not one more', () => {
    const arrays = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    const objects = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    expect(read(arrays(64), ALL, 64)).toMatchObject({ status: 'ok', end: 128 });
    expect(read(arrays(64), ALL, 64)).toMatchObject({ value: JSON.parse(arrays(64)) });
    expect(read(arrays(65), ALL, 64).status).toBe('invalid');
    // 64 × 5 + 1 + 64 = 385 bytes
    expect(read(objects(64), ALL, 64)).toMatchObject({ status: 'ok', end: 385, value: JSON.parse(objects(64)) });
    expect(read(objects(65), ALL, 64).status).toBe('invalid');
    // The default limit is 64.
    expect(read(arrays(64)).status).toBe('ok');
    expect(read(arrays(65)).status).toBe('invalid');
    // Too deep is invalid before the end is seen; 64 open brackets are merely incomplete.
    expect(read('['.repeat(65)).status).toBe('invalid');
    expect(read('['.repeat(64)).status).toBe('incomplete');
    // A smaller limit, and levels kept through a selection count the same.
    expect(read('[[[1]]]', ALL, 3).status).toBe('ok');
    expect(read('[[[[1]]]]', ALL, 3).status).toBe('invalid');
    const deepSel = compileSelection({ a: { a: { a: true } } });
    expect(read('{"a":{"a":{"a":[]}}}', deepSel, 3).status).toBe('invalid');
    expect(read('{"a":{"a":{"a":1}}}', deepSel, 3)).toMatchObject({ status: 'ok', value: { a: { a: { a: 1 } } } });
  });

  it('reads only bytes[from, to)', () => {
    const buf = Buffer.from('xx[1,2]yy');
    expect(readSelected(buf, 2, 6, ALL)).toEqual({ status: 'incomplete' });
    expect(readSelected(buf, 2, 7, ALL)).toEqual({ status: 'ok', value: [1, 2], end: 7 });
    const str = Buffer.from(String.raw`  "\u00e9"zz`);
    // cut inside the escape: the bytes after `to` are not looked at
    expect(readSelected(str, 0, 7, ALL)).toEqual({ status: 'incomplete' });
    expect(readSelected(str, 0, 10, ALL)).toEqual({ status: 'ok', value: 'é', end: 10 });
    const num = Buffer.from('[12345]');
    expect(readSelected(num, 1, 3, ALL)).toEqual({ status: 'incomplete' });
    expect(readSelected(num, 1, 7, ALL)).toEqual({ status: 'ok', value: 12345, end: 6 });
  });
});

// ---------------------------------------------------------------------------------------------------

const leaf = fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' });
const withC = fc.record({ c: fc.oneof(leaf, fc.array(leaf, { maxLength: 3 })), z: leaf }, { requiredKeys: [] });
const withE = fc.record({ e: leaf, x: leaf }, { requiredKeys: [] });
/** Objects that carry the keys the test selections name, with values of the expected type or not. */
const abcde = fc.record(
  {
    a: leaf,
    b: fc.oneof(fc.array(fc.oneof(withC, withC, leaf), { maxLength: 4 }), leaf),
    d: fc.oneof(withE, withE, leaf),
    e: leaf,
    junk: leaf,
  },
  { requiredKeys: [] },
);
const mention = fc.record({ id_str: leaf, screen_name: fc.string(), name: fc.string(), indices: leaf }, { requiredKeys: [] });
const tweetish = fc.record(
  {
    id_str: fc.oneof(fc.string(), leaf),
    full_text: fc.string({ unit: 'binary' }),
    entities: fc.oneof(fc.record({ user_mentions: fc.oneof(fc.array(fc.oneof(mention, leaf), { maxLength: 3 }), leaf), urls: fc.array(fc.record({ expanded_url: leaf, url: leaf }), { maxLength: 2 }), hashtags: leaf }, { requiredKeys: [] }), leaf),
    edit_info: fc.oneof(fc.record({ initial: fc.record({ editTweetIds: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), leaf), editableUntil: leaf }, { requiredKeys: [] }) }), leaf),
    retweeted: fc.boolean(),
    junk: leaf,
  },
  { requiredKeys: [] },
);
const tweetRecord = fc.oneof(tweetish, tweetish.map((tweet) => ({ tweet })), fc.record({ tweet: leaf, id_str: leaf }));
const anyValue = fc.oneof(abcde, abcde, tweetRecord, fc.array(abcde, { maxLength: 3 }), fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }));

const SELECTIONS: readonly Selection[] = [
  true,
  { a: true, b: [{ c: true }], d: { e: true } },
  TWEET_SELECTION,
  [{ a: true, d: { x: true } }],
  { b: [{ c: [true] }] },
  {},
];
const COMPILED = SELECTIONS.map(compileSelection);

/** Keys written with escapes: `"a":` as `"\u0061":` (JSON.parse reads the same key). */
function escapeKeys(text: string): string {
  return text.replace(/"a":/g, '"\\u0061":').replace(/"id_str":/g, '"\\u0069d_str":');
}

describe('readSelected on generated JSON', () => {
  it('equals prune(JSON.parse(text), sel) for every selection, whatever the indentation', () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: 0, max: 4 }), fc.boolean(), (v, indent, escape) => {
        let text = JSON.stringify(v, null, indent);
        if (escape) text = escapeKeys(text);
        // A number running to the end of the bytes is 'incomplete' (it might go on): one newline ends it.
        const buf = Buffer.from(`${text}\n`, 'utf8');
        const parsed = JSON.parse(text) as unknown;
        for (let s = 0; s < SELECTIONS.length; s++) {
          const r = readSelected(buf, 0, buf.length, COMPILED[s]!);
          expect(r).toEqual({ status: 'ok', value: prune(parsed, SELECTIONS[s]!), end: buf.length - 1 });
        }
        // Without the newline, only a bare number (which ends in a digit) is left undecided.
        const bare = Buffer.from(text, 'utf8');
        const r = readSelected(bare, 0, bare.length, ALL);
        if (typeof parsed === 'number') expect(r).toEqual({ status: 'incomplete' });
        else expect(r).toEqual({ status: 'ok', value: parsed, end: bare.length });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('the generated values do reach the selected paths, of the expected type and not', () => {
    // Guards against a generator that never exercises the selections above.
    const samples = fc.sample(anyValue, { seed: SEED, numRuns: 300 });
    const has = (pred: (o: Record<string, unknown>) => boolean): number =>
      samples.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && pred(v as Record<string, unknown>)).length;
    expect(has((o) => Array.isArray(o['b']) && (o['b'] as unknown[]).some((x) => x !== null && typeof x === 'object' && 'c' in x))).toBeGreaterThan(10);
    expect(has((o) => 'b' in o && !Array.isArray(o['b']))).toBeGreaterThan(10);
    expect(has((o) => o['d'] !== null && typeof o['d'] === 'object' && 'e' in (o['d'] as object))).toBeGreaterThan(10);
    expect(has((o) => typeof o['d'] === 'string')).toBeGreaterThan(0);
    expect(has((o) => o['tweet'] !== null && typeof o['tweet'] === 'object')).toBeGreaterThan(5);
  });
});

// ---------------------------------------------------------------------------------------------------

const INTERESTING = [...Buffer.from('{}[]",:0123456789-+.eE \t\n\r\\/utfnal'), 0x00, 0x0c, 0x1f, 0x7f, 0x80, 0xa0, 0xc3, 0xe2, 0xff];
const byteArb = fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 }));
const op = fc.record({ kind: fc.constantFrom('replace', 'insert', 'delete'), at: fc.nat(), byte: byteArb });

function mutate(buf: Buffer, ops: readonly { kind: string; at: number; byte: number }[]): Buffer {
  let bytes = [...buf];
  for (const { kind, at, byte } of ops) {
    if (kind === 'insert') {
      const k = at % (bytes.length + 1);
      bytes = [...bytes.slice(0, k), byte, ...bytes.slice(k)];
    } else if (bytes.length > 0) {
      const k = at % bytes.length;
      if (kind === 'replace') bytes[k] = byte;
      else bytes = [...bytes.slice(0, k), ...bytes.slice(k + 1)];
    }
  }
  return Buffer.from(bytes);
}

const JSON_WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

describe('readSelected never accepts what JSON.parse refuses', () => {
  it('on 1–3 byte mutations of valid texts', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), fc.integer({ min: 0, max: 4 }), fc.array(op, { minLength: 1, maxLength: 3 }), (v, indent, ops) => {
        const buf = mutate(Buffer.from(JSON.stringify(v, null, indent), 'utf8'), ops);
        const whole = engine(buf);
        const n = trimmedLength(buf);
        const r = read(buf);
        if (whole.ok) {
          accepted++;
          // A bare number reaching the last byte is undecided; anything else must be read whole.
          if (typeof whole.value === 'number' && n === buf.length) expect(r).toEqual({ status: 'incomplete' });
          else expect(r).toEqual({ status: 'ok', value: whole.value, end: n });
        } else {
          refused++;
          if (r.status === 'ok') {
            expect(r.end).toBeLessThan(n);
            // what follows the value is not all whitespace, and the value is JSON.parse of its bytes
            expect(buf.subarray(r.end, n).some((c) => !JSON_WS.has(c))).toBe(true);
            const prefix = engine(buf.subarray(0, r.end));
            expect(prefix).toEqual({ ok: true, value: r.value });
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    // Both sides of the property were exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('TokenWriter and decodeTokens', () => {
  const sel: Selection = { a: true, b: [{ c: true }], d: { e: true } };
  const compiled = compileSelection(sel);

  it('decodes several emitted values back to the pruned values, in order', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { minLength: 1, maxLength: 6 }), fc.constantFrom(' ', '\n', '\r\n\t'), (values, sep) => {
        const texts = values.map((v) => JSON.stringify(v));
        const buf = Buffer.from(texts.join(sep) + sep, 'utf8');
        const writer = new TokenWriter(8); // small: the writer grows while emitting
        let from = 0;
        for (let k = 0; k < values.length; k++) {
          const r = emitSelected(buf, from, buf.length, compiled, writer);
          expect(r.status).toBe('ok');
          if (r.status !== 'ok') return;
          from = r.end;
        }
        // after the last value only the separator is left
        expect(buf.subarray(from).toString()).toBe(sep);
        expect(writer.count).toBe(values.length);
        const tokens = writer.take();
        expect(writer.count).toBe(0);
        expect(writer.length).toBe(0);
        expect(decodeTokens(tokens, compiled)).toEqual(texts.map((t) => prune(JSON.parse(t), sel)));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('leaves the writer as it was after a failed emit', () => {
    const writer = new TokenWriter(4);
    const good = Buffer.from('{"a":"x","b":[{"c":1,"z":2}],"q":3} ');
    expect(emitSelected(good, 0, good.length, compiled, writer)).toEqual({ status: 'ok', end: good.length - 1 });
    const length = writer.length;
    const count = writer.count;
    expect(count).toBe(1);
    // Long enough that the writer must grow before the failure is found.
    const long = 'y'.repeat(300);
    const failures = [
      [`{"a":"${long}","b":[{"c":[1,`, 'incomplete'],
      [`{"a":"${long}","b":[{"c":1,}]}`, 'invalid'],
      [`{"d":{"e":"${long}"},"a":tru}`, 'invalid'],
      [`{"a":"${long}\u0001"}`, 'invalid'],
    ] as const;
    for (const [text, status] of failures) {
      const buf = Buffer.from(text);
      expect(emitSelected(buf, 0, buf.length, compiled, writer).status).toBe(status);
      expect(writer.length).toBe(length);
      expect(writer.count).toBe(count);
    }
    const next = Buffer.from('{"d":{"e":[true],"x":0},"a":null}');
    expect(emitSelected(next, 0, next.length, compiled, writer)).toEqual({ status: 'ok', end: next.length });
    expect(writer.count).toBe(2);
    expect(decodeTokens(writer.take(), compiled)).toEqual([{ a: 'x', b: [{ c: 1 }] }, { d: { e: [true] }, a: null }]);
  });

  it('writeValue round-trips a value, between emitted ones', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }), abcde, (v, w) => {
        const writer = new TokenWriter(16);
        const text = Buffer.from(JSON.stringify(w));
        expect(emitSelected(text, 0, text.length, compiled, writer).status).toBe('ok');
        writer.writeValue(v);
        expect(writer.count).toBe(2);
        expect(emitSelected(text, 0, text.length, compiled, writer).status).toBe('ok');
        expect(writer.count).toBe(3);
        const pruned = prune(JSON.parse(JSON.stringify(w)), sel);
        expect(decodeTokens(writer.take(), compiled)).toEqual([pruned, JSON.parse(JSON.stringify(v)), pruned]);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('writeValue writes undefined as null', () => {
    const writer = new TokenWriter();
    writer.writeValue(undefined);
    expect(decodeTokens(writer.take(), ALL)).toEqual([null]);
  });
});

// ---------------------------------------------------------------------------------------------------

/** Pieces of a JSON string's content as bytes: raw text, raw bytes that are not UTF-8, escapes. */
const stringPiece = fc.oneof(
  fc.constantFrom('a', 'Z', ' ', '~', 'é', '€', '🌊', '').map((t) => Buffer.from(t, 'utf8')),
  fc.constantFrom([0x80], [0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x8c]).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom('\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t').map((t) => Buffer.from(t)),
  // \u escapes of any code unit, surrogates (lone, paired, reversed) much more often than by chance
  fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd7ff, max: 0xe000 }), fc.constantFrom(0, 0x1f, 0x7f, 0x80, 0x7ff, 0x800, 0xffff))
    .chain((unit) => fc.boolean().map((upper) => Buffer.from(`\\u${unit.toString(16).padStart(4, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`))),
);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('strings with escapes', () => {
  it('decode as JSON.parse decodes them, as plain string tokens unless they hold a lone surrogate', () => {
    fc.assert(
      fc.property(fc.array(stringPiece, { maxLength: 12 }), (pieces) => {
        const bytes = Buffer.concat([Buffer.from('"'), ...pieces, Buffer.from('" ')]);
        const expected = JSON.parse(bytes.toString('utf8')) as string;
        const writer = new TokenWriter(4);
        const r = emitSelected(bytes, 0, bytes.length, ALL, writer);
        expect(r).toEqual({ status: 'ok', end: bytes.length - 1 });
        const tokens = writer.take();
        // 1 = a plain string token (its bytes as UTF-8), 2 = kept as JSON text
        expect(tokens[0]).toBe(LONE_SURROGATE.test(expected) ? 2 : 1);
        expect(decodeTokens(tokens, ALL)).toEqual([expected]);
        // the same inside a selected object
        const inObject = Buffer.concat([Buffer.from('{"z":1,"a":'), bytes.subarray(0, bytes.length - 1), Buffer.from('}')]);
        expect(readSelected(inObject, 0, inObject.length, compileSelection({ a: true }))).toEqual({ status: 'ok', value: { a: expected }, end: inObject.length });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('decodes hand-checked escapes', () => {
    // U+1F30A is the pair D83C DF0A; € is U+20AC
    expect(read(String.raw`"\uD83C\uDF0A \u20ac\"x\""`)).toMatchObject({ value: '🌊 €"x"' });
    expect(read(String.raw`"a\ud83c"`)).toMatchObject({ value: 'a\ud83c' });
    expect(read(String.raw`"\udf0a\ud83c"`)).toMatchObject({ value: '\udf0a\ud83c' });
    expect(read(String.raw`"\ud83c\ud83c\udf0a"`)).toMatchObject({ value: '\ud83c🌊' });
    expect(read(String.raw`"\u0000\u001F"`)).toMatchObject({ value: '\u0000\u001f' });
  });
});

describe('take and decodeEach', () => {
  const sel: Selection = { a: true };
  const compiled = compileSelection(sel);

  it('a taken buffer stays as it was while the writer goes on, and is nobody else\'s', () => {
    const writer = new TokenWriter(8);
    const one = Buffer.from('{"a":"first","b":2}');
    const two = Buffer.from('{"a":["second"]}');
    emitSelected(one, 0, one.length, compiled, writer);
    const first = writer.take();
    const copy = Uint8Array.from(first);
    for (let k = 0; k < 50; k++) emitSelected(two, 0, two.length, compiled, writer);
    expect(first).toEqual(copy);
    expect(first.byteOffset).toBe(0);
    expect(decodeTokens(first, compiled)).toEqual([{ a: 'first' }]);
    expect(decodeTokens(writer.take(), compiled)).toEqual(Array.from({ length: 50 }, () => ({ a: ['second'] })));
    // its buffer can be transferred (a pooled buffer would take others' bytes with it)
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(first, [first.buffer as ArrayBuffer]);
    expect(first.byteLength).toBe(0);
    port1.close();
    port2.close();
  });

  it('decodeEach reads a stream in steps of any size to the same values, offsets chaining', () => {
    fc.assert(
      fc.property(fc.array(abcde, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 9 }), (values, step) => {
        const writer = new TokenWriter(16);
        for (const v of values) {
          const text = Buffer.from(JSON.stringify(v));
          expect(emitSelected(text, 0, text.length, compiled, writer).status).toBe('ok');
        }
        const tokens = writer.take();
        const got: unknown[] = [];
        let from = 0;
        let steps = 0;
        while (from < tokens.length) {
          const before = got.length;
          from = decodeEach(tokens, compiled, (value) => got.push(value), from, step);
          expect(got.length - before).toBe(Math.min(step, values.length - before));
          steps += 1;
        }
        expect(from).toBe(tokens.length);
        expect(steps).toBe(Math.ceil(values.length / step));
        expect(got).toEqual(values.map((v) => prune(JSON.parse(JSON.stringify(v)), sel)));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------

describe('keys', () => {
  it('a duplicate key keeps its last value, like JSON.parse', () => {
    expect(read('{"a":1,"a":2}', compileSelection({ a: true }))).toEqual({ status: 'ok', value: { a: 2 }, end: 13 });
    expect(read('{"a":1,"a":2}')).toEqual({ status: 'ok', value: JSON.parse('{"a":1,"a":2}'), end: 13 });
    expect(JSON.parse('{"a":1,"a":2}')).toEqual({ a: 2 });
    // the last one wins even when the types differ
    const text = '{"a":{"x":1,"y":2},"a":"s","b":[{"c":1}],"b":{"c":2}}';
    const sel: Selection = { a: { x: true }, b: [{ c: true }] };
    expect(read(text, compileSelection(sel))).toMatchObject({ status: 'ok', value: { a: 's', b: { c: 2 } } });
    expect(read(text, compileSelection(sel))).toMatchObject({ value: prune(JSON.parse(text), sel) });
  });

  it('a key written with escapes is matched by its decoded name', () => {
    const text = String.raw`{"\u0061":1,"b\u0022":2,"\u00e9":3}`;
    expect(read(text, compileSelection({ a: true }))).toEqual({ status: 'ok', value: { a: 1 }, end: text.length });
    expect(read(text, compileSelection({ 'b"': true }))).toMatchObject({ value: { 'b"': 2 } });
  });

  it('a selection names keys in printable ASCII only (matched by bytes, that is exact)', () => {
    expect(() => compileSelection({ é: true })).toThrow('printable ASCII');
    expect(() => compileSelection({ a: { '\ud800': true } })).toThrow('printable ASCII');
    // A key of the input with invalid UTF-8 is never taken for an ASCII one of the same length.
    const bytes = Buffer.concat([Buffer.from('{"a'), Buffer.from([0xff]), Buffer.from('":1,"ab":2}')]);
    expect(readSelected(bytes, 0, bytes.length, compileSelection({ ab: true }))).toMatchObject({ status: 'ok', value: { ab: 2 } });
  });

  it('__proto__ as a key of the input is an own property, as JSON.parse makes it', () => {
    const text = '{"__proto__":{"polluted":1},"a":2}';
    const r = read(text);
    expect(r).toEqual({ status: 'ok', value: JSON.parse(text), end: text.length });
    if (r.status !== 'ok') return;
    const value = r.value as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    // an object selection that does not name it skips it
    expect(read(text, compileSelection({ a: true }))).toMatchObject({ value: { a: 2 } });
  });

  it('a selection cannot name __proto__', () => {
    const sel = JSON.parse('{"__proto__":true}') as Selection;
    expect(Object.keys(sel)).toEqual(['__proto__']);
    expect(() => compileSelection(sel)).toThrow('__proto__');
    expect(() => compileSelection({ a: JSON.parse('{"__proto__":true}') as Selection })).toThrow('__proto__');
  });
});
