/**
 * Internal ChatRequest → Cohere `POST /v2/chat` body (cohere-ai SDK 8 `V2ChatRequest`, on the
 * wire in snake_case). Where it differs from OpenAI's shape:
 *
 * - An assistant turn that calls tools carries its text as `tool_plan` (Cohere's words for
 *   "what I am about to do"), not as `content`; the answer side maps `tool_plan` back to text,
 *   so a round trip keeps it. Reasoning parts in the history are dropped: another provider's
 *   thinking (with its signature) means nothing to Cohere.
 * - Tool results are one `{role:'tool', tool_call_id, content}` message each; Cohere's tool
 *   content holds text (or documents), so an image in a tool result is refused.
 * - Images: `{type:'image_url', image_url:{url, detail}}`; inline bytes become a `data:` URL.
 * - `tool_choice`: auto is the default (not sent); none → `NONE`; required → `REQUIRED`; a
 *   named tool → `REQUIRED` with only that tool offered (Cohere cannot name one).
 * - `response_format`: json_object → `{type:'json_object'}`; json_schema →
 *   `{type:'json_object', json_schema}` (the schema itself, without OpenAI's name wrapper).
 * - Sampling: `top_p` → `p`, `top_k` → `k`, `stop` → `stop_sequences` (Cohere takes up to 5),
 *   `seed`, the penalties and `max_tokens` as they are. A thinking budget or level → `thinking`
 *   (Command A Reasoning): `{type:'enabled', token_budget}`.
 * - Not sent: `user` (ledger only), `n` > 1 and parallel-call switches (refused by ./capabilities.ts).
 *   Cohere-only fields an OpenAI client sends as extra body (`documents`, `safety_mode`,
 *   `citation_options`) arrive verbatim as `passedFields`.
 */
import type { ChatRequest, ImagePart, Message, ResponseFormat, TextPart, ToolResultPart } from '../types.js';
import type { CohereChatRequest, CohereMessage, CohereResponseFormat, CohereToolCall, CohereUserContent } from './wire.js';

/** A reasoning level → Cohere's thinking token budget (the same steps as Anthropic's budgets). */
const BUDGET_BY_EFFORT = { minimal: 1024, low: 2048, medium: 8192, high: 24576 } as const;

export function convertToCohereRequest(req: ChatRequest): CohereChatRequest {
  const body: CohereChatRequest = { model: req.model, messages: convertMessages(req.messages), stream: req.stream };
  let tools = req.tools ?? [];
  if (req.toolChoice?.type === 'tool') {
    const name = req.toolChoice.name;
    tools = tools.filter((t) => t.name === name);
    if (!tools.length) throw new Error(`tool_choice names '${name}', which is not among the tools`);
  }
  if (tools.length) {
    body.tools = tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description !== undefined && { description: t.description }), parameters: t.parameters },
    }));
    if (tools.some((t) => t.strict)) body.strict_tools = true;
  }
  if (req.toolChoice?.type === 'none') body.tool_choice = 'NONE';
  else if (req.toolChoice?.type === 'required' || req.toolChoice?.type === 'tool') body.tool_choice = 'REQUIRED';
  if (req.responseFormat) {
    const format = convertResponseFormat(req.responseFormat);
    if (format) body.response_format = format;
  }
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.p = req.topP;
  if (req.topK !== undefined) body.k = req.topK;
  if (req.stop?.length) body.stop_sequences = req.stop;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  const budget = req.reasoningBudgetTokens ?? (req.reasoningEffort && BUDGET_BY_EFFORT[req.reasoningEffort]);
  if (budget !== undefined) body.thinking = { type: 'enabled', token_budget: budget };
  return body;
}

function convertResponseFormat(format: ResponseFormat): CohereResponseFormat | undefined {
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema':
      return { type: 'json_object', json_schema: format.schema };
  }
}

function convertMessages(messages: Message[]): CohereMessage[] {
  const out: CohereMessage[] = [];
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        out.push({ role: 'system', content: m.content.map((p) => p.text).join('\n') });
        break;
      case 'user':
        out.push({ role: 'user', content: convertUserContent(m.content) });
        break;
      case 'assistant': {
        let text = '';
        const calls: CohereToolCall[] = [];
        for (const part of m.content) {
          if (part.type === 'text') text += part.text;
          else if (part.type === 'tool-call') calls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments || '{}' } });
        }
        if (calls.length) out.push({ role: 'assistant', ...(text !== '' && { tool_plan: text }), tool_calls: calls });
        else out.push({ role: 'assistant', content: text });
        break;
      }
      case 'tool':
        for (const result of m.content) out.push(convertToolResult(result));
        break;
    }
  }
  return out;
}

function convertUserContent(parts: Array<TextPart | ImagePart>): string | CohereUserContent[] {
  if (parts.length === 1 && parts[0]?.type === 'text') return parts[0].text;
  return parts.map((p): CohereUserContent => (p.type === 'text' ? { type: 'text', text: p.text } : { type: 'image_url', image_url: imageUrl(p) }));
}

function imageUrl(p: ImagePart): { url: string; detail?: 'auto' | 'low' | 'high' } {
  const url = p.url ?? (p.data !== undefined ? `data:${p.mediaType ?? 'image/jpeg'};base64,${p.data}` : undefined);
  if (url === undefined) throw new Error('An image part has neither a URL nor inline data');
  return { url, ...(p.detail && { detail: p.detail }) };
}

function convertToolResult(result: ToolResultPart): CohereMessage {
  if (typeof result.content === 'string') return { role: 'tool', tool_call_id: result.toolCallId, content: result.content };
  if (result.content.some((p) => p.type === 'image')) throw new Error('Cohere tool results hold text only: an image in a tool result cannot be sent');
  const text = (result.content as TextPart[]).map((p) => p.text).join('\n');
  return { role: 'tool', tool_call_id: result.toolCallId, content: text };
}
