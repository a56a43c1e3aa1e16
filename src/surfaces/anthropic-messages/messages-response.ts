/**
 * Internal ChatResponse → Anthropic Messages response body (non-streaming `POST /v1/messages`).
 * Shape: docs/wire-facts.md §2 "Response", fixture `__fixtures__/anthropic-response-text-usage.json`.
 */
import type { AssistantContentPart, ChatResponse } from '../../../providers/types.js';
import { toAnthropicUsage, type AnthropicUsage } from './convert-usage.js';
import { mapStopReason, type AnthropicStopReason } from './map-stop-reason.js';
import { anthropicMessageId, toolInputFromArguments } from './tool-input.js';

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

export function toAnthropicContentBlock(part: AssistantContentPart): AnthropicContentBlock {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'reasoning':
      if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
      // A non-Anthropic upstream gives no signature; Anthropic's type makes it a required string.
      return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: toolInputFromArguments(part.arguments) };
  }
}

/** `requestedModel`: the model name the client sent, echoed back as Anthropic does. */
export function toAnthropicMessage(res: ChatResponse, requestedModel: string): AnthropicMessage {
  const content = res.content.map(toAnthropicContentBlock);
  const stop = mapStopReason(
    res.finish,
    content.some((b) => b.type === 'tool_use'),
  );
  return {
    id: anthropicMessageId(res.id),
    type: 'message',
    role: 'assistant',
    model: requestedModel,
    content,
    stop_reason: stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    usage: toAnthropicUsage(res.usage),
  };
}
