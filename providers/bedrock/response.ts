/**
 * Converse response → internal ChatResponse. Shape: `{output:{message:{role,content}}, stopReason,
 * usage, metrics}` (AWS Bedrock API reference, `Converse`). Content blocks: `text`, `toolUse`
 * (input as a JSON object; OpenAI clients get it as JSON text), `reasoningContent` (Claude's
 * thinking with its signature, or redacted bytes). Converse gives no response id: one is minted.
 */
import type { AssistantContentPart, ChatRequest, ChatResponse } from '../types.js';
import { mapConverseStopReason } from './finish-reason.js';
import { convertConverseUsage } from './usage.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function parseConverseResponse(body: unknown, req: ChatRequest): ChatResponse {
  const message = isRecord(body) && isRecord(body.output) ? body.output.message : undefined;
  if (!isRecord(message) || !Array.isArray(message.content)) {
    throw new Error(`Bedrock Converse response has no output.message.content: ${preview(body)}`);
  }
  const res = body as Record<string, unknown>;
  const usage = convertConverseUsage(res.usage);
  return {
    id: `bedrock-${Math.random().toString(36).slice(2, 14)}`,
    model: req.model,
    created: Math.floor(Date.now() / 1000),
    content: message.content.flatMap(contentPart),
    finish: mapConverseStopReason(res.stopReason),
    ...(usage && { usage }),
  };
}

function contentPart(block: unknown): AssistantContentPart[] {
  if (!isRecord(block)) return [];
  if (typeof block.text === 'string') return [{ type: 'text', text: block.text }];
  if (isRecord(block.toolUse)) {
    const t = block.toolUse;
    if (typeof t.toolUseId !== 'string' || typeof t.name !== 'string') throw new Error(`Bedrock toolUse block without toolUseId or name: ${preview(block)}`);
    return [{ type: 'tool-call', id: t.toolUseId, name: t.name, arguments: JSON.stringify(t.input ?? {}) }];
  }
  if (isRecord(block.reasoningContent)) {
    const r = block.reasoningContent;
    if (typeof r.redactedContent === 'string') return [{ type: 'reasoning', text: '', redactedData: r.redactedContent }];
    if (isRecord(r.reasoningText) && typeof r.reasoningText.text === 'string') {
      const sig = r.reasoningText.signature;
      return [{ type: 'reasoning', text: r.reasoningText.text, ...(typeof sig === 'string' && { signature: sig }) }];
    }
  }
  // Blocks the internal form has no place for (citations, guard content, images out) are left out.
  return [];
}

function preview(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
