import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from './types.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;

/**
 * Prompt schemas are JSON Schema 2020-12 (the dialect of OpenAPI 3.1, where they are published).
 * `useDefaults` fills a variable's schema `default` before the template renders, as fastify's
 * own body validation does. One Ajv serves every prompt (an instance with formats costs ~20 ms
 * to build); each schema is removed from its cache once compiled, so hot reloads do not grow it
 * and a schema `$id` seen again in the next version does not clash. The compiled function lives
 * on with the prompt version that holds it.
 */
const ajv = new Ajv2020({ strict: false, allErrors: false, useDefaults: true });
addFormats(ajv);

export function compileSchema(schema: JsonSchema, what: string): ValidateFunction {
  try {
    return ajv.compile(schema);
  } catch (err) {
    throw new Error(`${what} is not a valid JSON Schema: ${(err as Error).message}`);
  } finally {
    ajv.removeSchema(schema);
  }
}

/** A failing field as a client names it: `items[0].name`. */
export function fieldOf(e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty: string }).missingProperty));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty: string }).additionalProperty));
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/** "must be string", "must be one of a, b", "is not allowed" — the reason, for a message. */
export function reasonOf(e: ErrorObject, unknownKey = 'is not a declared variable'): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'additionalProperties') return unknownKey;
  if (e.keyword === 'enum') return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? 'is invalid';
}
