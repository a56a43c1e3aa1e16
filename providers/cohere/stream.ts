/**
 * Cohere v2 chat stream → internal stream events: a reducer over the engine's parsed SSE frames.
 * Each frame's JSON names its event in `type` (also sent as the SSE `event:`):
 * `message-start` (the id) → `start`; `content-start`/`content-delta` with `text` → text, with
 * `thinking` → reasoning; `tool-plan-delta` → text (the plan before tool calls, as in
 * ./response.ts); `tool-call-start` (id, name, maybe arguments) → `tool-call-start`;
 * `tool-call-delta` → argument fragments; `message-end` → `finish` and `usage`
 * (./usage.ts). `content-end`, `tool-call-end`, `citation-*` and `debug` carry nothing we forward.
 *
 * - `finish_reason` ERROR / TIMEOUT, or a `message-end` with `delta.error`, end the stream with
 *   an error event after the finish and usage: the generation failed upstream.
 * - A malformed frame, or an error object in a 200 stream, → one `error` event (502), no throw.
 * - A body that ends before `message-end` → an error from `end()` (cut short).
 */
import type { StreamMapper } from '../adapter.js';
import type { ChatRequest, GatewayErrorShape, StreamEvent } from '../types.js';
import { snippet } from '../kit/redact.js';
import { mapCohereFinishReason } from './finish-reason.js';
import { convertCohereUsage } from './usage.js';

export interface CohereStreamState {
  model: string;
  started: boolean;
  finished: boolean;
  failed: boolean;
  /** Upstream tool-call `index` → ours (0-based over tool calls, in order of appearance). */
  toolIndex: Map<number, number>;
}

export const cohereStreamMapper: StreamMapper<CohereStreamState> = {
  init(request: ChatRequest): CohereStreamState {
    return { model: request.model, started: false, finished: false, failed: false, toolIndex: new Map() };
  },

  step(state, frame) {
    if (state.finished || state.failed) return [];
    const data = frame.data.trim();
    if (data === '' || data === '[DONE]') return [];
    let ev: any;
    try {
      ev = JSON.parse(data);
    } catch {
      return fail(state, `Cohere sent a malformed stream frame: ${quote(data)}`);
    }
    if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) return fail(state, `Cohere sent a stream frame that is not a JSON object: ${quote(data)}`);
    const type = typeof ev.type === 'string' ? ev.type : frame.event;
    if (type === undefined || type === 'error') {
      const said = typeof ev.message === 'string' ? ev.message : typeof ev.error === 'string' ? ev.error : typeof ev.error?.message === 'string' ? ev.error.message : JSON.stringify(ev);
      return fail(state, `Cohere reported an error mid-stream: ${quote(said)}`);
    }

    const events: StreamEvent[] = [];
    if (!state.started) {
      state.started = true;
      events.push({ type: 'start', id: typeof ev.id === 'string' ? ev.id : '', model: state.model });
    }
    const message = ev.delta?.message;
    switch (type) {
      case 'content-start':
      case 'content-delta': {
        const c = message?.content;
        if (typeof c?.text === 'string' && c.text !== '') events.push({ type: 'text-delta', text: c.text });
        else if (typeof c?.thinking === 'string' && c.thinking !== '') events.push({ type: 'reasoning-delta', text: c.thinking });
        break;
      }
      case 'tool-plan-delta':
        if (typeof message?.tool_plan === 'string' && message.tool_plan !== '') events.push({ type: 'text-delta', text: message.tool_plan });
        break;
      case 'tool-call-start': {
        const call = message?.tool_calls;
        const index = state.toolIndex.size;
        state.toolIndex.set(typeof ev.index === 'number' ? ev.index : index, index);
        events.push({ type: 'tool-call-start', index, id: typeof call?.id === 'string' && call.id !== '' ? call.id : `call_${index}`, name: call?.function?.name ?? '' });
        const args = call?.function?.arguments;
        if (typeof args === 'string' && args !== '') events.push({ type: 'tool-call-delta', index, argumentsDelta: args });
        break;
      }
      case 'tool-call-delta': {
        const args = message?.tool_calls?.function?.arguments;
        const index = state.toolIndex.get(typeof ev.index === 'number' ? ev.index : -1) ?? state.toolIndex.size - 1;
        if (index >= 0 && typeof args === 'string' && args !== '') events.push({ type: 'tool-call-delta', index, argumentsDelta: args });
        break;
      }
      case 'message-end': {
        state.finished = true;
        const finish = mapCohereFinishReason(ev.delta?.finish_reason);
        events.push({ type: 'finish', finish });
        const usage = convertCohereUsage(ev.delta?.usage);
        if (usage) events.push({ type: 'usage', usage });
        if (finish.unified === 'error' || typeof ev.delta?.error === 'string') {
          state.failed = true;
          const why = typeof ev.delta?.error === 'string' ? `: ${quote(ev.delta.error)}` : '';
          events.push({ type: 'error', error: upstreamError(`Cohere ended the generation with finish_reason ${JSON.stringify(finish.raw)}${why}`) });
        }
        break;
      }
      default:
        break; // message-start (handled above), content-end, tool-call-end, citation-*, debug, and events added later
    }
    return events;
  },

  end(state) {
    if (state.failed || state.finished) return [];
    state.failed = true;
    return [{ type: 'error', error: upstreamError(state.started ? 'Cohere stream was cut short: it ended before message-end' : 'Cohere stream ended before sending any event') }];
  },
};

const quote = (text: string): string => JSON.stringify(snippet(text));

function fail(state: CohereStreamState, message: string): StreamEvent[] {
  state.failed = true;
  return [{ type: 'error', error: upstreamError(message) }];
}

function upstreamError(message: string): GatewayErrorShape {
  return { status: 502, type: 'upstream_error', code: 'upstream_error', message };
}
