/**
 * The report contract (docs/metrics.md §6, schemaVersion 1). Field names are public: JSON consumers, the
 * CSV header and golden tests depend on them. Rename nothing without bumping schemaVersion.
 */
import { z } from 'zod';
import { AUDIENCE_METHODS, AvailabilitySchema, KindCoverageSchema, PlatformSchema, SOURCE_DATE_KINDS, SourceKindSchema } from './dataset.js';
import { ACTION_IDS, AUDIENCE_CLASSES, CATEGORIES, COUNT_NAMES } from './names.js';

export { AUDIENCE_CLASSES, CATEGORIES, COUNT_NAMES };

const num = z.number().nullable();
const int = z.number().int().nullable();

export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export const AUDIT_STATUSES = ['pass', 'warn', 'fail', 'n/a', 'error'] as const;
export const AuditStatusSchema = z.enum(AUDIT_STATUSES);
export type AuditStatus = z.infer<typeof AuditStatusSchema>;

/** Where the report date came from: an option, the source itself, or nowhere. */
export const AS_OF_SOURCES = ['--as-of', '--until', ...SOURCE_DATE_KINDS, 'none'] as const;
export type AsOfSource = (typeof AS_OF_SOURCES)[number];

export const ROLES = ['Giver', 'Taker', 'Engager', 'Broadcaster', 'Undetermined'] as const;

export const AudienceMetricsSchema = z.object({
  followers: int,
  following: int,
  followRatio: num,
  mutuals: int,
  followBackRate: num,
  reciprocationRate: num,
});

export const MixMetricsSchema = z.object({
  original: z.number().int(),
  thread: int,
  reply: int,
  repost: int,
  quote: int,
  total: z.number().int(),
  broadcastShare: num,
  replyShare: num,
  repostShare: num,
  quoteShare: num,
  replyToBroadcast: num,
});

export const CountNameSchema = z.enum(COUNT_NAMES);

export const EngagementMetricsSchema = z.object({
  posts: z.number().int(),
  counted: z.array(CountNameSchema),
  likes: int,
  replies: int,
  reposts: int,
  quotes: int,
  total: int,
  perPostMean: num,
  perPostMedian: num,
  ratePerPostMean: num,
  ratePerPostMedian: num,
  impressions: int,
  rateByImpressions: num,
  conversationRate: num,
  amplificationRate: num,
  applauseRate: num,
  engagedAudience: z.object({ accounts: int, share: num }),
});

export const ReciprocityMetricsSchema = z.object({
  outbound: int,
  inbound: int,
  giveShare: num,
  responseRatio: num,
  likesGiven: int,
});

export const ResponsivenessMetricsSchema = z.object({
  inboundReplies: int,
  answered: int,
  responseRate: num,
  medianResponseMinutes: num,
  answeredWithin24h: num,
});

export const LedgerEntrySchema = z.object({
  component: z.enum(['l1', 'twoWay', 'l2', 'l3', 'estimatedInbound']),
  count: z.number(),
  weight: z.number(),
  points: z.number(),
  detail: z.record(z.string(), z.union([z.number(), z.null(), z.record(z.string(), z.number().nullable()), ])).nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const LayerMetricsSchema = z.object({
  windowDays: z.number().int(),
  since: z.string().nullable(),
  until: z.string().nullable(),
  l1Outbound: int,
  l1Inbound: int,
  l1: int,
  twoWay: int,
  l2: int,
  l3: int,
  estimatedInbound: int,
  estimated: z.boolean(),
  weighted: num,
  score: int,
  ledger: z.array(LedgerEntrySchema),
});

export const CadenceMetricsSchema = z.object({
  days: int,
  postsPerDay: num,
  maxPerDay: int,
  busiestDay: z.string().nullable(),
  burstDays: z.number().int(),
  clients: z.record(z.string(), z.number().int()),
  schedulerShare: num,
  daysSinceLastPost: int,
});

const perClass = (schema: z.ZodNullable<z.ZodNumber>) => z.object(Object.fromEntries(AUDIENCE_CLASSES.map((c) => [c, schema])) as Record<(typeof AUDIENCE_CLASSES)[number], typeof schema>);

export const AudienceQualityMetricsSchema = z.object({
  method: z.enum(AUDIENCE_METHODS).nullable(),
  /** Figures of part of the followers only: the newest of a list read in part, or a list cut short. */
  partial: z.boolean().nullable(),
  /** Followers listed (N) and profiles classified (n). */
  listed: int,
  classified: int,
  /** Profiles of each class; `unknown`: a fact needed to call it real is not known (left out of the shares). */
  counts: perClass(int).extend({ unknown: int }),
  /** Shares of the profiles whose class is known. */
  shares: perClass(num),
  /** 95 % margin of error of each share, with the finite-population correction (a sample only). */
  margins: perClass(num),
  realAudience: int,
  realAudienceLow: int,
  realAudienceHigh: int,
  ratePerRealFollower: num,
});
export type AudienceQualityMetrics = z.infer<typeof AudienceQualityMetricsSchema>;

export const MetricsSchema = z.object({
  audience: AudienceMetricsSchema,
  mix: MixMetricsSchema,
  engagement: EngagementMetricsSchema,
  reciprocity: ReciprocityMetricsSchema,
  responsiveness: ResponsivenessMetricsSchema,
  layers: LayerMetricsSchema,
  cadence: CadenceMetricsSchema,
  audienceQuality: AudienceQualityMetricsSchema,
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const AuditResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: CategorySchema,
  status: AuditStatusSchema,
  score: num,
  value: num,
  displayValue: z.string(),
  thresholds: z.object({ pass: z.number(), fail: z.number() }).nullable(),
  advice: z.string(),
  methodology: z.string(),
});
export type AuditResult = z.infer<typeof AuditResultSchema>;

const InteractorSchema = z.object({ account: z.string(), count: z.number().int() });
export type Interactor = z.infer<typeof InteractorSchema>;

export const MonthlyRowSchema = z.object({
  month: z.string(),
  posts: z.number().int(),
  original: z.number().int(),
  /** null when the source cannot see the kind (as in metrics.mix). */
  thread: int,
  reply: int,
  repost: int,
  quote: int,
  engagements: int,
  ratePerPostMean: num,
});
export type MonthlyRow = z.infer<typeof MonthlyRowSchema>;

/** One thing to do (docs/reports.md "Next actions"): who, where (`link`, or `noLink` saying why there is none), why. */
export const ActionItemSchema = z.object({
  who: z.string(),
  /** The platform id of the account when the source gives it. */
  id: z.string().nullable(),
  link: z.string().nullable(),
  noLink: z.string().nullable(),
  reason: z.string(),
  /** How many interactions the reason counts; null where it counts none. */
  count: int,
  /** When it happened (the reply's time), else null. */
  at: z.string().nullable(),
});
export type ActionItem = z.infer<typeof ActionItemSchema>;

/** One list of next actions: its full count (null when the source cannot tell it), the first items, and why not, when not. */
export const ActionListSchema = z.object({
  id: z.enum(ACTION_IDS),
  title: z.string(),
  total: int,
  items: z.array(ActionItemSchema),
  unavailable: z.string().nullable(),
  /** What the list could not tell and what would tell it, else null. */
  note: z.string().nullable(),
});
export type ActionList = z.infer<typeof ActionListSchema>;

export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.string(), version: z.string() }),
  generatedAt: z.string(),
  input: z.object({
    platform: PlatformSchema,
    source: SourceKindSchema,
    target: z.string(),
    complete: z.boolean(),
    availability: AvailabilitySchema,
    warnings: z.array(z.string()),
    /**
     * What a live pull fetched of who interacted with the posts (docs/metrics.md "Coverage"); absent
     * for exports and pulls that fetched nobody. `partialMetrics`: the metric paths counted only from
     * what was fetched, empty when `complete`.
     */
    coverage: z
      .object({
        replies: KindCoverageSchema,
        likes: KindCoverageSchema,
        reposts: KindCoverageSchema,
        complete: z.boolean(),
        partialMetrics: z.array(z.string()),
      })
      .optional(),
  }),
  account: z.object({
    id: z.string().nullable(),
    handle: z.string().nullable(),
    displayName: z.string().nullable(),
    followers: int,
    following: int,
    posts: int,
  }),
  window: z.object({
    since: z.string().nullable(),
    until: z.string().nullable(),
    asOf: z.string().nullable(),
    /** Where `asOf` came from (docs/metrics.md "The report date"); `none`: no date, `asOf` null. */
    asOfSource: z.enum(AS_OF_SOURCES),
    days: int,
    posts: z.number().int(),
  }),
  metrics: MetricsSchema,
  /** Why each null metric is null, keyed `group.field` (docs/metrics.md "What each number needs"). */
  unavailable: z.record(z.string(), z.string()),
  role: z.object({ label: z.enum(ROLES), reason: z.string() }),
  /** docs/metrics.md "What a score covers". */
  scores: z.object({
    /** `partial` when `coverage` reaches `minCoverage`, else null. */
    overall: int,
    /** The weighted mean of the graded categories, whatever their share of the weight. */
    partial: int,
    /** The share of the category weight that was graded, counted per audit, 0–1 (4 decimals). */
    coverage: z.number().min(0).max(1),
    minCoverage: z.number().min(0).max(1),
    /** The categories with no graded audit, in category order. */
    leftOut: z.array(CategorySchema),
    /** The audits not graded (n/a or error), in report order: what the coverage misses. */
    notMeasured: z.array(z.string()),
    categories: z.object({
      audience: int,
      engagement: int,
      conversation: int,
      amplification: int,
      habits: int,
    }),
  }),
  audits: z.array(AuditResultSchema),
  /** What `engagement-rate` grades against (docs/metrics.md "Benchmarks"); null when nothing; absent in older reports. */
  benchmark: z
    .object({
      platform: z.string(),
      band: z.object({ min: z.number(), max: z.number().nullable(), label: z.string() }).nullable(),
      value: z.number(),
      statistic: z.enum(['median', 'mean']).nullable(),
      source: z.string(),
      year: z.number().int().nullable(),
      denominator: z.string().nullable(),
      url: z.string().nullable(),
      note: z.string().nullable(),
    })
    .nullable()
    .optional(),
  topInteractors: z.object({
    /** null when the source does not name whom the posts answer, share or mention. */
    outbound: z.array(InteractorSchema).nullable(),
    inbound: z.array(InteractorSchema).nullable(),
    twoWay: z.array(InteractorSchema).nullable(),
  }),
  monthly: z.array(MonthlyRowSchema),
  /** Next actions (docs/reports.md "Next actions"); absent with `--actions 0`. */
  actions: z.array(ActionListSchema).optional(),
});
export type Report = z.infer<typeof ReportSchema>;
export type RoleLabel = Report['role']['label'];
