import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'vitest';
import { FIXTURES, runCli, withTempDir } from '../helpers.js';

it('probe', async () => {
  await withTempDir(async (tmp) => {
    await writeFile(path.join(tmp, 'p.csv'), 'when,text,hearts\n');
    let r = await runCli([path.join(tmp, 'p.csv'), '--json', '--platform', 'csv', '--columns', 'date=when,likes=hearts']);
    const j = JSON.parse(r.stdout || 'null');
    console.log('empty csv', r.code, JSON.stringify(r.stderr), j?.window, j?.account, j?.input?.warnings);
    r = await runCli([path.join(tmp, 'p.csv')]);
    console.log(r.stdout.slice(0, 600));
    const dir = path.join(tmp, 'ig');
    await cp(path.join(FIXTURES, 'instagram/export'), dir, { recursive: true });
    await writeFile(path.join(dir, 'your_instagram_activity/content/posts_1.json'), '{}');
    await writeFile(path.join(dir, 'your_instagram_activity/comments/post_comments_1.json'), '{"x":1}');
    r = await runCli([dir, '--json']);
    const k = JSON.parse(r.stdout || 'null');
    console.log('ig empty', r.code, JSON.stringify(r.stderr), k?.window, k?.account, k?.input?.warnings);
  });
});
