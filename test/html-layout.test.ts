/**
 * The HTML report as a browser lays it out (headless Chromium over the DevTools protocol): layout facts,
 * not pixels, at 1280, 400 and 360 px and in print, for the sample X archive and the Mastodon archive
 * (docs/reports.md "HTML report"). One browser for every check. `.ci/run` installs Chromium when missing.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, withPage, type Page } from './browser/chromium.js';
import { runCli, withTempDir } from './helpers.js';

const CASES = {
  x: ['fixtures/x-archive/sample-2022.zip', '--as-of', '2025-05-31'],
  mastodon: ['fixtures/mastodon-archive/sample', '--as-of', '2025-08-31'],
} as const;
const WIDTHS = [1280, 400, 360] as const;

/**
 * Measured in the page: sideways scroll; chart text under 12 px; numbers whose "%" sits on another line
 * than the number; overlapping month labels; repeated axis ticks; in print, scrolling containers that
 * clip, cards that may be cut and colours the printer may drop.
 */
const MEASURE = `(() => {
  const root = document.scrollingElement;
  const visible = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect(); return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0; };
  const small = [];
  for (const el of document.querySelectorAll('[role=img], [role=img] *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    // An SVG's text is scaled with its drawing: its size on screen is the font size times that scale.
    const scale = el.ownerSVGElement && el.getScreenCTM ? el.getScreenCTM().a : 1;
    const size = parseFloat(getComputedStyle(el).fontSize) * scale;
    if (own && el.tagName !== 'title' && visible(el) && size < 12) small.push(el.textContent.trim().slice(0, 40) + ' ' + size.toFixed(1) + 'px');
  }
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (const m of n.textContent.matchAll(/[0-9.,]+[ \\u00a0]?%/g)) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  const overlaps = [];
  for (const months of document.querySelectorAll('.months')) {
    const boxes = [...months.children].filter((s) => s.textContent !== '' && visible(s)).map((s) => {
      const r = document.createRange(); r.selectNodeContents(s); const b = r.getBoundingClientRect(); return { t: s.textContent, l: b.left, r: b.right };
    });
    for (let i = 1; i < boxes.length; i++) if (boxes[i].l < boxes[i - 1].r) overlaps.push(boxes[i - 1].t + '/' + boxes[i].t);
  }
  const ticks = [...document.querySelectorAll('.plot')].map((p) => [...p.querySelectorAll('.tick span')].map((s) => s.textContent));
  const clipped = [...document.querySelectorAll('*')].filter((el) => { const s = getComputedStyle(el); return /auto|scroll|hidden/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1 && !el.matches('.bar'); }).map((el) => el.className);
  const cards = [...document.querySelectorAll('.card')].map((c) => getComputedStyle(c).breakInside);
  const colours = [...document.querySelectorAll('.bar i, .col i, .htrack i')].map((el) => getComputedStyle(el).printColorAdjust);
  return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, small, broken, overlaps, ticks, clipped, cards, colours };
})()`;

interface Measure {
  scrollWidth: number;
  clientWidth: number;
  small: string[];
  broken: string[];
  overlaps: string[];
  ticks: string[][];
  clipped: string[];
  cards: string[];
  colours: string[];
}

describe.skipIf(CHROMIUM === null && process.env['CI'] === undefined)('HTML report layout in headless Chromium', () => {
  const measured = new Map<string, Measure>();

  beforeAll(async () => {
    await withTempDir(async (dir) => {
      await withPage(async (page: Page) => {
        for (const [name, args] of Object.entries(CASES)) {
          const file = path.join(dir, `${name}.html`);
          const r = await runCli([...args, '--format', 'html']);
          expect(r.code).toBe(0);
          await writeFile(file, r.stdout);
          await page.open(file);
          for (const width of WIDTHS) {
            await page.resize(width);
            measured.set(`${name} ${width}`, await page.evaluate<Measure>(MEASURE));
          }
          // A4 or Letter less 12 mm margins is about 700 CSS pixels wide.
          await page.resize(700);
          await page.media('print');
          measured.set(`${name} print`, await page.evaluate<Measure>(MEASURE));
          await page.media('screen');
        }
      });
    });
  }, 60_000);
  afterAll(() => measured.clear());

  const each = Object.keys(CASES).flatMap((name) => WIDTHS.map((width) => `${name} ${width}`));

  it.each(each)('%s px: the page does not scroll sideways', (key) => {
    const m = measured.get(key)!;
    expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
  });

  it.each(each)('%s px: chart text is 12 px or more, month labels do not overlap', (key) => {
    const m = measured.get(key)!;
    expect(m.small).toEqual([]);
    expect(m.overlaps).toEqual([]);
  });

  it.each(each)('%s px: no number is parted from its "%"', (key) => {
    expect(measured.get(key)!.broken).toEqual([]);
  });

  it.each(each)('%s px: axis ticks are distinct', (key) => {
    const m = measured.get(key)!;
    expect(m.ticks.length).toBeGreaterThan(0);
    for (const ticks of m.ticks) {
      expect(ticks.length).toBeGreaterThanOrEqual(2);
      expect(new Set(ticks).size).toBe(ticks.length);
    }
  });

  it.each(Object.keys(CASES))('%s in print: nothing scrolls or clips, cards are not cut, chart colours print', (name) => {
    const m = measured.get(`${name} print`)!;
    expect(m.scrollWidth).toBeLessThanOrEqual(m.clientWidth);
    expect(m.clipped).toEqual([]);
    expect(m.cards.length).toBeGreaterThan(5);
    expect(new Set(m.cards)).toEqual(new Set(['avoid']));
    expect(m.colours.length).toBeGreaterThan(5);
    expect(new Set(m.colours)).toEqual(new Set(['exact']));
  });
});
