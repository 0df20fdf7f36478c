/**
 * Streams the records of an X archive `.js` file (`window.YTD.<type>.partN = [ {…}, … ]`). It never
 * holds the file as one string and never evaluates it. Everything after the first `=` is a JSON
 * array of records (docs/formats.md `x-archive`, "The wrapper").
 *
 * Two ways read a record:
 * - The fast way, with a selection (lib/select-json.ts; without one, the whole record). One pass
 *   over the record's bytes checks it against the JSON grammar and keeps only the selected parts.
 *   They come out as tokens (`readYtdTokens`, which can run on a reader thread) or as values.
 * - The careful way, for every other record. The scanner follows strings and brackets byte by byte
 *   to the record's end. Its bytes in earlier chunks are kept as a list and joined once. Then the
 *   selective pass reads it whole if it had only run out of bytes. Otherwise `JSON.parse` reads it
 *   and names the error.
 * Depth and size limits hold on both ways. UTF-8 continuation bytes never equal the ASCII bytes the
 * scanner looks for, so scanning bytes is safe.
 */
import { EngageAuditError } from '../../errors.js';
import { compileSelection, decodeTokens, emitSelected, isJsonSpace, prune, TokenWriter, type CompiledSelection } from '../../lib/select-json.js';

const EQ = 0x3d;
const OPEN_SQ = 0x5b;
const CLOSE_SQ = 0x5d;
const OPEN_CURLY = 0x7b;
const CLOSE_CURLY = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const SEMI = 0x3b;

/**
 * The most records in one batch: a batch is what a reader thread sends at once, so smaller ones
 * reach the consumer sooner and keep less memory in flight; larger ones cost fewer messages.
 */
const MAX_BATCH = 1024;

export interface YtdReadOptions {
  /** Deepest nesting accepted inside one record. */
  maxDepth?: number;
  /** Largest single record, in bytes. */
  maxRecordBytes?: number;
  /**
   * Keep only these parts of each record (lib/select-json.ts). Every record is still checked whole
   * against the JSON grammar; one the selective pass refuses is read again the careful way, which
   * reports the error.
   */
  select?: CompiledSelection;
}

/** The records written so far, as a batch; the writer starts afresh. */
function batch(writer: TokenWriter): TokenBatch {
  const count = writer.count;
  return { tokens: writer.take(), count };
}

/**
 * Where the scanner is in the file, in the order it goes. Whitespace may come between any two.
 * - 'prefix': before the first `=`. The text so far must be `window.<name>`.
 * - 'open': after the `=`. A `[` must come.
 * - 'first': after the `[`. A record's `{` or the closing `]`.
 * - 'next': after a comma. A record's `{`.
 * - 'between': after a record. A comma or the closing `]`.
 * - 'element': inside a record the careful scanner reads.
 * - 'end': after the closing `]`. Only `;` may come.
 */
type Phase = 'prefix' | 'open' | 'first' | 'between' | 'next' | 'element' | 'end';

/** The records of one chunk's worth of input, as tokens of the selection. */
export interface TokenBatch {
  tokens: Uint8Array;
  count: number;
}

/** The whole record: how records are read when no selection is given. */
const WHOLE = compileSelection(true);

/**
 * Yields the records in batches (one a chunk read, and smaller ones at first), as values. Errors
 * name the file, the record number and the byte offset, and say whether the file looks cut off.
 */
export async function* readYtdArray(chunks: AsyncIterable<Buffer | Uint8Array | string>, file: string, options: YtdReadOptions = {}): AsyncGenerator<unknown[]> {
  const select = options.select ?? WHOLE;
  for await (const batch of readYtdTokens(chunks, file, { ...options, select })) yield decodeTokens(batch.tokens, select);
}

/** Yields the selected parts of the records in batches of tokens (see `readYtdArray`). */
export async function* readYtdTokens(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  file: string,
  options: YtdReadOptions & { select: CompiledSelection },
): AsyncGenerator<TokenBatch> {
  const { select } = options;
  const writer = new TokenWriter();
  const maxDepth = options.maxDepth ?? 64;
  const maxRecordBytes = options.maxRecordBytes ?? 64 << 20;
  let phase: Phase = 'prefix';
  let prefix = '';
  let buf: Buffer = Buffer.alloc(0);
  /** Absolute offset of buf[0] in the file. */
  let base = 0;
  let pos = 0;
  let records = 0;
  /** Yield a batch within a chunk when this many records are in (256 at first, doubling to MAX_BATCH). */
  let early = 256;
  const malformed = (message: string, at: number): EngageAuditError =>
    new EngageAuditError('MALFORMED', `${file}: ${message} (byte ${at}, after ${records} record${records === 1 ? '' : 's'})`);
  const tooLarge = (at: number): EngageAuditError => malformed(`record ${records + 1} is larger than ${maxRecordBytes} bytes`, at);

  // The careful scanner's record: its start (absolute, and in buf), the bytes of it in earlier
  // chunks (kept as a list, joined once at its end), and the bracket and string state.
  let recordAt = 0;
  let start = 0;
  let head: Buffer[] = [];
  let headBytes = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** The selective pass ran out of bytes on this record: it reads the record once it is whole. */
  let selectWhenWhole = false;

  // (A function, as the phase also changes inside the helpers below.)
  const inRecord = (): boolean => phase === 'element';

  const startCareful = (selectLater: boolean): void => {
    phase = 'element';
    recordAt = base + pos;
    start = pos;
    head = [];
    headBytes = 0;
    depth = 0;
    inString = false;
    escaped = false;
    selectWhenWhole = selectLater;
  };

  /** The careful scanner found the record's last byte (just before `pos`). */
  const finishCareful = (): void => {
    const tail = buf.subarray(start, pos);
    const bytes = head.length === 0 ? tail : Buffer.concat([...head, tail]);
    head = [];
    headBytes = 0;
    phase = 'between';
    if (selectWhenWhole) {
      const mark = { length: writer.length, count: writer.count };
      const r = emitSelected(bytes, 0, bytes.length, select, writer, maxDepth);
      if (r.status === 'ok' && r.end === bytes.length) {
        records++;
        return;
      }
      writer.length = mark.length;
      writer.count = mark.count;
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw malformed(`record ${records + 1} is not valid JSON: ${(error as Error).message}`, recordAt);
    }
    writer.writeValue(prune(value, select.source));
    records++;
  };

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
    if (inRecord() && start < buf.length) {
      // The unfinished record's bytes in this chunk join the list (no copy until it ends).
      head.push(buf.subarray(start));
      headBytes += buf.length - start;
    }
    base += buf.length;
    buf = chunk;
    pos = 0;
    start = 0;
    const n = buf.length;
    while (pos < n) {
      if (inRecord()) {
        // The careful way: follow strings and brackets to the record's last `}`.
        const c = buf[pos]!;
        if (headBytes + (pos - start) >= maxRecordBytes) throw tooLarge(recordAt);
        pos++;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) inString = false;
        } else if (c === QUOTE) inString = true;
        else if (c === OPEN_CURLY || c === OPEN_SQ) {
          if (++depth > maxDepth) throw malformed(`nesting deeper than ${maxDepth} levels`, base + pos - 1);
        } else if ((c === CLOSE_CURLY || c === CLOSE_SQ) && --depth === 0) {
          finishCareful();
          if (writer.count >= early) {
            early = Math.min(early * 2, MAX_BATCH);
            yield batch(writer);
          }
        }
        continue;
      }
      const b = buf[pos]!;
      if (phase === 'prefix') {
        // Collect the text up to the `=` (at most 512 bytes of it) and check it once the `=` comes.
        const eq = buf.indexOf(EQ, pos);
        const upto = eq === -1 ? n : eq;
        if (prefix.length < 512) prefix += buf.toString('latin1', pos, Math.min(upto, pos + 512));
        if (eq === -1) {
          if (prefix.length >= 512) throw malformed('does not start with `window.YTD.… =`: not an X archive data file', 0);
          pos = n;
          break;
        }
        const text = prefix.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trim();
        if (!/^window\.[A-Za-z0-9_$.]+$/.test(text)) {
          throw malformed('does not start with `window.YTD.… =`: not an X archive data file', 0);
        }
        phase = 'open';
        pos = eq + 1;
      } else if (isJsonSpace(b)) pos++;
      else if (phase === 'open') {
        if (b !== OPEN_SQ) throw malformed(`expected \`[\` after \`=\`, found \`${String.fromCharCode(b)}\``, base + pos);
        phase = 'first';
        pos++;
      } else if (phase === 'between') {
        if (b === COMMA) phase = 'next';
        else if (b === CLOSE_SQ) phase = 'end';
        else throw malformed(`expected \`,\` or \`]\` after record ${records}, found \`${String.fromCharCode(b)}\``, base + pos);
        pos++;
      } else if (phase === 'first' || phase === 'next') {
        if (b === CLOSE_SQ && phase === 'first') {
          phase = 'end';
          pos++;
        } else if (b === OPEN_CURLY) {
          // The fast way: check and select the record in the bytes of this chunk.
          const r = emitSelected(buf, pos, n, select, writer, maxDepth);
          if (r.status === 'ok') {
            if (r.end - pos > maxRecordBytes) throw tooLarge(base + pos);
            records++;
            pos = r.end;
            phase = 'between';
            if (writer.count >= early) {
              // The first batches are small, so that a consumer on another thread starts at once.
              early = Math.min(early * 2, MAX_BATCH);
              yield batch(writer);
            }
          } else {
            // Cut off by the chunk (read whole once the scanner finds its end), or refused (the
            // scanner finds its end and JSON.parse names the error).
            startCareful(r.status === 'incomplete');
          }
        } else throw malformed(`expected a record \`{\`, found \`${String.fromCharCode(b)}\``, base + pos);
      } else {
        // phase === 'end'
        if (b === SEMI) pos++;
        else throw malformed('unexpected data after the closing `]`', base + pos);
      }
    }
    if (writer.count > 0) yield batch(writer);
  }
  if (phase !== 'end') {
    const at = base + buf.length;
    if (phase === 'prefix') throw new EngageAuditError('MALFORMED', `${file}: empty or not an X archive data file (no \`window.YTD.… =\`)`);
    throw new EngageAuditError(
      'TRUNCATED',
      `${file}: ends at byte ${at} ${inRecord() ? `inside the record ${records + 1}` : phase === 'open' ? 'before the `[`' : 'inside the array'} (after ${records} complete record${records === 1 ? '' : 's'}): the file is cut off`,
    );
  }
}
