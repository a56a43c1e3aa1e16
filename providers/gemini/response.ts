/**
 * Gemini `generateContent` response → internal ChatResponse.
 * Shape: docs/wire-facts.md §3 "Response"; https://ai.google.dev/api/generate-content#generatecontentresponse
 */
import type { AssistantContentPart, ChatRequest, ChatResponse } from '../types.js';
import { blockedPromptFinish, mapGeminiFinishReason } from './finish-reason.js';
import { geminiProviderMetadata } from './thought-signature.js';
import { geminiToolCallId, responseSalt, syntheticResponseId } from './tool-call-id.js';
import { convertGeminiUsage } from './usage.js';
import type { GeminiCandidate, GeminiPart, GeminiResponseBody } from './wire.js';
import { isRecord } from './wire.js';

export function parseGeminiResponse(body: unknown, req: ChatRequest): ChatResponse {
  if (!isRecord(body)) throw new Error(`Gemini response is not a JSON object: ${preview(body)}`);
  const res = body as GeminiResponseBody;
  if (isRecord(res.error)) {
    throw new Error(`Gemini returned an error object instead of a response: ${res.error.status ?? ''} ${res.error.message ?? ''}`.trim());
  }
  const salt = responseSalt(res.responseId);
  const base = {
    id: typeof res.responseId === 'string' && res.responseId ? res.responseId : syntheticResponseId(salt),
    model: typeof res.modelVersion === 'string' && res.modelVersion ? res.modelVersion : req.model,
    created: createdSeconds(res.createTime),
    usage: convertGeminiUsage(res.usageMetadata),
  };

  const candidates = (Array.isArray(res.candidates) ? res.candidates : []).filter(isRecord) as GeminiCandidate[];
  if (candidates.length === 0) {
    // No candidate because the prompt was blocked (promptFeedback.blockReason): an empty answer
    // finishing `content_filter` — what an OpenAI client gets when its own content filter
    // fires — rather than an error, so the prompt tokens (billed) are still metered.
    // No candidate and no reason is a malformed answer: a clear error (the engine's 502).
    const block = isRecord(res.promptFeedback) ? res.promptFeedback.blockReason : undefined;
    if (typeof block === 'string' && block) return { ...base, content: [], finish: blockedPromptFinish(block) };
    throw new Error('Gemini returned no candidates and no block reason');
  }
  // `candidateCount` > 1 (OpenAI `n`): every candidate is a choice, in `index` order.
  const [first, ...rest] = candidates
    .map((c, i) => ({ index: typeof c.index === 'number' ? c.index : i, ...convertCandidate(c, i === 0 ? salt : `${salt}:${i}`) }))
    .sort((a, b) => a.index - b.index);
  return { ...base, content: first!.content, finish: first!.finish, ...(rest.length > 0 && { moreChoices: rest.map(({ content, finish }) => ({ content, finish })) }) };
}

function convertCandidate(candidate: GeminiCandidate, salt: string): Pick<ChatResponse, 'content' | 'finish'> {
  const parts: unknown = isRecord(candidate.content) ? candidate.content.parts : undefined;
  const content = convertGeminiParts(Array.isArray(parts) ? parts : [], salt);
  const hasToolCalls = content.some((p) => p.type === 'tool-call');
  const finishReason = typeof candidate.finishReason === 'string' ? candidate.finishReason : undefined;
  return { content, finish: mapGeminiFinishReason(finishReason, hasToolCalls) };
}

/**
 * Parts → internal content: text, thought text (`thought: true`) → reasoning with its
 * signature, functionCall → tool call (id minted, signature kept in providerMetadata).
 * Adjacent text (or reasoning) parts are joined. Other part kinds (executableCode,
 * codeExecutionResult, inlineData output) have no internal form yet and are skipped.
 */
export function convertGeminiParts(parts: unknown[], salt: string): AssistantContentPart[] {
  const out: AssistantContentPart[] = [];
  let toolIndex = 0;
  for (const raw of parts) {
    if (!isRecord(raw)) continue;
    const part = raw as GeminiPart;
    const last = out[out.length - 1];
    if (isRecord(part.functionCall) && typeof part.functionCall.name === 'string') {
      const fc = part.functionCall;
      const meta = geminiProviderMetadata(part.thoughtSignature);
      out.push({
        type: 'tool-call',
        id: geminiToolCallId(salt, toolIndex++, fc.name, fc.id),
        name: fc.name,
        arguments: JSON.stringify(isRecord(fc.args) ? fc.args : {}),
        ...(meta ? { providerMetadata: meta } : {}),
      });
    } else if (typeof part.text === 'string') {
      if (part.thought === true) {
        if (last?.type === 'reasoning' && !last.signature) {
          last.text += part.text;
          if (part.thoughtSignature) last.signature = part.thoughtSignature;
        } else {
          out.push({ type: 'reasoning', text: part.text, ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}) });
        }
      } else if (part.text !== '') {
        // A thoughtSignature on a plain text part (Gemini 3) has no slot in TextPart; the API
        // does not require it back (only function-call signatures are validated).
        if (last?.type === 'text') last.text += part.text;
        else out.push({ type: 'text', text: part.text });
      }
    }
  }
  return out;
}

function createdSeconds(createTime: unknown): number {
  const t = typeof createTime === 'string' ? Date.parse(createTime) : NaN;
  return Math.floor((Number.isFinite(t) ? t : Date.now()) / 1000);
}

function preview(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
