import { defineAudit, percent } from './define-audit.js';

/** docs/metrics.md §5 conversation-share: replies to others ÷ all posts (§3 mix.replyShare). */
export default defineAudit({
  id: 'conversation-share',
  title: 'Conversation share',
  category: 'conversation',
  better: 'higher',
  unit: 'fraction',
  needs: { all: ['replyPosts', 'threadPosts'] },
  methodology: 'Replies to other accounts ÷ all posts in the window (self-replies in threads do not count).',
  value: ({ metrics }) => metrics.mix.replyShare,
  reads: ['mix.replyShare'],
  needsPosts: true,
  display: (v) => `${percent(v)} of posts are replies to others`,
  advice: {
    pass: 'A good part of what you post is conversation with others.',
    warn: 'Few of your posts are replies. Answer the people who talk to you and join their threads.',
    fail: 'You almost never reply to anyone: a megaphone, not a conversation. Reply to comments and mentions.',
  },
});
