import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { ConfigFile } from './schema.js';

// ajv-formats and ajv's standalone module are CJS with `exports.default`; under NodeNext the
// default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (ajv: Ajv, fn: ValidateFunction) => string;

/** The config file's validator, compiled from the schema now (~150 ms; tests, or a dist/ without the build's precompiled copy). */
export function compileConfigCheck(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(ConfigFile);
}

/**
 * The same validator as CommonJS source (Ajv standalone code), which the build writes beside
 * validate.js so that `npm start` loads it instead of compiling the schema at every start.
 */
export function configCheckSource(): string {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  addFormats(ajv);
  return standaloneCode(ajv, ajv.compile(ConfigFile));
}
