/**
 * Pass-through observation (docs/architecture.md §2): when an Anthropic client talks to Anthropic the engine
 * pipes bytes and only asks us for the usage. Cheap by design: a stream frame is parsed only when
 * its event name (or text) says it can carry usage — message_start and message_delta.
 */
import type { SseFrame } from '../adapter.js';
import type { Usage } from '../types.js';
import { convertAnthropicUsage, mergeAnthropicUsage } from './usage.js';

export function anthropicUsageFromBody(json: unknown): Usage | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const usage = (json as { usage?: unknown }).usage;
  return typeof usage === 'object' && usage !== null ? convertAnthropicUsage(usage) : undefined;
}

export function sniffAnthropicStreamUsage(frame: SseFrame, previous: Usage | undefined): Usage | undefined {
  const event = frame.event;
  if (event !== undefined && event !== 'message_start' && event !== 'message_delta') return undefined;
  if (!frame.data.includes('"usage"')) return undefined;
  let data: any;
  try {
    data = JSON.parse(frame.data);
  } catch {
    return undefined; // observing only: the client sees the bad frame itself
  }
  const type = event ?? data?.type;
  if (type === 'message_start') {
    // Input counts are final here; output_tokens (1) is a running count until message_delta.
    const usage = data?.message?.usage;
    return typeof usage === 'object' && usage !== null ? { ...convertAnthropicUsage(usage), partial: true } : undefined;
  }
  if (type === 'message_delta' && typeof data?.usage === 'object' && data.usage !== null) {
    return mergeAnthropicUsage(previous, data.usage); // cumulative counts: replace, never add
  }
  return undefined;
}
