/**
 * CLI fuzzing of the archive exports: the X archive (folder, zip, data/tweets.js alone), the Mastodon
 * archive (folder, zip, tar.gz) and the Bluesky repository (.car). Each mutated copy must end in exit
 * 0/1 with a valid report or exit 2/3 with one line naming the problem — never exit 5, a stack trace,
 * an escaped exception, a hang or a silent empty success (test/fuzz/oracle.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFile, fixtureFolder, fuzzFormat, replay, sharedCli, summarize, type FormatSpec, type Reproduction } from './e2e.js';

const X_FILES = {
  'data/tweets.js': 'ytd',
  'data/tweets-part1.js': 'ytd',
  'data/account.js': 'ytd',
  'data/follower.js': 'ytd',
  'data/following.js': 'ytd',
  'data/like.js': 'ytd',
  'data/manifest.js': 'ytd',
} as const;
const MASTODON_FILES = { 'outbox.json': 'json', 'actor.json': 'json', 'likes.json': 'json', 'following_accounts.csv': 'csv' } as const;

/** Mastodon archive: an actor.json whose id is not a URL (minimal reproduction of an exit 5). */
const actorIdNotUrl = {
  where: 'file' as const,
  file: 'actor.json',
  format: 'json',
  mutation: { kind: 'text' as const, describe: 'actor.json "id": "dana" (not a URL)', edit: (t: string) => t.replace('"id": "https://social.example/users/dana"', '"id": "dana"') },
};
/** X archive: a tweet of year 0095 (Date.UTC reads years 0–99 as 1900–1999, so it passes for 1995). */
const year95 = {
  where: 'file' as const,
  file: 'data/tweets.js',
  format: 'json',
  mutation: {
    kind: 'text' as const,
    describe: 'data/tweets.js: the first created_at set to "Wed May 14 09:12:00 +0000 0095"',
    edit: (t: string) => t.replace(/"created_at" : "[^"]+"/, '"created_at" : "Wed May 14 09:12:00 +0000 0095"'),
  },
};
/** Mastodon archive: one post published in year 11476 beside posts of 2025 (the monthly table never ends). */
const farFuture = {
  where: 'file' as const,
  file: 'outbox.json',
  format: 'json',
  mutation: { kind: 'text' as const, describe: 'outbox.json: the first "published" set to "+011476-01-01T00:00:00Z"', edit: (t: string) => t.replace(/"published": ?"[^"]+"/, '"published": "+011476-01-01T00:00:00Z"') },
};

const SPECS: FormatSpec[] = [
  { name: 'x-archive folder', load: fixtureFolder('x-archive/sample-2022'), files: X_FILES, pack: 'folder', targetName: 'sample-2022', args: [], runs: 30 },
  { name: 'x-archive zip', load: fixtureFolder('x-archive/sample-2022'), original: 'x-archive/sample-2022.zip', files: X_FILES, pack: 'zip', targetName: 'sample-2022.zip', args: [], runs: 20 },
  {
    name: 'x-archive tweets.js alone',
    load: fixtureFolder('x-archive/sample-2022'),
    files: { 'data/tweets.js': 'ytd' },
    pack: { file: 'data/tweets.js' },
    targetName: 'sample-2022',
    args: [],
    runs: 10,
  },
  { name: 'x-archive legacy-2020', load: fixtureFolder('x-archive/legacy-2020'), files: { 'data/tweet.js': 'ytd', 'data/manifest.js': 'ytd', 'data/account.js': 'ytd' }, pack: 'folder', targetName: 'legacy-2020', args: [], runs: 10 },
  {
    name: 'mastodon-archive folder',
    load: fixtureFolder('mastodon-archive/sample'),
    files: MASTODON_FILES,
    pack: 'folder',
    targetName: 'sample',
    args: [],
    runs: 25,
  },
  { name: 'mastodon-archive zip', load: fixtureFolder('mastodon-archive/sample'), original: 'mastodon-archive/sample.zip', files: MASTODON_FILES, pack: 'zip', targetName: 'sample.zip', args: [], runs: 12 },
  { name: 'mastodon-archive tar.gz', load: fixtureFolder('mastodon-archive/sample'), original: 'mastodon-archive/sample.tar.gz', files: MASTODON_FILES, pack: 'targz', targetName: 'sample.tar.gz', args: [], runs: 12 },
  { name: 'bluesky-car', load: fixtureFile('bluesky-car/repo.car'), files: { 'repo.car': 'car' }, pack: { file: 'repo.car' }, targetName: 'car', args: [], runs: 25 },
];

describe('CLI fuzzing: archive exports (mutated copies of the fixtures)', () => {
  const cli = sharedCli();
  let tmp = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'engage-audit-fuzz-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  SPECS.forEach((spec, i) => {
    it(`${spec.name}: mutated copies end in a report or exit 2/3, never exit 5, a stack trace, a hang or a silent empty success`, async () => {
      const outcome = await fuzzFormat(spec, i, cli, tmp);
      console.log(`${spec.name}: ${outcome.cases} cases (${[...outcome.signatures].map(([s, n]) => `${s} ×${n}`).join(', ')}; slowest ${Math.round(outcome.slowestMs)} ms)`);
      expect(outcome.failures, `\n${summarize(outcome.failures)}\n`).toEqual([]);
    }, 120_000);
  });

  const mastodon = SPECS.find((s) => s.name === 'mastodon-archive folder')!;
  const REPRODUCTIONS: Reproduction[] = [
    { spec: SPECS.find((s) => s.name === 'x-archive folder')!, case: year95 },
    { spec: mastodon, case: actorIdNotUrl },
    { spec: mastodon, case: farFuture, hangs: true },
  ];

  // Each bug the fuzzing found, once, as its smallest input (they fail until the bug is fixed).
  it(`minimal reproductions of the bugs found: ${REPRODUCTIONS.length} CLI runs, same contract`, async () => {
    const failures = await replay(REPRODUCTIONS, cli, tmp);
    console.log(`archive reproductions: ${REPRODUCTIONS.length} cases, ${failures.length} failing`);
    expect(failures, `\n${summarize(failures)}\n`).toEqual([]);
  }, 60_000);
});
