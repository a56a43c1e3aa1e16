/**
 * Mistral SSE stream → internal stream events: a reducer over explicit state, fed the engine's
 * parsed frames (`data:` only; `data: [DONE]` ends the stream) [wire-facts §4].
 *
 * Traps handled here:
 * - reasoning models send `delta.content` as an array of `thinking` / `text` chunks
 *   (./content-chunks.ts) → `reasoning-delta` / `text-delta`;
 * - tool calls arrive WHOLE in one delta (`{id, function:{name, arguments:"<full JSON>"}}`,
 *   no `index`, no `type`), possibly several in one delta → one `tool-call-start` + one
 *   `tool-call-delta` each, numbered 0,1,… over the stream. Some hosted models stream
 *   OpenAI-style fragments with `index` instead; those are followed by their `index`;
 * - usage rides on the finish chunk (there is no separate `choices:[]` usage chunk) →
 *   `finish` then `usage` from that one chunk;
 * - `finish_reason: "error"` → `finish` (unified error), `usage`, then an `error` event: the
 *   generation failed upstream, and SPEC §3 wants a failed stream to end with an error;
 * - a malformed frame or a mid-stream `{"object":"error"}` → one `error` event (502), no throw;
 *   a body that ends with neither `[DONE]` nor a finish_reason → `error` (cut short) from end().
 */
import type { StreamMapper } from '../adapter.js';
import type { ChatRequest, GatewayErrorShape, StreamEvent } from '../types.js';
import { splitMistralContent } from './content-chunks.js';
import { quote } from './quote.js';
import { mapMistralFinishReason } from './finish-reason.js';
import { toolCallArguments, toolCallId } from './response.js';
import { convertMistralUsage } from './usage.js';
import type { MistralInboundToolCall, MistralStreamChunk } from './wire-types.js';

interface OpenToolCall {
  index: number;
  id: string;
}

export interface MistralStreamState {
  started: boolean;
  /** `data: [DONE]` seen. */
  done: boolean;
  /** A finish_reason seen (and `finish` emitted). */
  finished: boolean;
  /** An error event was emitted; nothing more is mapped. */
  failed: boolean;
  id: string;
  nextToolIndex: number;
  /** OpenAI-style incremental hosts: upstream `index` → our call. */
  byUpstreamIndex: Map<number, OpenToolCall>;
  lastToolCall: OpenToolCall | undefined;
}

export const mistralStreamMapper: StreamMapper<MistralStreamState> = {
  init(_request: ChatRequest): MistralStreamState {
    return {
      started: false,
      done: false,
      finished: false,
      failed: false,
      id: '',
      nextToolIndex: 0,
      byUpstreamIndex: new Map(),
      lastToolCall: undefined,
    };
  },

  step(state, frame) {
    if (state.done || state.failed) return [];
    const data = frame.data.trim();
    if (data === '') return [];
    if (data === '[DONE]') {
      state.done = true;
      // [DONE] without a finish_reason: still a clean end, so the client gets a finish.
      if (state.started && !state.finished) {
        state.finished = true;
        return [{ type: 'finish', finish: mapMistralFinishReason(null) }];
      }
      return [];
    }

    let chunk: MistralStreamChunk;
    try {
      chunk = JSON.parse(data) as MistralStreamChunk;
    } catch {
      return fail(state, `Mistral sent a malformed stream frame: ${quote(data)}`);
    }
    if (chunk === null || typeof chunk !== 'object' || Array.isArray(chunk)) {
      return fail(state, `Mistral sent a stream frame that is not a JSON object: ${quote(data)}`);
    }
    if (chunk.object === 'error' || (chunk as { error?: unknown }).error) {
      return fail(state, `Mistral reported an error mid-stream: ${errorText(chunk as Record<string, unknown>)}`);
    }

    const events: StreamEvent[] = [];
    if (!state.started) {
      state.started = true;
      state.id = typeof chunk.id === 'string' ? chunk.id : '';
      events.push({
        type: 'start',
        id: state.id,
        model: typeof chunk.model === 'string' ? chunk.model : '',
        ...(typeof chunk.created === 'number' && { created: chunk.created }),
      });
    }

    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    // One choice is carried (the internal form has no choice index): choice 0.
    const choice = choices.find((c) => c && (c.index ?? 0) === 0);
    let failedGeneration = false;
    if (choice) {
      const delta = choice.delta ?? {};
      for (const piece of splitMistralContent(delta.content)) {
        if (piece.kind === 'text') events.push({ type: 'text-delta', text: piece.text });
        else {
          if (piece.text !== '') events.push({ type: 'reasoning-delta', text: piece.text });
          if (piece.signature) events.push({ type: 'reasoning-signature', signature: piece.signature });
        }
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const tc of delta.tool_calls) if (tc && typeof tc === 'object') mapToolCall(state, tc, events);
      }
      if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '' && !state.finished) {
        state.finished = true;
        const finish = mapMistralFinishReason(choice.finish_reason);
        events.push({ type: 'finish', finish });
        failedGeneration = finish.unified === 'error';
      }
    }
    // Usage sits on the finish chunk; emitted after `finish` (cumulative, last one wins).
    const usage = convertMistralUsage(chunk.usage);
    if (usage) events.push({ type: 'usage', usage });
    if (failedGeneration) {
      state.failed = true;
      events.push({ type: 'error', error: upstreamError('Mistral ended the generation with finish_reason "error"') });
    }
    return events;
  },

  end(state) {
    if (state.failed || state.done || state.finished) return [];
    state.failed = true;
    return [
      {
        type: 'error',
        error: upstreamError(
          state.started
            ? 'Mistral stream was cut short: it ended with neither a finish_reason nor [DONE]'
            : 'Mistral stream ended before sending any chunk',
        ),
      },
    ];
  },
};

function mapToolCall(state: MistralStreamState, tc: MistralInboundToolCall, events: StreamEvent[]): void {
  const upstreamIndex = typeof tc.index === 'number' ? tc.index : undefined;
  const known = upstreamIndex !== undefined ? state.byUpstreamIndex.get(upstreamIndex) : undefined;
  const hasId = typeof tc.id === 'string' && tc.id !== '' && tc.id !== 'null';
  // New call: Mistral's whole calls (an id, no index), or a first fragment of an indexed one.
  // Continuation: an indexed fragment we know, or a bare fragment after a call was opened.
  const isNew = known ? hasId && tc.id !== known.id : hasId || upstreamIndex !== undefined || !state.lastToolCall;
  const args = tc.function?.arguments;
  const argsText = typeof args === 'string' ? args : args === undefined || args === null ? '' : toolCallArguments(args);
  if (isNew) {
    const index = state.nextToolIndex++;
    const call: OpenToolCall = { index, id: toolCallId(tc, state.id, index) };
    if (upstreamIndex !== undefined) state.byUpstreamIndex.set(upstreamIndex, call);
    state.lastToolCall = call;
    events.push({ type: 'tool-call-start', index, id: call.id, name: tc.function?.name ?? '' });
    if (argsText !== '') events.push({ type: 'tool-call-delta', index, argumentsDelta: argsText });
    return;
  }
  const target = known ?? state.lastToolCall;
  if (target && argsText !== '') events.push({ type: 'tool-call-delta', index: target.index, argumentsDelta: argsText });
}

function fail(state: MistralStreamState, message: string): StreamEvent[] {
  state.failed = true;
  return [{ type: 'error', error: upstreamError(message) }];
}

function upstreamError(message: string): GatewayErrorShape {
  return { status: 502, type: 'upstream_error', code: 'upstream_error', message };
}

function errorText(chunk: Record<string, unknown>): string {
  if (typeof chunk.message === 'string') return chunk.message;
  const err = chunk.error as { message?: unknown } | undefined;
  if (err && typeof err.message === 'string') return err.message;
  return quote(JSON.stringify(chunk));
}
