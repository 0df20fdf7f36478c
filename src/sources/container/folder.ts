/** An extracted folder, walked for its files. */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Container } from './entries.js';

/** Lists files below a folder (media folders are skipped: they hold nothing the audit reads). */
export async function openFolder(dir: string, label = dir, recursive = true): Promise<Container> {
  const names: string[] = [];
  const sizes = new Map<string, number>();
  async function walk(rel: string, depth: number): Promise<void> {
    if (depth > 6) return;
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!recursive || /media$/i.test(e.name) || e.name === 'node_modules' || e.name.startsWith('.')) continue;
        await walk(name, depth + 1);
      } else if (e.isFile()) {
        names.push(name);
      }
    }
  }
  await walk('', 0);
  return {
    kind: 'folder',
    label,
    names,
    size: (name) => sizes.get(name) ?? null,
    open: async (name) => {
      const full = path.join(dir, name);
      const s = await stat(full);
      sizes.set(name, s.size);
      return createReadStream(full, { highWaterMark: 1 << 20 });
    },
    close: () => undefined,
    reopen: { kind: 'folder', dir, label, recursive },
  };
}

