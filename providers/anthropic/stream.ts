/**
 * Anthropic streaming events → internal StreamEvents, as a reducer over explicit state.
 * The engine parses SSE once and feeds us `{event, data}` frames (docs/architecture.md §3).
 *
 * Wire order (docs "Messages streaming", fixtures anthropic-stream-*.sse): message_start,
 * then per content block content_block_start / content_block_delta… / content_block_stop,
 * then message_delta (stop_reason + CUMULATIVE usage), then message_stop. `ping` may come
 * anywhere; unknown events must be ignored (new ones get added); `event: error` may arrive
 * after HTTP 200; there is no `[DONE]`: a stream without message_stop was cut short.
 *
 * `step` mutates the state it is given (it is per-stream and owned by the engine) and returns
 * the events to forward. After an error event the stream is over: later frames are ignored.
 */
import type { SseFrame, StreamMapper } from '../adapter.js';
import type { ChatRequest, StreamEvent, Usage } from '../types.js';
import { snippet } from '../kit/redact.js';
import { gatewayErrorFromAnthropic, readAnthropicErrorObject } from './errors.js';
import { mapAnthropicStopReason } from './finish-reason.js';
import { convertAnthropicUsage, mergeAnthropicUsage } from './usage.js';

export interface AnthropicStreamState {
  model: string;
  started: boolean;
  /**
   * Anthropic block index → our tool-call index. Block indexes count every block (text,
   * thinking…); OpenAI tool-call indexes count tool calls only, 0,1,… (docs/wire-facts.md §2).
   */
  toolCalls: Map<number, { index: number; sawArguments: boolean }>;
  nextToolIndex: number;
  /** message_start's counts merged with every message_delta's cumulative ones. */
  usage: Usage | undefined;
  finished: boolean;
  sawMessageStop: boolean;
  failed: boolean;
}

type Loose = Record<string, any>;

export const anthropicStreamMapper: StreamMapper<AnthropicStreamState> = {
  init(request: ChatRequest): AnthropicStreamState {
    return {
      model: request.model,
      started: false,
      toolCalls: new Map(),
      nextToolIndex: 0,
      usage: undefined,
      finished: false,
      sawMessageStop: false,
      failed: false,
    };
  },

  step(state: AnthropicStreamState, frame: SseFrame): StreamEvent[] {
    if (state.failed || state.sawMessageStop) return [];
    if (frame.data.trim() === '') return [];
    let data: Loose;
    try {
      data = JSON.parse(frame.data) as Loose;
      if (typeof data !== 'object' || data === null) throw new Error('not an object');
    } catch {
      return fail(state, 502, `Anthropic sent malformed stream data (invalid JSON in a '${frame.event ?? 'unnamed'}' event): ${snippet(frame.data)}`);
    }
    // The event name and `data.type` repeat each other; fall back to the latter if a proxy
    // stripped the `event:` lines.
    const event = frame.event ?? (typeof data.type === 'string' ? data.type : '');
    switch (event) {
      case 'message_start':
        return onMessageStart(state, data);
      case 'content_block_start':
        return [...ensureStarted(state), ...onBlockStart(state, data)];
      case 'content_block_delta':
        return [...ensureStarted(state), ...onBlockDelta(state, data)];
      case 'content_block_stop':
        return onBlockStop(state, data);
      case 'message_delta':
        return [...ensureStarted(state), ...onMessageDelta(state, data)];
      case 'message_stop':
        state.sawMessageStop = true;
        return [];
      case 'error': {
        const fields = readAnthropicErrorObject(data) ?? { type: undefined, message: 'Anthropic sent an error event without details' };
        state.failed = true;
        return [{ type: 'error', error: gatewayErrorFromAnthropic(undefined, fields) }];
      }
      default:
        return []; // ping, and event types added after this was written
    }
  },

  end(state: AnthropicStreamState): StreamEvent[] {
    if (state.failed || state.sawMessageStop) return [];
    return fail(state, 502, 'Anthropic stream ended before message_stop (the upstream connection was cut)');
  },
};

function fail(state: AnthropicStreamState, status: number, message: string): StreamEvent[] {
  state.failed = true;
  return [{ type: 'error', error: { status, type: 'upstream_error', code: 'upstream_error', message, param: null } }];
}

function onMessageStart(state: AnthropicStreamState, data: Loose): StreamEvent[] {
  if (state.started) return [];
  const message: Loose = typeof data.message === 'object' && data.message !== null ? data.message : {};
  state.started = true;
  if (typeof message.model === 'string' && message.model) state.model = message.model;
  const start: StreamEvent & { type: 'start' } = { type: 'start', id: typeof message.id === 'string' ? message.id : '', model: state.model };
  if (typeof message.usage !== 'object' || message.usage === null) return [start];
  state.usage = convertAnthropicUsage(message.usage);
  start.usage = state.usage;
  return [start, { type: 'usage', usage: state.usage }];
}

/** Frames before message_start (a misbehaving proxy) still get a `start` first. */
function ensureStarted(state: AnthropicStreamState): StreamEvent[] {
  if (state.started) return [];
  state.started = true;
  return [{ type: 'start', id: '', model: state.model }];
}

function onBlockStart(state: AnthropicStreamState, data: Loose): StreamEvent[] {
  const block: Loose = typeof data.content_block === 'object' && data.content_block !== null ? data.content_block : {};
  switch (block.type) {
    case 'text':
      return nonEmpty(block.text) ? [{ type: 'text-delta', text: block.text }] : [];
    case 'thinking': {
      const out: StreamEvent[] = [];
      if (nonEmpty(block.thinking)) out.push({ type: 'reasoning-delta', text: block.thinking });
      if (nonEmpty(block.signature)) out.push({ type: 'reasoning-signature', signature: block.signature });
      return out;
    }
    case 'redacted_thinking':
      return [{ type: 'reasoning-redacted', data: typeof block.data === 'string' ? block.data : '' }];
    case 'tool_use': {
      const index = state.nextToolIndex++;
      const hasInput = typeof block.input === 'object' && block.input !== null && Object.keys(block.input).length > 0;
      state.toolCalls.set(Number(data.index), { index, sawArguments: hasInput });
      const out: StreamEvent[] = [{ type: 'tool-call-start', index, id: String(block.id ?? ''), name: String(block.name ?? '') }];
      // Normally `input` is `{}` here and arrives as input_json_delta; accept it whole if not.
      if (hasInput) out.push({ type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(block.input) });
      return out;
    }
    default:
      return []; // server_tool_use, web_search_tool_result…: no OpenAI equivalent
  }
}

function onBlockDelta(state: AnthropicStreamState, data: Loose): StreamEvent[] {
  const delta: Loose = typeof data.delta === 'object' && data.delta !== null ? data.delta : {};
  switch (delta.type) {
    case 'text_delta':
      return nonEmpty(delta.text) ? [{ type: 'text-delta', text: delta.text }] : [];
    case 'thinking_delta':
      return nonEmpty(delta.thinking) ? [{ type: 'reasoning-delta', text: delta.thinking }] : [];
    case 'signature_delta':
      return nonEmpty(delta.signature) ? [{ type: 'reasoning-signature', signature: delta.signature }] : [];
    case 'input_json_delta': {
      const call = state.toolCalls.get(Number(data.index));
      // The first fragment is usually "" (fixture anthropic-stream-tool-use.sse): nothing to say.
      if (!call || !nonEmpty(delta.partial_json)) return [];
      call.sawArguments = true;
      return [{ type: 'tool-call-delta', index: call.index, argumentsDelta: delta.partial_json }];
    }
    default:
      return []; // citations_delta and future delta types
  }
}

/**
 * A tool call with no arguments streams only `""` fragments; the non-streaming answer says
 * `{}`. Emit `{}` so both paths give the client parseable JSON arguments.
 */
function onBlockStop(state: AnthropicStreamState, data: Loose): StreamEvent[] {
  const call = state.toolCalls.get(Number(data.index));
  if (!call || call.sawArguments) return [];
  call.sawArguments = true;
  return [{ type: 'tool-call-delta', index: call.index, argumentsDelta: '{}' }];
}

function onMessageDelta(state: AnthropicStreamState, data: Loose): StreamEvent[] {
  const out: StreamEvent[] = [];
  const delta: Loose = typeof data.delta === 'object' && data.delta !== null ? data.delta : {};
  if (!state.finished && typeof delta.stop_reason === 'string') {
    state.finished = true;
    out.push({ type: 'finish', finish: mapAnthropicStopReason(delta.stop_reason, delta.stop_sequence) });
  }
  if (typeof data.usage === 'object' && data.usage !== null) {
    // Cumulative: merged over message_start's counts, latest value wins, never summed.
    state.usage = mergeAnthropicUsage(state.usage, data.usage);
    out.push({ type: 'usage', usage: state.usage });
  }
  return out;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
