/**
 * The internal ChatRequest → a Converse request body (AWS Bedrock API reference, `Converse`).
 * - System messages → `system` text blocks; user/assistant turns → `messages`; tool results →
 *   `toolResult` blocks in a user turn. Consecutive turns of one role are merged: Converse wants
 *   user and assistant to alternate.
 * - Images: inline bytes only (`source.bytes`, base64 in JSON). Converse cannot fetch an http(s)
 *   URL, so an image by URL is refused with a clear message rather than dropped.
 * - Cache marks (`cache_control`) → a `cachePoint` block after the marked block.
 * - Sampling → `inferenceConfig` (maxTokens, temperature clamped to 0–1 as the Claude models on
 *   Bedrock take it, topP, stopSequences); `top_k` and Claude's extended thinking have no
 *   Converse field and go in `additionalModelRequestFields` with Anthropic's names.
 * - Tool choice: auto → `auto`, required → `any`, a name → `tool`. Converse has no "none": the
 *   tools are left out, which only works when the history holds no tool calls.
 */
// Claude's thinking budget, as the Anthropic adapter derives it from the request.
import { thinkingBudget } from '../anthropic/request.js';
import type { ChatRequest, ImagePart, Message, TextPart, ToolResultPart } from '../types.js';
import type { ConverseContentBlock, ConverseImageFormat, ConverseMessage, ConverseRequest } from './wire.js';

const CACHE_POINT = { cachePoint: { type: 'default' } } as const;
const IMAGE_FORMATS: ReadonlyMap<string, ConverseImageFormat> = new Map([
  ['image/png', 'png'],
  ['image/jpeg', 'jpeg'],
  ['image/jpg', 'jpeg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
]);

/** A request Converse cannot express; `param` names the client's field at fault. */
export class BedrockRequestError extends Error {
  constructor(message: string, readonly param: string) {
    super(message);
  }
}

export function convertToConverseRequest(req: ChatRequest): ConverseRequest {
  const body: ConverseRequest = { messages: [] };
  const system: NonNullable<ConverseRequest['system']> = [];
  for (const m of req.messages) {
    if (m.role === 'system') {
      for (const p of m.content) system.push({ text: p.text }, ...(p.cacheControl ? [CACHE_POINT] : []));
      continue;
    }
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const blocks = contentBlocks(m);
    const last = body.messages[body.messages.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else body.messages.push({ role, content: blocks } satisfies ConverseMessage);
  }
  if (system.length) body.system = system;

  const inference: NonNullable<ConverseRequest['inferenceConfig']> = {};
  if (req.maxTokens !== undefined) inference.maxTokens = req.maxTokens;
  if (req.temperature !== undefined) inference.temperature = Math.min(1, Math.max(0, req.temperature));
  if (req.topP !== undefined) inference.topP = req.topP;
  if (req.stop?.length) inference.stopSequences = req.stop;

  const additional: Record<string, unknown> = {};
  if (req.topK !== undefined) additional.top_k = req.topK;
  const budget = thinkingBudget(req);
  if (budget !== undefined) {
    additional.thinking = { type: 'enabled', budget_tokens: budget };
    // As on Anthropic's own API: the budget counts toward maxTokens and must stay below it, and
    // thinking refuses a temperature other than 1 and any top_k.
    if (inference.maxTokens !== undefined && inference.maxTokens <= budget) inference.maxTokens += budget;
    delete inference.temperature;
    delete additional.top_k;
  }
  if (Object.keys(inference).length) body.inferenceConfig = inference;
  if (Object.keys(additional).length) body.additionalModelRequestFields = additional;

  const toolConfig = converseTools(req, body.messages);
  if (toolConfig) body.toolConfig = toolConfig;
  if (req.metadata && Object.keys(req.metadata).length) body.requestMetadata = { ...req.metadata };
  return body;
}

function contentBlocks(m: Exclude<Message, { role: 'system' }>): ConverseContentBlock[] {
  const out: ConverseContentBlock[] = [];
  if (m.role === 'tool') {
    for (const r of m.content) out.push(toolResult(r), ...(r.cacheControl ? [CACHE_POINT] : []));
    return out;
  }
  for (const p of m.content) {
    switch (p.type) {
      case 'text':
        out.push({ text: p.text });
        break;
      case 'image':
        out.push({ image: image(p) });
        break;
      case 'reasoning':
        // Claude verifies the signature of every thinking block sent back: one without is left out.
        if (p.redactedData !== undefined) out.push({ reasoningContent: { redactedContent: p.redactedData } });
        else if (p.signature) out.push({ reasoningContent: { reasoningText: { text: p.text, signature: p.signature } } });
        break;
      case 'tool-call':
        out.push({ toolUse: { toolUseId: p.id, name: p.name, input: toolInput(p.arguments) } });
        break;
    }
    if ('cacheControl' in p && p.cacheControl) out.push(CACHE_POINT);
  }
  return out;
}

function toolResult(r: ToolResultPart): ConverseContentBlock {
  const parts: Array<TextPart | ImagePart> = typeof r.content === 'string' ? [{ type: 'text', text: r.content }] : r.content;
  const content = parts.map((p) => (p.type === 'text' ? { text: p.text } : { image: image(p) }));
  return { toolResult: { toolUseId: r.toolCallId, content, ...(r.isError && { status: 'error' as const }) } };
}

function image(p: ImagePart): { format: ConverseImageFormat; source: { bytes: string } } {
  if (p.data === undefined) throw new BedrockRequestError('Bedrock takes images as inline data (a base64 data: URL), not by http(s) URL.', 'messages');
  const format = IMAGE_FORMATS.get((p.mediaType ?? '').toLowerCase());
  if (!format) throw new BedrockRequestError(`Bedrock takes png, jpeg, gif or webp images, not ${JSON.stringify(p.mediaType ?? 'unknown')}.`, 'messages');
  return { format, source: { bytes: p.data } };
}

/** Converse wants the arguments as a JSON object, not OpenAI's JSON text. */
function toolInput(args: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args);
  } catch {
    throw new BedrockRequestError('a tool call\'s arguments are not valid JSON', 'messages');
  }
}

function converseTools(req: ChatRequest, messages: ConverseMessage[]): ConverseRequest['toolConfig'] | undefined {
  if (!req.tools?.length) return undefined;
  if (req.toolChoice?.type === 'none') {
    const usesTools = messages.some((m) => m.content.some((b) => 'toolUse' in b || 'toolResult' in b));
    if (usesTools) throw new BedrockRequestError('Bedrock Converse has no tool_choice "none" once the conversation holds tool calls; send "auto".', 'tool_choice');
    return undefined;
  }
  const tools: NonNullable<ConverseRequest['toolConfig']>['tools'] = [];
  for (const t of req.tools) {
    tools.push({ toolSpec: { name: t.name, ...(t.description && { description: t.description }), inputSchema: { json: t.parameters } } });
    if (t.cacheControl) tools.push(CACHE_POINT);
  }
  const choice = req.toolChoice;
  const toolChoice = choice?.type === 'required' ? { any: {} } : choice?.type === 'tool' ? { tool: { name: choice.name } } : choice?.type === 'auto' ? { auto: {} } : undefined;
  return { tools, ...(toolChoice && { toolChoice }) };
}
