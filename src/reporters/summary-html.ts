/**
 * The HTML page of several accounts (docs/reports.md "Several accounts"): a sortable summary, one row
 * per target, each account linking to its report below. The headers are plain links to `#sort=<key>-asc`
 * or `-desc`; one fixed inline script, allowed by its SHA-256 hash in the page's Content-Security-Policy
 * (no other script runs), orders the rows by that fragment. Without the script the rows stay in the
 * targets' order. Every piece of input text is escaped; ids and sort keys come from the tool, never
 * from the input.
 */
import type { Report } from '../model/report.js';
import { escapeHtml as esc } from '../lib/html.js';
import { htmlBody, htmlPage } from './html.js';
import { scoreBand } from './format.js';
import { errorText, isReport, type Result } from './many.js';
import { SUMMARY_COLUMNS, type SummaryColumn } from './summary.js';

/**
 * Orders the rows by `#sort=<key>-<asc|desc>`: numbers as numbers, text as text, n/a (no data-v)
 * last both ways, ties in the targets' order; no or an unknown sort: the targets' order. Another
 * fragment (a link to an account) keeps the order shown.
 */
const SORT_SCRIPT = `(function () {
  var table = document.getElementById('summary');
  if (!table) return;
  var body = table.tBodies[0], heads = table.tHead.rows[0].cells, rows = [].slice.call(body.rows);
  function apply() {
    var hash = location.hash;
    if (hash !== '' && hash.indexOf('#sort=') !== 0) return;
    var m = /^#sort=([a-z]+)-(asc|desc)$/.exec(hash), col = -1, i;
    for (i = 0; m && i < heads.length; i++) if (heads[i].getAttribute('data-key') === m[1]) col = i;
    var numeric = col >= 0 && heads[col].hasAttribute('data-num'), sign = m && m[2] === 'desc' ? -1 : 1, list = rows.slice();
    if (col >= 0) list.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
      if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
      return sign * (numeric ? Number(x) - Number(y) : x.localeCompare(y));
    });
    list.forEach(function (r) { body.appendChild(r); });
    for (i = 0; i < heads.length; i++) {
      var key = heads[i].getAttribute('data-key'), link = heads[i].querySelector('a');
      var first = heads[i].hasAttribute('data-num') ? 'desc' : 'asc';
      if (i === col) heads[i].setAttribute('aria-sort', sign < 0 ? 'descending' : 'ascending');
      else heads[i].removeAttribute('aria-sort');
      link.setAttribute('href', '#sort=' + key + '-' + (i === col ? (sign < 0 ? 'asc' : 'desc') : first));
    }
  }
  apply();
  window.addEventListener('hashchange', apply);
})();`;

/** The summary table scrolls in its own box on a narrow screen; the page does not. */
const SUMMARY_CSS = `
.summary-scroll{overflow-x:auto;max-width:100%}
#summary th{white-space:nowrap}#summary th a{color:inherit;text-decoration:none}
#summary th[aria-sort=ascending] a::after{content:" \\25B2"}#summary th[aria-sort=descending] a::after{content:" \\25BC"}
#summary td.num,#summary th.num{text-align:right;white-space:nowrap}
#summary .s-good{color:#059669;font-weight:700}#summary .s-mid{color:#d97706;font-weight:700}#summary .s-bad{color:#dc2626;font-weight:700}#summary .s-na{color:#94a3b8}
#summary tr.error td{color:#991b1b}
`;

/** The hash the page's CSP names to allow SORT_SCRIPT: `sha256-<base64>`, computed from its text. */
async function scriptHash(script: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(script)));
  return `sha256-${btoa(String.fromCharCode(...digest))}`;
}

/** The id of the section of the i-th target: from its position, never from input text. */
const sectionId = (i: number): string => `account-${i + 1}`;

function head(c: SummaryColumn): string {
  // The first click sorts numbers highest first, text from A.
  const first = c.numeric ? 'desc' : 'asc';
  return `<th data-key="${c.key}"${c.numeric ? ' data-num class="num"' : ''}><a href="#sort=${c.key}-${first}">${esc(c.label)}</a></th>`;
}

function cell(c: SummaryColumn, report: Report, i: number): string {
  const value = c.value(report);
  const v = value === null ? '' : ` data-v="${esc(value)}"`;
  const cls = [c.numeric ? 'num' : '', c.key === 'score' ? `s-${scoreBand(report.scores.overall)}` : ''].filter(Boolean).join(' ');
  const text = esc(c.text(report));
  return `<td${cls ? ` class="${cls}"` : ''}${v}>${c.key === 'account' ? `<a href="#${sectionId(i)}">${text}</a>` : text}</td>`;
}

function row(r: Result, i: number): string {
  if (isReport(r)) return `<tr>${SUMMARY_COLUMNS.map((c) => cell(c, r.report, i)).join('')}</tr>`;
  // A target that could not be audited: its error in the first cell, n/a (no value) elsewhere.
  const cells = SUMMARY_COLUMNS.map((c, k) => (k === 0 ? `<td data-v="${esc(r.target.toLowerCase())}">${esc(errorText(r))}</td>` : c.key === 'role' ? '<td data-v="error">error</td>' : `<td${c.numeric ? ' class="num"' : ''}></td>`));
  return `<tr class="error">${cells.join('')}</tr>`;
}

export async function renderSummaryPage(results: readonly Result[]): Promise<string> {
  const title = `Engagement audit of ${results.length} accounts`;
  const summary = `<main><h1>${esc(title)}</h1><div class="card"><div class="summary-scroll"><table id="summary"><thead><tr>${SUMMARY_COLUMNS.map(head).join('')}</tr></thead><tbody>${results.map(row).join('')}</tbody></table></div></div></main>`;
  const sections = results.flatMap((r, i) => (isReport(r) ? [`<section id="${sectionId(i)}">${htmlBody(r.report)}</section>`] : []));
  return htmlPage(title, `${summary}\n${sections.join('\n')}\n<script>${SORT_SCRIPT}</script>`, { css: SUMMARY_CSS, scriptHash: await scriptHash(SORT_SCRIPT) });
}
