/** src/cli/run-pull.ts `datasetText`: a dataset too large to be read back is refused, not saved unreadable. */
import { describe, expect, it } from 'vitest';
import { datasetText } from '../../src/cli/run-pull.js';
import type { SavedDataset } from '../../src/model/dataset.js';
import { runCli, X_FIXTURES } from '../helpers.js';
import path from 'node:path';

describe('datasetText', () => {
  it('is the JSON of the dataset and a newline when it fits; refused with what to do when it does not', async () => {
    const pulled = await runCli(['pull', path.join(X_FIXTURES, 'sample-2022.zip'), '--quiet']);
    expect(pulled.code).toBe(0);
    const saved = JSON.parse(pulled.stdout) as SavedDataset;
    const text = datasetText(saved, 'sample');
    expect(text).toBe(`${JSON.stringify(saved)}\n`);
    expect(pulled.stdout).toBe(text);
    const size = Buffer.byteLength(text);
    expect(datasetText(saved, 'sample', size)).toBe(text); // exactly the limit fits
    let error: unknown;
    try {
      datasetText(saved, 'sample', size - 1);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'USAGE',
      message: `sample: ${saved.posts.length} posts make a dataset larger than one file can be read back (${size - 1} bytes)`,
      hint: expect.stringMatching(/Audit the export itself .*--since or --days/),
    });
  });

  it('turns "a string that long cannot be made" into the same refusal', () => {
    const huge = { posts: [], toJSON: () => { throw new RangeError('Invalid string length'); } } as unknown as SavedDataset;
    expect(() => datasetText(huge, 'big')).toThrow(/big: 0 posts make a dataset larger than one file can be read back \(512 MB\)/);
    const other = { posts: [], toJSON: () => { throw new TypeError('something else'); } } as unknown as SavedDataset;
    expect(() => datasetText(other, 'x')).toThrow(TypeError);
  });
});
