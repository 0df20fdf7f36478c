/**
 * Escaping for HTML text and attribute values: every piece of post text, handle and name goes through
 * it. Control characters and bidi overrides are made inert first (forTerminal), so the page carries
 * none even as raw bytes.
 */
import { forTerminal } from './text.js';

const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: unknown): string {
  return forTerminal(String(value ?? ''), { lines: true }).replace(/[&<>"'`]/g, (c) => MAP[c]!);
}
