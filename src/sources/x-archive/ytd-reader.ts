/**
 * Streams the records of an X archive `.js` file (`window.YTD.<type>.partN = [ {…}, … ]`) without
 * ever holding the file as one string and without evaluating it (FORMATS.md §1.2): everything after
 * the first `=` is a JSON array of records.
 *
 * With a selection (lib/select-json.ts), each record is checked against the JSON grammar in one pass
 * over its bytes and only the selected parts are kept, as tokens (`readYtdTokens`, which can run on a
 * reader thread) or as values (`readYtdArray`). A record that pass refuses, and every record when
 * there is no selection, goes the careful way: the scanner finds the record's bytes by tracking
 * strings and brackets, then `JSON.parse` reads it and names any error. UTF-8 continuation bytes
 * never equal the ASCII bytes it looks for, so scanning bytes is safe.
 */
import { EngageAuditError } from '../../errors.js';
import { decodeTokens, emitSelected, prune, TokenWriter, type CompiledSelection } from '../../lib/select-json.js';

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

/** 'partial': a selected record runs past the bytes read so far; it is read again with more. */
type Phase = 'prefix' | 'open' | 'between' | 'element' | 'partial' | 'end';

/** The records of one chunk's worth of input, as tokens of the selection. */
export interface TokenBatch {
  tokens: Uint8Array;
  count: number;
}

/**
 * Yields the records in batches (one batch per chunk read), as values. Errors name the file, the
 * record number and the byte offset, and say whether the file looks cut off.
 */
export async function* readYtdArray(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  file: string,
  options: YtdReadOptions = {},
): AsyncGenerator<unknown[]> {
  const select = options.select;
  if (select === undefined) {
    yield* scan(chunks, file, options, null);
    return;
  }
  for await (const batch of scan(chunks, file, options, new TokenWriter())) {
    yield decodeTokens(batch.tokens, select);
  }
}

/** Yields the selected parts of the records in batches of tokens (see `readYtdArray`). */
export function readYtdTokens(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  file: string,
  options: YtdReadOptions & { select: CompiledSelection },
): AsyncGenerator<TokenBatch> {
  return scan(chunks, file, options, new TokenWriter());
}

function scan(chunks: AsyncIterable<Buffer | Uint8Array | string>, file: string, options: YtdReadOptions, writer: null): AsyncGenerator<unknown[]>;
function scan(chunks: AsyncIterable<Buffer | Uint8Array | string>, file: string, options: YtdReadOptions, writer: TokenWriter): AsyncGenerator<TokenBatch>;
async function* scan(
  chunks: AsyncIterable<Buffer | Uint8Array | string>,
  file: string,
  options: YtdReadOptions,
  writer: TokenWriter | null,
): AsyncGenerator<unknown[] | TokenBatch> {
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
  const select = writer === null ? undefined : options.select;
  /** For a partial record: how many bytes from its start to gather before reading it again. */
  let retryAt = 0;
  let ended = false;
  /** Yield a batch within a chunk when this many records are in (doubling: 256, 512, …). */
  let early = 256;
  const malformed = (message: string, at: number): EngageAuditError =>
    new EngageAuditError('MALFORMED', `${file}: ${message} (byte ${at}, after ${records} records)`);

  /**
   * Finishes a selected record that straddles two chunks from a copy of its start and as little of
   * the new chunk as it needs, rather than copying the whole chunk behind it. False when that does
   * not settle it (the usual way then takes over).
   */
  const bridge = (chunk: Buffer): boolean => {
    const keep = buf.subarray(start);
    for (let take = Math.max(1 << 16, 2 * keep.length); take < chunk.length; take *= 2) {
      const joined = Buffer.concat([keep, chunk.subarray(0, take)]);
      const r = emitSelected(joined, 0, joined.length, select!, writer!, maxDepth);
      if (r.status === 'incomplete') continue;
      if (r.status === 'invalid') return false;
      if (r.end > maxRecordBytes) throw malformed(`record ${records + 1} is larger than ${maxRecordBytes} bytes`, base + start);
      records++;
      base += buf.length;
      buf = chunk;
      pos = r.end - keep.length;
      start = 0;
      phase = 'between';
      return true;
    }
    return false;
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
    if (next.done) {
      // A partial record waits for twice its bytes; at the end it is read with what there is.
      if (phase !== 'partial' || ended) break;
      ended = true;
      retryAt = 0;
    }
    const chunk = next.done ? Buffer.alloc(0) : typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    if (phase === 'partial' && !next.done && bridge(chunk)) {
      // Done: the record that straddled the chunks is read; go on in the new chunk.
    } else if (phase === 'element' || phase === 'partial') {
      // Keep the unfinished record; drop the rest.
      const keep = buf.subarray(start);
      base += start;
      pos = phase === 'partial' ? 0 : pos - start;
      start = 0;
      buf = keep.length === 0 ? chunk : Buffer.concat([keep, chunk]);
    } else {
      base += buf.length;
      buf = chunk;
      pos = 0;
    }
    const out: unknown[] = [];
    const n = buf.length;
    while (pos < n) {
      if (phase === 'partial') {
        if (n - start > maxRecordBytes) throw malformed(`record ${records + 1} is larger than ${maxRecordBytes} bytes`, base + start);
        if (n - start < retryAt) {
          pos = n;
          break;
        }
        phase = 'between';
        pos = start;
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
            let value: unknown;
            try {
              value = JSON.parse(text);
            } catch (error) {
              throw malformed(`record ${records + 1} is not valid JSON: ${(error as Error).message}`, base + start);
            }
            if (writer === null) out.push(value);
            else writer.writeValue(prune(value, select!.source));
            records++;
            phase = 'between';
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
          if (select !== undefined) {
            const r = emitSelected(buf, pos, n, select, writer!, maxDepth);
            if (r.status === 'ok') {
              if (r.end - pos > maxRecordBytes) throw malformed(`record ${records + 1} is larger than ${maxRecordBytes} bytes`, base + pos);
              records++;
              pos = r.end;
              if (writer!.count >= early) {
                // The first batches are small, so that a consumer on another thread starts at once.
                early *= 2;
                const count = writer!.count;
                yield { tokens: writer!.take(), count };
              }
              continue;
            }
            if (r.status === 'incomplete') {
              if (n - pos > maxRecordBytes) throw malformed(`record ${records + 1} is larger than ${maxRecordBytes} bytes`, base + pos);
              phase = 'partial';
              start = pos;
              // Read it again once twice as many bytes are in: linear even for a record of many chunks.
              retryAt = ended ? Number.POSITIVE_INFINITY : 2 * (n - pos);
              pos = n;
              break;
            }
            // Refused: the careful scanner below finds the record's end and reports the error.
          }
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
    if (writer === null) {
      if (out.length > 0) yield out;
    } else if (writer.count > 0) {
      const count = writer.count;
      yield { tokens: writer.take(), count };
    }
  }
  if (phase !== 'end') {
    const at = base + buf.length;
    if (phase === 'prefix') throw new EngageAuditError('MALFORMED', `${file}: empty or not an X archive data file (no \`window.YTD.… =\`)`);
    throw new EngageAuditError(
      'TRUNCATED',
      `${file}: ends at byte ${at} inside the ${phase === 'element' || phase === 'partial' ? `record ${records + 1}` : 'array'} (after ${records} complete records): the file is cut off`,
    );
  }
}
