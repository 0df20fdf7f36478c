/** The fields of a post CSV and the `--columns` mapping (no CSV reading here: the options parser uses it). */
import { EngageAuditError } from '../../errors.js';

export const CSV_FIELDS = ['id', 'date', 'kind', 'text', 'url', 'likes', 'replies', 'reposts', 'quotes', 'impressions', 'client'] as const;
export type CsvField = (typeof CSV_FIELDS)[number];
/** Field → the column names it may have (first present wins). */
export type ColumnMap = Partial<Record<CsvField, string[]>>;

/** `date=Publish time,likes=Reactions` → a column map; unknown fields are a usage error. */
export function parseColumnMap(spec: string): ColumnMap {
  const map: ColumnMap = {};
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const field = part.slice(0, eq).trim().toLowerCase() as CsvField;
    const column = part.slice(eq + 1).trim();
    if (eq === -1 || !column) throw new EngageAuditError('USAGE', `--columns: "${part.trim()}" is not field=Column Name`);
    if (!(CSV_FIELDS as readonly string[]).includes(field)) throw new EngageAuditError('USAGE', `--columns: unknown field "${field}"; fields are ${CSV_FIELDS.join(', ')}`);
    map[field] = [column];
  }
  return map;
}
