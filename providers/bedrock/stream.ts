/**
 * ConverseStream events → internal stream events: a reducer over explicit state, fed the frames
 * of ./framing.ts in order. Events (AWS Bedrock API reference, `ConverseStreamOutput`):
 * - `messageStart` → `start`;
 * - `contentBlockStart` with `start.toolUse` → `tool-call-start` (tool indexes count tool calls only);
 * - `contentBlockDelta`: `delta.text` → `text-delta`; `delta.toolUse.input` (JSON text) →
 *   `tool-call-delta`; `delta.reasoningContent` `text` / `signature` / `redactedContent` →
 *   `reasoning-delta` / `reasoning-signature` / `reasoning-redacted`;
 * - `messageStop` → `finish`; `metadata` (after it) → `usage`;
 * - an exception message (`throttlingException`, `modelStreamErrorException`…) → `error`,
 *   classified as the same error would be before the stream (./errors.ts).
 * A stream that ends before `messageStop` ends with an error: the answer is incomplete.
 */
import type { StreamMapper } from '../adapter.js';
import type { StreamEvent } from '../types.js';
import { snippet } from '../kit/redact.js';
import { parseBedrockError } from './errors.js';
import { eventStreamFrames } from './framing.js';
import { mapConverseStopReason } from './finish-reason.js';
import { convertConverseUsage } from './usage.js';

export interface ConverseStreamState {
  model: string;
  started: boolean;
  stopped: boolean;
  failed: boolean;
  nextToolIndex: number;
  /** contentBlockIndex → tool index, for the tool's input deltas. */
  tools: Map<number, number>;
}

/** The documented status of each stream exception, for the shared error policy. */
const STREAM_EXCEPTION_STATUS: ReadonlyMap<string, number> = new Map([
  ['internalServerException', 500],
  ['modelStreamErrorException', 424],
  ['serviceUnavailableException', 503],
  ['throttlingException', 429],
  ['validationException', 400],
]);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export const converseStreamMapper: StreamMapper<ConverseStreamState> & { frames: typeof eventStreamFrames } = {
  frames: eventStreamFrames,

  init: (request) => ({ model: request.model, started: false, stopped: false, failed: false, nextToolIndex: 0, tools: new Map() }),

  step(state, frame) {
    if (state.failed) return [];
    const event = frame.event ?? '';
    if (event.endsWith('Exception')) {
      state.failed = true;
      const name = event[0]!.toUpperCase() + event.slice(1);
      const error = parseBedrockError({ status: STREAM_EXCEPTION_STATUS.get(event) ?? 500, headers: { 'x-amzn-errortype': name }, body: frame.data });
      return [{ type: 'error', error: { ...error, message: `${error.message} (mid-stream)` } }];
    }
    let body: unknown;
    try {
      body = JSON.parse(frame.data);
    } catch {
      body = undefined;
    }
    if (!isRecord(body)) return fail(state, `Bedrock sent a ${event || 'nameless'} event that is not a JSON object: ${snippet(frame.data)}`);
    const events: StreamEvent[] = [];
    if (!state.started) {
      state.started = true;
      events.push({ type: 'start', id: `bedrock-${Math.random().toString(36).slice(2, 14)}`, model: state.model });
    }
    switch (event) {
      case 'contentBlockStart': {
        const tool = isRecord(body.start) && isRecord(body.start.toolUse) ? body.start.toolUse : undefined;
        if (tool && typeof tool.toolUseId === 'string' && typeof tool.name === 'string') {
          const index = state.nextToolIndex++;
          state.tools.set(Number(body.contentBlockIndex), index);
          events.push({ type: 'tool-call-start', index, id: tool.toolUseId, name: tool.name });
        }
        break;
      }
      case 'contentBlockDelta': {
        const delta = isRecord(body.delta) ? body.delta : {};
        if (typeof delta.text === 'string') events.push({ type: 'text-delta', text: delta.text });
        else if (isRecord(delta.toolUse) && typeof delta.toolUse.input === 'string') {
          const index = state.tools.get(Number(body.contentBlockIndex));
          if (index === undefined) return fail(state, 'Bedrock sent tool input for a block that did not start a tool call');
          events.push({ type: 'tool-call-delta', index, argumentsDelta: delta.toolUse.input });
        } else if (isRecord(delta.reasoningContent)) {
          const r = delta.reasoningContent;
          if (typeof r.text === 'string') events.push({ type: 'reasoning-delta', text: r.text });
          if (typeof r.signature === 'string') events.push({ type: 'reasoning-signature', signature: r.signature });
          if (typeof r.redactedContent === 'string') events.push({ type: 'reasoning-redacted', data: r.redactedContent });
        }
        break;
      }
      case 'messageStop':
        state.stopped = true;
        events.push({ type: 'finish', finish: mapConverseStopReason(body.stopReason) });
        break;
      case 'metadata': {
        const usage = convertConverseUsage(body.usage);
        if (usage) events.push({ type: 'usage', usage });
        break;
      }
      // messageStart, contentBlockStop, and events added later carry nothing to forward.
    }
    return events;
  },

  end(state) {
    if (state.failed || state.stopped) return [];
    return fail(state, state.started ? 'Bedrock stream was cut short: it ended without messageStop' : 'Bedrock stream ended before sending any event');
  },
};

function fail(state: ConverseStreamState, message: string): StreamEvent[] {
  state.failed = true;
  return [{ type: 'error', error: { status: 502, type: 'upstream_error', code: 'upstream_error', message } }];
}
