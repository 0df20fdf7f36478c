/**
 * Every source names its account when it can (docs/metrics.md "Naming the account"), and no output
 * names it by the input's path. The names below are read by hand from the fixture files: the page
 * CSV's `Page ID`/`Page name`, the Sprout CSV's `Profile`, LinkedIn's Profile.csv, Facebook's
 * profile_information.json (mojibake repaired), the `.car`'s DID and `app.bsky.actor.profile`.
 */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/index.js';
import { FIXTURES, runCli, withTempDir } from './helpers.js';

const DID = 'did:plc:w4mqh2kx7rzd3nvbpe5tyl6a';
const FB_POSTS = 'your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json';

async function report(args: string[]): Promise<Report> {
  const r = await runCli([...args, '--json', '--as-of', '2025-08-31']);
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

/** Header line (table), `# …` (Markdown), `<h1>` and `<title>` (HTML), `account` cell (CSV) of one target. */
async function namesOf(args: string[]): Promise<{ table: string; markdown: string; h1: string; title: string; csv: Record<string, string> }> {
  const out = async (format: string) => {
    const r = await runCli([...args, '--format', format, '--as-of', '2025-08-31']);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  const html = await out('html');
  const [head, row] = (await out('csv')).trim().split('\r\n');
  const cells = (line: string) => line.split(',');
  const csv = Object.fromEntries(cells(head!).map((h, i) => [h, cells(row!)[i] ?? '']));
  return {
    table: (await out('table')).split('\n')[0]!,
    markdown: (await out('markdown')).split('\n')[0]!,
    h1: /<h1>(.*?)<\/h1>/.exec(html)![1]!,
    title: /<title>(.*?)<\/title>/.exec(html)![1]!,
    csv,
  };
}

describe('each source names its account', () => {
  it('the Meta page CSV: Page ID and Page name', async () => {
    const r = await report([path.join('fixtures', 'facebook/page-export.csv'), '--followers', '2400']);
    expect(r.account).toMatchObject({ id: '61570000000123', handle: null, displayName: 'Harbor Lane Bakery' });
    expect(r.input.availability['account']).toBeUndefined();
  });

  it('the Sprout CSV: Profile', async () => {
    const r = await report([path.join('fixtures', 'csv/sprout-posts.csv'), '--followers', '5000']);
    expect(r.account).toMatchObject({ id: null, handle: null, displayName: 'fernway.outdoors' });
  });

  it("LinkedIn: Profile.csv's first and last name, and no other column of it", async () => {
    for (const target of ['linkedin/export', 'linkedin/export.zip']) {
      const r = await runCli([path.join('fixtures', target), '--json', '--as-of', '2025-08-31']);
      const json = JSON.parse(r.stdout) as Report;
      expect(json.account).toMatchObject({ id: null, handle: null, displayName: 'Maren Ostrander' });
      expect(json.input.availability['account']).toBeUndefined();
      for (const secret of ['Harbour Road', '1990', 'Bergen', 'maren_surveys', 'touch tanks']) expect(r.stdout).not.toContain(secret);
    }
  });

  it("Facebook: profile_information.json's full name (repaired), and no other field of it", async () => {
    const r = await runCli([path.join('fixtures', 'facebook/your-posts'), '--json', '--as-of', '2025-01-31']);
    const json = JSON.parse(r.stdout) as Report;
    expect(json.account).toMatchObject({ id: null, handle: null, displayName: 'Noémie Example' });
    for (const secret of ['noemie@example.test', 'Lyon', '1991', 'noemie.example.0001']) expect(r.stdout).not.toContain(secret);
  });

  it('an export without its naming file stays unnamed, with the reason', async () => {
    await withTempDir(async (dir) => {
      await mkdir(path.join(dir, path.dirname(FB_POSTS)), { recursive: true });
      await cp(path.join(FIXTURES, 'facebook/your-posts', FB_POSTS), path.join(dir, FB_POSTS));
      const r = await report([dir]);
      expect(r.account).toMatchObject({ id: null, handle: null, displayName: null });
      expect(r.input.availability['account']).toBe('The export does not name the account.');
    });
  });

  it('a naming file that cannot be read leaves the account unnamed with a warning, and the audit goes on', async () => {
    await withTempDir(async (dir) => {
      await cp(path.join(FIXTURES, 'linkedin/export'), dir, { recursive: true });
      await writeFile(path.join(dir, 'Profile.csv'), 'First Name,Last Name\n"Maren,Ostrander\n');
      const r = await runCli([dir, '--json', '--as-of', '2025-08-31']);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(r.stdout) as Report;
      expect(json.account.displayName).toBeNull();
      expect(json.input.availability['account']).toBeDefined();
      expect(json.input.warnings.filter((w) => w.includes('Profile.csv') && w.endsWith('(so the account is unnamed)'))).toHaveLength(1);
      expect(json.window.posts).toBe(27);
    });
  });

  it("the Meta CSV's Instagram form: Account username is the handle", async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'ig.csv');
      await writeFile(
        file,
        [
          'Post ID,Account username,Description,Publish time,Permalink,Post type,Views,Reach,Likes,Comments,Shares',
          '17900000000000001,@Fern.Way,Trail day,06/02/2025 09:15,https://www.instagram.com/p/a/,IG image,100,90,4,1,0',
          '17900000000000002,@Fern.Way,Camp day,06/03/2025 09:15,https://www.instagram.com/p/b/,IG image,100,90,4,1,0',
        ].join('\n'),
      );
      const r = await report([file]);
      expect(r.input.platform).toBe('instagram');
      expect(r.account).toMatchObject({ id: null, handle: 'fern.way', displayName: null });
    });
  });

  it('CSV rows that name two pages name none, with a warning', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'two-pages.csv');
      await writeFile(
        file,
        [
          'Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Permalink,Post type,Views,Reach,Reactions,Comments,Shares',
          '122150000000000001,61570000000001,Example Page,,Launch day!,,02/13/2025 09:05,https://www.facebook.com/x,Photo,1520,1100,42,5,3',
          '122150000000000002,61570000000002,Other Page,,Hello,,02/14/2025 09:05,https://www.facebook.com/y,Photo,100,90,4,1,0',
          '122150000000000003,61570000000001,Example Page,,Again,,02/15/2025 09:05,https://www.facebook.com/z,Photo,100,90,4,1,0',
        ].join('\n'),
      );
      const r = await report([file]);
      expect(r.account).toMatchObject({ id: null, handle: null, displayName: null });
      expect(r.input.availability['account']).toBe('The rows name more than one account (Example Page, Other Page, …).');
      expect(r.input.warnings).toContain('The rows name more than one account (Example Page, Other Page, …). They are counted as one account, named by none.');
    });
  });
});

describe('every output names the account, never by its path', () => {
  it('a .car: its profile name with the DID', async () => {
    const n = await namesOf([path.join('fixtures', 'bluesky-car/repo.car')]);
    expect(n.table).toBe(`engage-audit · Mira Holloway (${DID})`);
    expect(n.markdown).toBe(`# Engagement audit: Mira Holloway (${DID})`);
    expect(n.h1).toBe(`Engagement audit: Mira Holloway <span class="muted">(${DID})</span>`);
    expect(n.title).toBe(`Engagement audit: Mira Holloway (${DID})`);
    expect(n.csv).toMatchObject({ handle: '', display_name: 'Mira Holloway', account: 'Mira Holloway', account_id: DID });
  });

  it('an account with a handle keeps "@handle (name)"', async () => {
    const n = await namesOf([path.join('fixtures', 'instagram/export')]);
    expect(n.table).toBe('engage-audit · @lumen.ceramics (Lumen Céramique)');
    expect(n.csv).toMatchObject({ handle: 'lumen.ceramics', account: 'lumen.ceramics', account_id: '' });
  });

  it('an unnamed account: "(unnamed <platform> account)", or "(unnamed account)" when the platform is unknown', async () => {
    await withTempDir(async (dir) => {
      await mkdir(path.join(dir, path.dirname(FB_POSTS)), { recursive: true });
      await cp(path.join(FIXTURES, 'facebook/your-posts', FB_POSTS), path.join(dir, FB_POSTS));
      const n = await namesOf([dir]);
      expect(n.table).toBe('engage-audit · (unnamed Facebook account)');
      expect(n.markdown).toBe('# Engagement audit: (unnamed Facebook account)');
      expect(n.h1).toBe('Engagement audit: (unnamed Facebook account)');
      expect(n.title).toBe('Engagement audit: (unnamed Facebook account)');
      expect(n.csv).toMatchObject({ handle: '', display_name: '', account: '(unnamed Facebook account)', account_id: '' });
    });
    const custom = await namesOf([path.join('fixtures', 'csv/custom.csv'), '--platform', 'csv', '--columns', 'date=when,likes=hearts', '--followers', '850']);
    expect(custom.table).toBe('engage-audit · (unnamed account)');
    expect(custom.csv['account']).toBe('(unnamed account)');
  });

  it('several targets: the summary and the CSV rows name each account', async () => {
    const targets = ['fixtures/bluesky-car/repo.car', 'fixtures/facebook/page-export.csv', 'fixtures/csv/sprout-posts.csv'];
    const csv = await runCli([...targets, '--format', 'csv', '--as-of', '2025-08-31']);
    expect(csv.code, csv.stderr).toBe(0);
    const [head, ...rows] = csv.stdout.trim().split('\r\n');
    const at = head!.split(',').indexOf('account');
    expect(rows.map((r) => r.split(',')[at])).toEqual(['Mira Holloway', 'Harbor Lane Bakery', 'fernway.outdoors']);
    const html = await runCli([...targets, '--format', 'html', '--as-of', '2025-08-31']);
    const summary = /<tbody>(.*?)<\/tbody>/.exec(html.stdout)![1]!;
    const firstCells = [...summary.matchAll(/<tr><td[^>]*><a href="#account-\d+">(.*?)<\/a><\/td>/g)].map((m) => m[1]);
    expect(firstCells).toEqual(['Mira Holloway', 'Harbor Lane Bakery', 'fernway.outdoors']);
    const table = await runCli([...targets, '--as-of', '2025-08-31']);
    for (const t of targets) expect(table.stdout).not.toMatch(new RegExp(`│ ${t.replace(/[./]/g, '\\$&')}`));
  });

  it('inspect names it the same way', async () => {
    const r = await runCli(['inspect', path.join('fixtures', 'linkedin/export')]);
    expect(r.stdout).toContain('\nAccount: Maren Ostrander\n');
    const car = await runCli(['inspect', path.join('fixtures', 'bluesky-car/repo.car')]);
    expect(car.stdout).toContain(`\nAccount: Mira Holloway (${DID})\n`);
  });
});
