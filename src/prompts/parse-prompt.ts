import { isScalar, parseDocument, stringify } from 'yaml';
import { compileSchema, fieldOf, reasonOf } from './json-schema.js';
import type { JsonSchema, PromptDefinition, PromptOrigin } from './types.js';

/** A prompt source that cannot be loaded; the message names the file's field. */
export class PromptSourceError extends Error {
  override name = 'PromptSourceError';
}

/** Model params a prompt may fix, as OpenAI's chat body names them (sent as-is). */
const PARAMS: Record<string, JsonSchema> = {
  temperature: { type: 'number', minimum: 0, maximum: 2 },
  top_p: { type: 'number', minimum: 0, maximum: 1 },
  max_tokens: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
  max_completion_tokens: { type: 'integer', minimum: 1, maximum: 2_147_483_647 },
  seed: { type: 'integer', minimum: -(2 ** 63), maximum: 2 ** 63 },
  stop: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 4 }] },
  presence_penalty: { type: 'number', minimum: -2, maximum: 2 },
  frequency_penalty: { type: 'number', minimum: -2, maximum: 2 },
  reasoning_effort: { enum: ['minimal', 'low', 'medium', 'high'] },
};

export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
export const VERSION_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._+-]{0,31}$';

/** The front matter, strict: an unknown key is a typo until proven otherwise. */
const FRONT_MATTER: JsonSchema = {
  type: 'object',
  required: ['version', 'model'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: NAME_PATTERN },
    version: { type: 'string', pattern: VERSION_PATTERN },
    description: { type: 'string' },
    model: { type: 'string', minLength: 1 },
    system: { type: 'string' },
    input: { type: 'object' },
    output: { anyOf: [{ const: 'text' }, { type: 'object' }] },
    output_strict: { type: 'boolean' },
    teams: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    params: { type: 'object', additionalProperties: false, properties: PARAMS },
    ...PARAMS,
  },
};
const checkFrontMatter = compileSchema(FRONT_MATTER, 'front matter schema');

/** Variable names the route reads itself; a prompt cannot declare them. */
const RESERVED = new Set(['stream']);

/**
 * `prompts/<name>.md`: YAML front matter between `---` lines, then the user-message template
 * (docs/contract.md §5). `name` defaults to the file's name, so a file `summarize.v1.md` with
 * `name: summarize` can keep an old version served across restarts.
 */
export function parsePromptSource(text: string, origin: PromptOrigin, defaultName?: string): PromptDefinition {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text);
  if (!m) throw new PromptSourceError('missing front matter: the file must start with a line "---", the YAML fields, then a line "---"');
  const doc = parseDocument(m[1]!, { prettyErrors: false });
  if (doc.errors.length) throw new PromptSourceError(`front matter is not valid YAML: ${doc.errors[0]!.message}`);
  const fm = doc.toJS() as Record<string, unknown> | null;
  if (!fm || typeof fm !== 'object' || Array.isArray(fm)) throw new PromptSourceError('front matter must be a YAML mapping');
  // `version: 1.0` is a float to YAML (→ 1); the author meant the text they wrote.
  const v = doc.get('version', true);
  if (isScalar(v) && typeof v.value === 'number') fm.version = v.source ?? String(v.value);
  if (!checkFrontMatter(fm)) {
    const e = checkFrontMatter.errors![0]!;
    throw new PromptSourceError(`front matter '${fieldOf(e) || '(root)'}' ${reasonOf(e, 'is not a known field')}`);
  }

  const name = (fm.name as string | undefined) ?? defaultName;
  if (!name) throw new PromptSourceError(`front matter 'name' is required`);
  if (!new RegExp(NAME_PATTERN).test(name)) throw new PromptSourceError(`'${name}' is not a valid prompt name (letters, digits, '-' and '_'; set 'name' in the front matter)`);

  const input = (fm.input as JsonSchema | undefined) ?? { type: 'object', properties: {}, additionalProperties: false };
  if (input.type !== 'object') throw new PromptSourceError(`front matter 'input' must be a JSON Schema of type 'object' (the variables)`);
  for (const k of Object.keys((input.properties as object | undefined) ?? {})) {
    if (RESERVED.has(k)) throw new PromptSourceError(`front matter 'input.properties.${k}': '${k}' is reserved (it asks for a streamed answer)`);
  }
  const output = (fm.output as 'text' | JsonSchema | undefined) ?? 'text';
  const teams = fm.teams === undefined ? undefined : typeof fm.teams === 'string' ? [fm.teams] : (fm.teams as string[]);

  const params: Record<string, unknown> = { ...(fm.params as Record<string, unknown> | undefined) };
  for (const k of Object.keys(PARAMS)) if (fm[k] !== undefined) params[k] = fm[k];

  return {
    name,
    version: fm.version as string,
    description: (fm.description as string | undefined) ?? '',
    model: fm.model as string,
    params: Object.freeze(params),
    ...(typeof fm.system === 'string' && { system: fm.system }),
    template: m[2]!.trim(),
    input,
    output,
    outputStrict: fm.output_strict === true,
    ...(teams && { teams: Object.freeze([...teams]) }),
    source: text,
    origin,
  };
}

/**
 * The JSON form `POST /admin/prompts` also accepts (`{name, version, …, template}`) → the file
 * form, so stored and file prompts go through the one parser.
 */
export function sourceFromFields(fields: Record<string, unknown>): string {
  const { template, ...front } = fields;
  if (typeof template !== 'string') throw new PromptSourceError(`'template' is required (the user message template), or send the whole file as 'source'`);
  return `---\n${stringify(front)}---\n${template}\n`;
}
