import type {
  AssistantContentPart,
  ChatRequest,
  ImagePart,
  Message,
  ReasoningEffort,
  ResponseFormat,
  TextPart,
  ToolChoice,
  UserContentPart,
} from '../../../providers/types.js';
import { invalidRequest } from '../../engine/errors.js';

/**
 * A validated OpenAI chat body → the internal form (for upstreams that are not OpenAI-format).
 * `model` is left for the router to replace with the upstream model id.
 */
export function parseOpenAIChatRequest(b: Record<string, any>): ChatRequest {
  const req: ChatRequest = {
    model: b.model,
    messages: b.messages.map(toMessage),
    stream: b.stream === true,
  };
  if (b.stream === true && b.stream_options?.include_usage === true) req.includeUsage = true;
  if (Array.isArray(b.tools)) {
    req.tools = b.tools
      .filter((t: any) => t.type === 'function' && t.function)
      .map((t: any) => ({
        name: t.function.name,
        ...(t.function.description && { description: t.function.description }),
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
        ...(typeof t.function.strict === 'boolean' && { strict: t.function.strict }),
      }));
  }
  if (b.tool_choice !== undefined) req.toolChoice = toToolChoice(b.tool_choice);
  if (typeof b.parallel_tool_calls === 'boolean') req.parallelToolCalls = b.parallel_tool_calls;
  const max = b.max_completion_tokens ?? b.max_tokens;
  if (typeof max === 'number') req.maxTokens = max;
  setIf(req, 'temperature', b.temperature);
  setIf(req, 'topP', b.top_p);
  // Not OpenAI's, but Anthropic's and Gemini's (providers/capabilities.ts maps it there).
  setIf(req, 'topK', b.top_k);
  setIf(req, 'seed', b.seed);
  setIf(req, 'n', b.n);
  setIf(req, 'presencePenalty', b.presence_penalty);
  setIf(req, 'frequencyPenalty', b.frequency_penalty);
  if (typeof b.stop === 'string') req.stop = [b.stop];
  else if (Array.isArray(b.stop)) req.stop = b.stop;
  if (b.response_format) req.responseFormat = toResponseFormat(b.response_format);
  if (typeof b.reasoning_effort === 'string') {
    if (!['minimal', 'low', 'medium', 'high'].includes(b.reasoning_effort)) {
      throw invalidRequest(`Invalid value for 'reasoning_effort': must be one of minimal, low, medium, high.`, 'reasoning_effort');
    }
    req.reasoningEffort = b.reasoning_effort as ReasoningEffort;
  }
  if (typeof b.user === 'string') req.user = b.user;
  else if (typeof b.safety_identifier === 'string') req.user = b.safety_identifier;
  if (b.metadata && typeof b.metadata === 'object') req.metadata = b.metadata;
  return req;
}

function toMessage(m: any, i: number): Message {
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textParts(m.content, i) };
    case 'user':
      return { role: 'user', content: userParts(m.content, i), ...(m.name && { name: m.name }) };
    case 'assistant': {
      const content: AssistantContentPart[] = [];
      const reasoning = m.reasoning_content;
      if (typeof reasoning === 'string' && reasoning) content.push({ type: 'reasoning', text: reasoning });
      if (m.content != null) content.push(...textParts(m.content, i));
      for (const c of m.tool_calls ?? []) content.push({ type: 'tool-call', id: c.id, name: c.function.name, arguments: c.function.arguments });
      return { role: 'assistant', content, ...(m.name && { name: m.name }) };
    }
    case 'tool':
      if (typeof m.tool_call_id !== 'string') throw invalidRequest(`Missing required parameter: 'messages[${i}].tool_call_id'.`, `messages[${i}].tool_call_id`);
      return { role: 'tool', content: [{ type: 'tool-result', toolCallId: m.tool_call_id, content: typeof m.content === 'string' ? m.content : textParts(m.content, i) }] };
    default:
      throw invalidRequest(`Invalid value for 'messages[${i}].role': '${m.role}' is not supported by this model's provider.`, `messages[${i}].role`);
  }
}

function textParts(content: unknown, i: number): TextPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return (content as any[]).map((p, j) => {
    if (p.type !== 'text' || typeof p.text !== 'string') {
      throw invalidRequest(`Invalid value for 'messages[${i}].content[${j}]': only text parts are allowed here.`, `messages[${i}].content[${j}]`);
    }
    return { type: 'text', text: p.text };
  });
}

function userParts(content: unknown, i: number): UserContentPart[] {
  if (content == null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return (content as any[]).map((p, j): UserContentPart => {
    const where = `messages[${i}].content[${j}]`;
    if (p.type === 'text' && typeof p.text === 'string') return { type: 'text', text: p.text };
    if (p.type === 'image_url') {
      const url = typeof p.image_url === 'string' ? p.image_url : p.image_url?.url;
      if (typeof url !== 'string') throw invalidRequest(`Missing required parameter: '${where}.image_url.url'.`, `${where}.image_url.url`);
      return toImage(url, p.image_url?.detail, where);
    }
    throw invalidRequest(`Invalid value for '${where}.type': '${p.type}' is not supported by this model's provider.`, `${where}.type`);
  });
}

export function toImage(url: string, detail: unknown, where: string): ImagePart {
  const d: Pick<ImagePart, 'detail'> = detail === 'low' || detail === 'high' || detail === 'auto' ? { detail } : {};
  if (url.startsWith('data:')) {
    const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
    if (!m) throw invalidRequest(`Invalid value for '${where}.image_url.url': a data URL must be base64 (data:<type>;base64,<data>).`, `${where}.image_url.url`);
    return { type: 'image', mediaType: m[1]!, data: m[2]!, ...d };
  }
  if (!/^https?:\/\//.test(url)) throw invalidRequest(`Invalid value for '${where}.image_url.url': must be an http(s) or data URL.`, `${where}.image_url.url`);
  return { type: 'image', url, ...d };
}

function toToolChoice(c: any): ToolChoice {
  if (c === 'auto' || c === 'none' || c === 'required') return { type: c };
  if (c && typeof c === 'object' && typeof c.function?.name === 'string') return { type: 'tool', name: c.function.name };
  throw invalidRequest(`Invalid value for 'tool_choice'.`, 'tool_choice');
}

function toResponseFormat(f: any): ResponseFormat {
  if (f.type === 'json_schema') {
    const s = f.json_schema;
    if (!s || typeof s.schema !== 'object') throw invalidRequest(`Missing required parameter: 'response_format.json_schema.schema'.`, 'response_format.json_schema.schema');
    return { type: 'json_schema', schema: s.schema, ...(s.name && { name: s.name }), ...(s.description && { description: s.description }), ...(typeof s.strict === 'boolean' && { strict: s.strict }) };
  }
  return { type: f.type };
}

function setIf<K extends keyof ChatRequest>(req: ChatRequest, key: K, v: unknown): void {
  if (typeof v === 'number') (req as any)[key] = v;
}
