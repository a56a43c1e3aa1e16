import { invalidRequest } from '../engine/errors.js';

/**
 * A numeric literal JSON.parse turns into ±Infinity (`1e400`, 309+ digits). Only a body this
 * matches is walked, so the common body costs one native scan.
 */
const OVERFLOW = /\d[eE]\+?\d{3}|\d{309}/;

/**
 * Parses a JSON request body. Every number must be finite: `1e400` parses to Infinity, which
 * integer checks (ajv's included) let through, so it is refused here, once, for every route,
 * naming the field.
 */
export function parseJsonBody(text: string): unknown {
  const value: unknown = JSON.parse(text);
  const at = OVERFLOW.test(text) ? nonFinite(value, '') : undefined;
  if (at !== undefined) throw invalidRequest(`Invalid value for '${at || '(body)'}': a number too large to represent.`, at || null, 'invalid_value');
  return value;
}

/** The path (`messages[0].x`) of the first non-finite number, or undefined. */
function nonFinite(v: unknown, path: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const at = nonFinite(v[i], `${path}[${i}]`);
      if (at !== undefined) return at;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const at = nonFinite(x, path ? `${path}.${k}` : k);
      if (at !== undefined) return at;
    }
  }
  return undefined;
}
