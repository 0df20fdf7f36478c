/**
 * Streams the records of an X archive `.js` file (`window.YTD.<type>.partN = [ {…}, … ]`) without
 * ever holding the file as one string and without evaluating it (FORMATS.md §1.2): everything after
 * the first `=` is a JSON array; the scanner finds each top-level element's bytes by tracking strings
 * and brackets, then `JSON.parse`s that element alone. UTF-8 continuation bytes never equal the ASCII
 * bytes it looks for, so scanning bytes is safe.
 */
import { EngageAuditError } from '../../errors.js';

const EQ = 0x3d;
const OPEN_SQ = 0x5b;
const CLOSE_SQ = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const SEMI = 0x3b;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * The bytes that join the first record to the second: from the newline before the record's closing
 * `}` to the `{` that opens the next one, when that stretch is only whitespace and one comma and holds
 * a newline; null otherwise (a one-line file gets no fast path).
 */
function learnSeparator(buf: Buffer, recordStart: number, closeAt: number): Buffer | null {
  const lineStart = buf.lastIndexOf(0x0a, closeAt);
  if (lineStart <= recordStart) return null;
  for (let i = lineStart + 1; i < closeAt; i++) if (buf[i] !== 0x20 && buf[i] !== 0x09) return null;
  let i = closeAt + 1;
  let commas = 0;
  while (i < buf.length && (isSpace(buf[i]!) || buf[i] === COMMA)) {
    if (buf[i] === COMMA) commas++;
    i++;
  }
  if (i >= buf.length || buf[i] !== OPEN_CURLY || commas !== 1) return null;
  return Buffer.from(buf.subarray(lineStart, i + 1));
}

export interface YtdReadOptions {
  /** Read runs of records with one JSON.parse when the layout allows (default true). */
  fastPath?: boolean;
  /** Deepest nesting accepted inside one record. */
  maxDepth?: number;
  /** Largest single record, in bytes. */
  maxRecordBytes?: number;
}

type Phase = 'prefix' | 'open' | 'between' | 'element' | 'end';

/**
 * Yields the parsed records in batches (one batch per chunk read). Errors name the file, the record
 * number and the byte offset, and say whether the file looks cut off.
 */
export async function* readYtdArray(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  file: string,
  options: YtdReadOptions = {},
): AsyncGenerator<unknown[]> {
  const maxDepth = options.maxDepth ?? 64;
  const maxRecordBytes = options.maxRecordBytes ?? 64 << 20;
  let phase: Phase = 'prefix';
  let prefix = '';
  let buf: Buffer = Buffer.alloc(0);
  /** Absolute offset of buf[0] in the file. */
  let base = 0;
  let pos = 0;
  let start = 0; // element start in buf
  let depth = 0;
  let inString = false;
  let records = 0;
  /**
   * The fast path. X pretty-prints its files, so the bytes between two top-level records (say
   * "\n  },\n  {") recur exactly, and they hold a newline, which no JSON string can: learnt from the
   * first record, they find whole runs of records that one JSON.parse reads at native speed. A run
   * that does not parse as an array of objects (a misleading layout) falls back to the scanner,
   * which reports any real error precisely.
   */
  let separator: Buffer | null = null;
  let learnt = false;
  let fast = options.fastPath ?? true;
  const malformed = (message: string, at: number): EngageAuditError =>
    new EngageAuditError('MALFORMED', `${file}: ${message} (byte ${at}, after ${records} records)`);

  const iterator = chunks[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer | Uint8Array | string>;
    try {
      next = await iterator.next();
    } catch (error) {
      if (error instanceof EngageAuditError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new EngageAuditError('BAD_ZIP', `${file}: could not be read to its end (${reason})`, { cause: error });
    }
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    if (phase === 'element' || (phase === 'between' && separator !== null)) {
      // Keep the unfinished element (or, on the fast path, everything not yet read); drop the rest.
      const from = phase === 'element' ? start : pos;
      const keep = buf.subarray(from);
      base += from;
      pos -= from;
      start -= from;
      buf = keep.length === 0 ? chunk : Buffer.concat([keep, chunk]);
    } else {
      base += buf.length;
      buf = chunk;
      pos = 0;
    }
    const out: unknown[] = [];
    const n = buf.length;
    while (pos < n) {
      if (fast && separator !== null && phase === 'between') {
        const at = buf.lastIndexOf(separator, n - separator.length);
        const open = at === -1 ? -1 : buf.indexOf(OPEN_CURLY, pos);
        // A run longer than one record may be is left to the scanner, which checks each record's size.
        if (at > pos && open !== -1 && open < at && at - open <= maxRecordBytes) {
          // Records from `open` through the `}` that the separator starts with.
          const close = buf.indexOf(CLOSE_CURLY, at);
          let parsed: unknown;
          try {
            parsed = JSON.parse(`[${buf.toString('utf8', open, close + 1)}]`);
          } catch {
            parsed = null;
          }
          if (Array.isArray(parsed) && parsed.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r)) && buf.subarray(pos, open).every((b) => isSpace(b) || b === COMMA)) {
            for (const r of parsed) out.push(r);
            records += parsed.length;
            pos = close + 1;
            continue;
          }
          fast = false; // the layout misled us: the careful scanner takes over for good
        }
      }
      if (phase === 'element') {
        if (inString) {
          // Jump to the next quote; it closes the string unless an odd run of backslashes precedes it.
          let q = buf.indexOf(QUOTE, pos);
          while (q !== -1) {
            let bs = 0;
            for (let k = q - 1; k >= start && buf[k] === BACKSLASH; k--) bs++;
            if (bs % 2 === 0) break;
            q = buf.indexOf(QUOTE, q + 1);
          }
          if (q === -1) {
            pos = n;
            break;
          }
          inString = false;
          pos = q + 1;
          continue;
        }
        const b = buf[pos]!;
        if (b === QUOTE) inString = true;
        else if (b === OPEN_CURLY || b === OPEN_SQ) {
          depth++;
          if (depth > maxDepth) throw malformed(`nesting deeper than ${maxDepth} levels`, base + pos);
        } else if (b === CLOSE_CURLY || b === CLOSE_SQ) {
          depth--;
          if (depth === 0) {
            const text = buf.toString('utf8', start, pos + 1);
            try {
              out.push(JSON.parse(text));
            } catch (error) {
              throw malformed(`record ${records + 1} is not valid JSON: ${(error as Error).message}`, base + start);
            }
            records++;
            phase = 'between';
            if (!learnt) {
              learnt = true;
              separator = learnSeparator(buf, start, pos);
            }
          }
        }
        pos++;
        if (phase === 'element' && pos - start > maxRecordBytes) {
          throw malformed(`record ${records + 1} is larger than ${maxRecordBytes} bytes`, base + start);
        }
        continue;
      }
      const b = buf[pos]!;
      if (phase === 'prefix') {
        const eq = buf.indexOf(EQ, pos);
        const upto = eq === -1 ? n : eq;
        if (prefix.length < 512) prefix += buf.toString('latin1', pos, Math.min(upto, pos + 512));
        if (eq === -1) {
          if (prefix.length >= 512) throw malformed('does not start with `window.YTD.… =`: not an X archive data file', base + pos);
          pos = n;
          break;
        }
        const head = prefix.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trim();
        if (!/^window\.[A-Za-z0-9_$.]+$/.test(head)) {
          throw malformed('does not start with `window.YTD.… =`: not an X archive data file', base);
        }
        phase = 'open';
        pos = eq + 1;
      } else if (phase === 'open') {
        if (isSpace(b)) pos++;
        else if (b === OPEN_SQ) {
          phase = 'between';
          pos++;
        } else throw malformed(`expected \`[\` after \`=\`, found \`${String.fromCharCode(b)}\``, base + pos);
      } else if (phase === 'between') {
        if (isSpace(b) || b === COMMA) pos++;
        else if (b === CLOSE_SQ) {
          phase = 'end';
          pos++;
        } else if (b === OPEN_CURLY) {
          phase = 'element';
          start = pos;
          depth = 1;
          inString = false;
          pos++;
        } else throw malformed(`expected a record \`{\`, found \`${String.fromCharCode(b)}\``, base + pos);
      } else {
        // phase === 'end'
        if (isSpace(b) || b === SEMI) pos++;
        else throw malformed('unexpected data after the closing `]`', base + pos);
      }
    }
    if (out.length > 0) yield out;
  }
  if (phase !== 'end') {
    const at = base + buf.length;
    if (phase === 'prefix') throw new EngageAuditError('MALFORMED', `${file}: empty or not an X archive data file (no \`window.YTD.… =\`)`);
    throw new EngageAuditError(
      'TRUNCATED',
      `${file}: ends at byte ${at} inside the ${phase === 'element' ? `record ${records + 1}` : 'array'} (after ${records} complete records): the file is cut off`,
    );
  }
}
