/**
 * Cohere `POST /v2/chat` answer → internal ChatResponse. The body is
 * `{id, finish_reason, message:{role, content:[{type:'text'|'thinking',…}], tool_plan, tool_calls, citations}, usage}`
 * (cohere-ai SDK 8 `V2ChatResponse`). It names no model and no time: the request's model and
 * the time of reading stand in. `tool_plan` (the text the model writes before calling tools)
 * becomes text, so a client sees it and sends it back; citations are not carried.
 */
import type { AssistantContentPart, ChatRequest, ChatResponse } from '../types.js';
import { snippet } from '../kit/redact.js';
import { mapCohereFinishReason } from './finish-reason.js';
import { convertCohereUsage } from './usage.js';

export function parseCohereResponse(body: unknown, req: ChatRequest): ChatResponse {
  const b = body as { id?: unknown; finish_reason?: unknown; message?: Record<string, unknown>; usage?: unknown } | null;
  if (b === null || typeof b !== 'object' || Array.isArray(b) || b.message === null || typeof b.message !== 'object') {
    throw new Error(`Cohere response has no message: ${snippet(JSON.stringify(body) ?? String(body))}`);
  }
  const message = b.message;
  const content: AssistantContentPart[] = [];
  const parts = Array.isArray(message.content) ? message.content : [];
  for (const p of parts) {
    if (p && typeof p === 'object' && p.type === 'thinking' && typeof p.thinking === 'string') content.push({ type: 'reasoning', text: p.thinking });
  }
  if (typeof message.tool_plan === 'string' && message.tool_plan !== '') content.push({ type: 'text', text: message.tool_plan });
  for (const p of parts) {
    if (p && typeof p === 'object' && p.type === 'text' && typeof p.text === 'string' && p.text !== '') content.push({ type: 'text', text: p.text });
  }
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  calls.forEach((tc: any, i: number) => {
    if (!tc || typeof tc !== 'object') return;
    content.push({
      type: 'tool-call',
      id: typeof tc.id === 'string' && tc.id !== '' ? tc.id : `call_${i}`,
      name: typeof tc.function?.name === 'string' ? tc.function.name : '',
      arguments: typeof tc.function?.arguments === 'string' && tc.function.arguments !== '' ? tc.function.arguments : '{}',
    });
  });
  const response: ChatResponse = {
    id: typeof b.id === 'string' ? b.id : '',
    model: req.model,
    created: Math.floor(Date.now() / 1000),
    content,
    finish: mapCohereFinishReason(b.finish_reason),
  };
  const usage = convertCohereUsage(b.usage);
  if (usage) response.usage = usage;
  return response;
}
