/**
 * Messages a CI log depends on: with several targets each error line names its target; the summary
 * names a target once even when its name carries control characters; a long rate-limit wait is said
 * on a non-terminal standard error without --verbose.
 */
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startProgress } from '../src/cli/progress.js';
import { EngageAuditError, errorText } from '../src/errors.js';
import type { Io } from '../src/cli/io.js';
import { runCli, withTempDir } from './helpers.js';

describe('errors of several targets name their target', () => {
  it('errorText adds the target only when the message does not name it', () => {
    const bare = new EngageAuditError('NETWORK', 'GET host/path: not asked again after 3 failures');
    expect(errorText(bare, '@hang0.test')).toBe(`engage-audit: @hang0.test: GET host/path: not asked again after 3 failures\n  hint: ${bare.hint}\n`);
    const named = new EngageAuditError('TARGET_NOT_FOUND', 'gone.zip: no such file or folder');
    expect(errorText(named, 'gone.zip')).toBe(`engage-audit: gone.zip: no such file or folder\n  hint: ${named.hint}\n`);
    expect(errorText(bare)).toBe(`engage-audit: GET host/path: not asked again after 3 failures\n  hint: ${bare.hint}\n`);
  });

  it('two failing targets with the same kind of error: each stderr line and each summary row names its own, once', async () => {
    await withTempDir(async (dir) => {
      // Two files that are not exports: the same error text but for the name.
      await writeFile(path.join(dir, 'a.txt'), 'hello\n');
      await writeFile(path.join(dir, 'b\x1b[2J.txt'), 'hello\n');
      const r = await runCli(['a.txt', 'b\x1b[2J.txt', '--format', 'markdown'], { cwd: dir });
      expect(r.code).toBe(3);
      const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('engage-audit: '));
      expect(errorLines.filter((l) => l.includes('a.txt'))).toHaveLength(1);
      expect(errorLines.filter((l) => l.includes('b\uFFFD.txt'))).toHaveLength(1);
      // The summary row of the control-character name holds the name once, not twice.
      const row = r.stdout.split('\n').find((l) => l.includes('b\uFFFD.txt'))!;
      expect(row.split('b\uFFFD.txt')).toHaveLength(2);
    });
  });
});

describe('a long rate-limit wait is said without --verbose', () => {
  function recorder(): { io: Io; text: () => string } {
    let err = '';
    return {
      io: { stdout: () => undefined, stderr: (t) => void (err += t), env: {}, cwd: '/', isTTY: false, stderrIsTTY: false },
      text: () => err,
    };
  }
  it('10 s or more: one line; shorter waits, pages and threads: nothing', async () => {
    const r = recorder();
    const p = await startProgress(r.io, '@a.test');
    p.event({ type: 'wait', ms: 9_999, url: 'h/p' });
    p.event({ type: 'page', pages: 1, posts: 40 });
    p.event({ type: 'threads', done: 1, total: 1 });
    expect(r.text()).toBe('');
    p.event({ type: 'wait', ms: 12_000, url: 'h/p' });
    expect(r.text()).toBe('engage-audit: @a.test: rate limited: waiting 12 s\n');
  });
});
