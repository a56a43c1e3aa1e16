/**
 * Mistral SSE stream → internal stream events: a reducer over explicit state, fed the engine's
 * parsed frames (`data:` only; `data: [DONE]` ends the stream) [docs/wire-facts.md §4].
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
 *   generation failed upstream, and docs/contract.md §3 wants a failed stream to end with an error;
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

/** Tool-call bookkeeping of one choice (`n` > 1 streams interleave choices by `index`). */
interface ChoiceState {
  nextToolIndex: number;
  /** OpenAI-style incremental hosts: upstream `index` → our call. */
  byUpstreamIndex: Map<number, OpenToolCall>;
  lastToolCall: OpenToolCall | undefined;
  finished: boolean;
}

export interface MistralStreamState {
  started: boolean;
  /** `data: [DONE]` seen. */
  done: boolean;
  /** Every expected choice sent its finish_reason (and `finish` was emitted for each). */
  finished: boolean;
  /** An error event was emitted; nothing more is mapped. */
  failed: boolean;
  id: string;
  /** Choices asked for (`n`, default 1). */
  expected: number;
  choices: Map<number, ChoiceState>;
}

function choiceState(state: MistralStreamState, index: number): ChoiceState {
  let c = state.choices.get(index);
  if (!c) state.choices.set(index, (c = { nextToolIndex: 0, byUpstreamIndex: new Map(), lastToolCall: undefined, finished: false }));
  return c;
}

export const mistralStreamMapper: StreamMapper<MistralStreamState> = {
  init(request: ChatRequest): MistralStreamState {
    return { started: false, done: false, finished: false, failed: false, id: '', expected: request.n ?? 1, choices: new Map() };
  },

  step(state, frame) {
    if (state.done || state.failed) return [];
    const data = frame.data.trim();
    if (data === '') return [];
    if (data === '[DONE]') {
      state.done = true;
      // [DONE] without a finish_reason: still a clean end, so every choice gets a finish.
      if (!state.started || state.finished) return [];
      state.finished = true;
      const out: StreamEvent[] = [];
      for (let i = 0; i < state.expected; i++) {
        if (choiceState(state, i).finished) continue;
        out.push({ type: 'finish', finish: mapMistralFinishReason(null), ...(i > 0 && { choice: i }) });
      }
      return out;
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
    let failedGeneration = false;
    // `n` > 1: each choice (by `index`) is its own choice downstream, with its own tool calls.
    for (const choice of choices) {
      if (!choice || typeof choice !== 'object') continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      const on = index > 0 ? { choice: index } : {};
      const cs = choiceState(state, index);
      const delta = choice.delta ?? {};
      for (const piece of splitMistralContent(delta.content)) {
        if (piece.kind === 'text') events.push({ type: 'text-delta', text: piece.text, ...on });
        else {
          if (piece.text !== '') events.push({ type: 'reasoning-delta', text: piece.text, ...on });
          if (piece.signature && index === 0) events.push({ type: 'reasoning-signature', signature: piece.signature });
        }
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const tc of delta.tool_calls) if (tc && typeof tc === 'object') mapToolCall(state.id, cs, tc, events, index);
      }
      if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '' && !cs.finished) {
        cs.finished = true;
        const finish = mapMistralFinishReason(choice.finish_reason);
        events.push({ type: 'finish', finish, ...on });
        if (finish.unified === 'error') failedGeneration = true;
        state.finished = [...state.choices.values()].filter((c) => c.finished).length >= state.expected;
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

function mapToolCall(responseId: string, state: ChoiceState, tc: MistralInboundToolCall, events: StreamEvent[], choice: number): void {
  const on = choice > 0 ? { choice } : {};
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
    const call: OpenToolCall = { index, id: toolCallId(tc, choice > 0 ? `${responseId}:${choice}` : responseId, index) };
    if (upstreamIndex !== undefined) state.byUpstreamIndex.set(upstreamIndex, call);
    state.lastToolCall = call;
    events.push({ type: 'tool-call-start', index, id: call.id, name: tc.function?.name ?? '', ...on });
    if (argsText !== '') events.push({ type: 'tool-call-delta', index, argumentsDelta: argsText, ...on });
    return;
  }
  const target = known ?? state.lastToolCall;
  if (target && argsText !== '') events.push({ type: 'tool-call-delta', index: target.index, argumentsDelta: argsText, ...on });
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
