/**
 * Internal ChatRequest → Mistral `ChatCompletionRequest` body. Mostly OpenAI's shape, with the
 * differences that make Mistral its own dialect [docs/wire-facts.md §4; mistralai SDK 2.7 types]:
 *
 * - `seed` → `random_seed`; `maxTokens` → `max_tokens`; `stream_options` is never sent (Mistral
 *   rejects it [I dnakov/anon-kode#53] and puts usage on the finish chunk anyway).
 * - Tool-call ids are rewritten to 9 alphanumeric characters (./tool-call-ids.ts), the same
 *   rewrite on the assistant `tool_calls[].id` and on the tool message's `tool_call_id`.
 * - Images: `{type:'image_url', image_url:'<url>'}` — a bare string (SDK `ImageURLChunk` accepts
 *   string | {url, detail}; the string is the documented form). Inline bytes become a `data:` URL.
 *   OpenAI's `detail` hint is dropped.
 * - `tool_choice`: auto / none / named pass through; `required` is sent as `any`, the value
 *   Mistral has always accepted for "must call a tool" (newer API versions also take `required`,
 *   older ones only `any`).
 * - `temperature`: same meaning as OpenAI's, but Mistral documents a narrower range (it
 *   recommends 0–0.7; older specs capped it at 1, docs have shown 0–1.5). OpenAI's 0–2 is
 *   clamped to 0–1.5 so a client's 2.0 is not a 400.
 * - `response_format` json_schema: Mistral's `{type:'json_schema', json_schema:{name, schema,
 *   strict, description}}`; `name` is required there, so a nameless schema is called `response`.
 * - Not translated: `user`, `topK`, cache-control marks, `isError` on tool results, a user's
 *   `name` (the top-level ones are refused by ../capabilities.ts; Mistral's own `metadata`,
 *   `prediction`, `safe_prompt`, `prompt_mode`… arrive verbatim as `passedFields`).
 * - Reasoning: `reasoningEffort` → `reasoning_effort` (SDK 2.7; a thinking budget becomes a
 *   level, ../reasoning-effort.ts). Reasoning parts in assistant history are dropped: magistral
 *   does not need its thinking back, and another provider's thinking (with its signature)
 *   means nothing to Mistral.
 * - A trailing assistant message (a prefill) gets `prefix: true`: Mistral refuses a conversation
 *   that ends with a plain assistant message (vercel/ai convert-to-mistral-chat-messages does
 *   the same).
 */
import type { ProviderConfig } from '../adapter.js';
import type { ChatRequest, ImagePart, Message, ResponseFormat, TextPart, ToolChoice, ToolResultPart } from '../types.js';
import { effortForBudget } from '../reasoning-effort.js';
import { createMistralToolCallIdMapper } from './tool-call-ids.js';
import type {
  MistralChatRequest,
  MistralMessage,
  MistralResponseFormat,
  MistralToolChoice,
  MistralUserChunk,
  MistralWireToolCall,
} from './wire-types.js';

export const MISTRAL_MAX_TEMPERATURE = 1.5;

export function convertToMistralRequest(req: ChatRequest, _cfg?: ProviderConfig): MistralChatRequest {
  const body: MistralChatRequest = {
    model: req.model,
    messages: convertMessages(req.messages),
    stream: req.stream,
  };
  if (req.tools?.length) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description !== undefined && { description: t.description }),
        parameters: t.parameters,
        ...(t.strict !== undefined && { strict: t.strict }),
      },
    }));
  }
  if (req.toolChoice) body.tool_choice = convertToolChoice(req.toolChoice);
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = Math.min(Math.max(req.temperature, 0), MISTRAL_MAX_TEMPERATURE);
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.stop?.length) body.stop = req.stop;
  if (req.seed !== undefined) body.random_seed = req.seed;
  if (req.n !== undefined) body.n = req.n;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.responseFormat) body.response_format = convertResponseFormat(req.responseFormat);
  const effort = req.reasoningBudgetTokens !== undefined ? effortForBudget(req.reasoningBudgetTokens) : req.reasoningEffort;
  if (effort) body.reasoning_effort = effort;
  return body;
}

export function convertToolChoice(choice: ToolChoice): MistralToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'none':
      return 'none';
    case 'required':
      return 'any';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

export function convertResponseFormat(format: ResponseFormat): MistralResponseFormat {
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema':
      return {
        type: 'json_schema',
        json_schema: {
          name: format.name ?? 'response',
          ...(format.description !== undefined && { description: format.description }),
          schema: format.schema,
          ...(format.strict !== undefined && { strict: format.strict }),
        },
      };
  }
}

function convertMessages(messages: Message[]): MistralMessage[] {
  const mapId = createMistralToolCallIdMapper();
  // Tool results need the tool's name on Mistral; the internal form may only know it from the
  // assistant turn that made the call.
  const toolNames = new Map<string, string>();
  const out: MistralMessage[] = [];
  messages.forEach((m, i) => {
    switch (m.role) {
      case 'system':
        out.push({ role: 'system', content: m.content.map((p) => p.text).join('\n') });
        break;
      case 'user':
        out.push({ role: 'user', content: convertUserContent(m.content) });
        break;
      case 'assistant': {
        let text = '';
        const toolCalls: MistralWireToolCall[] = [];
        for (const part of m.content) {
          if (part.type === 'text') text += part.text;
          else if (part.type === 'tool-call') {
            toolNames.set(part.id, part.name);
            toolCalls.push({ id: mapId(part.id), type: 'function', function: { name: part.name, arguments: part.arguments } });
          }
          // 'reasoning' parts are dropped (see the header comment).
        }
        const msg: MistralMessage = { role: 'assistant', content: text };
        if (toolCalls.length) msg.tool_calls = toolCalls;
        else if (i === messages.length - 1) msg.prefix = true;
        out.push(msg);
        break;
      }
      case 'tool':
        for (const result of m.content) out.push(convertToolResult(result, mapId, toolNames));
        break;
    }
  });
  return repairRoleOrder(out);
}

/**
 * What a bridging assistant turn says. Mistral refuses an assistant turn with neither content
 * nor tool calls, so it cannot be empty; short and neutral so the model does not take it as an
 * answer it gave.
 */
export const MISTRAL_TOOL_BRIDGE = 'Tool results received.';

/**
 * Mistral enforces a role order OpenAI and Anthropic do not (400 `invalid_request_message_order`,
 * code 3230, "Unexpected role 'user' after role 'tool'" — mistral-common's validator): after a
 * tool result only an assistant or another tool result may follow. OpenAI clients send
 * tool → user when the user speaks before the model answered the results, and an Anthropic
 * client's user turn holding tool_result blocks AND text becomes exactly that pair. A bridging
 * assistant turn is inserted between them (as pi-ai's `requiresAssistantAfterToolResult` and
 * avante.nvim do). An empty assistant turn before the end (no text, no tool calls: e.g. an
 * earlier empty answer) is refused too ("must have either content or tool_calls") and dropped.
 */
function repairRoleOrder(messages: MistralMessage[]): MistralMessage[] {
  const out: MistralMessage[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'assistant' && !m.content && !m.tool_calls?.length && i < messages.length - 1) return;
    if (m.role === 'user' && out[out.length - 1]?.role === 'tool') out.push({ role: 'assistant', content: MISTRAL_TOOL_BRIDGE });
    out.push(m);
  });
  return out;
}

function convertUserContent(parts: Array<TextPart | ImagePart>): string | MistralUserChunk[] {
  if (parts.length === 1 && parts[0]?.type === 'text') return parts[0].text;
  const chunks: MistralUserChunk[] = [];
  for (const p of parts) {
    if (p.type === 'text') chunks.push({ type: 'text', text: p.text });
    else {
      const url = imageUrl(p);
      if (url !== undefined) chunks.push({ type: 'image_url', image_url: url });
    }
  }
  return chunks;
}

function imageUrl(p: ImagePart): string | undefined {
  if (p.url) return p.url;
  if (p.data) return `data:${p.mediaType ?? 'image/jpeg'};base64,${p.data}`;
  return undefined;
}

function convertToolResult(
  result: ToolResultPart,
  mapId: (id: string) => string,
  toolNames: ReadonlyMap<string, string>,
): MistralMessage {
  const name = result.toolName ?? toolNames.get(result.toolCallId);
  let content: string | MistralUserChunk[];
  if (typeof result.content === 'string') content = result.content;
  else if (result.content.every((p) => p.type === 'text')) content = result.content.map((p) => (p as TextPart).text).join('\n');
  else content = convertUserContent(result.content) as MistralUserChunk[];
  return {
    role: 'tool',
    content,
    tool_call_id: mapId(result.toolCallId),
    ...(name !== undefined && { name }),
  };
}
