/** `schema`: JSON Schema (2020-12) generated from the zod schemas, so it cannot drift from the code. */
import { z } from 'zod';
import { ReportSchema } from '../model/report.js';
import { SavedDatasetSchema } from '../model/dataset.js';
import { ConfigFileSchema } from './config-schema.js';

const SCHEMAS = {
  report: [ReportSchema, 'engage-audit report (schemaVersion 1)'],
  dataset: [SavedDatasetSchema, 'engage-audit saved dataset (schemaVersion 1)'],
  config: [ConfigFileSchema, 'engage-audit config file (.engage-auditrc.json)'],
} as const;

export function jsonSchema(kind: keyof typeof SCHEMAS): Record<string, unknown> {
  const [schema, title] = SCHEMAS[kind];
  return { ...(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>), title };
}
