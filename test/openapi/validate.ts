/**
 * Validates values against OpenAI's own OpenAPI schemas (extract in ./openai-schemas.json, made
 * by ./extract-schemas.ts from openai/openai-openapi @f85dbe22), compiled with Ajv's 2020-12
 * draft (OpenAPI 3.1 schemas are 2020-12 JSON Schema).
 *
 * One deliberate reading: the document says `openapi: 3.1.0` but five properties of
 * `CreateChatCompletionStreamResponse` (`usage`, `finish_reason`, `logprobs`, …) still carry the
 * OpenAPI 3.0 keyword `nullable: true`, which 2020-12 ignores. OpenAI's own recorded streams send
 * `null` there (test/fixtures/openai/*.sse), so `nullable: true` is given its 3.0 meaning ("null
 * is also allowed") — see `withNullable`. Nothing else is relaxed: no schema in the extract
 * forbids extra properties, so tollgate's `usage.cost` / `usage.estimated` pass as-is.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { createParser } from 'eventsource-parser';

const extract = JSON.parse(readFileSync(new URL('./openai-schemas.json', import.meta.url), 'utf8')) as {
  schemas: Record<string, unknown>;
};

export type OpenAISchemaName =
  | 'CreateChatCompletionResponse'
  | 'CreateChatCompletionStreamResponse'
  | 'CreateCompletionResponse'
  | 'CreateEmbeddingResponse'
  | 'ListModelsResponse'
  | 'Model'
  | 'ErrorResponse'
  | 'Response'
  | 'ResponseStreamEvent'
  | 'ResponseItemList';

/** OpenAPI 3.0 `nullable: true` → 2020-12 (`type: [T, "null"]`, or `anyOf` around a `$ref`). */
function withNullable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withNullable);
  if (!v || typeof v !== 'object') return v;
  const { nullable, ...rest } = v as Record<string, unknown>;
  const s: Record<string, unknown> = Object.fromEntries(Object.entries(rest).map(([k, x]) => [k, withNullable(x)]));
  if (nullable !== true) return s;
  if (typeof s.$ref === 'string') {
    const { $ref, ...others } = s;
    return { ...others, anyOf: [{ $ref }, { type: 'null' }] };
  }
  if (s.type !== undefined) s.type = [...(Array.isArray(s.type) ? s.type : [s.type]), 'null'];
  if (Array.isArray(s.enum)) s.enum = [...s.enum, null];
  return s;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
addFormats(ajv);
// OpenAPI's annotation-only formats: `unixtime` on integers, `float` on numbers.
ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
ajv.addFormat('float', { type: 'number', validate: () => true });
ajv.addSchema({ $id: 'openai', components: { schemas: withNullable(extract.schemas) } });

const compiled = new Map<string, ValidateFunction>();

/** Errors (Ajv's, as "path message" strings) of `value` against `#/components/schemas/<name>`; [] when valid. */
export function validateOpenAI(name: OpenAISchemaName, value: unknown): string[] {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.getSchema(`openai#/components/schemas/${name}`);
    if (!v) throw new Error(`no OpenAI schema ${name} in the extract`);
    compiled.set(name, v);
  }
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

export interface Violation {
  url: string;
  schema: OpenAISchemaName;
  errors: string[];
  value: unknown;
}

export interface CheckingFetch {
  /** Pass as `new OpenAI({ fetch })`: every JSON body and SSE chunk is validated as it passes. */
  fetch: typeof fetch;
  violations: Violation[];
  /** How many bodies / chunks were validated, by schema (lets a test prove the check ran). */
  checked: Partial<Record<OpenAISchemaName, number>>;
  /** Throws listing every violation seen, then forgets them. */
  assertClean(): void;
}

function schemaFor(url: string, status: number, method = 'GET'): OpenAISchemaName | undefined {
  if (status >= 400) return 'ErrorResponse';
  const path = new URL(url).pathname;
  // Stored responses: GET one (a Response), its input items (a list); OpenAI's DELETE answer has no schema.
  if (path.endsWith('/input_items')) return 'ResponseItemList';
  if (/\/responses\/[^/]+$/.test(path)) return method.toUpperCase() === 'GET' ? 'Response' : undefined;
  if (path.endsWith('/chat/completions')) return 'CreateChatCompletionResponse';
  if (path.endsWith('/responses')) return 'Response';
  if (path.endsWith('/completions')) return 'CreateCompletionResponse';
  if (path.endsWith('/embeddings')) return 'CreateEmbeddingResponse';
  if (path.endsWith('/models')) return 'ListModelsResponse';
  if (/\/models\/.+/.test(path)) return 'Model';
  return undefined;
}

/** A `fetch` that validates what the gateway answers against OpenAI's schemas, recording violations. */
export function createCheckingFetch(inner: typeof fetch = fetch): CheckingFetch {
  const violations: Violation[] = [];
  const checked: CheckingFetch['checked'] = {};
  const check = (url: string, schema: OpenAISchemaName, value: unknown) => {
    checked[schema] = (checked[schema] ?? 0) + 1;
    const errors = validateOpenAI(schema, value);
    if (errors.length) violations.push({ url, schema, errors, value });
  };
  const checkText = (url: string, schema: OpenAISchemaName, text: string) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      violations.push({ url, schema, errors: ['body is not JSON'], value: text });
      return;
    }
    check(url, schema, value);
  };

  const checkingFetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const res = await inner(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const schema = schemaFor(url, res.status, method);
    if (!schema || !res.body) return res;
    const init2 = { status: res.status, statusText: res.statusText, headers: res.headers };

    if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
      const chunkSchema: OpenAISchemaName = schema === 'CreateChatCompletionResponse' ? 'CreateChatCompletionStreamResponse' : schema === 'Response' ? 'ResponseStreamEvent' : schema;
      const parser = createParser({
        onEvent: (e) => {
          if (e.data === '[DONE]') return;
          // OpenAI's own mid-stream error is a data-only `{"error":{…}}` frame (the SDK raises it).
          // (A Responses stream's `error` event is one of its own events, in ResponseStreamEvent.)
          const isError = chunkSchema !== 'ResponseStreamEvent' && (e.event === 'error' || e.data.startsWith('{"error":'));
          checkText(url, isError ? 'ErrorResponse' : chunkSchema, e.data);
        },
      });
      const decoder = new TextDecoder();
      // Observe the bytes on their way to the SDK; cancelling the SDK's side cancels the socket.
      const observed = res.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, ctl) {
            parser.feed(decoder.decode(chunk, { stream: true }));
            ctl.enqueue(chunk);
          },
        }),
      );
      return new Response(observed, init2);
    }
    const text = await res.text();
    checkText(url, schema, text);
    return new Response(text, init2);
  };

  return {
    fetch: checkingFetch as typeof fetch,
    violations,
    checked,
    assertClean() {
      const seen = violations.splice(0);
      if (seen.length) {
        throw new Error(`OpenAI schema violations:\n${seen.map((v) => `${v.schema} @ ${v.url}: ${v.errors.join('; ')}\n  ${JSON.stringify(v.value).slice(0, 400)}`).join('\n')}`);
      }
    },
  };
}
