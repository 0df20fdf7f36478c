/**
 * Talking to the Graph API (docs/formats.md `facebook`): the pinned version, the next page of an
 * answer asked of the pull's own host, and the usage headers that say how much of the app's or the
 * Page's request limit is spent, so that a pull stops before it takes the Page's tools offline.
 */
import { EngageAuditError } from '../../errors.js';
import type { HttpClient } from '../http.js';
import { obj } from '../../lib/json.js';

export const GRAPH_DEFAULT_BASE = 'https://graph.facebook.com';
/** The Graph API version every request names: a pinned one, so that a new version cannot change the answers. */
export const GRAPH_VERSION = 'v21.0';
/** Usage (percent of a limit) at which no new request is started. */
export const STOP_AT_USAGE = 90;

/** The root every request starts from: the API base (or --api-base) and the pinned version. */
export const graphRoot = (apiBase: string | undefined): string => `${(apiBase ?? GRAPH_DEFAULT_BASE).replace(/\/+$/, '')}/${GRAPH_VERSION}`;

/**
 * The next page a `paging.next` URL names, asked of `root` whatever host and version it names: its
 * path and query, without the `access_token` Graph repeats in it (the token travels in a header only,
 * so it is never in a URL that could be logged). Undefined when there is no usable next URL.
 */
export function graphNext(root: string, next: unknown): string | undefined {
  if (typeof next !== 'string' || !URL.canParse(next)) return undefined;
  const url = new URL(next);
  url.searchParams.delete('access_token');
  const path = url.pathname.replace(/^\/v\d+(?:\.\d+)?(?=\/)/, '');
  return `${root}${path}?${url.searchParams}`;
}

/** The usage headers Graph sends: each a JSON object of percents, the business use case one keyed by id. */
const USAGE_HEADERS = ['x-app-usage', 'x-page-usage', 'x-business-use-case-usage'] as const;
const USAGE_FIELDS = ['call_count', 'total_cputime', 'total_time'] as const;

/**
 * The highest usage the Graph API reported so far, and the minutes its business use case header says
 * access would take to come back. `guard` refuses a new request once any usage is at STOP_AT_USAGE.
 */
export class GraphUsage {
  private peak = 0;
  private header = '';
  private regainMinutes = 0;

  note(headers: Record<string, string | string[] | undefined>): void {
    for (const name of USAGE_HEADERS) {
      const raw = headers[name];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value === undefined) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        continue; // a header that is not JSON says nothing
      }
      const entries = name === 'x-business-use-case-usage' ? Object.values(obj(parsed) ?? {}).flatMap((v) => (Array.isArray(v) ? v : [])) : [parsed];
      for (const entry of entries) {
        const e = obj(entry);
        for (const field of USAGE_FIELDS) {
          const n = e?.[field];
          if (typeof n === 'number' && Number.isFinite(n) && n > this.peak) {
            this.peak = n;
            this.header = name;
          }
        }
        const regain = e?.['estimated_time_to_regain_access'];
        if (typeof regain === 'number' && Number.isFinite(regain) && regain > this.regainMinutes) this.regainMinutes = regain;
      }
    }
  }

  /** Throws a rate limit once the reported usage reached STOP_AT_USAGE: no new request is started. */
  guard(): void {
    if (this.peak < STOP_AT_USAGE) return;
    const regain = this.regainMinutes > 0 ? `; Facebook expects access back in ${this.regainMinutes} min` : '';
    throw new EngageAuditError(
      'RATE_LIMIT',
      `Facebook reported ${Math.round(this.peak)}% of a request limit used (${this.header}): no further requests were made, to leave the rest to the Page's own tools${regain}`,
    );
  }

  /** GETs a Graph URL unless the usage forbids it, and notes the usage its answer reports. */
  async get(client: HttpClient, url: string, urgent = false): Promise<unknown> {
    this.guard();
    const res = await client.getJson(url, { urgent });
    this.note(res.headers);
    return res.body;
  }
}
