/**
 * Mutations of fixture files for the fuzz suite, as plain serialisable descriptions (so a failing
 * case prints as its own reproduction): byte-level (truncate, flip, insert, delete, duplicate, BOMs,
 * invalid UTF-8), JSON-level (a value replaced by junk of another type, huge or negative numbers,
 * impossible dates, a field deleted, deep nesting, an item repeated), CSV-level (a cell, a column,
 * ragged rows, a broken quote) and CAR-level (a DAG-CBOR record changed, a block dropped or repeated).
 */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { CarBlockIterator } from '@ipld/car/iterator';
import { CarWriter } from '@ipld/car/writer';
import * as dagCbor from '@ipld/dag-cbor';
import { createGzip } from 'node:zlib';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import tar from 'tar-stream';

/**
 * Every property of the suite uses this seed (plus a fixed offset per test), so runs are reproducible.
 * FUZZ_SEED=<n> explores other cases. The case counts written in the tests are the full run's:
 * `npm test` runs a tenth of them (FUZZ_SCALE=0.1), `npm run test:fuzz` all of them (FUZZ_SCALE=1)
 * and the heavy cases (FUZZ_HEAVY=1: files of hundreds of MB); FUZZ_SCALE=<k> runs k times as many.
 */
export const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : 20_260_611;
const SCALE = Number(process.env['FUZZ_SCALE']) > 0 ? Number(process.env['FUZZ_SCALE']) : 0.1;
export const HEAVY = process.env['FUZZ_HEAVY'] === '1';

/** How many of a test's `full` cases this run draws (at least one). */
export function scaled(full: number): number {
  return Math.max(1, Math.round(full * SCALE));
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// Bytes

export const INVALID_UTF8 = {
  overlong: [0xc0, 0x80],
  lone0xff: [0xff],
  surrogate: [0xed, 0xa0, 0x80],
  cutEuro: [0xe2, 0x82],
  fiveByte: [0xf8, 0x88, 0x80, 0x80, 0x80],
  continuation: [0x80],
} as const;
export type InvalidUtf8 = keyof typeof INVALID_UTF8;

export const BOMS = { utf8: [0xef, 0xbb, 0xbf], utf16le: [0xff, 0xfe], utf16be: [0xfe, 0xff] } as const;
export type Bom = keyof typeof BOMS;

export type ByteOp =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; mask: number }
  | { op: 'insert'; at: number; bytes: number[] }
  | { op: 'delete'; at: number; len: number }
  | { op: 'duplicate'; at: number; len: number }
  | { op: 'bom'; bom: Bom }
  | { op: 'invalid-utf8'; at: number; seq: InvalidUtf8 };

const position = fc.nat({ max: 1 << 20 });

export const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('flip' as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: position,
    bytes: fc.oneof(
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
      fc.constantFrom<number[]>([0x7b], [0x7d], [0x5b], [0x5d], [0x22], [0x2c], [0x5c], [0x0a], [0x00], [0x3d], [0x22, 0x3a, 0x22]),
    ),
  }),
  fc.record({ op: fc.constant('delete' as const), at: position, len: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, len: fc.integer({ min: 1, max: 256 }) }),
  fc.record({ op: fc.constant('bom' as const), bom: fc.constantFrom<Bom>('utf8', 'utf16le', 'utf16be') }),
  fc.record({ op: fc.constant('invalid-utf8' as const), at: position, seq: fc.constantFrom(...(Object.keys(INVALID_UTF8) as InvalidUtf8[])) }),
);

export const byteOps = fc.array(byteOp, { minLength: 1, maxLength: 3 });

export function applyByteOps(input: Buffer, ops: readonly ByteOp[]): Buffer {
  let buf = Buffer.from(input);
  for (const o of ops) {
    const at = 'at' in o ? o.at % (buf.length + 1) : 0;
    switch (o.op) {
      case 'truncate':
        buf = buf.subarray(0, Math.min(at, Math.max(0, buf.length - 1)));
        break;
      case 'flip':
        if (buf.length > 0) buf[at % buf.length] = buf[at % buf.length]! ^ o.mask;
        break;
      case 'insert':
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(o.bytes), buf.subarray(at)]);
        break;
      case 'delete':
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + o.len)]);
        break;
      case 'duplicate':
        buf = Buffer.concat([buf.subarray(0, at + o.len), buf.subarray(at, at + o.len), buf.subarray(at + o.len)]);
        break;
      case 'bom':
        buf = Buffer.concat([Buffer.from(BOMS[o.bom]), buf]);
        break;
      case 'invalid-utf8':
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(INVALID_UTF8[o.seq]), buf.subarray(at)]);
        break;
    }
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// JSON values

/** Values of the wrong type, huge or negative numbers, impossible dates, odd strings. */
export const CURATED_JUNK: readonly JsonValue[] = [
  null, true, false, 0, -1, -0.5, 1.5, 1e21, 1e308, -1e308, 9_007_199_254_740_993, 2 ** 31, -(2 ** 31),
  // seconds (Instagram, Facebook) that land in year 11476, in year 275,000 and before year 0
  3e11, 8.64e12, -8.64e12, 1e16,
  '', ' ', '0', '-1', '-5', '1e400', 'NaN', 'Infinity', '99999999999999999999999', '1.5', '0x10',
  '\ud800', '\u0000', '\uFEFF', 'ðŸš€', '<script>alert(1)</script>', '=cmd|x', 'x'.repeat(5000),
  'Wed Oct 10 20:19:24 +0000 2018', 'Wed Oct 10 20:19:24 +0000 0050', 'Wed Oct 10 20:19:24 +0000 0095', 'Fri Feb 30 10:00:00 +0000 2018', 'Mon Jan 01 99:99:99 +9999 2018',
  '2025-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z',
  '+011476-01-01T00:00:00.000Z', '1', 'yesterday', '9999999999',
  'not a url', 'https://', 'http://[::1', 'at://', 'did:plc:', '%', 'https://social.example/users/%E0%A4%A',
  [], {}, [null], [[[]]], { '': null }, { toString: 'x', constructor: {} },
];

const junkLeaf: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CURATED_JUNK) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue> },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
);
export const junkValue = junkLeaf;

export type JsonOp =
  | { op: 'set'; pick: number; value: JsonValue }
  | { op: 'delete'; pick: number }
  | { op: 'retype'; pick: number }
  | { op: 'empty'; pick: number }
  | { op: 'nest'; pick: number; depth: number; shape: 'array' | 'object' }
  | { op: 'repeat'; pick: number; times: number };

const pick = fc.nat({ max: 1 << 16 });
export const jsonOp: fc.Arbitrary<JsonOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), pick, value: junkValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('retype' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('empty' as const), pick }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('nest' as const), pick, depth: fc.constantFrom(65, 500, 5_000, 50_000), shape: fc.constantFrom<'array' | 'object'>('array', 'object') }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), pick, times: fc.integer({ min: 2, max: 40 }) }) },
);
export const jsonOps = fc.array(jsonOp, { minLength: 1, maxLength: 3 });

type Container = JsonValue[] | { [key: string]: JsonValue };
interface Slot {
  parent: Container | null;
  key: string | number | null;
  value: unknown;
}

function isPlainObject(v: unknown): v is { [key: string]: unknown } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Every value of a tree (pre-order), with where it sits. Byte arrays and CIDs count as leaves. */
function slots(root: unknown, limit = 50_000): Slot[] {
  const out: Slot[] = [];
  const stack: Slot[] = [{ parent: null, key: null, value: root }];
  while (stack.length > 0 && out.length < limit) {
    const s = stack.pop()!;
    out.push(s);
    const v = s.value;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ parent: v as JsonValue[], key: i, value: v[i] });
    else if (isPlainObject(v)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) stack.push({ parent: v as Container, key: keys[i]!, value: v[keys[i]!] });
    }
  }
  return out;
}

function retype(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : v.length;
  }
  if (typeof v === 'boolean') return v ? 'true' : 0;
  if (v === null) return 0;
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  if (isPlainObject(v)) return Object.values(v);
  return String(v);
}

function emptied(v: unknown): unknown {
  if (Array.isArray(v)) return [];
  if (isPlainObject(v)) return {};
  if (typeof v === 'string') return '';
  if (typeof v === 'number') return 0;
  return null;
}

const NEST = (i: number): string => `__FUZZ_NEST_${i}__`;

/**
 * Applies JSON ops to a parsed value in place (the root may be replaced: the result is returned).
 * `nest` ops leave a sentinel string that `stringifyMutated` expands into the nested text (a deep
 * value cannot be built as an object and then stringified: JSON.stringify would overflow the stack).
 */
export function applyJsonOps(root: unknown, ops: readonly JsonOp[], nests: Array<{ depth: number; shape: 'array' | 'object'; inner: unknown }> = [], allowNest = true): unknown {
  const box: { root: unknown } = { root };
  for (const o of ops) {
    const all = slots(box.root);
    const s = all[o.pick % all.length]!;
    const put = (value: unknown): void => {
      if (s.parent === null) box.root = value;
      else (s.parent as Record<string | number, unknown>)[s.key!] = value;
    };
    switch (o.op) {
      case 'set':
        put(structuredClone(o.value));
        break;
      case 'delete':
        if (s.parent === null) box.root = null;
        else if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
        else delete (s.parent as Record<string, unknown>)[s.key as string];
        break;
      case 'retype':
        put(retype(s.value));
        break;
      case 'empty':
        put(emptied(s.value));
        break;
      case 'nest':
        if (!allowNest) break;
        nests.push({ depth: o.depth, shape: o.shape, inner: s.value });
        put(NEST(nests.length - 1));
        break;
      case 'repeat':
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, ...Array.from({ length: o.times - 1 }, () => structuredClone(s.value) as JsonValue));
        else if (Array.isArray(s.value) && s.value.length > 0) put(Array.from({ length: o.times }, () => structuredClone(s.value as JsonValue[])).flat());
        break;
    }
  }
  return box.root;
}

export function stringifyMutated(value: unknown, nests: ReadonlyArray<{ depth: number; shape: 'array' | 'object'; inner: unknown }>, indent: number | string = 2): string {
  let text = JSON.stringify(value, null, indent) ?? 'null';
  nests.forEach((n, i) => {
    const inner = JSON.stringify(n.inner) ?? 'null';
    const open = n.shape === 'array' ? '['.repeat(n.depth) : '{"a":'.repeat(n.depth);
    const close = n.shape === 'array' ? ']'.repeat(n.depth) : '}'.repeat(n.depth);
    text = text.replace(JSON.stringify(NEST(i)), () => open + inner + close);
  });
  return text;
}

/** A JSON file's text with the ops applied; text that does not parse is returned as it is. */
export function mutateJsonText(text: string, ops: readonly JsonOp[]): string {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return text;
  }
  const nests: Array<{ depth: number; shape: 'array' | 'object'; inner: unknown }> = [];
  return stringifyMutated(applyJsonOps(value, ops, nests), nests);
}

/** An X archive `.js` file (`window.YTD.… = [ … ]`): the ops apply to the JSON after the `=`. */
export function mutateYtdText(text: string, ops: readonly JsonOp[]): string {
  const eq = text.indexOf('=');
  if (eq === -1) return text;
  const body = text.slice(eq + 1).trim().replace(/;$/, '');
  return `${text.slice(0, eq + 1)} ${mutateJsonText(body, ops)}\n`;
}

// ---------------------------------------------------------------------------------------------
// CSV

export const CSV_JUNK: readonly string[] = [
  '', ' ', '-5', '-1', '0', '1e308', '1e400', '-1e308', '1,234,567', '4.2%', 'NaN', 'Infinity', '99999999999999999999',
  '0x10', '1.22158E+17', '=SUM(1)', '0000-00-00', '2025-02-30', '2025-02-28 25:61:00', '9999999999', '99999999999',
  '-1', '1/1/00', '12/31/9999 11:59 pm', '31 Feb 2025', '29 Feb 2023', 'yesterday', 'boost', 'REPLY', 'repost', 'thread',
  '"', '""', '\n', '\r', '\t', 'é', '\uFFFD', '\u0000', 'ðŸš€', '2025-01-01T00:00:00+99:99', '+275760-09-13T00:00:00Z',
];

export type CsvOp =
  | { op: 'cell'; row: number; col: number; value: string }
  | { op: 'drop-column'; col: number }
  | { op: 'rename-header'; col: number; value: string }
  | { op: 'ragged'; row: number; extra: number }
  | { op: 'duplicate-header'; col: number }
  | { op: 'unclosed-quote'; row: number; col: number }
  | { op: 'long-cell'; row: number; col: number; length: number }
  | { op: 'line-endings'; eol: '\r\n' | '\r' | '\n' }
  | { op: 'blank-rows'; row: number; count: number };

const index = fc.nat({ max: 1000 });
export const csvOp: fc.Arbitrary<CsvOp> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('cell' as const), row: index, col: index, value: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CSV_JUNK) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop-column' as const), col: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename-header' as const), col: index, value: fc.constantFrom('', ' ', 'Date', 'date', 'DATE ', '\uFEFFDate', 'Post ID', 'x') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('ragged' as const), row: index, extra: fc.integer({ min: -3, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate-header' as const), col: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unclosed-quote' as const), row: index, col: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('long-cell' as const), row: index, col: index, length: fc.constantFrom(70_000, 1_100_000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('line-endings' as const), eol: fc.constantFrom<'\r\n' | '\r' | '\n'>('\r\n', '\r', '\n') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('blank-rows' as const), row: index, count: fc.integer({ min: 1, max: 5 }) }) },
);
export const csvOps = fc.array(csvOp, { minLength: 1, maxLength: 3 });

function csvCell(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file's text: UTF-16 by its BOM (either byte order), else UTF-8 with its BOM dropped. */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1))).swap16().toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** A CSV file's bytes with the ops applied, kept in its encoding (UTF-16 with a BOM stays so). */
export function mutateCsvBytes(bytes: Buffer, ops: readonly CsvOp[]): Buffer {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
  const text = decodeText(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
  } catch {
    return bytes;
  }
  if (rows.length === 0) return bytes;
  let eol = '\n';
  const raw = new Set<string>(); // cells written as they are (a broken quote)
  for (const o of ops) {
    const r = 'row' in o ? o.row % rows.length : 0;
    const row = rows[r]!;
    const c = 'col' in o ? o.col % Math.max(1, row.length) : 0;
    switch (o.op) {
      case 'cell':
        row[c] = o.value;
        break;
      case 'drop-column':
        for (const each of rows) each.splice(o.col % Math.max(1, rows[0]!.length), 1);
        break;
      case 'rename-header':
        rows[0]![o.col % Math.max(1, rows[0]!.length)] = o.value;
        break;
      case 'ragged':
        if (o.extra < 0) row.splice(row.length + o.extra, -o.extra);
        else for (let i = 0; i < o.extra; i++) row.push('extra');
        break;
      case 'duplicate-header':
        rows[0]!.push(rows[0]![o.col % Math.max(1, rows[0]!.length)] ?? 'x');
        break;
      case 'unclosed-quote':
        row[c] = `"${row[c] ?? ''}`;
        raw.add(`${r}:${c}`);
        break;
      case 'long-cell':
        row[c] = 'x'.repeat(o.length);
        break;
      case 'line-endings':
        eol = o.eol;
        break;
      case 'blank-rows':
        rows.splice(r, 0, ...Array.from({ length: o.count }, () => ['']));
        break;
    }
  }
  const out = rows.map((row, r) => row.map((cell, c) => (raw.has(`${r}:${c}`) ? cell : csvCell(cell, delimiter))).join(delimiter)).join(eol) + eol;
  return utf16 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(out, 'utf16le')]) : Buffer.from(out, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// CAR (Bluesky repository): DAG-CBOR blocks decoded, changed and written back under their CID

export type CarOp =
  | { op: 'value'; block: number; ops: JsonOp[] }
  | { op: 'drop-block'; block: number }
  | { op: 'repeat-block'; block: number; times: number };

export const carOp: fc.Arbitrary<CarOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('value' as const), block: index, ops: jsonOps }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop-block' as const), block: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat-block' as const), block: index, times: fc.integer({ min: 2, max: 5 }) }) },
);
export const carOps = fc.array(carOp, { minLength: 1, maxLength: 3 });

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

export async function mutateCar(bytes: Buffer, ops: readonly CarOp[]): Promise<Buffer> {
  const iterator = await CarBlockIterator.fromIterable(once(bytes));
  const roots = await iterator.getRoots();
  const blocks: Array<{ cid: (typeof roots)[number]; bytes: Uint8Array }> = [];
  for await (const block of iterator) blocks.push({ cid: block.cid, bytes: block.bytes });
  for (const o of ops) {
    if (blocks.length === 0) break;
    const i = o.block % blocks.length;
    const b = blocks[i]!;
    if (o.op === 'drop-block') blocks.splice(i, 1);
    else if (o.op === 'repeat-block') blocks.splice(i, 0, ...Array.from({ length: o.times - 1 }, () => b));
    else if (b.cid.code === dagCbor.code) {
      try {
        const value = applyJsonOps(dagCbor.decode(b.bytes), o.ops, [], false);
        blocks[i] = { cid: b.cid, bytes: dagCbor.encode(value) };
      } catch {
        // DAG-CBOR refuses some values (undefined, non-finite numbers): the block stays as it was.
      }
    }
  }
  const { writer, out } = CarWriter.create(roots);
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const block of blocks) await writer.put(block);
  await writer.close();
  await collected;
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------------
// Containers

/** A zip of `files` (name → bytes), deflated (or stored) with yazl, in memory. */
export async function zipOf(files: ReadonlyArray<[string, Buffer]>, compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of files) zip.addBuffer(data, name, { compress, mtime: new Date(Date.UTC(2025, 0, 1)) });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A .tar.gz of `files`, in memory. */
export async function tarGzOf(files: ReadonlyArray<[string, Buffer]>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, data] of files) pack.entry({ name, size: data.length, mtime: new Date(Date.UTC(2025, 0, 1)) }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of (pack as unknown as Readable).pipe(createGzip()) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
