import type { SseFrame } from '../../../providers/adapter.js';
import { checkParameters } from '../../../providers/capabilities.js';
import type { GatewayErrorShape, StreamEvent, Usage } from '../../../providers/types.js';
import { openAIErrorBody } from '../../engine/errors.js';
import { appendToTopLevelObject, findTopLevelValue, replaceModel, setTopLevel } from '../../engine/json-splice.js';
import type { ChatSurface } from '../../engine/surface.js';
import { OpenAIChunkWriter } from './chat-chunks.js';
import { ChatCompletionRequestSchema } from './chat-request-schema.js';
import { toOpenAIChatCompletion } from './chat-response.js';
import { parseOpenAIChatRequest } from './parse-chat-request.js';
import { openAIChatPromptText } from './prompt-text.js';
import { toOpenAIUsage } from '../openai-shared/usage.js';
import { compileBodyCheck } from '../openai-shared/validate.js';

const validate = compileBodyCheck(ChatCompletionRequestSchema, 'chat completion request');

/** The OpenAI chat-completions surface (`POST /v1/chat/completions`). */
export const openAIChatSurface: ChatSurface = {
  dialect: 'openai',
  wire: 'openai-chat',
  operation: 'chat',
  validate,
  toInternal: parseOpenAIChatRequest,
  checkParameters: (type, b) => checkParameters('openai', type, b),
  isStream: (b) => b.stream === true,
  wantsStreamUsage: (b) => b.stream_options?.include_usage === true,
  promptText: openAIChatPromptText,
  choices: (b) => (typeof b.n === 'number' && b.n > 1 ? b.n : 1),
  // Both may be sent (pass-through forwards both): the larger one bounds the output.
  maxOutputTokens: (b) => (b.max_tokens != null && !(b.max_completion_tokens >= b.max_tokens) ? b.max_tokens : (b.max_completion_tokens ?? undefined)),
  serviceTier: (b) => (typeof b.service_tier === 'string' ? b.service_tier : undefined),
  endUser: (b) => (typeof b.user === 'string' && b.user ? b.user : typeof b.safety_identifier === 'string' && b.safety_identifier ? b.safety_identifier : undefined),
  maxOutputParam: (b) => (b.max_tokens != null && !(b.max_completion_tokens >= b.max_tokens) ? 'max_tokens' : 'max_completion_tokens'),
  render: toOpenAIChatCompletion,
  streamWriter: (model, includeUsage) => {
    const w = new OpenAIChunkWriter(model, includeUsage);
    return { step: (ev: StreamEvent) => w.step(ev), end: (u: Usage, c: number) => w.end(u, c) };
  },
  errorBody: openAIErrorBody,
  // openai-node throws APIError on a data frame holding `error` (its Stream checks `data.error`).
  errorFrame: (e: GatewayErrorShape) => `event: error\ndata: ${JSON.stringify(openAIErrorBody(e))}\n\n`,

  passthrough: {
    requestBody(raw, body, upstreamModel, upstream) {
      if (body.stream === true && upstream?.streamUsage === false) {
        // A host that rejects `stream_options` (provider `stream_usage: false`): none is sent, the
        // client's included; usage is then estimated. Rare, so re-serialising here is fine.
        if (body.stream_options === undefined) return replaceModel(raw, body.model, upstreamModel);
        const { stream_options: _dropped, ...rest } = body;
        return JSON.stringify({ ...rest, model: upstreamModel });
      }
      let out = replaceModel(raw, body.model, upstreamModel);
      // Metering needs the upstream's usage even when the client did not ask for it; the extra
      // usage chunk is then dropped before it reaches the client.
      if (body.stream === true && body.stream_options?.include_usage !== true) {
        const so = body.stream_options && typeof body.stream_options === 'object' ? { ...body.stream_options, include_usage: true } : { include_usage: true };
        out = setTopLevel(out, 'stream_options', JSON.stringify(so));
      }
      return out;
    },
    responseBody(text, usage, costUsd, fromUpstream) {
      if (fromUpstream) return appendToTopLevelObject(text, 'usage', 'cost', JSON.stringify(costUsd)) ?? text;
      return setTopLevel(text, 'usage', JSON.stringify(toOpenAIUsage(usage, costUsd)));
    },
    isResponse: (json) => typeof json === 'object' && json !== null && Array.isArray((json as { choices?: unknown }).choices),
    frame(frame: SseFrame, usage, costUsd, clientWantsUsage) {
      if (!usage) return frame.event ? `event: ${frame.event}\ndata: ${frame.data}\n\n` : `data: ${frame.data}\n\n`;
      if (clientWantsUsage) {
        // The only chunk the gateway re-writes: the usage chunk gains `usage.cost`.
        return `data: ${appendToTopLevelObject(frame.data, 'usage', 'cost', JSON.stringify(costUsd)) ?? frame.data}\n\n`;
      }
      const choices = findTopLevelValue(frame.data, 'choices');
      const empty = !choices || /^\[\s*\]$/.test(frame.data.slice(choices.start, choices.end));
      if (empty) return null; // the usage-only chunk the client did not ask for
      // Usage on a content chunk (some compatible hosts): the client did not ask, hide it.
      return `data: ${setTopLevel(frame.data, 'usage', 'null')}\n\n`;
    },
    // A chunk object whose `usage` is absent or null: the adapter's usage sniff ignores it and
    // `frame()` forwards it unchanged, so its bytes go out undecoded. `[DONE]` is not an object.
    // A `"error"` anywhere (an error frame, or rarely a chunk that merely says it) is looked at.
    plainFrame: (data) => data[0] === 0x7b && !hasUsageValue(data) && !hasErrorKey(data),
    isError: (frame) => frame.event === 'error' || (frame.data.includes('"error"') && isErrorObject(frame.data)),
    isEnd: (frame) => frame.data === '[DONE]',
    estimatedUsageFrames(usage, costUsd, clientWantsUsage) {
      if (!clientWantsUsage) return [];
      return [`data: ${JSON.stringify({ id: '', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: '', choices: [], usage: toOpenAIUsage(usage, costUsd) })}\n\n`];
    },
    deliveredText(frame) {
      if (!frame.data.includes('"delta"')) return '';
      try {
        const d = JSON.parse(frame.data)?.choices?.[0]?.delta;
        if (!d) return '';
        let t = typeof d.content === 'string' ? d.content : '';
        if (typeof d.refusal === 'string') t += d.refusal;
        if (typeof d.reasoning_content === 'string') t += d.reasoning_content;
        if (Array.isArray(d.tool_calls)) for (const c of d.tool_calls) t += String(c?.function?.name ?? '') + String(c?.function?.arguments ?? '');
        return t;
      } catch {
        return '';
      }
    },
  },
};

const USAGE_KEY = Buffer.from('"usage"');
const ERROR_KEY = Buffer.from('"error"');

function hasErrorKey(data: Uint8Array): boolean {
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return b.indexOf(ERROR_KEY) !== -1;
}

/** An OpenAI error frame: a JSON object with a non-null top-level `error` (openai-node's test). */
function isErrorObject(data: string): boolean {
  try {
    const v = JSON.parse(data);
    return typeof v === 'object' && v !== null && v.error != null;
  } catch {
    return false;
  }
}

/** True when the bytes hold a `"usage"` key whose value is not `null` (usage-chunk candidates). */
function hasUsageValue(data: Uint8Array): boolean {
  const b = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let i = b.indexOf(USAGE_KEY); i !== -1; i = b.indexOf(USAGE_KEY, i + USAGE_KEY.length)) {
    let j = skipSpaces(b, i + USAGE_KEY.length);
    if (b[j] !== 0x3a) continue; // a string value "usage", not a key
    j = skipSpaces(b, j + 1);
    if (!(b[j] === 0x6e && b[j + 1] === 0x75 && b[j + 2] === 0x6c && b[j + 3] === 0x6c)) return true; // not `null`
  }
  return false;
}

function skipSpaces(b: Buffer, i: number): number {
  while (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d) i++;
  return i;
}

