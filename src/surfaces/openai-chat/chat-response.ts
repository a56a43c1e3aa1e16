import type { AssistantContentPart, ChatResponse, FinishReason, Usage } from '../../../providers/types.js';
import { toOpenAIUsage } from '../openai-shared/usage.js';

/**
 * Internal response → OpenAI `chat.completion` (docs/contract.md §3). Reasoning goes in `reasoning_content`;
 * `n` > 1 answers (`moreChoices`) become choices 1…n-1.
 */
export function toOpenAIChatCompletion(res: ChatResponse, usage: Usage, costUsd: number): Record<string, unknown> {
  const choices = [toChoice(res.content, res.finish, 0)];
  res.moreChoices?.forEach((c, i) => choices.push(toChoice(c.content, c.finish, i + 1)));
  return {
    id: openAIId(res.id),
    object: 'chat.completion',
    created: res.created,
    model: res.model,
    choices,
    usage: toOpenAIUsage(usage, costUsd),
  };
}

function toChoice(content: AssistantContentPart[], finish: FinishReason, index: number): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  const toolCalls: Record<string, unknown>[] = [];
  for (const p of content) {
    if (p.type === 'text') text += p.text;
    else if (p.type === 'reasoning') reasoning += p.text;
    else toolCalls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } });
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text || (toolCalls.length ? null : ''),
    refusal: null,
    annotations: [],
  };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length) message.tool_calls = toolCalls;
  return { index, message, logprobs: null, finish_reason: openAIFinish(finish.unified) };
}

export function openAIFinish(unified: string): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  return unified === 'length' || unified === 'tool_calls' || unified === 'content_filter' ? unified : 'stop';
}

export const openAIId = (id: string): string => (id.startsWith('chatcmpl-') ? id : `chatcmpl-${id || Date.now().toString(36)}`);
