/**
 * A dataset saved by `engage-audit pull -o FILE` as a source: a JSON file of that kind, or standard
 * input (`-`). It is read whole, so it must fit in one string.
 */
import { constants as bufferConstants } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../../model/dataset.js';
import { EngageAuditError } from '../../errors.js';
import { byteSize } from '../../lib/format.js';
import { readCapped } from '../../lib/read-capped.js';
import type { ExportSource } from '../contract.js';

/** A saved dataset is read whole, from a file or standard input: it must fit in one string: 512 MB, or the engine's longest string if less. */
export const WHOLE_FILE_LIMIT = Math.min(512 * 1024 * 1024, bufferConstants.MAX_STRING_LENGTH);

/** A dataset past WHOLE_FILE_LIMIT: `size` when known beforehand (a file), else null (standard input, refused once it passed). */
function tooLargeToRead(target: string, size: number | null): EngageAuditError {
  const limit = byteSize(WHOLE_FILE_LIMIT);
  return new EngageAuditError('MALFORMED', `${target}: ${size === null ? `more than ${limit}` : byteSize(size)}, more than a saved dataset can be (${limit})`, {
    hint: 'Give the export it came from instead (exports are streamed and have no such limit), or pull a shorter window (--since, --days).',
  });
}

async function fromText(text: string, label: string, target: string): Promise<Dataset> {
  const { datasetFromSaved, parseSavedDataset } = await import('../saved-dataset.js');
  return datasetFromSaved(parseSavedDataset(text, label), target);
}

/** The dataset on standard input. As a file is, but its size is known only once read: reading stops the moment it passes the limit. */
export async function readStdinDataset(stdin: () => AsyncIterable<Uint8Array>): Promise<Dataset> {
  const bytes = await readCapped(stdin(), WHOLE_FILE_LIMIT, () => tooLargeToRead('standard input', null));
  return fromText(bytes.toString('utf8'), 'standard input', '-');
}

export const datasetSource = {
  id: 'dataset',
  description: 'a dataset saved by `engage-audit pull -o FILE` (.json), or `-` for one on standard input',
  platforms: [],
  reads: ['file'],
  // Its kind, or a .json object that is no ActivityPub collection or Facebook posts file.
  detect: ({ file, text, json }) =>
    json && (/"kind"\s*:\s*"engage-audit-dataset"/.test(text) || (/^\{/.test(text) && path.extname(file) === '.json' && !/orderedItems|OrderedCollection/.test(text) && !/your_posts/i.test(file))),
  async load({ file, target, size }) {
    if (size > WHOLE_FILE_LIMIT) throw tooLargeToRead(target, size);
    return fromText((await readFile(file)).toString('utf8'), target, target);
  },
} as const satisfies ExportSource<'file'>;
