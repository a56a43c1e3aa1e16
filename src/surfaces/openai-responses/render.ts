import { timeOrderedHex } from '../../server/request-id.js';
import type { ChatResponse, FinishReason, Usage } from '../../../providers/types.js';

/** An id with OpenAI's prefix (`resp_`, `msg_`, `fc_`, `rs_`) and 32 hex digits, time-ordered (../../server/request-id.ts). */
export const responsesId = (prefix: string): string => `${prefix}_${timeOrderedHex()}`;

/** Internal usage (+ cost in USD) → the Responses `usage` object with tollgate's `cost`. */
export function toResponsesUsage(u: Usage, costUsd: number): Record<string, unknown> {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0, cache_write_tokens: u.cacheWriteTokens ?? 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: u.inputTokens + u.outputTokens,
    cost: costUsd,
    ...(u.estimated && { estimated: true }),
  };
}

/** `status` and `incomplete_details` from the finish reason: a cut answer is `incomplete`. */
export function responseStatus(finish: FinishReason): { status: 'completed' | 'incomplete'; incomplete_details: { reason: string } | null } {
  if (finish.unified === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finish.unified === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** The request's settings a Response object echoes back (OpenAI's `Response` requires them). */
export function echoedRequest(b: Record<string, any>): Record<string, unknown> {
  return {
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    metadata: b.metadata ?? {},
    parallel_tool_calls: b.parallel_tool_calls ?? true,
    previous_response_id: b.previous_response_id ?? null,
    reasoning: { effort: b.reasoning?.effort ?? null, summary: null },
    // Whether the answer is kept: the route sets it (false without a database, whatever was asked).
    store: b.store === true,
    temperature: b.temperature ?? 1,
    text: { format: b.text?.format ?? { type: 'text' } },
    tool_choice: b.tool_choice ?? 'auto',
    tools: b.tools ?? [],
    top_p: b.top_p ?? 1,
    truncation: 'disabled',
    // `user` is a string when present (deprecated: OpenAI echoes it only when sent).
    ...(typeof b.user === 'string' && { user: b.user }),
  };
}

/**
 * Internal answer → output items in the order the model produced them: reasoning (its text as
 * the summary, the provider's signature as `encrypted_content` so a re-sent item round-trips),
 * one `message` per run of text, one `function_call` per tool call.
 */
export function toOutputItems(res: ChatResponse): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let message: { content: Record<string, unknown>[] } | undefined;
  for (const p of res.content) {
    if (p.type === 'text') {
      if (!message) {
        message = { content: [] };
        out.push({ id: responsesId('msg'), type: 'message', status: 'completed', role: 'assistant', content: message.content });
      }
      message.content.push({ type: 'output_text', text: p.text, annotations: [], logprobs: [] });
      continue;
    }
    message = undefined;
    if (p.type === 'reasoning') {
      out.push({ id: responsesId('rs'), type: 'reasoning', summary: p.text ? [{ type: 'summary_text', text: p.text }] : [], ...(p.signature && { encrypted_content: p.signature }) });
    } else {
      out.push({ id: responsesId('fc'), type: 'function_call', status: 'completed', call_id: p.id, name: p.name, arguments: p.arguments });
    }
  }
  return out;
}

/** The non-stream `response` object. */
export function toResponse(res: ChatResponse, usage: Usage, costUsd: number, body: Record<string, any>): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    id: responsesId('resp'),
    object: 'response',
    created_at: res.created || now,
    completed_at: now,
    ...responseStatus(res.finish),
    error: null,
    model: res.model,
    output: toOutputItems(res),
    ...echoedRequest(body),
    usage: toResponsesUsage(usage, costUsd),
  };
}
