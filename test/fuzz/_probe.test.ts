import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'vitest';
import { FIXTURES, runCli, withTempDir } from '../helpers.js';

async function variant(fixture: string, file: string, fn: (t: string) => string, args: string[] = []) {
  return withTempDir(async (tmp) => {
    const dir = path.join(tmp, 'x');
    await cp(path.join(FIXTURES, fixture), dir, { recursive: true });
    const f = path.join(dir, file);
    await writeFile(f, fn(await readFile(f, 'utf8')));
    const r = await runCli([dir, '--json', ...args]);
    return { code: r.code, err: r.stderr.slice(0, 300), out: r.stdout.slice(0, 100) };
  });
}
it('probe', async () => {
  console.log('mastodon actor', await variant('mastodon-archive/sample', 'actor.json', (t) => t.replace('"id": "https://social.example/users/dana"', '"id": "dana"')));
  console.log('fb ts', await variant('facebook/your-posts', 'your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json', (t) => t.replace(/"timestamp": ?\d+/, '"timestamp": 1e300')));
  console.log('ig ts', await variant('instagram/export', 'your_instagram_activity/content/posts_1.json', (t) => t.replace(/"creation_timestamp": ?\d+/, '"creation_timestamp": 1e300')));
  console.log('masto likes', await variant('mastodon-archive/sample', 'outbox.json', (t) => t.replace(/"totalItems": ?\d+/g, '"totalItems": 1e308')));
  const ds = JSON.parse(await readFile(path.join(FIXTURES, 'hostile/dataset.json'), 'utf8'));
  for (const [name, mut] of [
    ['createdAt', (d: any) => { d.posts[0].createdAt = 'garbage'; }],
    ['likes huge', (d: any) => { for (const p of d.posts) p.metrics.likes = 1e308; }],
    ['followers huge', (d: any) => { d.account.followers = 1e308; }],
    ['asOf', (d: any) => { d.asOf = 'nope'; }],
  ] as const) {
    const d = structuredClone(ds); (mut as any)(d);
    await withTempDir(async (tmp) => {
      const f = path.join(tmp, 'd.json'); await writeFile(f, JSON.stringify(d));
      const r = await runCli([f, '--json']);
      console.log('dataset', name, r.code, r.stderr.slice(0, 300), r.stdout.slice(0, 80));
      const t = await runCli([f]);
      console.log('dataset table', name, t.code, /NaN|Infinity/.test(t.stdout), t.stderr.slice(0, 200));
    });
  }
});
