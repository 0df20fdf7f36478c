/**
 * The config file: `--config FILE`, else `.engage-auditrc.json` found upward from the working
 * directory. Validated with zod (config-schema.ts); every problem is a `path: message` line and exit 2. It overrides
 * thresholds per audit, benchmarks per platform, category weights, layer constants and scheduler
 * names, and carries LHCI-style assertions that set the exit code.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditConfig } from '../model/config.js';
import { DEFAULT_CONFIG } from '../model/defaults.js';
import type { ConfigFile } from './config-schema.js';
import { EngageAuditError } from '../errors.js';
import type { Assertions } from '../report/exit-code.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from '../sources/container/index.js';

export const CONFIG_FILE = '.engage-auditrc.json';
export interface LoadedConfig {
  file: string | null;
  config: AuditConfig;
  assert: Assertions | undefined;
  /** `allowPartial: true`: gates on the overall score compare the partial score below the coverage minimum. */
  allowPartial: boolean;
  limits: ArchiveLimits;
}

/** The nearest `.engage-auditrc.json` from `cwd` upward, or null. */
export function findConfig(cwd: string): string | null {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** An object's own value of `key` (a record's keys come from the file: `__proto__` is only a key). */
const own = (value: object, key: string): unknown => (Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);

/** `over` laid on `base`: objects key by key, lists appended, anything else replaced. */
function overlay(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (Array.isArray(base)) return [...base, ...(over as unknown[])];
  if (typeof base !== 'object' || base === null) return over;
  const keys = new Set([...Object.keys(base), ...Object.keys(over as object)]);
  return Object.fromEntries([...keys].map((k) => [k, overlay(own(base, k), own(over as object, k))]));
}

/** Merges a validated config file over the defaults, key by key of the model (so not the file's own keys). */
export function mergeConfig(file: ConfigFile): AuditConfig {
  // A number in the file is that platform's value for every band: one band from 0 (docs/metrics.md "Benchmarks").
  const benchmarks = file.benchmarks && Object.fromEntries(Object.entries(file.benchmarks).map(([p, b]) => [p, typeof b === 'number' ? [{ min: 0, value: b }] : b]));
  return overlay(DEFAULT_CONFIG, Object.fromEntries(Object.keys(DEFAULT_CONFIG).map((k) => [k, k === 'benchmarks' ? benchmarks : own(file, k)]))) as AuditConfig;
}

export async function loadConfig(cwd: string, explicit: string | undefined): Promise<LoadedConfig> {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : findConfig(cwd);
  if (file === null) return { file: null, config: DEFAULT_CONFIG, assert: undefined, allowPartial: false, limits: DEFAULT_LIMITS };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EngageAuditError('CONFIG', `${explicit ?? file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new EngageAuditError('CONFIG', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const { ConfigFileSchema, AUDIT_BETTER } = await import('./config-schema.js');
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new EngageAuditError('CONFIG', `${file}: ${lines.length} problem${lines.length === 1 ? '' : 's'} in the config file:\n  ${lines.join('\n  ')}`, {
      hint: 'Run `engage-audit schema config` for the format.',
    });
  }
  for (const [id, t] of Object.entries(parsed.data.thresholds ?? {})) {
    if (t && t.pass === t.fail) throw new EngageAuditError('CONFIG', `${file}: thresholds.${id}: pass and fail must differ`);
    // Inverted thresholds would grade backwards: refused, saying which way this audit runs.
    const better = AUDIT_BETTER[id];
    if (t && better !== undefined && (better === 'higher' ? t.pass < t.fail : t.pass > t.fail)) {
      throw new EngageAuditError('CONFIG', `${file}: thresholds.${id}: ${better} is better for this audit, so pass (${t.pass}) must be ${better === 'higher' ? 'above' : 'below'} fail (${t.fail})`);
    }
  }
  const assert = parsed.data.assert;
  return { file, limits: { ...DEFAULT_LIMITS, ...parsed.data.limits }, config: mergeConfig(parsed.data), allowPartial: parsed.data.allowPartial ?? false, assert: assert === undefined ? undefined : { ...(assert.audits ? { audits: assert.audits as Record<string, 'error' | 'warn' | 'off'> } : {}), ...(assert.minScore ? { minScore: assert.minScore } : {}) } };
}
