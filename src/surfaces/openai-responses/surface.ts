import type { SseFrame } from '../../../providers/adapter.js';
import type { GatewayErrorShape } from '../../../providers/types.js';
import { openAIErrorBody } from '../../engine/errors.js';
import { appendToTopLevelObject, replaceModel, setTopLevel } from '../../engine/json-splice.js';
import type { ChatSurface } from '../../engine/surface.js';
import { IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS, type PromptText } from '../../metering/tokens.js';
import { openAIChatSurface } from '../openai-chat/surface.js';
import { compileBodyCheck } from '../openai-shared/validate.js';
import { responsesId, toResponse, toResponsesUsage } from './render.js';
import { ResponsesRequestSchema } from './request-schema.js';
import { ResponsesStreamWriter } from './stream-writer.js';
import { responsesToInternal } from './to-internal.js';

const check = compileBodyCheck(ResponsesRequestSchema, 'response request');

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
  validate: check,
  toInternal: responsesToInternal,
  isStream: (b) => b.stream === true,
  wantsStreamUsage: () => true,
  promptText,
  maxOutputTokens: (b) => b.max_output_tokens ?? undefined,
  maxOutputParam: () => 'max_output_tokens',
  endUser: (b) => (typeof b.user === 'string' && b.user ? b.user : typeof b.safety_identifier === 'string' && b.safety_identifier ? b.safety_identifier : undefined),
  serviceTier: (b) => (typeof b.service_tier === 'string' ? b.service_tier : undefined),
  render: (res, usage, costUsd, _model, body) => toResponse(res, usage, costUsd, body),
  streamWriter: (model, _includeUsage, body) => new ResponsesStreamWriter(model, body),
  // Every answer has its own id, a replayed one too (a continuation names exactly one answer).
  cacheHit: (body) => setTopLevel(body, 'id', JSON.stringify(responsesId('resp'))),
  errorBody: openAIErrorBody,
  // Only when the stream has no writer of its own (a pass-through stream): it numbers on from the upstream's last event.
  errorFrame: (e: GatewayErrorShape, lastSent?: Uint8Array | string) =>
    `event: error\ndata: ${JSON.stringify({ type: 'error', code: e.code ?? e.type, message: e.message, param: e.param ?? null, sequence_number: nextSequence(lastSent) })}\n\n`,
  passthrough: {
    ...openAIChatSurface.passthrough,
    requestBody: (raw, body, upstreamModel) => replaceModel(raw, body.model, upstreamModel),
    responseBody(text, usage, costUsd, fromUpstream) {
      if (fromUpstream) return appendToTopLevelObject(text, 'usage', 'cost', JSON.stringify(costUsd)) ?? text;
      return setTopLevel(text, 'usage', JSON.stringify(toResponsesUsage(usage, costUsd)));
    },
    // Usage arrives once, in the terminal event's `response.usage`: that frame gains `cost`.
    frame(frame: SseFrame, usage, costUsd) {
      let data = frame.data;
      if (usage) {
        try {
          const ev = JSON.parse(data);
          if (ev?.response?.usage) ev.response.usage.cost = costUsd;
          data = JSON.stringify(ev);
        } catch {
          // forwarded as it came
        }
      }
      return frame.event ? `event: ${frame.event}\ndata: ${data}\n\n` : `data: ${data}\n\n`;
    },
    plainFrame: (data) => !hasKey(data, USAGE_KEY) && !hasKey(data, ERROR_TYPE) && !hasKey(data, FAILED_TYPE),
    isError: (frame) => frame.event === 'error' || frame.event === 'response.failed' || eventType(frame.data) === 'error',
    isEnd: (frame) => frame.event === 'response.completed' || frame.event === 'response.incomplete',
    estimatedUsageFrames: () => [],
    deliveredText(frame) {
      if (!frame.data.includes('.delta"')) return '';
      try {
        const d = JSON.parse(frame.data)?.delta;
        return typeof d === 'string' ? d : '';
      } catch {
        return '';
      }
    },
    isResponse: (json) => typeof json === 'object' && json !== null && (json as { object?: unknown }).object === 'response' && Array.isArray((json as { output?: unknown }).output),
  },
};

/** One more than the last `sequence_number` in what the client last got (0 when there was none). */
function nextSequence(lastSent: Uint8Array | string | undefined): number {
  if (lastSent === undefined) return 0;
  const text = typeof lastSent === 'string' ? lastSent : Buffer.from(lastSent.buffer, lastSent.byteOffset, lastSent.byteLength).toString('utf8');
  const all = [...text.matchAll(/"sequence_number"\s*:\s*(\d+)/g)];
  return all.length ? Number(all.at(-1)![1]) + 1 : 0;
}

const USAGE_KEY = Buffer.from('"usage":{');
const ERROR_TYPE = Buffer.from('"type":"error"');
const FAILED_TYPE = Buffer.from('"type":"response.failed"');

function hasKey(data: Uint8Array, key: Buffer): boolean {
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return b.indexOf(key) !== -1;
}

function eventType(data: string): string | undefined {
  const m = /^\{\s*"type"\s*:\s*"([^"]+)"/.exec(data);
  return m?.[1];
}
