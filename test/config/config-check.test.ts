/**
 * The build writes the config validator as Ajv standalone code (dist/src/config/
 * config-check.generated.cjs) so that a start does not compile the schema. That code must judge
 * every config exactly as the validator compiled at run time does: same verdict, same errors.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { compileConfigCheck, configCheckSource } from '../../src/config/config-check.js';
import { parseConfigText } from '../../src/config/load.js';

// Written under the repo so the generated code's require('ajv/…') resolves as it does in dist/.
const generatedPath = fileURLToPath(new URL(`../../node_modules/.tollgate-config-check-${process.pid}.cjs`, import.meta.url));
writeFileSync(generatedPath, configCheckSource());
afterAll(() => rmSync(generatedPath, { force: true }));
const standalone = createRequire(import.meta.url)(generatedPath) as ValidateFunction;
const compiled = compileConfigCheck();

// The example after ${VAR} interpolation, as the validator sees it at start.
const example = parseConfigText(readFileSync(fileURLToPath(new URL('../../tollgate.example.yaml', import.meta.url)), 'utf8'), {}).file as Record<string, unknown>;
const cases: Array<[string, unknown]> = [
  ['the example config', example],
  ['an empty config', {}],
  ['an unknown top-level key', { ...example, colour: 'blue' }],
  ['a port out of range and a non-URL base_url', { server: { port: 70000 }, providers: { x: { dialect: 'openai', base_url: 'not a url' } } }],
  ['wrong types everywhere', { server: 'fast', providers: [], aliases: 3, limits: { teams: 'all' } }],
];

describe('precompiled config validator', () => {
  it.each(cases)('%s: same verdict and same errors as the validator compiled at run time', (_name, value) => {
    const a = standalone(structuredClone(value));
    const b = compiled(structuredClone(value));
    expect(a).toBe(b);
    expect(standalone.errors ?? null).toEqual(compiled.errors ?? null);
  });

  it('rejects what it must (the check can fail)', () => {
    expect(standalone({ server: { port: -1 } })).toBe(false);
    expect(standalone.errors?.[0]?.instancePath).toBe('/server/port');
    expect(standalone(example)).toBe(true);
  });
});
