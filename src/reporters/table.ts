/**
 * The terminal reporter: the account, each key metric with its method, the audits with their advice,
 * the role and why, the layer score with its ledger, a monthly summary. Colour only when asked (TTY).
 * Fits 80 columns.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { AuditStatus, Report } from '../model/report.js';
import { accountName, asOfText, layerDays, layerScoreText, day, dec, int, NA, rate, PLATFORM_NAMES, sparkline, windowStart, wrap } from './format.js';
import { partialNote, reportView } from './view.js';
import { forTerminal, oneLine } from '../lib/text.js';
import { actionsTable } from './sections/actions.js';
import { audienceQualityLines } from './sections/audience-quality.js';

const LABEL = 17;

export interface TableOptions {
  color: boolean;
  width?: number;
}

const SOURCE_NAMES: Record<string, string> = { archive: 'archive', api: 'API pull', csv: 'CSV', dataset: 'saved dataset' };

function statusMark(status: AuditStatus, c: ChalkInstance): string {
  switch (status) {
    case 'pass': return c.green('PASS');
    case 'warn': return c.yellow('WARN');
    case 'fail': return c.red('FAIL');
    case 'error': return c.magenta('ERR ');
    default: return c.dim('n/a ');
  }
}

function scoreColor(score: number | null, c: ChalkInstance): string {
  if (score === null) return c.dim(NA);
  const s = String(score);
  return score >= 90 ? c.green(s) : score >= 50 ? c.yellow(s) : c.red(s);
}

function table(head: string[], colWidths: number[], c: ChalkInstance): Table.Table {
  return new Table({
    head: head.map((h) => c.bold(h)),
    colWidths,
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
  });
}

export function renderTable(original: Report, options: TableOptions): string {
  const report = cleanReport(original);
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(40, Math.min(options.width ?? 80, 120));
  const narrow = width < 80;
  const lines: string[] = [];
  const { account, metrics: m, window: w, input } = report;
  const { name, detail } = accountName(account, input.platform);
  lines.push(c.bold(`engage-audit · ${name}${detail ? ` (${detail})` : ''}`));
  lines.push(wrap(`${PLATFORM_NAMES[input.platform] ?? input.platform} ${SOURCE_NAMES[input.source] ?? input.source} · ${input.target}`, width, 2));
  lines.push(
    wrap(`Window ${windowStart(report)} → ${day(w.until)} (${w.days === null ? NA : `${w.days} days`}, ${int(w.posts)} posts) · ${asOfText(report)}`, width, 2),
  );
  const view = reportView(report);
  if (view.interactions !== null) lines.push(wrap(view.interactions, width, 2));
  if (!input.complete) lines.push(c.yellow('Input incomplete: some data could not be read (see warnings below).'));
  lines.push('');

  const overall = view.overall === null ? scoreColor(null, c) : `${scoreColor(view.overall, c)}/100`;
  lines.push(wrap(`${c.bold('Overall')} ${overall} · ${view.coverage}`, width, 2));
  lines.push(wrap(view.categories.map(({ name, score }) => `${name} ${scoreColor(score, c)}`).join(' · '), width, 2));
  lines.push(wrap(`${c.bold('Role')} ${report.role.label}: ${report.role.reason}`, width, 2));
  lines.push('');

  // Key metrics, each with its method.
  lines.push(c.bold('Key metrics'));
  for (const [label, text] of view.lines) lines.push(wrap(`${c.bold(label.padEnd(LABEL))}${text}`, width, LABEL));
  lines.push('');

  // Audits: a table at 80 columns and more, a list below (no word is ever cut).
  if (narrow) {
    lines.push(c.bold('Audits'));
    for (const audit of report.audits) {
      lines.push(wrap(`${statusMark(audit.status, c)} ${c.bold(audit.title)}: ${audit.displayValue}`, width, 5));
      lines.push(c.dim(wrap(`     ${audit.advice}`, width, 5)));
    }
  } else {
    const auditTable = table(['', 'Audit', 'Value', 'Advice'], [6, 18, 22, width - 6 - 18 - 22 - 5], c);
    for (const audit of report.audits) auditTable.push([statusMark(audit.status, c), audit.title, audit.displayValue, audit.advice]);
    lines.push(auditTable.toString());
  }
  lines.push('');
  lines.push(...audienceQualityLines(report).map((line, i) => (i === 0 ? c.bold(wrap(line, width, 2)) : wrap(line, width, 4))), '');

  // Layers.
  const l = m.layers;
  lines.push(
    wrap(
      l.score === null
        ? `${c.bold('Layer score')} ${layerScoreText(report)}`
        : `${c.bold('Layer score')} ${l.score}/100 (Klout-style, 1–100; not part of the overall score): who talked with the account over the ${layerDays(report)} days ${day(l.since)} → ${day(l.until)}, ${dec(l.weighted)} weighted in all${partialNote(report, 'layers.score')}`,
      width,
      2,
    ),
  );
  for (const entry of l.score === null ? [] : l.ledger) {
    const detail = entry.detail ? ledgerDetail(entry.detail) : '';
    lines.push(`  ${LEDGER_NAMES[entry.component].padEnd(30)} ${dec(entry.count).padStart(7)} × ${String(entry.weight).padEnd(4)} = ${dec(entry.points).padStart(8)}`);
    if (detail) lines.push(c.dim(wrap(`      ${detail}${entry.component === 'l1' ? ' (one account may count under several kinds)' : ''}`, width, 6)));
  }
  lines.push('');

  // Monthly.
  if (report.monthly.length > 0) {
    const monthly = narrow
      ? table(['Month', 'Posts', 'Reply', 'ER/post'], [9, 7, 7, 10], c)
      : table(['Month', 'Posts', 'Orig', 'Thr', 'Reply', 'RP', 'Quote', 'ER/post'], [9, 7, 6, 5, 7, 5, 7, 10], c);
    // The terminal shows the last 24 months; JSON, CSV and HTML keep them all.
    const shown = report.monthly.slice(-24);
    for (const row of shown) {
      monthly.push(
        narrow
          ? [row.month, int(row.posts), int(row.reply), rate(row.ratePerPostMean)]
          : [row.month, int(row.posts), int(row.original), int(row.thread), int(row.reply), int(row.repost), int(row.quote), rate(row.ratePerPostMean)],
      );
    }
    lines.push(monthly.toString());
    if (shown.length < report.monthly.length) lines.push(c.dim(`(the last 24 of ${report.monthly.length} months; --json has them all)`));
    lines.push(`posts ${sparkline(shown.map((r) => r.posts))}   engagement rate ${sparkline(shown.map((r) => r.ratePerPostMean))}`);
    lines.push('');
  }

  lines.push(...actionsTable(report, c, width));
  const top = (report.topInteractors.outbound ?? []).slice(0, 5);
  if (top.length > 0) lines.push(wrap(`${c.bold('You talk with most')}: ${top.map((t) => `@${t.account} (${t.count})`).join(', ')}`, width, 2));
  if (report.topInteractors.inbound && report.topInteractors.inbound.length > 0) {
    lines.push(wrap(`${c.bold('Who talks with you most')}: ${report.topInteractors.inbound.slice(0, 5).map((t) => `@${t.account} (${t.count})`).join(', ')}`, width, 2));
  }

  const unavailable = Object.entries(input.availability);
  if (unavailable.length > 0) {
    lines.push('', c.bold('Not available from this source'));
    for (const [key, why] of unavailable) lines.push(c.dim(wrap(`  ${key}: ${why}`, width, 4)));
  }
  if (input.warnings.length > 0) {
    lines.push('', c.bold(c.yellow('Warnings')));
    for (const warning of input.warnings) lines.push(c.yellow(wrap(`  ${warning}`, width, 4)));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The report with every string (and every key: availability names come from the source) inert for
 * a terminal, on one line (forTerminal); names, targets and warnings also cut to length.
 */
function cleanReport(original: Report): Report {
  const r = inert(original) as Report;
  const s = (t: string | null): string | null => (t === null ? null : oneLine(t, 300));
  const list = (l: Report['topInteractors']['outbound'] | null) => (l === null ? null : l.map((x) => ({ ...x, account: oneLine(x.account, 80) })));
  return {
    ...r,
    input: { ...r.input, target: oneLine(r.input.target, 300), warnings: r.input.warnings.map((w) => oneLine(w)), availability: Object.fromEntries(Object.entries(r.input.availability).map(([k, v]) => [k, oneLine(v)])) },
    account: { ...r.account, id: s(r.account.id), handle: s(r.account.handle), displayName: s(r.account.displayName) },
    topInteractors: { outbound: list(r.topInteractors.outbound), inbound: list(r.topInteractors.inbound), twoWay: list(r.topInteractors.twoWay) },
  };
}

function inert(value: unknown): unknown {
  if (typeof value === 'string') return forTerminal(value);
  if (Array.isArray(value)) return value.map(inert);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [forTerminal(k), inert(v)]));
}

const LEDGER_NAMES = {
  l1: 'L1: people, either way',
  twoWay: 'two-way: people, both ways',
  l2: 'L2: people one reply deeper',
  l3: 'L3: people deeper still',
  estimatedInbound: 'received (counts, not people)',
} as const;

function ledgerDetail(detail: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null) continue;
    if (typeof value === 'object') {
      const inner = Object.entries(value as Record<string, number | null>)
        .filter(([, v]) => v !== null && v !== 0)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      if (inner) parts.push(`${key}: ${inner}`);
    } else parts.push(`${key} ${value as number}`);
  }
  return parts.join('; ');
}

/** Several accounts side by side (many targets). */
export function renderSummaryTable(head: readonly string[], rows: readonly string[][], color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  // Cells break anywhere (a long target or error stays whole); the bold heads only at spaces, which
  // keeps their colour codes whole.
  const t = new Table({ head: head.map((h) => c.bold(h)), colWidths: [24, 7, 10, 9, 8, 13, 7], wordWrap: true, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((content) => ({ content, wrapOnWordBoundary: false })));
  return `${c.bold('Summary')}\n${t.toString()}\n`;
}
