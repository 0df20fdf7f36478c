/**
 * CLI fuzzing (mutated copies of every fixture export, encodings, archive bombs), in one test file
 * so that every run shares one CLI worker (isolated-cli.ts) and vitest's start-up is paid once:
 * - exports-archives.cli.ts: X archive (folder, zip, tweets.js), Mastodon archive (folder, zip,
 *   tar.gz), Bluesky repository (.car);
 * - exports-posts.cli.ts: LinkedIn, Instagram, Facebook, post CSVs, saved datasets;
 * - encodings-bombs.cli.ts: BOMs and UTF-16, invalid UTF-8, zip and tar.gz bombs.
 * Each run must end in a report (exit 0/1) or a one-line error (exit 2/3): oracle.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sharedCli } from './e2e.js';
import './exports-archives.cli.js';
import './exports-posts.cli.js';
import './encodings-bombs.cli.js';

describe('the CLI worker', () => {
  afterAll(() => sharedCli().close());

  it('no exception escaped main() between runs, and no worker had to be replaced but after a hang', () => {
    const cli = sharedCli();
    expect(cli.lateUncaught).toEqual([]);
    console.log(`cli worker: started ${cli.starts} time(s)`);
  });
});
