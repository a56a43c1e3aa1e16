/**
 * Tiny checks for the Anthropic request parser. Each throws InvalidRequest naming the field by
 * its dotted path, so a 400 tells the client exactly what to fix.
 */
import type { CacheControl } from '../../../providers/types.js';
import { InvalidRequest } from './errors.js';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireRecord(v: unknown, param: string): Record<string, unknown> {
  if (!isRecord(v)) throw new InvalidRequest(param, 'must be an object');
  return v;
}

export function requireString(v: unknown, param: string): string {
  if (typeof v !== 'string') throw new InvalidRequest(param, 'must be a string');
  return v;
}

export function requireNonEmptyString(v: unknown, param: string): string {
  if (typeof v !== 'string' || v === '') throw new InvalidRequest(param, 'must be a non-empty string');
  return v;
}

export function optionalBoolean(v: unknown, param: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new InvalidRequest(param, 'must be a boolean');
  return v;
}

/** A finite number in [min, max]; absent or null → undefined. */
export function optionalNumberIn(v: unknown, param: string, min: number, max: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new InvalidRequest(param, `must be a number between ${min} and ${max}`);
  }
  return v;
}

/** Integer token counts and the like: at least `min`, and at most 2³¹−1 (finite, exact). */
export function requireIntegerAtLeast(v: unknown, param: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_INTEGER_FIELD) {
    throw new InvalidRequest(param, `must be an integer between ${min} and ${MAX_INTEGER_FIELD}`);
  }
  return v;
}

const MAX_INTEGER_FIELD = 2_147_483_647;

/** Anthropic `cache_control`: `{type: "ephemeral", ttl?: "5m" | "1h"}`; absent or null → undefined. */
export function optionalCacheControl(v: unknown, param: string): CacheControl | undefined {
  if (v === undefined || v === null) return undefined;
  const cc = requireRecord(v, param);
  if (cc.type !== 'ephemeral') throw new InvalidRequest(`${param}.type`, 'must be "ephemeral"');
  if (cc.ttl === undefined || cc.ttl === null) return { type: 'ephemeral' };
  if (cc.ttl !== '5m' && cc.ttl !== '1h') throw new InvalidRequest(`${param}.ttl`, 'must be "5m" or "1h"');
  return { type: 'ephemeral', ttl: cc.ttl };
}
