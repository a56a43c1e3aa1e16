import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { invalidRequest } from '../engine/errors.js';

const ajv = new Ajv({ allErrors: false, strict: false });

/**
 * A request-body check for an admin route, compiled on the route's first call (the admin API is
 * not a hot path; compiling at start-up would delay listening). Throws a 400 whose `param` is
 * the failing field's dotted path, unknown fields included (`limits.rmp`).
 */
export function bodyCheck(schema: TSchema): (body: unknown) => void {
  let validate: ValidateFunction | undefined;
  return (body) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
    validate ??= ajv.compile(schema);
    if (!validate(body)) throw toError(pick(validate.errors ?? []));
  };
}

/** In a union (nullable limits, period literals) the deepest error is the useful one. */
function pick(errors: ErrorObject[]): { e: ErrorObject; allowed?: unknown[] } | undefined {
  const e = errors.filter((x) => x.keyword !== 'anyOf').reduce<ErrorObject | undefined>((a, x) => (!a || x.instancePath.length > a.instancePath.length ? x : a), undefined);
  if (!e) return errors[0] && { e: errors[0] };
  if (e.keyword !== 'const') return { e };
  const allowed = errors.filter((x) => x.keyword === 'const' && x.instancePath === e.instancePath).map((x) => (x.params as { allowedValue: unknown }).allowedValue);
  return { e, allowed };
}

function toError(picked: { e: ErrorObject; allowed?: unknown[] } | undefined) {
  if (!picked) return invalidRequest('Invalid request body.');
  const { e, allowed } = picked;
  const parts = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  const param = parts.join('.') || null;
  const where = param ?? 'the body';
  switch (e.keyword) {
    case 'required':
      return invalidRequest(`${where} is required.`, param, 'missing_required_parameter');
    case 'additionalProperties':
      return invalidRequest(`${where} is not a known field.`, param, 'unknown_parameter');
    case 'const':
      return invalidRequest(`${where} must be one of ${allowed!.join(', ')}.`, param, 'invalid_value');
    default:
      return invalidRequest(`${where} ${e.message ?? 'is invalid'}.`, param, 'invalid_value');
  }
}
