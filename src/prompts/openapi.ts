import type { PromptRegistry } from './registry.js';
import type { CompiledPrompt, JsonSchema } from './types.js';

/**
 * The prompt half of `GET /openapi.json` (docs/contract.md §5): one operation per prompt at
 * `/v1/prompts/{name}` whose request body is the prompt's input schema (plus `stream`) and
 * whose 200 response carries its output schema, and one version-pinned operation each.
 * Prompt schemas are JSON Schema 2020-12, which is what OpenAPI 3.1 schema objects are, so they
 * go in as written.
 */
export function promptPaths(registry: PromptRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const p of registry.latest()) {
    const { name } = p.def;
    const versions = registry.list().find((l) => l.name === name)?.versions ?? [p.def.version];
    paths[`/v1/prompts/${name}`] = { post: operation(p, versions) };
    paths[`/v1/prompts/${name}/versions/{version}`] = { post: pinnedOperation(p, versions) };
  }
  return paths;
}

function operation(p: CompiledPrompt, versions: string[]): Record<string, unknown> {
  const d = p.def;
  return {
    operationId: `prompt_${d.name}`,
    tags: ['prompts'],
    summary: d.description || `Prompt ${d.name}`,
    description: [
      d.description,
      `Calls version **${d.version}** (the latest) of the prompt \`${d.name}\` on \`${d.model}\`.`,
      versions.length > 1 ? `Other versions: ${versions.filter((v) => v !== d.version).join(', ')} (pin one with \`/versions/{version}\`).` : '',
      d.teams ? `Restricted to the teams: ${d.teams.join(', ')}.` : '',
      'Send `"stream": true` or `Accept: text/event-stream` for a stream of `start`, `delta`, `done` (or `error`) events.',
    ]
      .filter(Boolean)
      .join('\n\n'),
    requestBody: { required: true, content: { 'application/json': { schema: withStream(d.input) } } },
    responses: responses(d.output, `prompt_${d.name}`),
  };
}

function pinnedOperation(p: CompiledPrompt, versions: string[]): Record<string, unknown> {
  const d = p.def;
  return {
    operationId: `prompt_${d.name}_version`,
    tags: ['prompts'],
    summary: `${d.description || `Prompt ${d.name}`} (a pinned version)`,
    description: `Calls one version of \`${d.name}\`. The body is that version's variables (\`GET /v1/prompts\` lists each version's input schema).`,
    parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'string', enum: versions } }],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: `The variables of that version of ${d.name}.` } } } },
    responses: responses('text', `prompt_${d.name}_version`, true),
  };
}

function withStream(input: JsonSchema): JsonSchema {
  const properties = { ...((input.properties as JsonSchema | undefined) ?? {}), stream: { type: 'boolean', default: false, description: 'Stream the answer as server-sent events.' } };
  return { ...input, properties };
}

function responses(output: 'text' | JsonSchema, id: string, anyOutput = false): Record<string, unknown> {
  const outputSchema = anyOutput ? { description: 'Text, or JSON matching that version’s output schema.' } : output === 'text' ? { type: 'string' } : output;
  const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  return {
    '200': {
      description: `The answer of ${id}`,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['output', 'model', 'usage', 'prompt'],
            properties: {
              output: outputSchema,
              model: { type: 'string' },
              usage: { $ref: '#/components/schemas/Usage' },
              prompt: { $ref: '#/components/schemas/PromptRef' },
            },
          },
        },
        'text/event-stream': { schema: { type: 'string', description: 'SSE: `start`, `delta` ({text}), then `done` (the JSON body above) or `error`.' } },
      },
    },
    '400': err('A variable is missing or invalid (`error.param` names it).'),
    '401': err('Missing or invalid API key.'),
    '403': err('This key may not call this prompt (teams) or its model.'),
    '404': err('No such prompt or version.'),
    '429': err('A rate limit, quota or budget was reached.'),
    '502': err('The provider failed, or its answer did not match the output schema (`output_invalid`).'),
  };
}
