import type { AssistantContentPart, ChatResponse } from '../types.js';
import { mapOpenAIFinishReason, refusalFinish } from './finish-reason.js';
import { convertOpenAIUsage } from './usage.js';

/**
 * OpenAI `chat.completion` → internal response (first choice; n>1 is pass-through only). A
 * refusal (`message.refusal`, structured outputs) is text the client must see: it becomes the
 * text content and the answer finishes `content_filter` (Anthropic clients: `stop_reason:
 * "refusal"`).
 */
export function parseOpenAIResponse(body: unknown): ChatResponse {
  const b = body as Record<string, any> | null;
  const choice = b && Array.isArray(b.choices) ? b.choices[0] : undefined;
  if (!b || typeof b !== 'object' || !choice || typeof choice !== 'object') {
    throw new Error('upstream response has no choices');
  }
  const msg = choice.message ?? {};
  const content: AssistantContentPart[] = [];
  const reasoning = msg.reasoning_content ?? msg.reasoning;
  if (typeof reasoning === 'string' && reasoning) content.push({ type: 'reasoning', text: reasoning });
  if (typeof msg.content === 'string' && msg.content) content.push({ type: 'text', text: msg.content });
  const refused = typeof msg.refusal === 'string' && msg.refusal !== '';
  if (refused) content.push({ type: 'text', text: msg.refusal });
  if (Array.isArray(msg.tool_calls)) {
    for (const c of msg.tool_calls) {
      const args = c?.function?.arguments;
      content.push({
        type: 'tool-call',
        id: String(c?.id ?? ''),
        name: String(c?.function?.name ?? ''),
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      });
    }
  }
  return {
    id: typeof b.id === 'string' ? b.id : '',
    model: typeof b.model === 'string' ? b.model : '',
    created: typeof b.created === 'number' ? b.created : Math.floor(Date.now() / 1000),
    content,
    finish: refused ? refusalFinish(choice.finish_reason) : mapOpenAIFinishReason(choice.finish_reason),
    usage: convertOpenAIUsage(b.usage, b.service_tier),
  };
}
