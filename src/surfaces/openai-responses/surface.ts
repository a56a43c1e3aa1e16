import type { GatewayErrorShape } from '../../../providers/types.js';
import { invalidRequest, openAIErrorBody } from '../../engine/errors.js';
import { appendToTopLevelObject, replaceModel, setTopLevel } from '../../engine/json-splice.js';
import type { ChatSurface } from '../../engine/surface.js';
import { IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS, type PromptText } from '../../metering/tokens.js';
import { openAIChatSurface } from '../openai-chat/surface.js';
import { compileBodyCheck } from '../openai-shared/validate.js';
import { toResponse, toResponsesUsage } from './render.js';
import { ResponsesRequestSchema } from './request-schema.js';
import { responsesToInternal } from './to-internal.js';

const check = compileBodyCheck(ResponsesRequestSchema, 'response request');

/** Not served yet: refused by name rather than silently answered without them. */
function validate(body: unknown): void {
  check(body);
  const b = body as Record<string, any>;
  if (b.stream === true) throw invalidRequest('Streaming is not supported on /v1/responses yet.', 'stream');
  if (b.previous_response_id != null) throw invalidRequest('previous_response_id is not supported yet: send the full input instead.', 'previous_response_id');
}

/** Every item's text, tool call and tool output the model reads; images at IMAGE_TOKENS each. */
function promptText(b: Record<string, any>): PromptText {
  const parts: string[] = [];
  let fixedTokens = MESSAGE_OVERHEAD_TOKENS;
  if (typeof b.instructions === 'string') parts.push(b.instructions);
  if (typeof b.input === 'string') parts.push(b.input);
  for (const item of Array.isArray(b.input) ? b.input : []) {
    fixedTokens += MESSAGE_OVERHEAD_TOKENS;
    const content = item?.content ?? item?.output ?? item?.summary;
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) for (const p of content) {
      if (typeof p?.text === 'string') parts.push(p.text);
      else if (p?.type === 'input_image') fixedTokens += IMAGE_TOKENS;
    }
    if (item?.type === 'function_call') parts.push(String(item.name ?? '') + String(item.arguments ?? ''));
  }
  if (b.tools != null) parts.push(JSON.stringify(b.tools));
  if (b.text?.format?.type === 'json_schema') parts.push(JSON.stringify(b.text.format.schema ?? null));
  return { text: parts.join('\n'), fixedTokens };
}

/**
 * The OpenAI Responses surface (`POST /v1/responses`): passed through to OpenAI-format
 * upstreams that serve `/responses` (only `model` rewritten, `usage.cost` added), translated
 * through the internal chat form for every other provider.
 */
export const openAIResponsesSurface: ChatSurface = {
  dialect: 'openai-responses',
  wire: 'openai-responses',
  operation: 'responses',
  validate,
  toInternal: responsesToInternal,
  isStream: (b) => b.stream === true,
  wantsStreamUsage: () => true,
  promptText,
  maxOutputTokens: (b) => b.max_output_tokens ?? undefined,
  maxOutputParam: () => 'max_output_tokens',
  endUser: (b) => (typeof b.user === 'string' && b.user ? b.user : typeof b.safety_identifier === 'string' && b.safety_identifier ? b.safety_identifier : undefined),
  serviceTier: (b) => (typeof b.service_tier === 'string' ? b.service_tier : undefined),
  render: (res, usage, costUsd, _model, body) => toResponse(res, usage, costUsd, body),
  streamWriter() {
    throw invalidRequest('Streaming is not supported on /v1/responses yet.', 'stream');
  },
  errorBody: openAIErrorBody,
  errorFrame: (e: GatewayErrorShape) => `event: error\ndata: ${JSON.stringify(openAIErrorBody(e))}\n\n`,
  passthrough: {
    ...openAIChatSurface.passthrough,
    requestBody: (raw, body, upstreamModel) => replaceModel(raw, body.model, upstreamModel),
    responseBody(text, usage, costUsd, fromUpstream) {
      if (fromUpstream) return appendToTopLevelObject(text, 'usage', 'cost', JSON.stringify(costUsd)) ?? text;
      return setTopLevel(text, 'usage', JSON.stringify(toResponsesUsage(usage, costUsd)));
    },
    isResponse: (json) => typeof json === 'object' && json !== null && (json as { object?: unknown }).object === 'response' && Array.isArray((json as { output?: unknown }).output),
  },
};
