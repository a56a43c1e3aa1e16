/**
 * Gemini `streamGenerateContent?alt=sse` → internal stream events: a reducer over parsed SSE
 * frames. Facts (docs/wire-facts.md §3 "Streaming", fixtures gemini-stream-*.sse):
 * - each frame's data is a whole GenerateContentResponse chunk; no event names;
 * - NO `[DONE]`: the stream ends at EOF, so only a seen finishReason tells a complete stream
 *   from a cut one;
 * - functionCall parts arrive whole in one chunk;
 * - with `candidateCount` > 1 each chunk carries candidates by `index`: each one is a choice;
 * - every chunk carries a cumulative usageMetadata snapshot; the last one wins;
 * - a blocked prompt shows up as a chunk with promptFeedback.blockReason and no candidates.
 */
import type { SseFrame, StreamMapper } from '../adapter.js';
import type { ChatRequest, GatewayErrorShape, StreamEvent } from '../types.js';
import { mapGeminiError } from './errors.js';
import { blockedPromptFinish, mapGeminiFinishReason } from './finish-reason.js';
import { geminiProviderMetadata } from './thought-signature.js';
import { geminiToolCallId, responseSalt, syntheticResponseId } from './tool-call-id.js';
import { convertGeminiUsage } from './usage.js';
import type { GeminiCandidate, GeminiPart, GeminiResponseBody } from './wire.js';
import { isRecord } from './wire.js';

export interface GeminiStreamState {
  requestModel: string;
  started: boolean;
  salt: string;
  /** Per choice: next tool-call index (0-based over that choice's tool calls). */
  toolIndex: number[];
  /** Choices (candidate indexes) that sent their finishReason. */
  finishedChoices: Set<number>;
  /** Candidates asked for (`candidateCount`, OpenAI `n`); the stream is complete when all finished. */
  expected: number;
  finished: boolean;
  /** An error event was emitted; later frames are ignored and `end` adds nothing. */
  failed: boolean;
  /** JSON of the last usage emitted, to skip identical snapshots. */
  lastUsage: string;
}

const upstreamError = (message: string): GatewayErrorShape => ({
  status: 502,
  type: 'api_error',
  code: 'upstream_error',
  message,
});

export const geminiStreamMapper: StreamMapper<GeminiStreamState> = {
  init(request: ChatRequest): GeminiStreamState {
    return {
      requestModel: request.model,
      started: false,
      salt: '',
      toolIndex: [],
      finishedChoices: new Set(),
      expected: request.n ?? 1,
      finished: false,
      failed: false,
      lastUsage: '',
    };
  },

  step(state, frame: SseFrame): StreamEvent[] {
    if (state.failed) return [];
    const data = frame.data.trim();
    if (data === '' || data === '[DONE]') return []; // Gemini sends no [DONE]; tolerate one
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      state.failed = true;
      const preview = data.length > 200 ? `${data.slice(0, 200)}…` : data;
      return [{ type: 'error', error: upstreamError(`Gemini stream sent a frame that is not valid JSON: "${preview}"`) }];
    }
    if (!isRecord(chunk)) return [];
    return stepChunk(state, chunk as GeminiResponseBody);
  },

  end(state): StreamEvent[] {
    if (state.failed || state.finished) return [];
    state.failed = true;
    return [{ type: 'error', error: upstreamError('Gemini stream ended before a finishReason: the response was cut short') }];
  },
};

function stepChunk(state: GeminiStreamState, chunk: GeminiResponseBody): StreamEvent[] {
  if (isRecord(chunk.error)) {
    state.failed = true;
    return [{ type: 'error', error: mapGeminiError(undefined, chunk.error) }];
  }
  const events: StreamEvent[] = [];
  const usage = convertGeminiUsage(chunk.usageMetadata);
  if (!state.started) {
    state.started = true;
    state.salt = responseSalt(chunk.responseId);
    events.push({
      type: 'start',
      id: typeof chunk.responseId === 'string' && chunk.responseId ? chunk.responseId : syntheticResponseId(state.salt),
      model: typeof chunk.modelVersion === 'string' && chunk.modelVersion ? chunk.modelVersion : state.requestModel,
      created: Math.floor(Date.now() / 1000),
      // The first chunk already tells the prompt size (promptTokenCount): known up front, as
      // Anthropic's message_start usage is.
      ...(usage && { usage }),
    });
  }

  // Every candidate is streamed as its own choice (`candidateCount` > 1: OpenAI `n`).
  const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
  candidates.forEach((raw: unknown, i) => {
    if (!isRecord(raw)) return;
    const candidate = raw as GeminiCandidate;
    const choice = typeof candidate.index === 'number' ? candidate.index : i;
    const parts: unknown = isRecord(candidate.content) ? candidate.content.parts : undefined;
    for (const part of Array.isArray(parts) ? parts : []) {
      if (isRecord(part)) events.push(...partEvents(state, part as GeminiPart, choice));
    }
    if (typeof candidate.finishReason === 'string' && !state.finished && !state.finishedChoices.has(choice)) {
      state.finishedChoices.add(choice);
      state.finished = state.finishedChoices.size >= state.expected;
      const finish = mapGeminiFinishReason(candidate.finishReason, (state.toolIndex[choice] ?? 0) > 0);
      events.push(choice ? { type: 'finish', finish, choice } : { type: 'finish', finish });
    }
  });

  if (!state.finished) {
    const block = isRecord(chunk.promptFeedback) ? chunk.promptFeedback.blockReason : undefined;
    if (typeof block === 'string' && block) {
      state.finished = true;
      events.push({ type: 'finish', finish: blockedPromptFinish(block) });
    }
  }

  if (usage) {
    const key = JSON.stringify(usage);
    if (key !== state.lastUsage) {
      state.lastUsage = key;
      events.push({ type: 'usage', usage });
    }
  }
  return events;
}

function partEvents(state: GeminiStreamState, part: GeminiPart, choice: number): StreamEvent[] {
  const on = choice ? { choice } : {};
  if (isRecord(part.functionCall) && typeof part.functionCall.name === 'string') {
    const fc = part.functionCall;
    const index = state.toolIndex[choice] ?? 0;
    state.toolIndex[choice] = index + 1;
    const meta = geminiProviderMetadata(part.thoughtSignature);
    return [
      {
        type: 'tool-call-start',
        index,
        id: geminiToolCallId(choice ? `${state.salt}:${choice}` : state.salt, index, fc.name, fc.id),
        name: fc.name,
        ...(meta ? { providerMetadata: meta } : {}),
        ...on,
      },
      // Arguments arrive whole: one delta with the complete JSON.
      { type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(isRecord(fc.args) ? fc.args : {}), ...on },
    ];
  }
  if (typeof part.text !== 'string') return [];
  if (part.thought === true) {
    const out: StreamEvent[] = [];
    if (part.text) out.push({ type: 'reasoning-delta', text: part.text, ...on });
    // Signatures are carried for choice 0 only: /v1/messages (the only surface that sends them back) has no `n`.
    if (part.thoughtSignature && !choice) out.push({ type: 'reasoning-signature', signature: part.thoughtSignature });
    return out;
  }
  return part.text ? [{ type: 'text-delta', text: part.text, ...on }] : [];
}
