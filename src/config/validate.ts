import type { ErrorObject, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { compileConfigCheck } from './config-check.js';
import type { ConfigFile } from './schema.js';

let check: ValidateFunction | undefined;

/** The build's precompiled validator (./write-config-check.ts) when present, else compiled from the schema now. */
function configCheck(): ValidateFunction {
  if (check) return check;
  const require = createRequire(import.meta.url);
  // Beside this file in dist/src/config/, under dist/ as seen from the bundle dist/tollgate.mjs, or
  // from the CLI's chunk in dist/cli-chunks/ (`tollgate config check`).
  for (const path of ['./config-check.generated.cjs', './src/config/config-check.generated.cjs', '../src/config/config-check.generated.cjs']) {
    try {
      return (check = require(path) as ValidateFunction);
    } catch {
      // not built here
    }
  }
  return (check = compileConfigCheck());
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the (interpolated) config; every problem names its path: `providers.groq.base_url: must be a URL`. */
export function validateConfig(value: unknown): ConfigFile {
  if (value === null || value === undefined) return {};
  const valid = configCheck();
  if (valid(value)) return value as ConfigFile;
  throw new ConfigError(dedupe((valid.errors ?? []).map(describe)));
}

function describe(e: ErrorObject): string {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') path.push(String((e.params as { additionalProperty: string }).additionalProperty));
  const where = path.length ? path.join('.') : '(top level)';
  return `${where}: ${message(e)}`;
}

function message(e: ErrorObject): string {
  switch (e.keyword) {
    case 'format':
      return (e.params as { format: string }).format === 'uri' ? 'must be a URL' : `must be a ${(e.params as { format: string }).format}`;
    case 'pattern':
      return e.instancePath.endsWith('base_url') ? 'must be a URL' : `must match ${(e.params as { pattern: string }).pattern}`;
    case 'additionalProperties':
      return 'is not a known setting';
    case 'anyOf':
      return 'is not one of the allowed forms';
    case 'const':
      return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    default:
      return e.message ?? 'is invalid';
  }
}

/** Unions report one error per branch; keep the most useful (a `const` list becomes "must be one of"). */
function dedupe(lines: string[]): string[] {
  const byPath = new Map<string, string[]>();
  for (const l of lines) {
    const [p] = l.split(': ');
    byPath.set(p!, [...(byPath.get(p!) ?? []), l]);
  }
  const out: string[] = [];
  for (const [p, ls] of byPath) {
    const consts = ls.filter((l) => l.includes(': must be "'));
    if (consts.length > 1) {
      out.push(`${p}: must be one of ${consts.map((l) => l.slice(l.indexOf('"'))).join(', ')}`);
      continue;
    }
    const specific = ls.filter((l) => !l.endsWith('is not one of the allowed forms'));
    out.push(...new Set(specific.length ? specific : ls));
  }
  return out;
}
