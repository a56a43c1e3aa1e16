import type { SseFrame } from '../../../providers/adapter.js';
import { checkParameters } from '../../../providers/capabilities.js';
import type { ChatRequest, GatewayErrorShape, StreamEvent, Usage } from '../../../providers/types.js';
import { GatewayError } from '../../engine/errors.js';
import { replaceModel } from '../../engine/json-splice.js';
import type { ChatSurface } from '../../engine/surface.js';
import { InvalidRequest, toAnthropicError } from './errors.js';
import { toAnthropicMessage } from './messages-response.js';
import { createAnthropicStreamWriter } from './messages-stream.js';
import { parseMessagesRequest } from './parse-messages-request.js';
import { anthropicPromptText } from './prompt-text.js';

/** Parsed once per body: validation and translation share the result. */
const parsed = new WeakMap<object, ChatRequest>();

function parse(body: Record<string, any>): ChatRequest {
  let req = parsed.get(body);
  if (req) return req;
  try {
    req = parseMessagesRequest(body);
  } catch (err) {
    if (err instanceof InvalidRequest) throw new GatewayError(err.toGatewayError());
    throw err;
  }
  parsed.set(body, req);
  return req;
}

/**
 * The `anthropic/…` pass-through. `forwardHeaders`: `anthropic-beta` unlocks beta body fields
 * (context_management, 1M context, interleaved thinking…) that Anthropic refuses without it, and
 * Anthropic SDK tools (Claude Code…) send it on every call; it carries no credential. Read by the
 * engine (src/engine/upstream-request.ts withForwardedHeaders).
 */
const passthrough: ChatSurface['passthrough'] = {
  forwardHeaders: ['anthropic-beta'],
  requestBody: (raw, body, upstreamModel) => replaceModel(raw, body.model, upstreamModel),
  // Anthropic bodies always carry usage; the cost travels in the x-tollgate-cost-usd header.
  responseBody: (text) => text,
  isResponse: (json) => typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'message' && Array.isArray((json as { content?: unknown }).content),
  frame: (f: SseFrame) => (f.event ? `event: ${f.event}\ndata: ${f.data}\n\n` : `data: ${f.data}\n\n`),
  // `event: error` (or, without an event line, a `{"type":"error"}` body), e.g. overloaded_error mid-stream.
  isError: (f) => f.event === 'error' || (f.event === undefined && /^\s*\{\s*"type"\s*:\s*"error"/.test(f.data)),
  isEnd: (f) => f.event === 'message_stop',
  estimatedUsageFrames: () => [],
  deliveredText(f) {
    if (f.event !== 'content_block_delta') return '';
    try {
      const d = JSON.parse(f.data)?.delta;
      return String(d?.text ?? d?.partial_json ?? d?.thinking ?? '');
    } catch {
      return '';
    }
  },
};

/**
 * The Anthropic Messages surface (`POST /v1/messages`, docs/contract.md §3): Anthropic SDK clients call any
 * model; an `anthropic/…` target takes the pass-through path (bytes forwarded, only the model
 * name edited, events piped and observed for usage).
 */
export const anthropicMessagesSurface: ChatSurface = {
  dialect: 'anthropic',
  wire: 'anthropic-messages',
  operation: 'chat',
  validate(body) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new GatewayError({ status: 400, type: 'invalid_request_error', code: null, message: 'The request body must be a JSON object.' });
    }
    parse(body as Record<string, any>);
  },
  toInternal: parse,
  checkParameters: (type, b) => checkParameters('anthropic', type, b),
  isStream: (b) => b.stream === true,
  // Anthropic streams always carry usage (message_start / message_delta).
  wantsStreamUsage: () => true,
  promptText: anthropicPromptText,
  maxOutputTokens: (b) => (typeof b.max_tokens === 'number' ? b.max_tokens : undefined),
  endUser: (b) => (typeof b.metadata?.user_id === 'string' && b.metadata.user_id ? b.metadata.user_id : undefined),
  render: (res, usage, _cost, requestedModel) => toAnthropicMessage({ ...res, usage }, requestedModel),
  streamWriter(model) {
    const w = createAnthropicStreamWriter(model);
    return {
      step: (ev: StreamEvent) => w.step(ev),
      // The final usage (possibly the gateway's estimate) goes into message_delta.
      end: (usage: Usage) => [...w.step({ type: 'usage', usage }), ...w.end()],
    };
  },
  errorBody: (e: GatewayErrorShape) => toAnthropicError(e).body,
  errorFrame: (e: GatewayErrorShape) => `event: error\ndata: ${JSON.stringify(toAnthropicError(e).body)}\n\n`,

  passthrough,
};

