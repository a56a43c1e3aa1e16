/**
 * Internal stream events → Anthropic Messages SSE frames (`POST /v1/messages` with
 * `stream: true`), in the order Anthropic sends them (docs/wire-facts.md §2 "Streaming", fixtures
 * `__fixtures__/anthropic-stream-tool-use.sse`, `anthropic-stream-thinking.docs.sse`):
 *
 *   message_start → (content_block_start → content_block_delta* → content_block_stop)*
 *     → message_delta → message_stop
 *
 * A reducer over explicit state, like the provider stream mappers: `step` may be fed any
 * internal event order a mapper produces; `end` is called once when the upstream is done.
 *
 * Why message_delta/message_stop wait for `end()`: `message_delta` carries the final stop reason
 * *and* the final cumulative usage, and the internal events do not arrive in one order — OpenAI
 * sends its usage chunk after the finish chunk, an Anthropic upstream may send several
 * cumulative message_delta usages, Gemini puts both on the last chunk. Only at the end of the
 * upstream body is the usage known to be final. The upstream closes right after its last event,
 * so the client waits no measurable time for it.
 */
import type { FinishReason, StreamEvent, Usage } from '../../../providers/types.js';
import { toAnthropicUsage } from './convert-usage.js';
import { toAnthropicError } from './errors.js';
import { mapStopReason } from './map-stop-reason.js';
import { anthropicMessageId } from './tool-input.js';

type OpenBlock =
  | { kind: 'text'; index: number }
  | { kind: 'thinking'; index: number; signed: boolean }
  | { kind: 'tool'; index: number; toolIndex: number }
  | { kind: 'redacted'; index: number };

export interface AnthropicStreamState {
  readonly requestedModel: string;
  started: boolean;
  /** message_stop or an error frame was written: nothing more may follow. */
  done: boolean;
  /** Index the next content block gets: counts every block, of every kind. */
  nextIndex: number;
  open: OpenBlock | null;
  sawToolCall: boolean;
  finish: FinishReason | null;
  /** Usage from `start` (input counts known up front), then the latest `usage` event. */
  usage: Usage | undefined;
}

/** One SSE frame as Anthropic writes it: named event, JSON data repeating the name as `type`. */
function frame(type: string, payload: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

/** A keep-alive the engine may write between frames; Anthropic sends the same (docs/wire-facts.md §2). */
export const ANTHROPIC_PING_FRAME = frame('ping', {});

function messageStart(state: AnthropicStreamState, id: string, usage: Usage | undefined): string[] {
  state.started = true;
  if (usage !== undefined) state.usage = usage;
  const message = {
    id: anthropicMessageId(id),
    type: 'message',
    role: 'assistant',
    model: state.requestedModel,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: toAnthropicUsage(usage),
  };
  return [frame('message_start', { message })];
}

/** Content arriving before `start` (or with no `start` at all) still needs a message_start first. */
function ensureStarted(state: AnthropicStreamState): string[] {
  return state.started ? [] : messageStart(state, '', undefined);
}

function closeOpen(state: AnthropicStreamState): string[] {
  if (state.open === null) return [];
  const index = state.open.index;
  state.open = null;
  return [frame('content_block_stop', { index })];
}

function openBlock(state: AnthropicStreamState, block: OpenBlock, contentBlock: Record<string, unknown>): string[] {
  const out = [...ensureStarted(state), ...closeOpen(state)];
  state.open = block;
  state.nextIndex = block.index + 1;
  out.push(frame('content_block_start', { index: block.index, content_block: contentBlock }));
  return out;
}

function delta(index: number, d: Record<string, unknown>): string {
  return frame('content_block_delta', { index, delta: d });
}

export function initAnthropicStream(requestedModel: string): AnthropicStreamState {
  return {
    requestedModel,
    started: false,
    done: false,
    nextIndex: 0,
    open: null,
    sawToolCall: false,
    finish: null,
    usage: undefined,
  };
}

export function stepAnthropicStream(state: AnthropicStreamState, event: StreamEvent): string[] {
  if (state.done) return [];
  switch (event.type) {
    case 'start':
      // A second start (e.g. after a synthesised one) carries nothing the client still needs.
      return state.started ? [] : messageStart(state, event.id, event.usage);

    case 'text-delta': {
      // Empty deltas (OpenAI's first chunk has content "") would open an empty text block.
      if (event.text === '') return [];
      const out = state.open?.kind === 'text' ? [] : openBlock(state, { kind: 'text', index: state.nextIndex }, { type: 'text', text: '' });
      out.push(delta(state.open!.index, { type: 'text_delta', text: event.text }));
      return out;
    }

    case 'reasoning-delta': {
      if (event.text === '') return [];
      // After its signature a thinking block is complete; more reasoning is a new block.
      const reuse = state.open?.kind === 'thinking' && !state.open.signed;
      const out = reuse
        ? []
        : openBlock(state, { kind: 'thinking', index: state.nextIndex, signed: false }, { type: 'thinking', thinking: '', signature: '' });
      out.push(delta(state.open!.index, { type: 'thinking_delta', thinking: event.text }));
      return out;
    }

    case 'reasoning-signature': {
      // Anthropic sends the signature as the thinking block's last delta; with
      // `display: "omitted"` the block holds only that delta (docs/wire-facts.md §2).
      const out =
        state.open?.kind === 'thinking' && !state.open.signed
          ? []
          : openBlock(state, { kind: 'thinking', index: state.nextIndex, signed: false }, { type: 'thinking', thinking: '', signature: '' });
      const open = state.open as Extract<OpenBlock, { kind: 'thinking' }>;
      open.signed = true;
      out.push(delta(open.index, { type: 'signature_delta', signature: event.signature }));
      return out;
    }

    case 'reasoning-redacted': {
      // Redacted thinking carries its data in content_block_start and has no deltas.
      const out = openBlock(state, { kind: 'redacted', index: state.nextIndex }, { type: 'redacted_thinking', data: event.data });
      out.push(...closeOpen(state));
      return out;
    }

    case 'tool-call-start':
      state.sawToolCall = true;
      return openBlock(
        state,
        { kind: 'tool', index: state.nextIndex, toolIndex: event.index },
        { type: 'tool_use', id: event.id, name: event.name, input: {} },
      );

    case 'tool-call-delta':
      // Anthropic blocks never interleave, so only the open tool block can take arguments.
      // Upstreams stream parallel calls one after another (docs/wire-facts.md §1, "Parallel calls"), so a
      // delta for an already-closed call does not happen in practice; it is dropped rather than
      // written after its block's content_block_stop, which Anthropic clients do not expect.
      if (event.argumentsDelta === '' || state.open?.kind !== 'tool' || state.open.toolIndex !== event.index) return [];
      return [delta(state.open.index, { type: 'input_json_delta', partial_json: event.argumentsDelta })];

    case 'finish':
      state.finish = event.finish;
      return [];

    case 'usage':
      state.usage = event.usage;
      return [];

    case 'error':
      // Anthropic ends a failed stream with an `error` event and no message_stop (fixture
      // anthropic-stream-error-overloaded.docs.sse); its SDK throws an APIError on it.
      state.done = true;
      return [frame('error', { error: toAnthropicError(event.error).body.error })];
  }
}

/**
 * The upstream body ended. With a finish seen: close the open block, then message_delta (stop
 * reason + final cumulative usage) and message_stop. Without one the upstream was cut short
 * and the client gets an error frame, never a silent, well-formed-looking end (docs/contract.md §3).
 */
export function endAnthropicStream(state: AnthropicStreamState): string[] {
  if (state.done) return [];
  state.done = true;
  if (state.finish === null) {
    return [
      frame('error', {
        error: { type: 'api_error', message: 'The upstream stream ended before the message was complete.' },
      }),
    ];
  }
  const out = [...ensureStarted(state), ...closeOpen(state)];
  const stop = mapStopReason(state.finish, state.sawToolCall);
  out.push(frame('message_delta', { delta: stop, usage: toAnthropicUsage(state.usage) }));
  out.push(frame('message_stop', {}));
  return out;
}

export interface AnthropicStreamWriter {
  step(event: StreamEvent): string[];
  end(): string[];
}

/** Convenience wrapper holding the state: one writer per client stream. */
export function createAnthropicStreamWriter(requestedModel: string): AnthropicStreamWriter {
  const state = initAnthropicStream(requestedModel);
  return {
    step: (event) => stepAnthropicStream(state, event),
    end: () => endAnthropicStream(state),
  };
}
