/**
 * Anthropic Messages response → internal ChatResponse.
 * Shape: `{id, type:"message", role, model, content:[…], stop_reason, stop_sequence, usage}`
 * (fixture anthropic-response-text-usage.json). Unknown block types (server_tool_use,
 * web_search_tool_result, …) are skipped: they have no place in an OpenAI-shaped answer.
 */
import type { AssistantContentPart, ChatRequest, ChatResponse } from '../types.js';
import { mapAnthropicStopReason } from './finish-reason.js';
import { convertAnthropicUsage } from './usage.js';
import { readAnthropicErrorObject } from './errors.js';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function parseAnthropicResponse(body: unknown, req: ChatRequest): ChatResponse {
  if (!isObject(body)) throw new Error(`Anthropic response is not a JSON object (got ${body === null ? 'null' : typeof body})`);
  if (body['type'] === 'error') {
    const e = readAnthropicErrorObject(body);
    throw new Error(`Anthropic answered with an error body: ${e?.type ?? 'unknown'}: ${e?.message ?? ''}`.trim());
  }
  if (!Array.isArray(body['content'])) throw new Error('Anthropic response has no content array; it is not a Messages API message');

  const content: AssistantContentPart[] = [];
  for (const block of body['content']) {
    if (!isObject(block)) continue;
    switch (block['type']) {
      case 'text':
        content.push({ type: 'text', text: str(block['text']) });
        break;
      case 'thinking': {
        const signature = str(block['signature']);
        content.push(signature ? { type: 'reasoning', text: str(block['thinking']), signature } : { type: 'reasoning', text: str(block['thinking']) });
        break;
      }
      case 'redacted_thinking':
        content.push({ type: 'reasoning', text: '', redactedData: str(block['data']) });
        break;
      case 'tool_use':
        content.push({ type: 'tool-call', id: str(block['id']), name: str(block['name']), arguments: JSON.stringify(block['input'] ?? {}) });
        break;
    }
  }

  const response: ChatResponse = {
    id: str(body['id']),
    model: str(body['model']) || req.model,
    // Anthropic sends no creation time; the receive time is the closest honest value.
    created: Math.floor(Date.now() / 1000),
    content,
    finish: mapAnthropicStopReason(body['stop_reason'], body['stop_sequence']),
  };
  if (isObject(body['usage'])) response.usage = convertAnthropicUsage(body['usage']);
  return response;
}
