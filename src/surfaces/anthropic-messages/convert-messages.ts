/**
 * Anthropic `system` + `messages` (client side) → internal messages.
 * Block shapes: https://docs.anthropic.com/en/api/messages (ContentBlockParam), docs/wire-facts.md §2.
 *
 * Anthropic puts tool results inside user turns, possibly mixed with text; the internal form
 * has a separate `tool` role (OpenAI's). A user turn is therefore split at every change between
 * tool_result and other blocks, order kept: [tool_result, tool_result, text] → a `tool`
 * message with two results, then a `user` message.
 */
import type {
  AssistantContentPart,
  ImagePart,
  Message,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../../providers/types.js';
import { InvalidRequest } from './errors.js';
import {
  isRecord,
  optionalBoolean,
  optionalCacheControl,
  requireNonEmptyString,
  requireRecord,
  requireString,
} from './validate.js';

/** Media types Anthropic accepts for base64 images. */
const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** Block types Anthropic accepts that the internal form cannot carry: refused, not dropped. */
const UNSUPPORTED_BLOCKS = new Set([
  'document',
  'search_result',
  'container_upload',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
]);

function blockType(block: Record<string, unknown>, param: string): string {
  return requireNonEmptyString(block.type, `${param}.type`);
}

function refuseBlock(type: string, param: string, where: string): never {
  if (UNSUPPORTED_BLOCKS.has(type)) {
    throw new InvalidRequest(`${param}.type`, `"${type}" content blocks are not supported by this gateway`);
  }
  throw new InvalidRequest(`${param}.type`, `"${type}" is not a valid content block in ${where}`);
}

function textPart(block: Record<string, unknown>, param: string): TextPart {
  const part: TextPart = { type: 'text', text: requireString(block.text, `${param}.text`) };
  const cacheControl = optionalCacheControl(block.cache_control, `${param}.cache_control`);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function imagePart(block: Record<string, unknown>, param: string): ImagePart {
  const source = requireRecord(block.source, `${param}.source`);
  let part: ImagePart;
  if (source.type === 'base64') {
    const mediaType = requireString(source.media_type, `${param}.source.media_type`);
    if (!IMAGE_MEDIA_TYPES.has(mediaType)) {
      throw new InvalidRequest(`${param}.source.media_type`, `must be one of ${[...IMAGE_MEDIA_TYPES].join(', ')}`);
    }
    part = { type: 'image', data: requireNonEmptyString(source.data, `${param}.source.data`), mediaType };
  } else if (source.type === 'url') {
    const url = requireNonEmptyString(source.url, `${param}.source.url`);
    if (!/^https?:\/\//i.test(url)) throw new InvalidRequest(`${param}.source.url`, 'must be an http(s) URL');
    part = { type: 'image', url };
  } else if (source.type === 'file') {
    throw new InvalidRequest(`${param}.source.type`, '"file" image sources (Files API) are not supported by this gateway');
  } else {
    throw new InvalidRequest(`${param}.source.type`, 'must be "base64" or "url"');
  }
  const cacheControl = optionalCacheControl(block.cache_control, `${param}.cache_control`);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function toolResultPart(block: Record<string, unknown>, param: string, toolNames: Map<string, string>): ToolResultPart {
  const toolCallId = requireNonEmptyString(block.tool_use_id, `${param}.tool_use_id`);
  let content: ToolResultPart['content'];
  if (block.content === undefined || block.content === null) {
    content = '';
  } else if (typeof block.content === 'string') {
    content = block.content;
  } else if (Array.isArray(block.content)) {
    content = block.content.map((inner: unknown, k) => {
      const p = `${param}.content.${k}`;
      const b = requireRecord(inner, p);
      const type = blockType(b, p);
      if (type === 'text') return textPart(b, p);
      if (type === 'image') return imagePart(b, p);
      return refuseBlock(type, p, 'a tool_result');
    });
  } else {
    throw new InvalidRequest(`${param}.content`, 'must be a string or an array of content blocks');
  }
  const part: ToolResultPart = { type: 'tool-result', toolCallId, content };
  // Gemini's functionResponse needs the tool's name, which Anthropic's tool_result omits.
  const toolName = toolNames.get(toolCallId);
  if (toolName !== undefined) part.toolName = toolName;
  const isError = optionalBoolean(block.is_error, `${param}.is_error`);
  if (isError !== undefined) part.isError = isError;
  const cacheControl = optionalCacheControl(block.cache_control, `${param}.cache_control`);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function convertUserTurn(content: unknown[], param: string, toolNames: Map<string, string>, out: Message[]): void {
  let current: Message | null = null;
  content.forEach((raw, j) => {
    const p = `${param}.${j}`;
    const block = requireRecord(raw, p);
    const type = blockType(block, p);
    if (type === 'tool_result') {
      const part = toolResultPart(block, p, toolNames);
      if (current?.role === 'tool') current.content.push(part);
      else out.push((current = { role: 'tool', content: [part] }));
      return;
    }
    let part: UserContentPart;
    if (type === 'text') part = textPart(block, p);
    else if (type === 'image') part = imagePart(block, p);
    else return refuseBlock(type, p, 'a user turn');
    if (current?.role === 'user') current.content.push(part);
    else out.push((current = { role: 'user', content: [part] }));
  });
  // An empty block list still is a user turn; keep it so the upstream can judge it.
  if (content.length === 0) out.push({ role: 'user', content: [] });
}

function assistantPart(block: Record<string, unknown>, p: string, toolNames: Map<string, string>): AssistantContentPart {
  const type = blockType(block, p);
  switch (type) {
    case 'text':
      return textPart(block, p);
    case 'thinking':
      // The signature must go back to Anthropic unchanged on the next turn of a tool loop.
      return {
        type: 'reasoning',
        text: requireString(block.thinking, `${p}.thinking`),
        signature: requireString(block.signature, `${p}.signature`),
      };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: requireNonEmptyString(block.data, `${p}.data`) };
    case 'tool_use': {
      const id = requireNonEmptyString(block.id, `${p}.id`);
      const name = requireNonEmptyString(block.name, `${p}.name`);
      const input = requireRecord(block.input, `${p}.input`);
      toolNames.set(id, name);
      return { type: 'tool-call', id, name, arguments: JSON.stringify(input) };
    }
    default:
      return refuseBlock(type, p, 'an assistant turn');
  }
}

/** Top-level `system`: a string or text blocks (cache_control kept) → one system message. */
export function convertAnthropicSystem(system: unknown): Message | undefined {
  if (system === undefined || system === null || system === '') return undefined;
  if (typeof system === 'string') return { role: 'system', content: [{ type: 'text', text: system }] };
  if (!Array.isArray(system)) throw new InvalidRequest('system', 'must be a string or an array of text blocks');
  if (system.length === 0) return undefined;
  const content = system.map((raw: unknown, i) => {
    const p = `system.${i}`;
    const block = requireRecord(raw, p);
    if (block.type !== 'text') throw new InvalidRequest(`${p}.type`, 'must be "text"');
    return textPart(block, p);
  });
  return { role: 'system', content };
}

export function convertAnthropicMessages(messages: unknown): Message[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidRequest('messages', 'must be a non-empty array');
  }
  const out: Message[] = [];
  // tool_use id → tool name, filled from assistant turns, read by later tool_result blocks.
  const toolNames = new Map<string, string>();
  messages.forEach((raw: unknown, i) => {
    const p = `messages.${i}`;
    if (!isRecord(raw)) throw new InvalidRequest(p, 'must be an object');
    const { role, content } = raw;
    if (role !== 'user' && role !== 'assistant') throw new InvalidRequest(`${p}.role`, 'must be "user" or "assistant"');
    if (typeof content !== 'string' && !Array.isArray(content)) {
      throw new InvalidRequest(`${p}.content`, 'must be a string or an array of content blocks');
    }
    if (role === 'user') {
      if (typeof content === 'string') out.push({ role: 'user', content: [{ type: 'text', text: content }] });
      else convertUserTurn(content, `${p}.content`, toolNames, out);
      return;
    }
    const parts =
      typeof content === 'string'
        ? [{ type: 'text' as const, text: content }]
        : content.map((b: unknown, j) => assistantPart(requireRecord(b, `${p}.content.${j}`), `${p}.content.${j}`, toolNames));
    out.push({ role: 'assistant', content: parts });
  });
  return out;
}
