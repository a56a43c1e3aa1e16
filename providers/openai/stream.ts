import type { SseFrame, StreamMapper } from '../adapter.js';
import type { StreamEvent } from '../types.js';
import { mapOpenAIFinishReason, refusalFinish } from './finish-reason.js';
import { convertOpenAIUsage } from './usage.js';

interface State {
  started: boolean;
  done: boolean;
  finished: boolean;
  /** A `delta.refusal` was seen: the answer finishes `content_filter`. */
  refused: boolean;
  /** upstream tool-call index → our index (renumbered 0,1,… in order of appearance) */
  toolIndex: Map<number, number>;
}

/**
 * OpenAI `chat.completion.chunk` frames → internal events. First fragment of a tool call
 * carries id + name, later ones only `arguments` (docs/wire-facts.md §1); usage arrives on a final
 * `choices: []` chunk, or on the finish chunk for some compatible hosts. `delta.refusal`
 * fragments are text deltas, and the answer then finishes `content_filter`.
 */
export const openAIStreamMapper: StreamMapper<State> = {
  init: () => ({ started: false, done: false, finished: false, refused: false, toolIndex: new Map() }),

  step(state, frame: SseFrame): StreamEvent[] {
    if (frame.data === '[DONE]') {
      state.done = true;
      return [];
    }
    let chunk: any;
    try {
      chunk = JSON.parse(frame.data);
    } catch {
      return [malformed(frame.data)];
    }
    if (!chunk || typeof chunk !== 'object') return [malformed(frame.data)];
    if (chunk.error) {
      const e = chunk.error;
      return [{ type: 'error', error: { status: 502, type: 'api_error', code: 'upstream_error', message: String(e.message ?? 'upstream stream error') } }];
    }
    const out: StreamEvent[] = [];
    if (!state.started) {
      state.started = true;
      out.push({ type: 'start', id: String(chunk.id ?? ''), model: String(chunk.model ?? ''), created: chunk.created });
    }
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    const delta = choice?.delta;
    if (delta) {
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (typeof reasoning === 'string' && reasoning) out.push({ type: 'reasoning-delta', text: reasoning });
      if (typeof delta.content === 'string' && delta.content) out.push({ type: 'text-delta', text: delta.content });
      // A refusal streams as `delta.refusal` fragments: text the client must see.
      if (typeof delta.refusal === 'string' && delta.refusal) {
        state.refused = true;
        out.push({ type: 'text-delta', text: delta.refusal });
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const tc of delta.tool_calls) {
          const upstreamIndex = typeof tc.index === 'number' ? tc.index : state.toolIndex.size;
          let index = state.toolIndex.get(upstreamIndex);
          if (index === undefined) {
            index = state.toolIndex.size;
            state.toolIndex.set(upstreamIndex, index);
            out.push({ type: 'tool-call-start', index, id: String(tc.id ?? `call_${index}`), name: String(tc.function?.name ?? '') });
          }
          const args = tc.function?.arguments;
          if (typeof args === 'string' && args) out.push({ type: 'tool-call-delta', index, argumentsDelta: args });
        }
      }
    }
    if (choice?.finish_reason) {
      state.finished = true;
      out.push({ type: 'finish', finish: state.refused ? refusalFinish(choice.finish_reason) : mapOpenAIFinishReason(choice.finish_reason) });
    }
    const usage = convertOpenAIUsage(chunk.usage, chunk.service_tier);
    if (usage) out.push({ type: 'usage', usage });
    return out;
  },

  end(state): StreamEvent[] {
    if (state.done || state.finished) return [];
    return [{ type: 'error', error: { status: 502, type: 'api_error', code: 'upstream_stream_cut', message: 'the upstream stream ended before it finished' } }];
  },
};

function malformed(data: string): StreamEvent {
  return {
    type: 'error',
    error: { status: 502, type: 'api_error', code: 'upstream_malformed', message: `the upstream sent a malformed stream event: ${data.slice(0, 120)}` },
  };
}
