/**
 * Hardening (SECURITY.md): zip bombs stop early, tokens never leak into any output or file, `--redact`
 * hides other people's handles everywhere, and e-mail addresses in exports are never read.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';
import { afterEach, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './support/api-server.js';
import { WHOLE_FILE_LIMIT } from '../src/sources/index.js';
import { FIXTURES, ROOT, runCli, withTempDir } from './helpers.js';

let server: ApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.(com|org|net|test)\b/;

describe('zip bombs', () => {
  it('an entry that would inflate 1000-fold is refused before it is read', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'bomb.zip');
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.from('window.YTD.account.part0 = [ ]'), 'data/account.js');
      zip.addBuffer(Buffer.alloc(64 << 20, 0x20), 'data/tweets.js'); // 64 MB of spaces deflate to ~64 KB
      zip.end();
      const out = createWriteStream(file);
      zip.outputStream.pipe(out);
      await once(out, 'finish');
      const started = Date.now();
      const r = await runCli([file]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/bomb\.zip: data\/tweets\.js would unpack \d+ times its size: refused as a possible zip bomb/);
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });
});

describe('tar.gz archives (older Mastodon exports)', () => {
  const SAMPLE = path.join(FIXTURES, 'mastodon-archive/sample');

  /** A tar.gz in the order Mastodon writes it: media first, then outbox.json, likes.json, actor.json last. */
  async function mastodonTarGz(file: string, media: Buffer): Promise<void> {
    const pack = tar.pack();
    pack.entry({ name: 'media_attachments/files/113/900/000/original/clip.mp4', size: media.length }, media);
    for (const name of ['outbox.json', 'likes.json', 'following_accounts.csv', 'actor.json']) {
      const content = await readFile(path.join(SAMPLE, name));
      pack.entry({ name, size: content.length }, content);
    }
    pack.finalize();
    const raw: Buffer[] = [];
    for await (const c of pack as unknown as AsyncIterable<Buffer>) raw.push(c);
    await writeFile(file, gzipSync(Buffer.concat(raw)));
  }

  it('a 16 MB zero-filled media entry (16 KB packed) is refused as a bomb; the same archive with media that do not compress reads as the folder does', async () => {
    await withTempDir(async (dir) => {
      const report = async (target: string) => {
        const r = await runCli([target, '--json', '--as-of', '2025-06-30']);
        expect(r.code, r.stderr).toBe(0);
        const json = JSON.parse(r.stdout);
        json.input.target = '';
        return json;
      };
      const genuine = path.join(dir, 'genuine.tar.gz');
      await mastodonTarGz(genuine, randomBytes(6 << 20));
      expect(await report(genuine)).toEqual(await report(SAMPLE));

      const zeros = path.join(dir, 'zeros.tar.gz');
      await mastodonTarGz(zeros, Buffer.alloc(16 << 20));
      const r = await runCli([zeros]);
      expect(r.code).toBe(3);
      expect(r.stderr.trimEnd().split('\n')).toEqual([
        `engage-audit: ${zeros}: unpacks to more than 200 times its size: refused as a possible archive bomb (limits in SECURITY.md)`,
        '  hint: If the archive is genuine, raise the limit in the config file (limits).',
      ]);
    });
  });

  it('the config file\u2019s limits.entries holds for a tar.gz as for a zip', async () => {
    await withTempDir(async (dir) => {
      const config = path.join(dir, 'limits.json');
      await writeFile(config, JSON.stringify({ limits: { entries: 3 } }));
      const tarGz = path.join(FIXTURES, 'mastodon-archive/sample.tar.gz');
      expect((await runCli([tarGz, '--json'])).code).toBe(0);
      const r = await runCli([tarGz, '--config', config]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`${tarGz}: more than 3 entries: refused as a possible archive bomb`);
      const zip = await runCli([path.join(FIXTURES, 'mastodon-archive/sample.zip'), '--config', config]);
      expect(zip.stderr).toContain('more than 3 entries: refused as a possible zip bomb');
    });
  });
});

describe('standard input', () => {
  // The real bin, in a child process, its peak memory reported on a spare descriptor as it exits.
  it('endless bytes on standard input: exit 3 naming the limit once it is passed, no stack trace, memory bounded by the limit', async () => {
    await withTempDir(async (dir) => {
      const probe = path.join(dir, 'probe.mjs');
      await writeFile(probe, `import { writeSync } from 'node:fs';\nprocess.on('exit', () => { try { writeSync(3, String(process.resourceUsage().maxRSS * 1024)); } catch {} });\n`);
      const child = spawn(process.execPath, ['--import', pathToFileURL(probe).href, path.join(ROOT, 'bin/engage-audit.js'), '-', '--json'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
      const stderr: Buffer[] = [];
      let peak = '';
      child.stderr!.on('data', (d: Buffer) => stderr.push(d));
      (child.stdio[3] as Readable).on('data', (d: Buffer) => (peak += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const closed = once(child, 'close') as Promise<[number | null]>;
      // Zeros, 1 MB at a time, for as long as the child reads them.
      let written = 0;
      let open = true;
      child.stdin!.on('error', () => (open = false));
      child.stdin!.on('close', () => (open = false));
      const zeros = Buffer.alloc(1 << 20);
      while (open && child.exitCode === null) {
        written += zeros.length;
        if (!child.stdin!.write(zeros)) await Promise.race([once(child.stdin!, 'drain').catch(() => undefined), closed]);
      }
      const [code] = await closed;
      clearTimeout(timer);
      const text = Buffer.concat(stderr).toString();
      expect(code, text).toBe(3);
      const lines = text.trimEnd().split('\n');
      expect(lines, text).toHaveLength(2);
      expect(lines[0]).toBe('engage-audit: standard input: more than 512 MB, more than a saved dataset can be (512 MB)');
      expect(lines[1]).toMatch(/^ {2}hint: /);
      // It stopped reading at the limit (what a pipe and a stream hold ahead aside) ...
      expect(written).toBeGreaterThan(WHOLE_FILE_LIMIT);
      expect(written).toBeLessThan(WHOLE_FILE_LIMIT + (16 << 20));
      // ... and held no more than that: the limit's bytes and the runtime.
      expect(Number(peak)).toBeGreaterThan(0);
      expect(Number(peak)).toBeLessThan(WHOLE_FILE_LIMIT + (256 << 20));
    });
  }, 90_000);
});

describe('secrets', () => {
  const X = 'SENTINEL-x-bearer-7c1f2e';
  const M = 'SENTINEL-mastodon-9a8b7c';

  it('no error path, log line, dataset or report shows X_BEARER_TOKEN or MASTODON_TOKEN', async () => {
    const seen: string[] = [];
    server = await startApiServer({
      faults: [
        (r) => {
          seen.push(String(r.headers['authorization']));
          // A server that echoes the credentials back in its error body, the worst case.
          const echo = JSON.stringify({ error: `bad credentials: ${r.headers['authorization']}`, title: `token ${r.headers['authorization']}` });
          if (r.path.startsWith('/2/')) return { status: r.count === 1 ? 500 : 401, body: echo };
          if (r.path.includes('/accounts/lookup')) return { status: 401, body: echo };
          return { status: 404, body: echo };
        },
      ],
    });
    const env = { X_BEARER_TOKEN: X, MASTODON_TOKEN: M, MASTODON_INSTANCE: 'social.example', SOURCE_DATE_EPOCH: '0' };
    await withTempDir(async (dir) => {
      const runs = [
        await runCli(['x:@someone', '--api-base', server!.url, '--verbose', '-o', path.join(dir, 'x.json'), '--json'], { env }),
        await runCli(['@bob@social.example', '--api-base', server!.url, '--verbose', '--format', 'html', '-o', path.join(dir, 'm.html')], { env }),
        await runCli(['pull', '@bob@social.example', '--api-base', server!.url, '--verbose', '-o', path.join(dir, 'm-dataset.json')], { env }),
      ];
      for (const r of runs) {
        expect(r.code).toBe(4);
        expect(r.stdout + r.stderr).not.toContain(X);
        expect(r.stdout + r.stderr).not.toContain(M);
        expect(r.stdout + r.stderr).not.toContain(X.slice(9)); // no part of it either
      }
      for (const f of await readdir(dir)) {
        const text = await readFile(path.join(dir, f), 'utf8');
        expect(text).not.toContain(X);
        expect(text).not.toContain(M);
      }
    });
    // The test means something only if the tokens were really sent.
    expect(seen).toContain(`Bearer ${X}`);
    expect(seen).toContain(`Bearer ${M}`);
  });

  it('a successful pull saves no token in the dataset or the report', async () => {
    server = await startApiServer({ platform: 'x', root: path.join(FIXTURES, 'api/x/carol'), token: 'SENTINEL-ok-token-55aa' });
    await withTempDir(async (dir) => {
      const env = { X_BEARER_TOKEN: 'SENTINEL-ok-token-55aa' };
      const pulled = await runCli(['pull', 'x:@carol_codes', '--api-base', server!.url, '--verbose', '-o', path.join(dir, 'd.json')], { env });
      expect(pulled.code).toBe(0);
      const report = await runCli([path.join(dir, 'd.json'), '--json', '--posts-csv', path.join(dir, 'posts.csv')], { env });
      expect(report.code).toBe(0);
      for (const text of [pulled.stderr, report.stdout, await readFile(path.join(dir, 'd.json'), 'utf8'), await readFile(path.join(dir, 'posts.csv'), 'utf8')]) {
        expect(text).not.toContain('SENTINEL-ok-token-55aa');
      }
    });
  });
});

describe('privacy', () => {
  it('--redact replaces other accounts in every output, keeping the account itself', async () => {
    server = await startApiServer({ platform: 'mastodon', root: path.join(FIXTURES, 'api/mastodon/bob') });
    const plain = JSON.parse((await runCli(['@bob@social.example', '--api-base', server.url, '--json'])).stdout);
    const others: string[] = [...plain.topInteractors.outbound, ...plain.topInteractors.inbound].map((t: { account: string }) => t.account);
    expect(others.length).toBeGreaterThan(3);
    await withTempDir(async (dir) => {
      const outputs = [
        (await runCli(['@bob@social.example', '--api-base', server!.url, '--json', '--redact'])).stdout,
        (await runCli(['@bob@social.example', '--api-base', server!.url, '--format', 'html', '--redact'])).stdout,
        (await runCli(['@bob@social.example', '--api-base', server!.url, '--redact', '--posts-csv', path.join(dir, 'p.csv'), '--format', 'markdown'])).stdout,
        await readFile(path.join(dir, 'p.csv'), 'utf8'),
      ];
      await runCli(['pull', '@bob@social.example', '--api-base', server!.url, '--redact', '-o', path.join(dir, 'd.json')]);
      outputs.push(await readFile(path.join(dir, 'd.json'), 'utf8'));
      for (const text of outputs) {
        for (const handle of others) expect(text.toLowerCase(), handle).not.toContain(handle.split('@')[0]!.toLowerCase() + '@');
      }
      const redacted = JSON.parse(outputs[0]!);
      expect(redacted.account.handle).toBe('bob@social.example');
      // Stable: the same person has the same pseudonym in two runs; counts are unchanged.
      const again = JSON.parse((await runCli(['@bob@social.example', '--api-base', server!.url, '--json', '--redact'])).stdout);
      expect(again.topInteractors).toEqual(redacted.topInteractors);
      expect(redacted.topInteractors.outbound.map((t: { count: number }) => t.count)).toEqual(plain.topInteractors.outbound.map((t: { count: number }) => t.count));
      expect(redacted.metrics).toEqual(plain.metrics);
    });
  });

  // Bluesky addresses (at://did:…, bsky.app/profile/handle/…) name their authors; Mastodon's API
  // gives instance ids, which do not.
  for (const [platform, dir, target, addressesName] of [
    ['bluesky', 'api/bluesky/alice', '@alice.bsky.social', true],
    ['mastodon', 'api/mastodon/bob', '@bob@social.example', false],
  ] as const) {
    it(`${platform}: pull --redact and --posts-csv --redact name no other account, not even inside ids and addresses`, async () => {
      server = await startApiServer({ platform, root: path.join(FIXTURES, dir) });
      await withTempDir(async (tmp) => {
        const plainFile = path.join(tmp, 'plain.json');
        const redactedFile = path.join(tmp, 'redacted.json');
        const csvFile = path.join(tmp, 'posts.csv');
        expect((await runCli(['pull', target, '--api-base', server!.url, '-o', plainFile])).code).toBe(0);
        expect((await runCli(['pull', target, '--api-base', server!.url, '--redact', '-o', redactedFile])).code).toBe(0);
        expect((await runCli([target, '--api-base', server!.url, '--redact', '--posts-csv', csvFile, '--json'])).code).toBe(0);
        // Every other account the plain dataset names, by id and by handle (from the dataset itself).
        const plain = JSON.parse(await readFile(plainFile, 'utf8')) as {
          account: { id: string; handle: string };
          posts: Array<{ kind: string; target?: { id?: string; handle?: string }; mentions: Array<{ id?: string; handle?: string }>; url?: string; targetPostId?: string }>;
          interactions: Array<{ actor: string; parentActor?: string }> | null;
        };
        const self = [plain.account.id, plain.account.handle.toLowerCase()];
        const names = new Set<string>();
        for (const p of plain.posts) {
          for (const r of [...(p.target ? [p.target] : []), ...p.mentions]) for (const n of [r.id, r.handle]) if (n) names.add(n.toLowerCase());
        }
        for (const i of plain.interactions ?? []) for (const n of [i.actor, i.parentActor]) if (n) names.add(n.toLowerCase());
        for (const n of self) names.delete(n);
        expect(names.size).toBeGreaterThan(5);
        // Where the plain dataset carries them inside addresses, the redacted one must not.
        const addresses = plain.posts.flatMap((p) => [p.url, p.targetPostId]).filter((a): a is string => a !== undefined).join(' ').toLowerCase();
        expect([...names].some((n) => addresses.includes(n.split('@')[0]!))).toBe(addressesName);
        const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        for (const file of [redactedFile, csvFile]) {
          const text = (await readFile(file, 'utf8')).toLowerCase();
          for (const n of names) {
            // the whole name, or a Mastodon handle's user part as URLs write it (/@bob, /users/bob, bob@)
            const user = escape(n.split('@')[0]!);
            const pattern = new RegExp(`(^|[^a-z0-9_.:-])(${escape(n)}|@${user}|users/${user})([^a-z0-9_.-]|$)|(^|[^a-z0-9_.-])${user}@`);
            expect(pattern.test(text), `${path.basename(file)} names ${n}`).toBe(false);
          }
        }
        // Stand-ins are stable: the redacted dataset audits to the same metrics as the plain one.
        const metricsOf = async (file: string) => JSON.parse((await runCli([file, '--json', '--as-of', '2025-06-30'])).stdout).metrics;
        expect(await metricsOf(redactedFile)).toEqual(await metricsOf(plainFile));
      });
    });
  }

  it('exports: pull --redact and --posts-csv --redact keep no address of another post (LinkedIn comment ids are made from them)', async () => {
    await withTempDir(async (tmp) => {
      for (const target of ['fixtures/linkedin/export', 'fixtures/mastodon-archive/sample', 'fixtures/x-archive/sample-2022.zip']) {
        const plain = JSON.parse((await runCli(['pull', target, '--quiet'])).stdout) as { posts: Array<{ targetPostId?: string }> };
        const others = plain.posts.filter((p) => p.targetPostId !== undefined).map((p) => p.targetPostId!);
        expect(others.length, target).toBeGreaterThan(0);
        const csv = path.join(tmp, `${path.basename(target)}.csv`);
        const redacted = (await runCli(['pull', target, '--quiet', '--redact'])).stdout;
        expect((await runCli([target, '--json', '--redact', '--posts-csv', csv])).code).toBe(0);
        const rows = await readFile(csv, 'utf8');
        const saved = JSON.parse(redacted) as { posts: Array<{ targetPostId?: string; kind: string }> };
        // a thread continues the account's own post, whose address may stay; every other one goes
        const own = saved.posts.filter((p) => p.kind === 'thread').map((p) => p.targetPostId);
        for (const address of others) {
          if (own.includes(address)) continue;
          expect(redacted, `${target}: ${address}`).not.toContain(address);
          expect(rows, `${target} (posts CSV): ${address}`).not.toContain(address);
        }
      }
    });
  });

  it('e-mail addresses in exports never reach a dataset or a report', async () => {
    await withTempDir(async (dir) => {
      for (const target of ['fixtures/x-archive/sample-2022.zip', 'fixtures/linkedin/export', 'fixtures/instagram/export']) {
        const file = path.join(dir, `${path.basename(target)}.json`);
        expect((await runCli(['pull', target, '-o', file])).code).toBe(0);
        expect(await readFile(file, 'utf8')).not.toMatch(EMAIL);
        expect((await runCli([target, '--json'])).stdout).not.toMatch(EMAIL);
      }
    });
  });
});
