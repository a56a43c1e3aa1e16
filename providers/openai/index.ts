import type { ProviderAdapter, SseFrame } from '../adapter.js';
import type { Usage } from '../types.js';
import { openAIEndpoint } from './endpoint.js';
import { parseOpenAIError } from './errors.js';
import { buildOpenAIRerankRequest, parseOpenAIRerankResponse } from './rerank.js';
import { buildOpenAIChatRequest } from './request.js';
import { parseOpenAIResponse } from './response.js';
import { openAIStreamMapper } from './stream.js';
import { convertOpenAIUsage } from './usage.js';

/** OpenAI and every OpenAI-compatible host (presets are data: ../openai-compatible/presets.ts). */
export const openAIAdapter: ProviderAdapter = {
  dialect: 'openai',
  passThrough: ['openai-chat', 'openai-completions', 'openai-embeddings', 'openai-responses', 'openai-images'],
  endpoint: (cfg, op, model) => openAIEndpoint(cfg, op, model),
  chat: {
    buildRequest: buildOpenAIChatRequest,
    parseResponse: (body) => parseOpenAIResponse(body),
    stream: openAIStreamMapper,
  },
  embeddings: {
    buildRequest(req, cfg) {
      const { url, headers } = openAIEndpoint(cfg, 'embeddings', req.model);
      const body: Record<string, unknown> = { model: req.model, input: req.input };
      if (req.dimensions !== undefined) body.dimensions = req.dimensions;
      if (req.encodingFormat) body.encoding_format = req.encodingFormat;
      if (req.user) body.user = req.user;
      return { method: 'POST', url, headers, body: JSON.stringify(body) };
    },
    parseResponse(body) {
      const b = body as any;
      if (!b || !Array.isArray(b.data)) throw new Error('upstream embeddings response has no data');
      return {
        model: String(b.model ?? ''),
        embeddings: b.data.map((d: any) => d.embedding),
        usage: { inputTokens: Number(b.usage?.prompt_tokens ?? 0) },
      };
    },
  },
  rerank: { buildRequest: buildOpenAIRerankRequest, parseResponse: parseOpenAIRerankResponse },
  parseError: parseOpenAIError,
  usageFromBody: (json) => convertOpenAIUsage((json as any)?.usage, (json as any)?.service_tier),
  sniffStreamUsage(frame: SseFrame): Usage | undefined {
    // Only the usage chunk carries a usage *object*; every other chunk has `"usage":null` or none.
    if (!frame.data.includes('"usage":{') && !frame.data.includes('"usage": {')) return undefined;
    try {
      const chunk = JSON.parse(frame.data);
      // A Responses stream carries it in its terminal event's `response`.
      if (chunk.usage === undefined && chunk.response) return convertOpenAIUsage(chunk.response.usage, chunk.response.service_tier);
      return convertOpenAIUsage(chunk.usage, chunk.service_tier);
    } catch {
      return undefined;
    }
  },
};
