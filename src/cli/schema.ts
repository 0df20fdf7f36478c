/** `schema`: JSON Schema (2020-12) generated from the zod schemas, so it cannot drift from the code. */
import { z } from 'zod';
import { ReportSchema } from '../model/report.js';
import { SavedDatasetSchema } from '../model/dataset.js';

export function jsonSchema(kind: 'report' | 'dataset'): Record<string, unknown> {
  const schema = z.toJSONSchema(kind === 'report' ? ReportSchema : SavedDatasetSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    title: kind === 'report' ? 'engage-audit report (schemaVersion 1)' : 'engage-audit saved dataset (schemaVersion 1)',
  };
}
