/**
 * What the human reporters (table, Markdown, HTML) print, as plain text: the score headline, the
 * categories and the key metrics with their method (docs/reports.md). Pure: Report → view. Each
 * reporter only lays the view out and escapes it for its medium.
 */
import { CATEGORY_ORDER } from '../model/names.js';
import { COVERAGE_KINDS } from '../model/names.js';
import type { CoverageKind } from '../model/dataset.js';
import type { Category, Report } from '../model/report.js';
import { coverageText } from '../report/scores.js';
import { countsLabel, dec, int, layerScoreHow, layerScoreText, NA, pct, rate } from './format.js';

/** A key metric in the Markdown and HTML tables; `only` when one of the two leaves it out. */
export interface MetricRow {
  label: string;
  value: string;
  how: string;
  only?: 'markdown' | 'html';
}

/** The key metrics' labels, as every human output names them (the report, and `compare`). */
export const KEY_METRIC_LABELS = {
  followBack: 'Follow-back',
  engagementRate: 'Engagement rate',
  byImpressions: 'Engagement by impressions',
  replyShare: 'Reply share',
  giveShare: 'Give share',
  responsiveness: 'Responsiveness',
  layerScore: 'Layer score',
  postsPerDay: 'Posts a day',
} as const;
const L = KEY_METRIC_LABELS;

/** The headline (the overall score is null when there is none), the categories and the key metrics. */
export interface ReportView {
  overall: number | null;
  coverage: string;
  categories: Array<{ name: Category; score: number | null }>;
  metrics: MetricRow[];
  /** The terminal's key metrics: a label and one sentence, value and method together. */
  lines: Array<[label: string, text: string]>;
  /** What a live pull fetched of who interacted, for the input section; null when the input does not say. */
  interactions: string | null;
}

const LISTS: Record<CoverageKind, [one: string, many: string]> = { replies: ['thread', 'threads'], likes: ['liker list', 'liker lists'], reposts: ['reposter list', 'reposter lists'] };
const lists = (kind: CoverageKind, n: number): string => LISTS[kind][n === 1 ? 0 : 1];

/** " (from 18 of 30 threads)" or " (from 1 thread cut short by the server)" after a number counted only from what a pull fetched (report.input.coverage.partialMetrics), else ''. */
export function partialNote(report: Report, path: string): string {
  const c = report.input.coverage;
  if (!c?.partialMetrics.includes(path)) return '';
  const kinds = path.startsWith('responsiveness.') ? (['replies'] as const) : COVERAGE_KINDS;
  const parts = kinds.flatMap((k) => [
    ...(c[k].fetched < c[k].needed ? [`${c[k].fetched} of ${c[k].needed} ${lists(k, c[k].needed)}`] : []),
    ...(c[k].capped > 0 ? [`${c[k].capped} ${lists(k, c[k].capped)} cut short by the server`] : []),
  ]);
  return parts.length === 0 ? '' : ` (from ${parts.join(', ')})`;
}

/** "Who interacted: complete (30 threads, …)", or what was fetched of what was needed; null without coverage. */
function interactionsText(report: Report): string | null {
  const c = report.input.coverage;
  if (!c) return null;
  const capped = COVERAGE_KINDS.filter((k) => c[k].capped > 0).map((k) => `${c[k].capped} ${lists(k, c[k].capped)} answered only in part by the server`);
  // A kind no post needed (or the platform never lists) is left out of the line.
  const counts = COVERAGE_KINDS.filter((k) => c[k].needed > 0 || k === 'replies').map((k) => (c.complete ? `${c[k].needed} ${lists(k, c[k].needed)}` : `${c[k].fetched} of ${c[k].needed} ${lists(k, c[k].needed)}`));
  return `Who interacted: ${c.complete ? `complete (${counts.join(', ')})` : `partial: ${counts.join(', ')} fetched`}${capped.length > 0 ? `; ${capped.join(', ')}` : ''}`;
}

/** "89/100", or n/a. */
export function outOf100(score: number | null): string {
  return score === null ? NA : `${score}/100`;
}

export function reportView(report: Report): ReportView {
  const { audience: a, engagement: e, mix, reciprocity: r, responsiveness: rs, cadence: cd } = report.metrics;
  const give = `outbound ${int(r.outbound)} ÷ (outbound + inbound ${int(r.inbound)})`;
  // Why a null is null, as the report says (report.unavailable): never a guess of the reporter's own.
  const why = (path: string): string => report.unavailable[path] ?? NA;
  const ratio = r.responseRatio === null ? null : `without threads, replies made ÷ replies received = ${dec(r.responseRatio)}`;
  const answered = rs.inboundReplies === null ? (ratio ?? why('responsiveness.responseRate')) : `${rs.answered} of ${rs.inboundReplies} replies answered`;
  const sinceLast = cd.daysSinceLastPost === null ? why('cadence.daysSinceLastPost') : `${cd.daysSinceLastPost} day${cd.daysSinceLastPost === 1 ? '' : 's'} since the last post`;
  const sharing = mix.repostShare === null || mix.quoteShare === null ? null : mix.repostShare + mix.quoteShare;
  return {
    overall: report.scores.overall,
    coverage: coverageText(report.scores),
    categories: CATEGORY_ORDER.map((name) => ({ name, score: report.scores.categories[name] })),
    metrics: [
      { label: 'Followers / following', value: `${int(a.followers)} / ${int(a.following)}`, how: `ratio ${dec(a.followRatio)}` },
      { label: L.followBack, value: pct(a.followBackRate), how: a.mutuals === null ? why('audience.mutuals') : `${a.mutuals} mutuals`, only: 'html' },
      { label: L.engagementRate, value: rate(e.ratePerPostMean), how: `per post, by followers, n = ${e.posts} own posts, ${countsLabel(e.counted)}` },
      { label: L.byImpressions, value: rate(e.rateByImpressions), how: e.impressions === null ? why('engagement.impressions') : `÷ ${int(e.impressions)} impressions`, only: 'html' },
      { label: L.replyShare, value: pct(mix.replyShare), how: 'replies to others ÷ all posts' },
      { label: 'Reposts + quotes', value: pct(sharing), how: "sharing others' posts", only: 'markdown' },
      { label: L.giveShare, value: pct(r.giveShare), how: give },
      { label: L.responsiveness, value: pct(rs.responseRate), how: answered + partialNote(report, 'responsiveness.responseRate') },
      { label: L.layerScore, value: layerScoreText(report), how: layerScoreHow(report) + partialNote(report, 'layers.score') },
      ...(report.input.coverage && e.engagedAudience.accounts !== null
        ? [{ label: 'Engaged audience', value: int(e.engagedAudience.accounts), how: `accounts interacted, ${pct(e.engagedAudience.share)} of followers${partialNote(report, 'engagement.engagedAudience')}` }]
        : []),
      ...(['markdown', 'html'] as const).map((only) => ({ label: L.postsPerDay, value: dec(cd.postsPerDay), how: `${pct(cd.schedulerShare)} scheduled${only === 'html' ? ' ·' : ','} ${sinceLast}`, only })),
    ],
    lines: [
      ['Followers', `${int(a.followers)}, following ${int(a.following)}: ratio ${a.followRatio === null ? NA : a.followRatio.toFixed(2)} (followers ÷ following)`],
      ['Follow-back', a.mutuals === null ? `${NA} (${why('audience.mutuals')})` : `${pct(a.followBackRate)} of followed accounts follow back (${int(a.mutuals)} mutuals ÷ ${int(a.following)} followed)`],
      ['Engagement rate', `${rate(e.ratePerPostMean)} per post, by followers, n = ${int(e.posts)} own posts, ${countsLabel(e.counted)} (mean ${dec(e.perPostMean)}, median ${dec(e.perPostMedian)} a post; median rate ${rate(e.ratePerPostMedian)})`],
      ['By impressions', e.impressions === null ? `${NA} (${why('engagement.impressions')})` : `${rate(e.rateByImpressions)} (engagements ÷ ${int(e.impressions)} impressions)`],
      ['Mix', `${pct(mix.broadcastShare)} broadcast, ${pct(mix.replyShare)} replies, ${pct(mix.repostShare)} reposts, ${pct(mix.quoteShare)} quotes (original ${int(mix.original)}, thread ${int(mix.thread)}, reply ${int(mix.reply)}, repost ${int(mix.repost)}, quote ${int(mix.quote)} of ${int(mix.total)} posts)`],
      ['Give share', `${pct(r.giveShare)} given: ${give}; likes given ${r.likesGiven === null ? `${NA} (${why('reciprocity.likesGiven')})` : `${int(r.likesGiven)} (${report.input.source === 'api' ? 'the profile' : 'the whole export'})`}`],
      [
        'Responsiveness',
        rs.inboundReplies === null
          ? r.responseRatio !== null
            ? `${NA} without threads; replies made ÷ replies received = ${dec(r.responseRatio)}`
            : `${NA} (${why('responsiveness.responseRate')})`
          : `${pct(rs.responseRate)} answered (${int(rs.answered)} of ${int(rs.inboundReplies)} replies)${partialNote(report, 'responsiveness.responseRate')}; median first answer after ${dec(rs.medianResponseMinutes, 0)} min, ${pct(rs.answeredWithin24h)} of answers within 24 h`,
      ],
      ...(report.input.coverage && e.engagedAudience.accounts !== null
        ? [['Engaged audience', `${int(e.engagedAudience.accounts)} accounts interacted, ${pct(e.engagedAudience.share)} of followers${partialNote(report, 'engagement.engagedAudience')}`] as [string, string]]
        : []),
      ['Cadence', `${dec(cd.postsPerDay)} posts a day over ${int(cd.days)} days; busiest ${cd.busiestDay ?? NA} (${int(cd.maxPerDay)}); ${pct(cd.schedulerShare)} scheduled; ${sinceLast}`],
    ],
    interactions: interactionsText(report),
  };
}
