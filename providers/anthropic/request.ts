/**
 * Internal ChatRequest → Anthropic Messages request body (docs/wire-facts.md §2, "OpenAI → Anthropic
 * request mapping"). Pure; throws an Error with a clear message on what Anthropic cannot
 * express (the engine turns it into a 400).
 *
 * Not translated, since Anthropic has no equivalent: `seed`, `presencePenalty`,
 * `frequencyPenalty`, `metadata` other than the user id (the engine refuses those top-level
 * fields with a 400 before this runs: ../capabilities.ts), ResponseFormat `name`/`description`.
 */
import type { ProviderConfig } from '../adapter.js';
import type {
  AssistantContentPart,
  CacheControl,
  ChatRequest,
  ImagePart,
  Message,
  ReasoningEffort,
  TextPart,
  ToolResultPart,
} from '../types.js';
import type {
  AnthropicAssistantBlock,
  AnthropicCacheControl,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicToolChoice,
  AnthropicUserBlock,
} from './wire-types.js';
import { toAnthropicToolUseId } from './tool-use-id.js';

/**
 * `max_tokens` is REQUIRED by Anthropic (OpenAI's is optional). When the client gave none we
 * send `options.default_max_tokens` from the provider config, else 4096: small enough for every
 * Claude model's output limit, large enough for ordinary answers. The budget reservation uses
 * the same cap, so a default here is also what the gateway reserves against.
 */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * OpenAI `reasoning_effort` → Anthropic `thinking.budget_tokens`. 1024 is Anthropic's minimum
 * budget; the other steps roughly follow the budgets Anthropic's extended-thinking docs use in
 * examples (a few thousand for everyday tasks, tens of thousands for hard ones).
 *
 * | effort  | budget_tokens |
 * |---------|---------------|
 * | minimal | 1024          |
 * | low     | 2048          |
 * | medium  | 8192          |
 * | high    | 24576         |
 */
export const THINKING_BUDGET_BY_EFFORT: Readonly<Record<ReasoningEffort, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 24576,
};

/** Anthropic has no JSON mode; `json_object` becomes this extra system instruction. */
export const JSON_OBJECT_INSTRUCTION =
  'Respond with a single valid JSON object and nothing else: no prose, no code fences.';

export function convertToAnthropicRequest(req: ChatRequest, cfg: ProviderConfig): AnthropicMessagesRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new Error('n > 1 is not supported by Anthropic (one completion per request); send n = 1 or several requests');
  }
  const { system, messages } = convertMessages(req.messages);
  if (req.responseFormat?.type === 'json_object') system.push({ type: 'text', text: JSON_OBJECT_INSTRUCTION });

  const body: AnthropicMessagesRequest = {
    model: req.model,
    max_tokens: requestedMaxTokens(req, cfg),
    ...(system.length > 0 && { system }),
    messages,
  };

  const tools = req.tools ?? [];
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({
      name: t.name,
      ...(t.description !== undefined && { description: t.description }),
      // Anthropic requires an object schema; OpenAI lets `parameters` be `{}`.
      input_schema: 'type' in t.parameters ? t.parameters : { type: 'object', ...t.parameters },
      ...(t.strict !== undefined && { strict: t.strict }),
      ...(t.cacheControl && { cache_control: cacheControl(t.cacheControl) }),
    }));
    // tool_choice without tools is an error upstream (as in OpenAI), so only send it with tools.
    const choice = convertToolChoice(req);
    if (choice) body.tool_choice = choice;
  }

  if (req.stop && req.stop.length > 0) body.stop_sequences = [...req.stop];
  // Temperature: our form uses OpenAI's 0–2, Anthropic accepts 0–1. We CLAMP rather than scale:
  // scaling (÷2) would change the meaning of every value ≤ 1, which is what almost every client
  // sends and which already means the same thing on both APIs (0 = greedy, 1 = default).
  if (req.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, req.temperature));
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined) body.top_k = req.topK;

  const budget = thinkingBudget(req);
  if (budget !== undefined && !continuesToolLoopWithoutThinking(messages)) {
    body.thinking = { type: 'enabled', budget_tokens: budget };
    // The thinking budget counts toward max_tokens and must stay below it (SDK docs
    // ThinkingConfigEnabled: "Must be ≥1024 and less than max_tokens"). When the cap is too low we
    // raise it to budget + cap, so the client still gets the visible answer length it asked for.
    if (body.max_tokens <= budget) body.max_tokens = budget + body.max_tokens;
    // With thinking on, Anthropic rejects temperature ≠ 1, any top_k and top_p < 0.95
    // (extended-thinking docs, "Feature compatibility"). The client asked for reasoning
    // explicitly, so we keep that and drop the sampling knobs, as Vercel AI SDK does.
    delete body.temperature;
    delete body.top_k;
    if (body.top_p !== undefined && body.top_p < 0.95) delete body.top_p;
  }

  if (req.responseFormat?.type === 'json_schema') {
    // Structured outputs (recorded exchange anthropic-request-structured-output.json).
    body.output_config = { format: { type: 'json_schema', schema: req.responseFormat.schema } };
  }
  if (req.user !== undefined) body.metadata = { user_id: req.user };
  if (req.stream) body.stream = true;
  return body;
}

function requestedMaxTokens(req: ChatRequest, cfg: ProviderConfig): number {
  if (req.maxTokens !== undefined) return req.maxTokens;
  const configured = cfg.options['default_max_tokens'];
  return typeof configured === 'number' && configured > 0 ? configured : DEFAULT_MAX_TOKENS;
}

/** An explicit budget wins over the effort table; a budget of 0 means "no thinking". */
export function thinkingBudget(req: ChatRequest): number | undefined {
  if (req.reasoningBudgetTokens !== undefined) return req.reasoningBudgetTokens > 0 ? req.reasoningBudgetTokens : undefined;
  return req.reasoningEffort ? THINKING_BUDGET_BY_EFFORT[req.reasoningEffort] : undefined;
}

/**
 * Anthropic refuses thinking on a tool-loop continuation whose assistant turn does not start with
 * a thinking block: "When `thinking` is enabled, a final `assistant` message must start with a
 * thinking block (preceding the lastmost set of `tool_use` and `tool_result` blocks)" (400,
 * https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks).
 * OpenAI-format clients cannot send thinking blocks back (chat messages have no place for the
 * signature), and blocks from another provider are dropped (assistantBlock), so such a step is
 * sent WITHOUT thinking — the model answers from the tool results without a new thinking pass —
 * rather than failing with an error the client cannot fix. LiteLLM (`modify_params`) does the same.
 */
function continuesToolLoopWithoutThinking(messages: AnthropicMessageParam[]): boolean {
  const last = messages[messages.length - 1];
  const assistant = messages[messages.length - 2];
  if (last?.role !== 'user' || !last.content.some((b) => b.type === 'tool_result')) return false;
  if (assistant?.role !== 'assistant') return false;
  const first = assistant.content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}

/** docs/wire-facts.md §2 tool_choice table; `parallelToolCalls:false` → `disable_parallel_tool_use:true`. */
function convertToolChoice(req: ChatRequest): AnthropicToolChoice | undefined {
  const noParallel = req.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  const choice = req.toolChoice;
  if (!choice) return req.parallelToolCalls === false ? { type: 'auto', ...noParallel } : undefined;
  switch (choice.type) {
    case 'auto':
      return { type: 'auto', ...noParallel };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'none':
      return { type: 'none' };
    case 'tool':
      return { type: 'tool', name: choice.name, ...noParallel };
  }
}

/**
 * System messages (wherever they sit) become top-level `system` blocks: Anthropic has no system
 * role. Tool messages become `tool_result` blocks in a user turn. Consecutive turns of the same
 * Anthropic role are merged into one, in order, so several tool results make ONE user turn
 * (docs/wire-facts.md §2) and a user text after them joins that turn behind the results.
 */
function convertMessages(input: Message[]): { system: AnthropicTextBlock[]; messages: AnthropicMessageParam[] } {
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicMessageParam[] = [];
  const push = (turn: AnthropicMessageParam) => {
    if (turn.content.length === 0) return; // Anthropic rejects empty turns
    const last = messages[messages.length - 1];
    if (last && last.role === turn.role) (last.content as unknown[]).push(...turn.content);
    else messages.push(turn);
  };
  for (const m of input) {
    switch (m.role) {
      case 'system':
        for (const p of m.content) system.push(textBlock(p));
        break;
      case 'user':
        push({ role: 'user', content: m.content.filter(nonEmpty).map((p) => (p.type === 'text' ? textBlock(p) : imageBlock(p))) });
        break;
      case 'tool':
        push({ role: 'user', content: m.content.map(toolResultBlock) });
        break;
      case 'assistant':
        push({ role: 'assistant', content: m.content.filter(nonEmpty).flatMap(assistantBlock) });
        break;
    }
  }
  return { system, messages };
}

/** Anthropic rejects empty text blocks; OpenAI clients send `content: ""` beside tool calls. */
function nonEmpty(p: { type: string; text?: string }): boolean {
  return p.type !== 'text' || (p.text ?? '') !== '';
}

function cacheControl(c: CacheControl): AnthropicCacheControl {
  return c.ttl ? { type: 'ephemeral', ttl: c.ttl } : { type: 'ephemeral' };
}

function textBlock(p: TextPart): AnthropicTextBlock {
  return p.cacheControl ? { type: 'text', text: p.text, cache_control: cacheControl(p.cacheControl) } : { type: 'text', text: p.text };
}

function imageBlock(p: ImagePart): AnthropicImageBlock {
  const extra = p.cacheControl ? { cache_control: cacheControl(p.cacheControl) } : {};
  if (p.data !== undefined) {
    if (!p.mediaType) throw new Error('An inline (base64) image needs a media type (e.g. image/png) for Anthropic');
    return { type: 'image', source: { type: 'base64', media_type: p.mediaType, data: p.data }, ...extra };
  }
  if (p.url === undefined) throw new Error('An image part has neither a URL nor inline data');
  // Tolerate a `data:` URL that reached us unsplit: Anthropic only takes base64 as a source.
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(p.url);
  if (dataUrl) return { type: 'image', source: { type: 'base64', media_type: dataUrl[1]!, data: dataUrl[2]! }, ...extra };
  if (!/^https?:\/\//i.test(p.url)) throw new Error('Anthropic accepts images as http(s) URLs or base64 data only');
  return { type: 'image', source: { type: 'url', url: p.url }, ...extra };
}

function toolResultBlock(p: ToolResultPart): AnthropicUserBlock {
  return {
    type: 'tool_result',
    tool_use_id: toAnthropicToolUseId(p.toolCallId),
    content: typeof p.content === 'string' ? p.content : p.content.filter(nonEmpty).map((c) => (c.type === 'text' ? textBlock(c) : imageBlock(c))),
    ...(p.isError && { is_error: true }),
    ...(p.cacheControl && { cache_control: cacheControl(p.cacheControl) }),
  };
}

function assistantBlock(p: AssistantContentPart): AnthropicAssistantBlock[] {
  switch (p.type) {
    case 'text':
      return [textBlock(p)];
    case 'reasoning':
      if (p.redactedData !== undefined) return [{ type: 'redacted_thinking', data: p.redactedData }];
      // Anthropic verifies the signature of every thinking block sent back; reasoning without one
      // (e.g. produced by another provider earlier in the conversation) would be rejected, so it
      // is left out. It was only ever the model's scratchpad, not part of the answer.
      return p.signature ? [{ type: 'thinking', thinking: p.text, signature: p.signature }] : [];
    case 'tool-call':
      return [{ type: 'tool_use', id: toAnthropicToolUseId(p.id), name: p.name, input: parseToolArguments(p.id, p.name, p.arguments) }];
  }
}

/** OpenAI carries arguments as JSON text; Anthropic wants the object. `""` means no arguments. */
function parseToolArguments(id: string, name: string, args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch (err) {
    throw new Error(`Tool call ${id} (${name}) has arguments that are not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`Tool call ${id} (${name}) has arguments that are not a JSON object; Anthropic requires an object`);
  }
  return parsed as Record<string, unknown>;
}
