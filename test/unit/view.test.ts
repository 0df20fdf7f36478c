/**
 * The view model of the human reporters (src/reporters/view.ts), on the golden X archive report with
 * its numbers worked by hand, and the tables of Markdown and HTML read back as they print it.
 * Also: list-audits states computed thresholds from the audit's own definition.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { CATEGORIES, CATEGORY_ORDER } from '../../src/model/names.js';
import { reportView } from '../../src/reporters/view.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderHtml } from '../../src/reporters/html.js';
import { renderTable } from '../../src/reporters/table.js';
import { AUDITS } from '../../src/audits/index.js';
import { DEFAULT_CONFIG } from '../../src/model/config.js';
import { listAudits } from '../../src/cli/list-audits.js';
import { ROOT } from '../helpers.js';

const report = JSON.parse(readFileSync(path.join(ROOT, 'test/golden/sample-2022.json'), 'utf8')) as Report;

describe('reportView', () => {
  const view = reportView(report);

  it('lists every category once, in reading order, with its score', () => {
    expect([...CATEGORY_ORDER].sort()).toEqual([...CATEGORIES].sort());
    expect(view.categories).toEqual([
      { name: 'engagement', score: 100 },
      { name: 'conversation', score: 92 },
      { name: 'amplification', score: 100 },
      { name: 'audience', score: 67 },
      { name: 'habits', score: 97 },
    ]);
    expect(view.overall).toBe(92);
    expect(view.coverage).toBe('75 % of the weight measured (not measured: audience-quality, responsiveness, two-way)');
  });

  it('gives the key metrics worked by hand', () => {
    const row = (label: string) => view.metrics.find((m) => m.label === label);
    // 71 likes + 24 reposts over 17 own posts = 5.588 a post; ÷ 12 followers = 46.57 %.
    expect(row('Engagement rate')).toEqual({ label: 'Engagement rate', value: '46.57 %', how: 'per post, by followers, n = 17 own posts, likes + reposts' });
    // 6 replies of 32 posts; 5 reposts + 4 quotes of 32 posts; 20 given, and what was received cannot be
    // weighed without reply counts (docs/metrics.md "What each number needs").
    expect(row('Reply share')?.value).toBe('18.8 %');
    expect(row('Reposts + quotes')?.value).toBe('28.1 %');
    expect(row('Give share')).toEqual({ label: 'Give share', value: 'n/a', how: 'outbound 20 ÷ (outbound + inbound n/a)' });
    expect(row('Followers / following')).toEqual({ label: 'Followers / following', value: '12 / 10', how: 'ratio 1.2' });
    expect(view.lines.find(([label]) => label === 'Follow-back')?.[1]).toBe('30.0 % of followed accounts follow back (3 mutuals ÷ 10 followed)');
  });

  it('is what Markdown, HTML and the terminal print', () => {
    const mdRows = renderMarkdown(report).split('## Key metrics')[1]!.split('\n## ')[0]!.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Metric') && !l.startsWith('| ---'));
    expect(mdRows).toEqual(view.metrics.filter((m) => m.only !== 'html').map((m) => `| ${m.label.replace(/([|*_`[\]<>#])/g, '\\$1')} | ${m.value} | ${m.how} |`));
    const html = renderHtml(report).split('<h2>Key metrics</h2>')[1]!.split('</tbody>')[0]!;
    const htmlLabels = [...html.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(htmlLabels).toEqual(view.metrics.filter((m) => m.only !== 'markdown').map((m) => m.label.replace(/'/g, '&#39;')));
    // Continuation lines of a metric start under its text (17 columns in): joined back, each line is whole.
    const table = renderTable(report, { color: false, width: 120 }).replace(/\n {17}/g, ' ');
    for (const [label, text] of view.lines) expect(table).toContain(`${label.padEnd(17)}${text}`);
    expect(table).toContain(view.categories.map(({ name, score }) => `${name} ${score}`).join(' · '));
  });
});

describe('list-audits', () => {
  it('states computed thresholds by the rule in the audit definition', () => {
    const computed = AUDITS.filter((a) => a.meta.thresholds !== undefined);
    expect(computed.map((a) => a.meta.id)).toEqual(['audience-quality', 'engagement-rate']);
    for (const { meta } of computed) {
      expect(meta.thresholdRule).toBeTypeOf('function');
      expect(listAudits(false)).toContain(`(${meta.thresholdRule!(DEFAULT_CONFIG)})`);
    }
    expect(AUDITS.find((a) => a.meta.id === 'engagement-rate')!.meta.thresholdRule!({ ...DEFAULT_CONFIG, benchmarkFailFactor: 0.25 })).toBe('pass ≥ benchmark of the follower band, fail ≤ 0.25 × benchmark');
  });
});
