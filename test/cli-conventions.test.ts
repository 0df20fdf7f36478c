/**
 * CLI conventions: a mistyped option or option value names what was meant (one line + hint, exit 2),
 * every example in the help runs as documented, and `list-audits --config` states thresholds in units.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, withTempDir } from './helpers.js';

const SAMPLE = 'fixtures/x-archive/sample-2022.zip';

/** A usage error: exactly one message line and one hint line that points at `command`'s help. */
function expectUsage(r: { code: number; stdout: string; stderr: string }, message: RegExp, command: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(/^engage-audit: /);
  expect(lines[0]).toMatch(message);
  expect(lines[1]).toBe(`  hint: Run \`engage-audit ${command} --help\` for the options.`);
}

describe('suggestions', () => {
  it.each([
    [[SAMPLE, '--formt', 'json'], /unknown option '--formt'\. Did you mean --format\?$/, 'audit'],
    [['audit', SAMPLE, '--as-of=2025-05-31', '--quite'], /unknown option '--quite'\. Did you mean --quiet\?$/, 'audit'],
    [['pull', 'x.zip', '--outptu', 'a.json'], /unknown option '--outptu'\. Did you mean --output\?$/, 'pull'],
    [['inspect', SAMPLE, '--jsn'], /unknown option '--jsn'\. Did you mean --json\?$/, 'inspect'],
    [['compare', 'a.json', 'b.json', '--jsno'], /unknown option '--jsno'\. Did you mean --json\?$/, 'compare'],
    [['list-audits', '--confg', 'x.json'], /unknown option '--confg'\. Did you mean --config\?$/, 'list-audits'],
    [['schema', '--jsn'], /unknown option '--jsn'$/, 'schema'], // schema has no option near it: nothing is guessed
  ])('a mistyped option: %j', async (argv, message, command) => {
    expectUsage(await runCli(argv), message, command);
  });

  it.each([
    [[SAMPLE, '--format', 'jsn'], /'jsn' is invalid\. Did you mean json\? Allowed choices are table, json, /, 'audit'],
    [[SAMPLE, '--fail-on', 'wran'], /'wran' is invalid\. Did you mean warn\? Allowed choices are warn, fail, none\.$/, 'audit'],
    [['inspect', SAMPLE, '--platform', 'mastdon'], /'mastdon' is invalid\. Did you mean mastodon\? /, 'inspect'],
    [['schema', 'reprot'], /'reprot' is invalid for argument 'kind'\. Did you mean report\? Allowed choices are report, dataset, config\.$/, 'schema'],
    [['completion', 'bsh'], /'bsh' is invalid for argument 'shell'\. Did you mean bash\? Allowed choices are bash, zsh, fish\.$/, 'completion'],
    [[SAMPLE, '--format', 'pdf'], /'pdf' is invalid\. Allowed choices are /, 'audit'], // nothing near: only the choices
  ])('a mistyped value: %j', async (argv, message, command) => {
    expectUsage(await runCli(argv), message, command);
  });
});

/** The words of an example as the shell would split them (no quoting is used in the examples), up to a `>`. */
const words = (line: string): string[] => line.split('>')[0]!.trim().split(/\s+/);

describe('examples in the help', () => {
  const commands = ['audit', 'pull', 'inspect', 'compare', 'list-audits', 'schema', 'completion'];

  it('every command shows 2 to 4 examples', async () => {
    for (const command of commands) {
      const help = (await runCli([command, '--help'])).stdout;
      const examples = help.split('\n').filter((l) => l.startsWith('  $ engage-audit '));
      expect(examples.length, command).toBeGreaterThanOrEqual(2);
      expect(examples.length, command).toBeLessThanOrEqual(4);
    }
  });

  it('every example that reads no live account runs and exits as documented', async () => {
    await withTempDir(async (dir) => {
      await symlink(FIXTURES, path.join(dir, 'fixtures'));
      let ran = 0;
      for (const command of commands) {
        const lines = (await runCli([command, '--help'])).stdout.split('\n');
        for (const [i, line] of lines.entries()) {
          if (!line.startsWith('  $ engage-audit ')) continue;
          const argv = words(line.slice('  $ engage-audit '.length));
          if (argv.some((w) => w.startsWith('@'))) continue; // a live account: not in tests
          const documented = Number(/\(exits (\d+)\)$/.exec(lines[i + 1] ?? '')?.[1] ?? 0);
          const r = await runCli(argv, { cwd: dir });
          expect(r.code, `${line}\n${r.stderr}`).toBe(documented);
          if (!argv.includes('-o') && documented === 0) expect(r.stdout.length, line).toBeGreaterThan(0);
          ran++;
        }
      }
      expect(ran).toBeGreaterThanOrEqual(14);
    });
  });
});

describe('list-audits --config', () => {
  const config = {
    thresholds: {
      sharing: { pass: 0.15, fail: 0.03 },
      freshness: { pass: 5, fail: 45 },
      cadence: { pass: 10, fail: 40 },
      'follow-ratio': { pass: 1.5, fail: 0.75 },
    },
    benchmarks: { x: 0.002, bluesky: [{ min: 0, max: 1000, value: 0.01 }, { min: 1000, value: 0.005 }] },
  };

  it('states the thresholds the file sets, in units, naming the file', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'rc.json'), JSON.stringify(config));
      const r = await runCli(['list-audits', '--config', 'rc.json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^sharing\s+amplification\s+Sharing others’ posts \(pass ≥ 15 %, fail ≤ 3 %\) \[config\]$/m);
      expect(r.stdout).toMatch(/^freshness\s+habits\s+Freshness \(pass ≤ 5 days, fail ≥ 45 days\) \[config\]$/m);
      expect(r.stdout).toMatch(/^cadence\s+habits\s+Posting cadence \(pass ≤ 10 posts a day, fail ≥ 40 posts a day\) \[config\]$/m);
      expect(r.stdout).toMatch(/^follow-ratio\s+audience\s+Follower \/ following ratio \(pass ≥ 1\.5, fail ≤ 0\.75\) \[config\]$/m);
      // Not in the file: the defaults (0.5 and 0.2), not marked.
      expect(r.stdout).toMatch(/^follow-back\s+audience\s+Follow-back rate \(pass ≥ 50 %, fail ≤ 20 %\)$/m);
      expect(r.stdout).toContain(`as ${path.join(dir, 'rc.json')} sets them`);
      // Benchmarks as rates, as the band table shows them: 0.002 = 0.200 %, bands with their range.
      expect(r.stdout).toMatch(/platform-wide \(median per post, by followers\): x 0\.200 %, .*bluesky 1\.00 % \(0–1k\), 0\.500 % \(1k\+\)/);
      const json = JSON.parse((await runCli(['list-audits', '--config', 'rc.json', '--json'], { cwd: dir })).stdout);
      expect(json.config).toBe(path.join(dir, 'rc.json'));
      const row = (id: string) => json.audits.find((a: { id: string }) => a.id === id);
      expect(row('sharing')).toMatchObject({ thresholds: { pass: 0.15, fail: 0.03 }, unit: 'fraction', fromConfig: true });
      expect(row('freshness')).toMatchObject({ thresholds: { pass: 5, fail: 45 }, unit: 'days', fromConfig: true });
      expect(row('cadence')).toMatchObject({ unit: 'posts per day' });
      expect(row('follow-back')).toMatchObject({ thresholds: { pass: 0.5, fail: 0.2 }, unit: 'fraction', fromConfig: false });
      expect(json.benchmarks.x).toEqual([{ min: 0, value: 0.002 }]);
    });
  });

  it('without a config: the defaults, and the platform-wide benchmarks as rates', async () => {
    const r = await runCli(['list-audits']);
    expect(r.stdout).not.toContain('[config]');
    expect(r.stdout).toMatch(/by followers\): x 0\.035 %, /); // 0.00035, as rate() gives it in the band table
    expect(r.stdout).not.toMatch(/by followers\): x 0\.00035/);
  });

  it('a bad config file fails as it does for audit', async () => {
    await withTempDir(async (dir) => {
      await writeFile(path.join(dir, 'inverted.json'), JSON.stringify({ thresholds: { sharing: { pass: 0.01, fail: 0.4 } } }));
      await writeFile(path.join(dir, 'broken.json'), '{ "thresholds": ');
      await mkdir(path.join(dir, 'x'));
      for (const file of ['inverted.json', 'broken.json', 'missing.json']) {
        const listed = await runCli(['list-audits', '--config', file], { cwd: dir });
        const audited = await runCli([path.join(ROOT, SAMPLE), '--config', file], { cwd: dir });
        expect(listed.code, file).toBe(2);
        expect(listed.stdout).toBe('');
        expect(listed.stderr, file).toBe(audited.stderr);
      }
    });
  });
});
