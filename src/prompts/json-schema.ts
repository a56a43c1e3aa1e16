import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema } from './types.js';


/**
 * Prompt schemas are JSON Schema 2020-12 (the dialect of OpenAPI 3.1, where they are published).
 * `useDefaults` fills a variable's schema `default` before the template renders, as fastify's
 * own body validation does. One Ajv serves every prompt (an instance with formats costs ~20 ms
 * to build); each schema is removed from its cache once compiled, so hot reloads do not grow it
 * and a schema `$id` seen again in the next version does not clash. The compiled function lives
 * on with the prompt version that holds it.
 */
const require = createRequire(import.meta.url);
let instance: Ajv2020 | undefined;

/** Built on the first prompt schema, not at start-up: a gateway without prompts never pays it. */
function ajv2020(): Ajv2020 {
  if (instance) return instance;
  const { Ajv2020: Ctor } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // ajv-formats is CommonJS: its module object is the function (with a `default` beside it).
  const formats = require('ajv-formats') as { default?: (a: Ajv2020) => void } & ((a: Ajv2020) => void);
  const a = new Ctor({ strict: false, allErrors: false, useDefaults: true });
  (formats.default ?? formats)(a);
  return (instance = a);
}

export function compileSchema(schema: JsonSchema, what: string): ValidateFunction {
  const ajv = ajv2020();
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
