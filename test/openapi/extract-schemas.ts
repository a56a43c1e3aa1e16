/**
 * Generates `openai-schemas.json`: the `components.schemas` of OpenAI's OpenAPI description
 * that our `/v1` responses are checked against, with everything they `$ref` (transitively).
 * The source YAML is 3 MB and takes a second to parse; the extract loads in milliseconds.
 *
 * Source: /work/shared/wire/openai-openapi.yaml = openai/openai-openapi @
 * f85dbe223d40e1a31cba812ab2d755c7e98a92a3 (2026-08-21), info.version 2.3.0 (wire/SOURCES.md).
 * Only annotations are dropped (`description`, `example(s)`, `x-oaiMeta`); every validation
 * keyword is copied as-is. Regenerate with:
 *
 *   npx tsx test/openapi/extract-schemas.ts [path/to/openapi.yaml]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SOURCE_COMMIT = 'f85dbe223d40e1a31cba812ab2d755c7e98a92a3';
export const ROOTS = [
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
  'CreateCompletionResponse',
  'CreateEmbeddingResponse',
  'ListModelsResponse',
  'Model',
  'ErrorResponse',
  'Response',
  'ResponseStreamEvent',
  'ResponseItemList',
] as const;

const DROP = new Set(['description', 'example', 'examples', 'x-oaiMeta']);

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // `description` is also a property *name* in some schemas: drop only annotation values.
      if (DROP.has(k) && (typeof x === 'string' || k === 'x-oaiMeta' || k === 'examples')) continue;
      out[k] = strip(x);
    }
    return out;
  }
  return v;
}

const yamlPath = process.argv[2] ?? '/work/shared/wire/openai-openapi.yaml';
const doc = parse(readFileSync(yamlPath, 'utf8')) as { info: { version: string }; components: { schemas: Record<string, unknown> } };
const all = doc.components.schemas;
const picked: Record<string, unknown> = {};
const queue: string[] = [...ROOTS];
while (queue.length) {
  const name = queue.pop()!;
  if (name in picked) continue;
  if (!(name in all)) throw new Error(`schema ${name} not found in ${yamlPath}`);
  picked[name] = strip(all[name]);
  JSON.stringify(all[name], (k, v) => {
    if (k === '$ref' && typeof v === 'string') queue.push(v.replace('#/components/schemas/', ''));
    return v;
  });
}
const sorted = Object.fromEntries(Object.keys(picked).sort().map((k) => [k, picked[k]]));
const out = {
  source: `openai/openai-openapi@${SOURCE_COMMIT} openapi.yaml (info.version ${doc.info.version}), components.schemas`,
  roots: ROOTS,
  schemas: sorted,
};
writeFileSync(fileURLToPath(new URL('./openai-schemas.json', import.meta.url)), `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${Object.keys(sorted).length} schemas`);
