import { defineAudit, percent, thresholdText } from './define-audit.js';
import type { Threshold } from '../model/config.js';
import type { AudienceQualityMetrics } from '../model/report.js';
import { int, pctWithin } from '../lib/format.js';
import { BOTS_UNTOLD, MIN_GRADED_SAMPLE, tooFewToGrade } from '../metrics/audience-quality.js';

/** How the classified followers were chosen, as the report says it: "all 812 followers", "a sample of 1,000 of 20,000". */
export function audienceBasis(aq: AudienceQualityMetrics): string {
  const n = int(aq.classified);
  if (aq.method === 'sample') return `a sample of ${n} of ${int(aq.listed)} followers listed`;
  if (aq.method === 'newest') return `the newest ${n} followers only`;
  return `all ${n} followers listed`;
}

/** The thresholds that lie within a sampled share's margin: its grade could be either side of them. */
export function straddled(aq: AudienceQualityMetrics, t: Threshold | null): string[] {
  const share = aq.shares.real;
  const margin = aq.margins.real;
  if (t === null || share === null || margin === null) return [];
  return (['pass', 'fail'] as const).filter((k) => share - margin < t[k] && t[k] < share + margin).map((k) => `${k} ${percent(t[k])}`);
}

/**
 * docs/metrics.md §5 audience-quality: the share of the classified followers whose class is real
 * (§3 audienceQuality.shares.real). Pass at 70 %, fail at 50 %: under half real, most of the follower
 * count is no audience; above 70 %, fewer than one in three followers is inactive, new and empty, a
 * mass-follower or a bot.
 */
export default defineAudit({
  id: 'audience-quality',
  title: 'Audience quality',
  category: 'audience',
  better: 'higher',
  unit: 'fraction',
  needs: { all: ['followerProfiles', 'date'] },
  methodology:
    'Share of the classified followers that are real: not a self-declared bot, not new and empty, not inactive, not a mass-follower (docs/metrics.md "Audience quality"); followers whose class cannot be told are left out.',
  value: ({ metrics }) => metrics.audienceQuality.shares.real,
  reads: ['audienceQuality.shares'],
  // A sample too small to grade is reported, not graded: its share could be almost anything.
  thresholds: ({ metrics, config }) => (tooFewToGrade(metrics.audienceQuality) === null ? (config.thresholds['audience-quality'] ?? null) : null),
  thresholdRule: (config) => {
    const t = config.thresholds['audience-quality'];
    return `${t ? thresholdText(t, 'higher', 'fraction') : 'none'}; a sample of fewer than ${MIN_GRADED_SAMPLE} classified followers is not graded`;
  },
  noThresholds: `A sample of fewer than ${MIN_GRADED_SAMPLE} followers of known class is too few to grade: the share is reported, not graded (the warnings say why fewer profiles than --sample were classified: a pull stopped early, profiles not returned; the whole list of a small account is graded).`,
  display: (v, { metrics, config }) => {
    const aq = metrics.audienceQuality;
    const unknown = aq.counts.unknown ? `, ${int(aq.counts.unknown)} unknown left out` : '';
    const across = straddled(aq, config.thresholds['audience-quality'] ?? null);
    const straddle = across.length === 0 ? '' : ` (the margin straddles the ${across.join(' and ')} threshold: the grade could be either side)`;
    const partial = aq.partial ? ` (partial: ${aq.method === 'newest' ? 'the newest followers only' : 'the follower list was cut short'})` : '';
    const few = tooFewToGrade(aq);
    const ungraded = few === null ? '' : ` (only ${int(few)} ${few === aq.classified ? 'classified' : 'of known class'}: too few to grade, at least ${MIN_GRADED_SAMPLE} are needed)`;
    const bots = aq.counts.bot === null ? ` — ${BOTS_UNTOLD}` : '';
    return `${pctWithin(v, aq.margins.real)} real, of ${audienceBasis(aq)}${unknown}${few === null ? straddle : ''}${partial}${ungraded}${bots}`;
  },
  advice: {
    pass: 'Most of your followers are real, active people. Keep growing the same way: through conversation, not follow-for-follow.',
    warn: 'A large part of your followers is inactive, new and empty, mass-following or automated. Most platforms do not let you remove followers in bulk: grow with real engagement (reply, share others’ work with credit), and stop follow-for-follow habits and follower giveaways.',
    fail: 'Fewer than half of your followers are a real audience: your follower count overstates your reach. Do not buy followers or use follow-back schemes; engage with people in your niche so new followers are real, and judge reach by the rate per real follower.',
  },
});
