import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { invalidRequest } from '../../engine/errors.js';

const ajv = new Ajv({ allErrors: false, strict: false });

/** Compiles a schema once (at start-up); the returned check throws a 400 naming the failing field. */
export function compileBodyCheck(schema: TSchema, what: string): (body: unknown) => void {
  const validate: ValidateFunction = ajv.compile(schema);
  return (body) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw invalidRequest(`The ${what} body must be a JSON object.`);
    }
    if (!validate(body)) throw toError(pick(validate.errors ?? []));
  };
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
  const param = parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('');
  if (e.keyword === 'required') return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  const msg = e.keyword === 'anyOf' ? 'has an invalid type or value' : e.keyword === 'enum' ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : (e.message ?? 'is invalid');
  return invalidRequest(`Invalid value for '${param}': ${msg}.`, param, 'invalid_value');
}
