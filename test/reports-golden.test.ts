/**
 * Every export fixture and variant (the EXPORTS list of test/support/source-cases.ts), the hostile
 * dataset and a saved pull of the old shape give the same JSON report, byte for byte, as the file
 * under test/golden/reports/. Each case runs the command line from the repository root on a relative
 * path, with SOURCE_DATE_EPOCH and a fixed --as-of: the last day of the month of its newest post, as
 * the hand counts of fixtures/EXPORTS-EXPECTED.md do.
 * `WRITE_REPORT_GOLDEN=1 npx vitest run test/reports-golden.test.ts` writes the files anew.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTOM_COLUMNS, EXPORTS } from './support/source-cases.js';
import { ROOT, runCli } from './helpers.js';

const GOLDEN = path.join(ROOT, 'test/golden/reports');
const WRITE = process.env['WRITE_REPORT_GOLDEN'] === '1';
const EPOCH = '1767225600';

interface Case {
  /** The name EXPORTS gives the case: its path under fixtures/, unless it says more. */
  name: string;
  rel: string;
  args: string[];
  asOf: string;
}

const at = (rel: string, asOf: string, args: string[] = [], name = rel): Case => ({ name, rel, args, asOf });
const custom = (columns: string, name: string): Case => at('csv/custom.csv', '2025-11-30', ['--platform', 'csv', '--columns', columns], name);

const EXPORT_CASES: Case[] = [
  at('x-archive/sample-2022.zip', '2025-05-31'),
  at('x-archive/sample-2022', '2025-05-31'),
  at('x-archive/sample-2022/data/tweets.js', '2025-05-31'),
  at('x-archive/legacy-2020', '2020-12-31'),
  at('identity/x-archive', '2025-06-30'),
  at('mastodon-archive/sample', '2025-08-31'),
  at('mastodon-archive/sample.zip', '2025-08-31'),
  at('mastodon-archive/sample.tar.gz', '2025-08-31'),
  at('mastodon-archive/quotes-4.5', '2025-07-31'),
  at('bluesky-car/repo.car', '2025-11-30'),
  at('identity/bluesky-car/repo.car', '2025-06-30'),
  at('linkedin/export', '2025-05-31'),
  at('linkedin/export.zip', '2025-05-31'),
  at('linkedin/shares-2018/Shares.csv', '2017-08-31'),
  at('linkedin/as-written', '2025-06-30'),
  at('instagram/export', '2025-05-31'),
  at('instagram/export.zip', '2025-05-31'),
  at('instagram/legacy-2022', '2022-11-30'),
  at('facebook/your-posts', '2025-01-31'),
  at('facebook/page-export.csv', '2025-04-30'),
  at('csv/sprout-posts.csv', '2025-08-31'),
  at('csv/sprout-posts.csv', '2025-08-31', ['--followers', '5000']),
  custom(`${CUSTOM_COLUMNS},kind=type`, 'csv/custom.csv with a kind column'),
  custom(CUSTOM_COLUMNS, 'csv/custom.csv without a kind column'),
];

const CASES: Case[] = [...EXPORT_CASES, at('hostile/dataset.json', '2025-03-31'), at('saved/old-shape-pull.json', '2025-05-31')];

/** A name that is the path alone takes the options along, so that each case has its own file. */
const title = (c: Case): string => (c.name === c.rel ? [c.rel, ...c.args].join(' ') : c.name);
const fileOf = (c: Case): string => `${title(c).replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}.json`;

describe('every fixture gives the same JSON report as before, byte for byte', () => {
  it('covers every export case of test/support/source-cases.ts, and every golden file has a case', () => {
    expect(EXPORT_CASES.map((c) => c.name).sort()).toEqual(EXPORTS.map((c) => c.name).sort());
    const files = CASES.map(fileOf);
    expect(new Set(files).size).toBe(files.length);
    if (!WRITE) expect(readdirSync(GOLDEN).sort()).toEqual([...files].sort());
  });

  describe.concurrent('reports', () => {
    for (const c of CASES) {
      it(title(c), async ({ expect }) => {
        const r = await runCli([`fixtures/${c.rel}`, ...c.args, '--json', '--as-of', c.asOf], { env: { SOURCE_DATE_EPOCH: EPOCH } });
        expect(r.code, r.stderr).toBe(0);
        const file = path.join(GOLDEN, fileOf(c));
        if (WRITE) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(file, r.stdout);
        }
        expect(existsSync(file), `${file} is missing`).toBe(true);
        expect(r.stdout).toBe(readFileSync(file, 'utf8'));
      });
    }
  });
});
