/**
 * The side-by-side summary of several accounts (docs/reports.md "Several accounts"): one column list
 * for every format. Each column gives the text the report prints (the same helpers and units as the
 * single report) and, for the HTML page's sorting, the value behind it: a number, a text, or null for
 * n/a.
 */
import type { Report } from '../model/report.js';
import { coveragePercent } from '../report/scores.js';
import { accountName, int, NA, pct, PLATFORM_NAMES, rate } from './format.js';
import { KEY_METRIC_LABELS as L } from './view.js';

export interface SummaryColumn {
  /** The column's name in `#sort=<key>-asc|desc`. */
  key: string;
  /** The terminal's and Markdown's narrow head, and the HTML page's head in the report's words. */
  short: string;
  label: string;
  numeric: boolean;
  /** Only on the HTML page (the terminal summary fits 80 columns). */
  htmlOnly?: true;
  text: (r: Report) => string;
  value: (r: Report) => number | string | null;
}

/** The overall score, or n/a with the partial score of a report that covers too little of the weight. */
export function scoreText(r: Report): string {
  const { overall, partial } = r.scores;
  return overall !== null ? String(overall) : partial !== null ? `${NA} (partial ${partial})` : NA;
}

export const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { key: 'account', short: 'Account', label: 'Account', numeric: false, text: (r) => accountName(r.account, r.input.platform).name, value: (r) => accountName(r.account, r.input.platform).name.replace(/^@/, '').toLowerCase() },
  { key: 'platform', short: 'Platform', label: 'Platform', numeric: false, htmlOnly: true, text: (r) => PLATFORM_NAMES[r.input.platform] ?? r.input.platform, value: (r) => PLATFORM_NAMES[r.input.platform] ?? r.input.platform },
  { key: 'posts', short: 'Posts', label: 'Posts', numeric: true, text: (r) => int(r.window.posts), value: (r) => r.window.posts },
  { key: 'followers', short: 'Followers', label: 'Followers', numeric: true, htmlOnly: true, text: (r) => int(r.metrics.audience.followers), value: (r) => r.metrics.audience.followers },
  { key: 'engagement', short: 'ER/post', label: L.engagementRate, numeric: true, text: (r) => rate(r.metrics.engagement.ratePerPostMean), value: (r) => r.metrics.engagement.ratePerPostMean },
  { key: 'replies', short: 'Replies', label: L.replyShare, numeric: true, text: (r) => pct(r.metrics.mix.replyShare), value: (r) => r.metrics.mix.replyShare },
  { key: 'give', short: 'Give', label: L.giveShare, numeric: true, text: (r) => pct(r.metrics.reciprocity.giveShare), value: (r) => r.metrics.reciprocity.giveShare },
  { key: 'role', short: 'Role', label: 'Role', numeric: false, text: (r) => r.role.label, value: (r) => r.role.label },
  // A score from too little of the weight is no score: it sorts with the n/a, its partial value shown as such.
  { key: 'score', short: 'Score', label: 'Overall score', numeric: true, text: scoreText, value: (r) => r.scores.overall },
  { key: 'measured', short: 'Measured', label: 'Measured', numeric: true, text: (r) => coveragePercent(r.scores.coverage), value: (r) => r.scores.coverage },
];

/** The columns of the terminal and Markdown summaries. */
export const TEXT_COLUMNS = SUMMARY_COLUMNS.filter((c) => !c.htmlOnly);
