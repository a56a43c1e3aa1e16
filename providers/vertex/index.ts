/**
 * The Google Vertex AI adapter. One provider serves two publishers, chosen by model id
 * (./endpoint.ts `publisherOf`): Gemini models speak the Gemini adapter's wire format, Claude
 * models the Anthropic adapter's — both reused here, not copied; only the URL, the body's
 * version field and the auth differ. Auth is a bearer token: the entry's `access_token`, or one
 * fetched for a service-account key — the `credential` hook (./token.ts), applied per attempt.
 */
import type { ProviderAdapter, StreamMapper, UpstreamErrorInput } from '../adapter.js';
import { anthropicUsageFromBody } from '../anthropic/passthrough-usage.js';
import { parseAnthropicError } from '../anthropic/errors.js';
import { parseAnthropicResponse } from '../anthropic/response.js';
import { anthropicStreamMapper } from '../anthropic/stream.js';
import { parseGeminiError } from '../gemini/errors.js';
import { parseGeminiResponse } from '../gemini/response.js';
import { geminiStreamMapper } from '../gemini/stream.js';
import { geminiUsageFromBody } from '../gemini/usage.js';
import type { ChatRequest, GatewayErrorShape, Usage } from '../types.js';
import { publisherOf, vertexEndpoint } from './endpoint.js';
import { buildVertexChatRequest } from './request.js';
import { applyVertexToken, parseVertexToken, vertexTokenRequest } from './token.js';

interface VertexStreamState {
  request: ChatRequest;
  mapper?: StreamMapper<unknown>;
  inner?: unknown;
}

/*
 * The engine hands the reader the client's request, whose model may be an alias: which publisher
 * answered is read from the answer itself. Anthropic names every SSE event (`event: message_start`)
 * and answers `{"type":"message",…}`; Gemini names none and answers `{"candidates":…}`.
 */
const mapperFor = (anthropic: boolean) => (anthropic ? anthropicStreamMapper : geminiStreamMapper) as StreamMapper<unknown>;

function started(s: VertexStreamState, anthropic: boolean): VertexStreamState & { mapper: StreamMapper<unknown> } {
  if (!s.mapper) {
    s.mapper = mapperFor(anthropic);
    s.inner = s.mapper.init(s.request);
  }
  return s as VertexStreamState & { mapper: StreamMapper<unknown> };
}

/** The publisher's own stream reducer, picked on the first frame. */
const vertexStreamMapper: StreamMapper<VertexStreamState> = {
  init: (request) => ({ request }),
  step(s, frame) {
    const m = started(s, frame.event !== undefined);
    return m.mapper.step(m.inner, frame);
  },
  // No frame at all: the model's publisher says whose "cut short" error it is.
  end(s) {
    const m = started(s, publisherOf(s.request.model.slice(s.request.model.lastIndexOf('/') + 1)) === 'anthropic');
    return m.mapper.end(m.inner);
  },
};

const isAnthropicAnswer = (body: unknown): boolean => body !== null && typeof body === 'object' && (body as { type?: unknown }).type === 'message';

/**
 * Vertex's own failures (auth, quota, a missing model) come in Google's error envelope whatever
 * the publisher; an error Claude itself raises keeps Anthropic's `{"type":"error",…}` shape.
 */
export function parseVertexError(input: UpstreamErrorInput): GatewayErrorShape {
  return /^\s*\{\s*"type"\s*:\s*"error"/.test(input.body) ? parseAnthropicError(input) : parseGeminiError(input);
}

const vertexUsageFromBody = (json: unknown): Usage | undefined =>
  json !== null && typeof json === 'object' && 'usageMetadata' in json ? geminiUsageFromBody(json) : anthropicUsageFromBody(json);

export const vertexAdapter: ProviderAdapter = {
  dialect: 'vertex',
  endpoint: vertexEndpoint,
  credential: { request: vertexTokenRequest, parse: parseVertexToken, apply: applyVertexToken },
  chat: {
    buildRequest: buildVertexChatRequest,
    parseResponse: (body, request) => (isAnthropicAnswer(body) ? parseAnthropicResponse(body, request) : parseGeminiResponse(body, request)),
    stream: vertexStreamMapper,
  },
  parseError: parseVertexError,
  usageFromBody: vertexUsageFromBody,
  sniffStreamUsage: () => undefined,
};
