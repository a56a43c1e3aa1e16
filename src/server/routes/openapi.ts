import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { stringify } from 'yaml';
import { adminPaths, adminSchemas } from '../../admin/openapi.js';
import type { PromptLibrary } from '../../prompts/library.js';
import { promptPaths } from '../../prompts/openapi.js';
import type { PromptRegistry } from '../../prompts/registry.js';
import { ChatCompletionRequestSchema } from '../../surfaces/openai-chat/chat-request-schema.js';
import { ResponsesRequestSchema } from '../../surfaces/openai-responses/request-schema.js';
import { FAVICON_SVG, LOGO_SVG } from './logo.js';
import { declareAuth } from '../auth-hook.js';

export interface OpenApiRoutesOptions {
  library: PromptLibrary;
}

/**
 * `GET /openapi.json` — OpenAPI 3.1: the `/v1` surface plus one operation per prompt — and
 * `/docs`, which renders it with Swagger UI (@fastify/swagger-ui, loaded on the first request: its
 * assets are served from the package, so the page works with no network). Both are public unless `docs.public: false`
 * (docs/contract.md §5), then they need a key like `/v1`.
 * The document follows the prompt registry: it is rebuilt when the registry changes and
 * cached in between.
 */
export const openapiRoutes: FastifyPluginAsync<OpenApiRoutesOptions> = async (app, { library }) => {
  // Swagger UI's own routes (page, assets, document) included.
  declareAuth(app, 'docs');
  let cached: { registry: PromptRegistry; doc: Record<string, unknown> } | undefined;
  const document = () => {
    const registry = library.current;
    if (cached?.registry !== registry) cached = { registry, doc: buildOpenApiDocument(registry) };
    return cached.doc;
  };
  app.get('/openapi.json', async () => document());

  // Swagger UI (@fastify/swagger-ui, with @fastify/static, yaml and their ~100 modules: ~1.3 MB
  // of heap) is loaded on the first `/docs` request, not at start: a gateway that never shows its
  // docs page never holds it. It runs in a fastify instance of its own that this scope's `/docs`
  // routes hand each request to; auth and the response headers of this app apply as to any route.
  let docs: Promise<FastifyInstance> | undefined;
  const docsApp = () => (docs ??= swaggerApp(document).catch((err: unknown) => {
    docs = undefined; // a failed load is tried again on the next request
    throw err;
  }));
  const forward = async (req: FastifyRequest, reply: FastifyReply) => {
    const inner = await docsApp();
    const headers: Record<string, string> = {};
    for (const h of FORWARDED_REQUEST_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const r = await inner.inject({ method: req.method as 'GET' | 'HEAD', url: req.url, headers });
    for (const [k, v] of Object.entries(r.headers)) {
      if (v !== undefined && !HOP_HEADERS.has(k)) reply.header(k, v);
    }
    reply.code(r.statusCode);
    return r.rawPayload.length ? reply.send(r.rawPayload) : reply.send();
  };
  app.get('/docs', forward);
  app.get('/docs/*', forward);
};

/** What a browser sends that Swagger UI's static files answer by (caching, compression). */
const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-encoding', 'if-none-match', 'if-modified-since', 'range'] as const;
/** Set by this app's own reply, not copied from the inner one. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);

async function swaggerApp(document: () => Record<string, unknown>): Promise<FastifyInstance> {
  const { default: swaggerUi } = await import('@fastify/swagger-ui');
  const inner = Fastify({ logger: false });
  // @fastify/swagger-ui reads the document from a `swagger()` decorator that @fastify/swagger
  // normally provides from route schemas. Ours is generated from the prompts instead, so a
  // plugin under that name provides the decorator.
  await inner.register(
    fp(
      async (s) => {
        s.decorate('swagger', ((opts?: { yaml?: boolean }) => (opts?.yaml ? stringify(document()) : document())) as never);
      },
      { name: '@fastify/swagger' },
    ),
  );
  await inner.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, docExpansion: 'list', tryItOutEnabled: false },
    logo: { type: 'image/svg+xml', content: Buffer.from(LOGO_SVG) },
    theme: { title: 'tollgate — API', favicon: [{ filename: 'favicon.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: Buffer.from(FAVICON_SVG) }] },
  });
  await inner.ready();
  return inner;
}

export function buildOpenApiDocument(registry: PromptRegistry): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'tollgate',
      version: '1.0.0',
      description:
        'An AI gateway: one OpenAI-compatible endpoint in front of many providers, and prompt templates published as REST APIs. Authenticate with `Authorization: Bearer <tollgate key>`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'prompts', description: 'Prompt templates from `prompts/` and `POST /admin/prompts`, one operation each.' },
      { name: 'openai', description: 'The OpenAI-compatible surface.' },
      { name: 'anthropic', description: 'The Anthropic Messages surface.' },
      { name: 'native', description: 'Providers’ own APIs, forwarded unchanged and metered (`/providers/{name}/…`).' },
      { name: 'rerank', description: "Cohere's rerank API in front of Cohere, Jina and Voyage." },
      { name: 'admin', description: 'Teams, keys and usage reports, with `Authorization: Bearer $TOLLGATE_ADMIN_KEY`.' },
    ],
    paths: { ...v1Paths, ...promptPaths(registry), ...adminPaths },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A tollgate key (or the admin key).' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'The admin key (TOLLGATE_ADMIN_KEY).' },
      },
      schemas: {
        ...adminSchemas,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['message', 'type', 'param', 'code'],
              properties: { message: { type: 'string' }, type: { type: 'string' }, param: { type: ['string', 'null'] }, code: { type: ['string', 'null'] } },
            },
          },
        },
        Usage: {
          type: 'object',
          properties: {
            prompt_tokens: { type: 'integer' },
            completion_tokens: { type: 'integer' },
            total_tokens: { type: 'integer' },
            cost: { type: 'number', description: 'USD' },
          },
        },
        PromptRef: { type: 'object', required: ['name', 'version'], properties: { name: { type: 'string' }, version: { type: 'string' } } },
        ChatCompletionRequest: chatRequestSchema,
        ResponseRequest: responsesRequestSchema,
      },
    },
  };
}

// TypeBox schemas carry symbol keys (invisible to JSON); a JSON round trip leaves the plain schema.
const chatRequestSchema = JSON.parse(JSON.stringify(ChatCompletionRequestSchema)) as Record<string, unknown>;
const responsesRequestSchema = JSON.parse(JSON.stringify(ResponsesRequestSchema)) as Record<string, unknown>;

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const anyObject = { type: 'object' };
const ok = (description: string, schema: Record<string, unknown> = anyObject) => ({ description, content: json(schema) });
const errorResponse = { description: 'An error in OpenAI’s envelope.', content: json({ $ref: '#/components/schemas/Error' }) };

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** An OpenAI POST whose body is a named component schema and whose answer is JSON or an SSE stream. */
const streamingPost = (operationId: string, summary: string, requestSchema: string, answer: string) => ({
  operationId,
  tags: ['openai'],
  summary,
  requestBody: { required: true, content: json({ $ref: `#/components/schemas/${requestSchema}` }) },
  responses: { '200': { description: answer, content: { ...json(anyObject), 'text/event-stream': { schema: { type: 'string' } } } }, default: errorResponse },
});

/** The `/v1` surface (docs/contract.md §3), described at the level a reader needs; the OpenAI reference has the full shapes. */
const v1Paths: Record<string, unknown> = {
  '/v1/chat/completions': {
    post: streamingPost(
      'createChatCompletion',
      'Chat completion on any configured model (`provider/model` or an alias); streams with `stream: true`.',
      'ChatCompletionRequest',
      '`chat.completion`, or SSE `chat.completion.chunk`s',
    ),
  },
  '/v1/responses': {
    post: streamingPost(
      'createResponse',
      'OpenAI Responses API on any configured model; streams with `stream: true`. Kept for the caller’s team unless `store: false`, and continued with `previous_response_id`.',
      'ResponseRequest',
      'A `response`, or its SSE events',
    ),
  },
  '/v1/responses/{id}': {
    get: { operationId: 'getResponse', tags: ['openai'], summary: 'A stored response of the caller’s team (404 for any other).', parameters: [idParam], responses: { '200': ok('The `response` as it was sent'), default: errorResponse } },
    delete: { operationId: 'deleteResponse', tags: ['openai'], summary: 'Deletes a stored response of the caller’s team.', parameters: [idParam], responses: { '200': ok('`{id, object: "response", deleted: true}`'), default: errorResponse } },
  },
  '/v1/responses/{id}/input_items': {
    get: {
      operationId: 'listInputItems',
      tags: ['openai'],
      summary: 'The input items a stored response was made from (a continuation’s history first), a page at a time.',
      parameters: [
        idParam,
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        { name: 'order', in: 'query', schema: { type: 'string', enum: ['asc', 'desc'], default: 'desc' } },
        { name: 'after', in: 'query', description: 'An item id: the page starts after it.', schema: { type: 'string' } },
      ],
      responses: { '200': ok('A `list` of items with `first_id`, `last_id`, `has_more`'), default: errorResponse },
    },
  },
  '/v1/completions': {
    post: { operationId: 'createCompletion', tags: ['openai'], summary: 'Legacy completions (OpenAI-format providers).', requestBody: { required: true, content: json(anyObject) }, responses: { '200': ok('`text_completion`'), default: errorResponse } },
  },
  '/v1/embeddings': {
    post: { operationId: 'createEmbedding', tags: ['openai'], summary: 'Embeddings.', requestBody: { required: true, content: json(anyObject) }, responses: { '200': ok('A list of embeddings'), default: errorResponse } },
  },
  '/v1/rerank': {
    post: {
      operationId: 'rerank',
      tags: ['rerank'],
      summary: "Rerank documents against a query, in Cohere's shape (`model`, `query`, `documents` as strings or `{text}`, `top_n`, `return_documents`, `max_tokens_per_doc`); answers `results[{index, relevance_score, document?}]`, `meta.billed_units` and `usage` with the cost. Served by Cohere and by hosts with a rerank endpoint (Jina, Voyage).",
      requestBody: { required: true, content: json(anyObject) },
      responses: { '200': ok('Results, best first'), default: errorResponse },
    },
  },
  '/v1/images/generations': {
    post: {
      operationId: 'createImage',
      tags: ['openai'],
      summary: 'Image generation (OpenAI-format providers): priced per image by size and quality, or by image tokens (gpt-image-1); the worst case (n × the dearest price) is reserved against budgets first.',
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['model', 'prompt'],
          properties: {
            model: { type: 'string' },
            prompt: { type: 'string', minLength: 1, maxLength: 32000 },
            n: { type: 'integer', minimum: 1, maximum: 10 },
            size: { type: 'string', description: '`WIDTHxHEIGHT` (e.g. `1024x1792`) or `auto`' },
            quality: { type: 'string', enum: ['auto', 'standard', 'hd', 'low', 'medium', 'high'] },
            response_format: { type: 'string', enum: ['url', 'b64_json'] },
            background: { type: 'string', enum: ['auto', 'transparent', 'opaque'] },
            output_format: { type: 'string', enum: ['png', 'jpeg', 'webp'] },
          },
        }),
      },
      responses: { '200': ok('`{created, data: [{b64_json | url, revised_prompt}], usage?}` as the provider sent it'), default: errorResponse },
    },
  },
  '/v1/models': { get: { operationId: 'listModels', tags: ['openai'], summary: 'The models this gateway can route to.', responses: { '200': ok('A list of models'), default: errorResponse } } },
  '/v1/models/{id}': {
    get: {
      operationId: 'retrieveModel',
      tags: ['openai'],
      summary: 'One model.',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': ok('A model'), default: errorResponse },
    },
  },
  '/v1/messages': {
    post: {
      operationId: 'createMessage',
      tags: ['anthropic'],
      summary: 'Anthropic Messages in front of every provider (also `x-api-key`).',
      requestBody: { required: true, content: json(anyObject) },
      responses: { '200': { description: 'A `message`, or its SSE events', content: { ...json(anyObject), 'text/event-stream': { schema: { type: 'string' } } } }, default: errorResponse },
    },
  },
  '/providers/{name}/{path}': {
    post: {
      operationId: 'nativeProviderCall',
      tags: ['native'],
      summary: 'A provider’s own API, metered: the body forwarded byte for byte to the configured provider `name` at an allow-listed native path (README, “The API”), the answer returned as sent.',
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'path', in: 'path', required: true, schema: { type: 'string' }, description: 'e.g. `chat/completions`, `v1/messages`, `v1beta/models/{model}:generateContent`, `model/{modelId}/converse`' },
      ],
      requestBody: { required: true, content: json(anyObject) },
      responses: { '200': { description: 'The provider’s answer or stream, unchanged', content: { ...json(anyObject), 'text/event-stream': { schema: { type: 'string' } }, 'application/vnd.amazon.eventstream': { schema: { type: 'string', format: 'binary' } } } }, default: errorResponse },
    },
  },
  '/v1/prompts': {
    get: { operationId: 'listPrompts', tags: ['prompts'], summary: 'The prompts this key may call: name, versions, description, input schema; and the files that failed to load.', responses: { '200': ok('A list of prompts'), default: errorResponse } },
  },
};
