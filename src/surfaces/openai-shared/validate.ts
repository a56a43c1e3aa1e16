import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { invalidRequest } from '../../engine/errors.js';

const ajv = new Ajv({ allErrors: false, strict: false });

const pending: Array<() => void> = [];

/**
 * A request-body check; the returned function throws a 400 naming the failing field. The schema
 * is compiled once — by `warmUpBodyChecks()`, which the server runs right after it starts
 * listening (compiling every surface's schema before listening cost ~100 ms of start-up), or by
 * the first request that needs it, whichever comes first.
 */
export function compileBodyCheck(schema: TSchema, what: string): (body: unknown) => void {
  let validate: ValidateFunction | undefined;
  const compile = () => (validate ??= ajv.compile(schema));
  pending.push(compile);
  return (body) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw invalidRequest(`The ${what} body must be a JSON object.`);
    }
    const v = compile();
    if (!v(body)) throw toError(pick(v.errors ?? []));
  };
}

/** Compiles every body check not compiled yet. */
export function warmUpBodyChecks(): void {
  for (const compile of pending.splice(0)) compile();
}

/** For a union (`anyOf`), prefer a branch's range error ("must be <= 2") over its type errors. */
function pick(errors: ErrorObject[]): ErrorObject | undefined {
  const union = errors.find((e) => e.keyword === 'anyOf');
  if (!union) return errors[0];
  const specific = errors.find((e) => e.instancePath === union.instancePath && !['type', 'anyOf', 'const', 'null'].includes(e.keyword));
  return specific ?? union;
}

function toError(e: ErrorObject | undefined) {
  if (!e) return invalidRequest('Invalid request body.');
  const parts = e.instancePath.split('/').slice(1);
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  const param = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('');
  if (e.keyword === 'required') return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  if (e.keyword === 'additionalProperties') return invalidRequest(`Unrecognized request argument supplied: '${param}'.`, param, 'unknown_parameter');
  const msg = e.keyword === 'anyOf' ? 'has an invalid type or value' : e.keyword === 'enum' ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : (e.message ?? 'is invalid');
  return invalidRequest(`Invalid value for '${param}': ${msg}.`, param, 'invalid_value');
}
