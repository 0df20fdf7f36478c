/** The "Next actions" section's wording: a reason said once, and the HTML's at-a-glance counts. */
import { describe, expect, it } from 'vitest';
import type { ActionList, Report } from '../../src/model/report.js';
import { actionsHtml, actionsMarkdown, actionsTable } from '../../src/reporters/sections/actions.js';

const plain = { bold: (t: string) => t, dim: (t: string) => t };
const list = (id: ActionList['id'], title: string, total: number | null, unavailable: string | null): ActionList => ({ id, title, total, items: [], unavailable, note: null });
const WHY = 'The source does not say who replied.';
const report = {
  actions: [
    list('unanswered-replies', 'Replies to answer', 56, null),
    list('unanswered-engagers', 'People who engage but get nothing back', null, WHY),
    list('one-way', 'Accounts you engage with who never engage back', null, WHY),
    list('new-followers', 'New followers to thank', 0, null),
  ],
} as unknown as Report;

describe('next actions section', () => {
  it('says a reason once; the next list with the same reason says "as above"', () => {
    const text = actionsTable(report, plain, 200).join('\n');
    expect(text.split(WHY)).toHaveLength(2);
    expect(text).toContain('Accounts you engage with who never engage back (not available): as above.');
    const md = actionsMarkdown(report, (t) => t).join('\n');
    expect(md.split(WHY)).toHaveLength(2);
    expect(md).toContain('Not available: as above.');
  });

  it('HTML opens with the count of each list the source can tell, before the lists', () => {
    const html = actionsHtml(report);
    const glance = /<p class="glance">(.*?)<\/p>/.exec(html)![1]!;
    expect(glance).toBe('<strong>56</strong> replies to answer · <strong>0</strong> new followers to thank');
    expect(html.indexOf('class="glance"')).toBeLessThan(html.indexOf('<div class="card">'));
  });
});

describe('next-action links of a redacted dataset', () => {
  it('builds no address from a stand-in, and still builds one from a real handle', async () => {
    const { postLink, profileLink } = await import('../../src/report/links.js');
    const { pseudonym, postPseudonym } = await import('../../src/lib/pseudonym.js');
    const standIn = pseudonym('alice.bsky.social');
    for (const platform of ['bluesky', 'mastodon', 'x'] as const) {
      const ctx = { platform, instance: 'https://social.example' };
      expect(profileLink(ctx, { handle: standIn, id: standIn })).toEqual({ link: null, noLink: 'redacted: a pseudonym has no address' });
      expect(postLink(ctx, postPseudonym('at://did:plc:x/app.bsky.feed.post/1'), standIn).link).toBeNull();
    }
    expect(profileLink({ platform: 'bluesky', instance: null }, { handle: 'alice.bsky.social' }).link).toBe('https://bsky.app/profile/alice.bsky.social');
    expect(profileLink({ platform: 'x', instance: null }, { handle: 'user_12' }).link).toBe('https://x.com/user_12');
  });
});
