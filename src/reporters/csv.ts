/**
 * The CSV reporter: one row per audited account under a stable header (docs/reports.md), so rows from
 * many runs stack in one sheet. Shares stay fractions, as in JSON, to 6 decimals; dates are `YYYY-MM-DD`,
 * times ISO 8601 to the second (CSV_UNITS).
 */
import type { Report } from '../model/report.js';
import { csvDate, csvRow, csvTime } from '../lib/csv.js';
import { AUDITS } from '../audits/index.js';
import { COVERAGE_KINDS } from '../model/names.js';
import { accountName, windowFirstDay } from './format.js';
import { AUDIENCE_QUALITY_COLUMNS } from './sections/audience-quality.js';
import { ACTION_CSV_COLUMNS } from './sections/actions.js';

type Column = [name: string, get: (r: Report) => unknown];

const m = (r: Report) => r.metrics;

/** The columns, in order. Adding a column at the end is compatible; renaming one is not. */
export const CSV_COLUMNS: readonly Column[] = [
  ['generated_at', (r) => csvTime(r.generatedAt)],
  ['as_of', (r) => csvDate(r.window.asOf)],
  ['target', (r) => r.input.target],
  ['platform', (r) => r.input.platform],
  ['source', (r) => r.input.source],
  ['complete', (r) => r.input.complete],
  ['handle', (r) => r.account.handle],
  ['display_name', (r) => r.account.displayName],
  // The first day the reports show: for the whole history, the window's first day (the first post).
  ['window_since', (r) => windowFirstDay(r)],
  ['window_until', (r) => csvDate(r.window.until)],
  ['window_days', (r) => r.window.days],
  ['posts', (r) => r.window.posts],
  ['followers', (r) => m(r).audience.followers],
  ['following', (r) => m(r).audience.following],
  ['follow_ratio', (r) => m(r).audience.followRatio],
  ['mutuals', (r) => m(r).audience.mutuals],
  ['follow_back_rate', (r) => m(r).audience.followBackRate],
  ['original', (r) => m(r).mix.original],
  ['thread', (r) => m(r).mix.thread],
  ['reply', (r) => m(r).mix.reply],
  ['repost', (r) => m(r).mix.repost],
  ['quote', (r) => m(r).mix.quote],
  ['broadcast_share', (r) => m(r).mix.broadcastShare],
  ['reply_share', (r) => m(r).mix.replyShare],
  ['repost_share', (r) => m(r).mix.repostShare],
  ['quote_share', (r) => m(r).mix.quoteShare],
  ['own_posts', (r) => m(r).engagement.posts],
  ['engagement_counted', (r) => m(r).engagement.counted.join('+')],
  ['engagements', (r) => m(r).engagement.total],
  ['engagements_per_post_mean', (r) => m(r).engagement.perPostMean],
  ['engagements_per_post_median', (r) => m(r).engagement.perPostMedian],
  ['engagement_rate', (r) => m(r).engagement.ratePerPostMean],
  ['engagement_rate_median', (r) => m(r).engagement.ratePerPostMedian],
  ['rate_by_impressions', (r) => m(r).engagement.rateByImpressions],
  ['engaged_audience', (r) => m(r).engagement.engagedAudience.accounts],
  ['outbound', (r) => m(r).reciprocity.outbound],
  ['inbound', (r) => m(r).reciprocity.inbound],
  ['give_share', (r) => m(r).reciprocity.giveShare],
  ['response_ratio', (r) => m(r).reciprocity.responseRatio],
  ['likes_given', (r) => m(r).reciprocity.likesGiven],
  ['response_rate', (r) => m(r).responsiveness.responseRate],
  ['median_response_minutes', (r) => m(r).responsiveness.medianResponseMinutes],
  ['l1', (r) => m(r).layers.l1],
  ['two_way', (r) => m(r).layers.twoWay],
  ['l2', (r) => m(r).layers.l2],
  ['l3', (r) => m(r).layers.l3],
  ['layer_weighted', (r) => m(r).layers.weighted],
  ['layer_score', (r) => m(r).layers.score],
  ['posts_per_day', (r) => m(r).cadence.postsPerDay],
  ['scheduler_share', (r) => m(r).cadence.schedulerShare],
  ['days_since_last_post', (r) => m(r).cadence.daysSinceLastPost],
  ['role', (r) => r.role.label],
  ['score_overall', (r) => r.scores.overall],
  ['score_audience', (r) => r.scores.categories.audience],
  ['score_engagement', (r) => r.scores.categories.engagement],
  ['score_conversation', (r) => r.scores.categories.conversation],
  ['score_amplification', (r) => r.scores.categories.amplification],
  ['score_habits', (r) => r.scores.categories.habits],
  ...AUDITS.map(({ meta: { id } }): Column => [`audit_${id.replace(/-/g, '_')}`, (r) => r.audits.find((a) => a.id === id)?.status ?? null]),
  ['error', () => null],
  // The name as the other outputs show it, a handle without its `@` (a cell starting with `@` is quoted as a formula would be).
  ['account', (r) => r.account.handle || accountName(r.account, r.input.platform).name],
  ['account_id', (r) => r.account.id],
  ['as_of_source', (r) => r.window.asOfSource],
  ['coverage', (r) => r.scores.coverage],
  ['partial_score', (r) => r.scores.partial],
  ['left_out', (r) => r.scores.leftOut.join(';')],
  // What a live pull fetched of who interacted (report.input.coverage): posts whose list was fetched whole, of those that needed it; empty for exports.
  ...COVERAGE_KINDS.flatMap((kind): Column[] => [
    [`${kind}_fetched`, (r) => r.input.coverage?.[kind].fetched ?? null],
    [`${kind}_needed`, (r) => r.input.coverage?.[kind].needed ?? null],
  ]),
  ...AUDIENCE_QUALITY_COLUMNS,
  ...ACTION_CSV_COLUMNS,
];

/** A row for a target that could not be audited: its target and the error, every metric empty. */
export function csvErrorRow(target: string, message: string): string {
  return csvRow(CSV_COLUMNS.map(([name]) => (name === 'target' ? target : name === 'error' ? message : null)));
}

export function csvHeader(): string {
  return csvRow(CSV_COLUMNS.map(([name]) => name));
}

/** One report (or several: one row each) under the header. */
export function renderCsv(reports: Report | readonly Report[], options: { header?: boolean } = {}): string {
  const list = Array.isArray(reports) ? reports : [reports as Report];
  return (options.header === false ? '' : csvHeader()) + list.map((r) => csvRow(CSV_COLUMNS.map(([, get]) => get(r)))).join('');
}

/** `--posts-csv`: one row per post of the window. */
export const POST_CSV_HEADER = ['id', 'url', 'date', 'kind', 'likes', 'replies', 'reposts', 'quotes', 'impressions', 'engagements', 'client', 'text'] as const;

/**
 * The columns that are not plain counts, numbers or text (docs/reports.md "CSV columns", unit):
 * fractions 0–1 (a spreadsheet shows them as percents), UTC days and UTC times.
 */
export const CSV_UNITS: Readonly<Record<string, 'fraction' | 'date' | 'time'>> = {
  generated_at: 'time',
  as_of: 'date',
  window_since: 'date',
  window_until: 'date',
  ...Object.fromEntries(
    [
      'follow_back_rate', 'broadcast_share', 'reply_share', 'repost_share', 'quote_share', 'engagement_rate', 'engagement_rate_median',
      'rate_by_impressions', 'give_share', 'response_rate', 'scheduler_share', 'coverage', 'audience_real_share', 'audience_inactive_share',
      'audience_mass_follower_share', 'audience_new_empty_share', 'audience_bot_share', 'audience_real_share_margin', 'rate_per_real_follower',
    ].map((name) => [name, 'fraction' as const]),
  ),
};
