import type { AssistantContentPart, ChatRequest, Message, ReasoningEffort, ResponseFormat, ToolChoice, ToolDefinition, UserContentPart } from '../../../providers/types.js';
import { invalidRequest } from '../../engine/errors.js';
import { toImage } from '../openai-chat/parse-chat-request.js';

const EFFORTS = new Set(['minimal', 'low', 'medium', 'high']);

/**
 * A Responses request → the internal chat form (the translation path): `instructions` and
 * system/developer messages become the system prompt; input items become messages, consecutive
 * assistant items (text, function_call, reasoning) one assistant turn; function_call_output a
 * tool result. Hosted tools (web_search, file_search…) exist only at OpenAI: refused by name.
 */
export function responsesToInternal(b: Record<string, any>): ChatRequest {
  const messages: Message[] = [];
  if (typeof b.instructions === 'string' && b.instructions) messages.push({ role: 'system', content: [{ type: 'text', text: b.instructions }] });
  if (typeof b.input === 'string') messages.push({ role: 'user', content: [{ type: 'text', text: b.input }] });
  else if (Array.isArray(b.input)) b.input.forEach((item: any, i: number) => addItem(messages, item, `input[${i}]`));
  const req: ChatRequest = { model: b.model, messages, stream: b.stream === true };
  if (Array.isArray(b.tools) && b.tools.length) req.tools = b.tools.map(toTool);
  if (b.tool_choice != null) req.toolChoice = toToolChoice(b.tool_choice);
  if (typeof b.parallel_tool_calls === 'boolean') req.parallelToolCalls = b.parallel_tool_calls;
  if (b.text?.format) req.responseFormat = toFormat(b.text.format);
  if (typeof b.reasoning?.effort === 'string' && EFFORTS.has(b.reasoning.effort)) req.reasoningEffort = b.reasoning.effort as ReasoningEffort;
  if (b.max_output_tokens != null) req.maxTokens = b.max_output_tokens;
  if (b.temperature != null) req.temperature = b.temperature;
  if (b.top_p != null) req.topP = b.top_p;
  if (b.metadata != null) req.metadata = b.metadata;
  if (typeof b.user === 'string' && b.user) req.user = b.user;
  return req;
}

function addItem(messages: Message[], item: any, where: string): void {
  if (!item || typeof item !== 'object') throw invalidRequest(`Invalid value for '${where}': an input item must be an object.`, where);
  const type = item.type ?? 'message';
  if (type === 'message') {
    const role = item.role;
    if (role === 'assistant') return assistantPush(messages, textOf(item.content, `${where}.content`).map((text) => ({ type: 'text', text })));
    if (role === 'system' || role === 'developer') {
      messages.push({ role: 'system', content: textOf(item.content, `${where}.content`).map((text) => ({ type: 'text', text })) });
      return;
    }
    if (role !== 'user') throw invalidRequest(`Invalid value for '${where}.role': expected user, assistant, system or developer.`, `${where}.role`);
    messages.push({ role: 'user', content: userParts(item.content, `${where}.content`) });
    return;
  }
  if (type === 'function_call') {
    if (typeof item.call_id !== 'string' || typeof item.name !== 'string' || typeof item.arguments !== 'string') {
      throw invalidRequest(`Invalid value for '${where}': a function_call needs string call_id, name and arguments.`, where);
    }
    return assistantPush(messages, [{ type: 'tool-call', id: item.call_id, name: item.name, arguments: item.arguments }]);
  }
  if (type === 'function_call_output') {
    if (typeof item.call_id !== 'string') throw invalidRequest(`Missing required parameter: '${where}.call_id'.`, `${where}.call_id`);
    const content = typeof item.output === 'string' ? item.output : userParts(item.output, `${where}.output`).filter((p) => p.type === 'text' || p.type === 'image');
    messages.push({ role: 'tool', content: [{ type: 'tool-result', toolCallId: item.call_id, content }] });
    return;
  }
  if (type === 'reasoning') {
    const text = Array.isArray(item.summary) ? item.summary.map((s: any) => (typeof s?.text === 'string' ? s.text : '')).join('\n\n') : '';
    // The provider's signature travels as the item's opaque `encrypted_content` (render.ts).
    const signature = typeof item.encrypted_content === 'string' && item.encrypted_content ? item.encrypted_content : undefined;
    return assistantPush(messages, [{ type: 'reasoning', text, ...(signature && { signature }) }]);
  }
  throw invalidRequest(`Input items of type '${String(type)}' are not supported by this gateway.`, `${where}.type`);
}

/** Appends to the last assistant turn, or starts one. */
function assistantPush(messages: Message[], parts: AssistantContentPart[]): void {
  const last = messages.at(-1);
  if (last?.role === 'assistant') last.content.push(...parts);
  else messages.push({ role: 'assistant', content: parts });
}

function textOf(content: unknown, where: string): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) throw invalidRequest(`Invalid value for '${where}': expected a string or an array of content parts.`, where);
  return content.map((p: any, i: number) => {
    if (typeof p?.text === 'string') return p.text;
    if (typeof p?.refusal === 'string') return p.refusal;
    throw invalidRequest(`Invalid value for '${where}[${i}]': expected a text part.`, `${where}[${i}]`);
  });
}

function userParts(content: unknown, where: string): UserContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`Invalid value for '${where}': expected a string or an array of content parts.`, where);
  return content.map((p: any, i: number): UserContentPart => {
    if (p?.type === 'input_text' && typeof p.text === 'string') return { type: 'text', text: p.text };
    if (p?.type === 'input_image' && typeof p.image_url === 'string') return toImage(p.image_url, p.detail, `${where}[${i}]`);
    throw invalidRequest(`Content parts of type '${String(p?.type)}' are not supported here (input_text, input_image with image_url).`, `${where}[${i}].type`);
  });
}

function toTool(t: any, i: number): ToolDefinition {
  if (t.type !== 'function') throw invalidRequest(`The hosted tool '${String(t.type)}' is only available for OpenAI-format providers.`, `tools[${i}].type`);
  if (typeof t.name !== 'string' || !t.name) throw invalidRequest(`Missing required parameter: 'tools[${i}].name'.`, `tools[${i}].name`);
  return {
    name: t.name,
    ...(typeof t.description === 'string' && { description: t.description }),
    parameters: t.parameters && typeof t.parameters === 'object' ? t.parameters : { type: 'object', properties: {} },
    ...(typeof t.strict === 'boolean' && { strict: t.strict }),
  };
}

function toToolChoice(c: any): ToolChoice {
  if (c === 'auto' || c === 'none' || c === 'required') return { type: c };
  if (c?.type === 'function' && typeof c.name === 'string') return { type: 'tool', name: c.name };
  throw invalidRequest(`Invalid value for 'tool_choice': expected auto, none, required or {type: 'function', name}.`, 'tool_choice');
}

function toFormat(f: any): ResponseFormat {
  if (f.type === 'text' || f.type === 'json_object') return { type: f.type };
  if (f.type !== 'json_schema') throw invalidRequest(`Invalid value for 'text.format.type': expected text, json_object or json_schema.`, 'text.format.type');
  if (!f.schema || typeof f.schema !== 'object') throw invalidRequest(`Missing required parameter: 'text.format.schema'.`, 'text.format.schema');
  return { type: 'json_schema', schema: f.schema, ...(typeof f.name === 'string' && { name: f.name }), ...(typeof f.description === 'string' && { description: f.description }), ...(typeof f.strict === 'boolean' && { strict: f.strict }) };
}
