/**
 * The "Next actions" section of the table, Markdown and HTML reports, and its CSV columns (docs/reports.md
 * "Next actions"): each list's title, how many of how many it shows, its items with links, or why the
 * source cannot tell it. Pure: Report → text; every string is escaped for its medium here.
 */
import type { ActionList, Report } from '../../model/report.js';
import { ACTION_IDS } from '../../model/names.js';
import { escapeHtml as esc } from '../../lib/html.js';
import { oneLine } from '../../lib/text.js';
import { wrap } from '../format.js';
import { isNewestFollowers } from '../../report/actions.js';

/** "the first 3 of 12" / "none" / "not available" (the newest followers: "the 3 newest"), as a list's headline says it. */
function count(list: ActionList): string {
  if (list.total === null) return 'not available';
  if (list.total === 0) return 'none';
  if (isNewestFollowers(list)) return `the ${list.items.length} newest`;
  return list.items.length < list.total ? `the first ${list.items.length} of ${list.total}` : String(list.total);
}

/** Why a list is not available, said once: a list with the same reason as the one before it says so. */
function unavailableTexts(lists: readonly ActionList[]): Array<string | null> {
  return lists.map((list, i) => (list.unavailable === null ? null : i > 0 && lists[i - 1]!.unavailable === list.unavailable ? 'as above.' : list.unavailable));
}

/** The terminal's styles the section uses (bold, dim; plain without colour). */
interface Styles {
  bold: (text: string) => string;
  dim: (text: string) => string;
}

/** The terminal's section: one block per list; links printed whole (terminals make them clickable). */
export function actionsTable(report: Report, c: Styles, width: number): string[] {
  if (!report.actions) return [];
  const lines = [c.bold('Next actions')];
  const why = unavailableTexts(report.actions);
  for (const [n, list] of report.actions.entries()) {
    lines.push(wrap(`${c.bold(list.title)} (${count(list)})${why[n] === null ? '' : `: ${why[n]}`}`, width, 2));
    for (const i of list.items) {
      lines.push(wrap(`  - ${oneLine(i.who, 80)}: ${i.reason}`, width, 4));
      lines.push(c.dim(wrap(`    ${i.link ?? `no link: ${i.noLink}`}`, width, 4)));
    }
    if (list.note !== null) lines.push(c.dim(wrap(`  ${list.note}`, width, 2)));
  }
  lines.push('');
  return lines;
}

/** The Markdown section; `md` escapes text as the rest of the Markdown report does. */
export function actionsMarkdown(report: Report, md: (text: string) => string): string[] {
  if (!report.actions) return [];
  const out = ['', '## Next actions', ''];
  const why = unavailableTexts(report.actions);
  for (const [n, list] of report.actions.entries()) {
    out.push(`### ${md(list.title)} (${count(list)})`, '');
    if (why[n] !== null) out.push(`Not available: ${md(why[n]!)}`, '');
    for (const i of list.items) {
      // Built links hold only id and handle characters; brackets and spaces are encoded all the same.
      const who = i.link === null ? md(i.who) : `[${md(i.who)}](${i.link.replace(/[()\s<>]/g, encodeURIComponent)})`;
      out.push(`- ${who}: ${md(i.reason)}${i.link === null ? ` (no link: ${md(i.noLink ?? '')})` : ''}`);
    }
    if (list.items.length > 0) out.push('');
    if (list.note !== null) out.push(`_${md(list.note)}_`, '');
  }
  while (out.at(-1) === '') out.pop();
  return out;
}

/** The HTML section: each list a short titled list, links open with rel="noopener". */
export function actionsHtml(report: Report): string {
  if (!report.actions) return '';
  const why = unavailableTexts(report.actions);
  // At a glance: how many of each list there is to do, before the lists themselves.
  const glance = report.actions
    .filter((list) => list.total !== null)
    .map((list) => `<strong>${list.total}</strong> ${esc(list.title.toLowerCase())}`)
    .join(' · ');
  const lists = report.actions.map((list, n) => {
    const items = list.items.map((i) => {
      const who = i.link === null ? `<strong>${esc(i.who)}</strong>` : `<a href="${esc(i.link)}" rel="noopener"><strong>${esc(i.who)}</strong></a>`;
      return `<li>${who}: ${esc(i.reason)}${i.link === null ? ` <span class="muted">(no link: ${esc(i.noLink)})</span>` : ''}</li>`;
    });
    return `<div class="card"><h3>${esc(list.title)} <span class="muted">(${esc(count(list))})</span></h3>${
      why[n] === null ? '' : `<p class="muted">Not available: ${esc(why[n])}</p>`
    }${items.length === 0 ? '' : `<ul>${items.join('')}</ul>`}${list.note === null ? '' : `<p class="muted">${esc(list.note)}</p>`}</div>`;
  });
  return `<h2>Next actions</h2>\n${glance === '' ? '' : `<p class="glance">${glance}</p>\n`}${lists.join('\n')}\n`;
}

/** The CSV columns: each list's full count (empty when not available or left out). */
export const ACTION_CSV_COLUMNS: ReadonlyArray<[name: string, get: (r: Report) => unknown]> = ACTION_IDS.map((id) => [
  `actions_${id.replace(/-/g, '_')}`,
  // The newest followers are not a count of new ones: empty, as without --previous nothing is counted.
  (r: Report) => {
    const list = r.actions?.find((l) => l.id === id);
    return list === undefined || isNewestFollowers(list) ? null : list.total;
  },
]);
