/**
 * Pacing to the Graph API's usage headers (docs/formats.md `instagram`): `X-App-Usage` and
 * `X-Business-Use-Case-Usage` say, in percent, how much of the app's and the account's limits is
 * spent. Once any figure reaches STOP_AT_PERCENT, or once the API throttled a request, no new request
 * starts: a throttled token stays blocked for up to an hour, so the pull keeps what it fetched
 * (coverage cut 'rate-limit') rather than wait.
 */
import { EngageAuditError } from '../../errors.js';
import { arr, obj } from '../../lib/json.js';
import type { HttpClient } from '../http.js';

/** The share of a limit, in percent, at which no new request starts. */
export const STOP_AT_PERCENT = 90;

const FIGURES = ['call_count', 'total_cputime', 'total_time'] as const;

/** The highest percentage the usage headers of one answer report, and Meta's estimate of the minutes until access returns. */
export function usageOf(headers: Record<string, string | string[] | undefined>): { percent: number; regainMinutes: number } | null {
  const parse = (name: string): unknown => {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  };
  const entries = [obj(parse('x-app-usage')), ...Object.values(obj(parse('x-business-use-case-usage')) ?? {}).flatMap((list) => arr(list).map(obj))];
  let percent: number | null = null;
  let regainMinutes = 0;
  for (const e of entries) {
    if (!e) continue;
    for (const f of FIGURES) if (typeof e[f] === 'number') percent = Math.max(percent ?? 0, e[f]);
    const regain = e['estimated_time_to_regain_access'];
    if (typeof regain === 'number') regainMinutes = Math.max(regainMinutes, regain);
  }
  return percent === null ? null : { percent, regainMinutes };
}

/** The requests of one pull, through the usage guard. */
export class GraphPacer {
  #stopped: string | null = null;

  async get(client: HttpClient, url: string, options: { urgent?: boolean } = {}): Promise<{ body: unknown }> {
    if (this.#stopped !== null) throw new EngageAuditError('RATE_LIMIT', this.#stopped);
    try {
      const res = await client.getJson(url, options);
      const usage = usageOf(res.headers);
      if (usage && usage.percent >= STOP_AT_PERCENT) {
        const regain = usage.regainMinutes > 0 ? `; Meta estimates access returns in ${usage.regainMinutes} min` : '';
        this.#stopped ??= `the Graph API usage headers report ${usage.percent} % of the limit spent: no new request was started, so as not to block the token${regain}`;
      }
      return res;
    } catch (error) {
      if (error instanceof EngageAuditError && error.code === 'RATE_LIMIT') this.#stopped ??= `the Graph API throttled an earlier request (${error.message})`;
      throw error;
    }
  }
}
