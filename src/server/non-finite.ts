import { invalidRequest } from '../engine/errors.js';

/**
 * JSON number literals that overflow a double (`1e400`, 309+ digits) parse to ±Infinity and pass
 * any `type: number`/`integer` check without an upper bound; re-serialised they become `null`.
 * Such a literal needs an exponent of three digits or more, or 309 digits in a row: bodies
 * without one (nearly all) skip the walk.
 */
const MAYBE_OVERFLOW = /[eE]\+?0*[1-9]\d{2}|\d{309}/;

/** Throws a 400 naming the first number in `value` that is not finite (only when `text` could hold one). */
export function rejectNonFiniteNumbers(text: string, value: unknown): void {
  if (!MAYBE_OVERFLOW.test(text)) return;
  const path = nonFinitePath(value, '');
  if (path !== undefined) {
    const param = path || 'body';
    throw invalidRequest(`Invalid value for '${param}': numbers must be finite (the value overflows a 64-bit float).`, param, 'invalid_value');
  }
}

function nonFinitePath(v: unknown, path: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : path;
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = nonFinitePath(v[i], `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  for (const k of Object.keys(v)) {
    const p = nonFinitePath((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (p !== undefined) return p;
  }
  return undefined;
}
