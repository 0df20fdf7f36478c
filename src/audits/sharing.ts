import { defineAudit, percent } from './define-audit.js';

/** docs/metrics.md §5 sharing: (reposts + quotes) ÷ all posts (§3 mix.repostShare + mix.quoteShare). */
export default defineAudit({
  id: 'sharing',
  title: 'Sharing others’ posts',
  category: 'amplification',
  better: 'higher',
  unit: 'fraction',
  needs: { all: ['repostPosts', 'quotePosts'] },
  methodology: 'Reposts and quote posts ÷ all posts in the window.',
  value: ({ metrics }) => {
    const { repostShare, quoteShare } = metrics.mix;
    return repostShare === null || quoteShare === null ? null : repostShare + quoteShare;
  },
  reads: ['mix.repostShare', 'mix.quoteShare'],
  needsPosts: true,
  display: (v) => `${percent(v)} of posts share others`,
  advice: {
    pass: 'You amplify other people’s work.',
    warn: 'You rarely share others’ posts. Share good work with credit: people notice who amplifies them.',
    fail: 'You almost never share anyone else. Amplify others with a repost or a quote that adds your view.',
  },
});
