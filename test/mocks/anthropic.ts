/**
 * A scripted Anthropic Messages API on loopback, speaking the true wire format
 * (https://docs.anthropic.com/en/api/messages, .../messages-streaming; fixtures in
 * providers/anthropic/__fixtures__): JSON messages, named SSE events with cumulative
 * `message_delta` usage, and `{"type":"error","error":{…}}` error bodies.
 *
 *   const mock = await startAnthropicMock();             // default: echoes the last user text
 *   mock.setHandler(() => anthropicStream({ toolUses: [{ name: 'get_weather', input: { city: 'Paris' } }] }));
 */
import { startHttpMock, type HttpMock, type MockHandler, type MockReply, type RecordedRequest } from './http-mock.js';

export interface AnthropicUsageSpec {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export interface AnthropicReplySpec {
  text?: string;
  toolUses?: Array<{ id?: string; name: string; input: Record<string, unknown> }>;
  /** Thinking text (signature defaults to a fixed fake one), or both. */
  thinking?: string | { text: string; signature: string };
  /** Defaults to `tool_use` when there are tool uses, else `end_turn`. */
  stopReason?: string;
  stopSequence?: string | null;
  /** Defaults: input 10, output = words of text + thinking + tool inputs (at least 1), cache 0. */
  usage?: AnthropicUsageSpec;
  model?: string;
  id?: string;
}

export interface AnthropicStreamOptions {
  /** Characters per text/thinking delta; default: one delta per word (spaces kept). */
  splitText?: number;
  /** Characters per input_json_delta fragment; default 8. */
  splitJson?: number;
}

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

function thinkingOf(spec: AnthropicReplySpec): { text: string; signature: string } | undefined {
  if (spec.thinking === undefined) return undefined;
  return typeof spec.thinking === 'string' ? { text: spec.thinking, signature: 'mock-signature-EqQBCgIYAh' } : spec.thinking;
}

function usageOf(spec: AnthropicReplySpec) {
  const thinking = thinkingOf(spec);
  const generated =
    words(spec.text ?? '') + words(thinking?.text ?? '') + (spec.toolUses ?? []).reduce((n, t) => n + words(JSON.stringify(t.input)), 0);
  return {
    input_tokens: spec.usage?.input_tokens ?? 10,
    cache_creation_input_tokens: spec.usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: spec.usage?.cache_read_input_tokens ?? 0,
    output_tokens: spec.usage?.output_tokens ?? Math.max(1, generated),
  };
}

/** Content blocks in Anthropic's order: thinking, text, tool_use…. */
function blocksOf(spec: AnthropicReplySpec): Array<Record<string, any>> {
  const blocks: Array<Record<string, any>> = [];
  const thinking = thinkingOf(spec);
  if (thinking) blocks.push({ type: 'thinking', thinking: thinking.text, signature: thinking.signature });
  if (spec.text !== undefined) blocks.push({ type: 'text', text: spec.text });
  (spec.toolUses ?? []).forEach((t, i) => blocks.push({ type: 'tool_use', id: t.id ?? `toolu_mock_${i}`, name: t.name, input: t.input }));
  return blocks;
}

/** The JSON body of a non-streaming Messages API answer. */
export function anthropicMessageBody(spec: AnthropicReplySpec): Record<string, unknown> {
  return {
    id: spec.id ?? 'msg_mock_01',
    type: 'message',
    role: 'assistant',
    model: spec.model ?? 'claude-sonnet-4-5-20250929',
    content: blocksOf(spec),
    stop_reason: spec.stopReason ?? ((spec.toolUses ?? []).length > 0 ? 'tool_use' : 'end_turn'),
    stop_sequence: spec.stopSequence ?? null,
    usage: { ...usageOf(spec), service_tier: 'standard' },
  };
}

export function anthropicMessage(spec: AnthropicReplySpec, headers?: Record<string, string>): MockReply {
  return { json: anthropicMessageBody(spec), headers: { 'request-id': 'req_mock_01', ...headers } };
}

const frame = (event: string, data: Record<string, unknown>): string => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;

function chunks(text: string, size: number | undefined): string[] {
  if (text === '') return [];
  if (size === undefined) return text.match(/\S+\s*|\s+/g) ?? [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * The SSE frames of a streaming answer, exactly as Anthropic orders them: message_start (input
 * counts, output_tokens 1), a ping, per block content_block_start / _delta… / _stop, then
 * message_delta with CUMULATIVE usage, then message_stop.
 */
export function anthropicStreamFrames(spec: AnthropicReplySpec, options: AnthropicStreamOptions = {}): string[] {
  const body = anthropicMessageBody(spec);
  const usage = usageOf(spec);
  const frames = [
    frame('message_start', {
      message: { ...body, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1, service_tier: 'standard' } },
    }),
  ];
  blocksOf(spec).forEach((block, index) => {
    const delta = (d: Record<string, unknown>) => frame('content_block_delta', { index, delta: d });
    if (block.type === 'thinking') {
      frames.push(frame('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
      for (const t of chunks(block.thinking, options.splitText)) frames.push(delta({ type: 'thinking_delta', thinking: t }));
      frames.push(delta({ type: 'signature_delta', signature: block.signature }));
    } else if (block.type === 'text') {
      frames.push(frame('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      if (index === 0) frames.push(frame('ping', {}));
      for (const t of chunks(block.text, options.splitText)) frames.push(delta({ type: 'text_delta', text: t }));
    } else {
      frames.push(frame('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
      frames.push(delta({ type: 'input_json_delta', partial_json: '' })); // Anthropic's usual empty first fragment
      for (const j of chunks(JSON.stringify(block.input), options.splitJson ?? 8)) frames.push(delta({ type: 'input_json_delta', partial_json: j }));
    }
    frames.push(frame('content_block_stop', { index }));
  });
  frames.push(frame('message_delta', { delta: { stop_reason: body.stop_reason, stop_sequence: body.stop_sequence }, usage }));
  frames.push(frame('message_stop', {}));
  return frames;
}

export function anthropicStream(spec: AnthropicReplySpec, options: AnthropicStreamOptions = {}): MockReply {
  return { sse: anthropicStreamFrames(spec, options), headers: { 'request-id': 'req_mock_01' } };
}

/** An error in Anthropic's shape, e.g. `anthropicError(529, 'overloaded_error', 'Overloaded')`. */
export function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): MockReply {
  return { status, json: { type: 'error', error: { type, message }, request_id: 'req_mock_err' }, ...(headers && { headers }) };
}

/** The `event: error` frame Anthropic sends inside a 200 stream. */
export function anthropicStreamErrorFrame(type = 'overloaded_error', message = 'Overloaded'): string {
  return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;
}

/** All the text a Messages request says in its `messages` (strings, text blocks, tool results). */
function messageTexts(body: any): string[] {
  const texts: string[] = [];
  const collect = (content: unknown) => {
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content))
      for (const b of content) {
        if (b?.type === 'text' && typeof b.text === 'string') texts.push(b.text);
        else if (b?.type === 'tool_result') collect(b.content);
      }
  };
  for (const m of Array.isArray(body?.messages) ? body.messages : []) collect(m?.content);
  return texts;
}

function lastUserText(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m?.role === 'user');
  return last ? messageTexts({ messages: [last] }).join(' ') : '';
}

/**
 * The credential a request carries: `x-api-key` (the documented header, what the gateway sends)
 * or `Authorization: Bearer …` (what @anthropic-ai/sdk 1.x sends for `apiKey`).
 */
export function anthropicApiKeyOf(req: RecordedRequest): string | undefined {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key) return key;
  const auth = req.headers['authorization'];
  const bearer = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return bearer?.[1];
}

/**
 * Default behaviour: `POST /v1/messages` answers with the last user text echoed back,
 * streaming when the body says `stream: true`. Deterministic usage: input_tokens = words in the
 * request's messages, output_tokens = words in the answer. No key (neither `x-api-key` nor a
 * Bearer token) → 401 in Anthropic's shape.
 */
export const defaultAnthropicHandler: MockHandler = (req: RecordedRequest) => {
  const path = req.path.split('?')[0];
  if (req.method === 'POST' && path === '/v1/messages/count_tokens') return countTokens(req);
  if (req.method !== 'POST' || path !== '/v1/messages') return anthropicError(404, 'not_found_error', `Not found: ${req.method} ${path}`);
  if (!anthropicApiKeyOf(req)) return anthropicError(401, 'authentication_error', 'x-api-key header is required');
  if (typeof req.body !== 'object' || req.body === null) return anthropicError(400, 'invalid_request_error', 'The request body is not valid JSON.');
  if (typeof req.body.max_tokens !== 'number') return anthropicError(400, 'invalid_request_error', 'max_tokens: Field required');
  const text = lastUserText(req.body) || '(nothing to echo)';
  const spec: AnthropicReplySpec = {
    text,
    model: typeof req.body.model === 'string' ? req.body.model : 'claude-sonnet-4-5',
    usage: { input_tokens: words(messageTexts(req.body).join(' ')), output_tokens: words(text) },
  };
  return req.body.stream === true ? anthropicStream(spec) : anthropicMessage(spec);
};

/**
 * `POST /v1/messages/count_tokens` (https://docs.anthropic.com/en/api/messages-count-tokens):
 * the Messages body without `max_tokens` (Anthropic refuses fields it does not take, stream and
 * max_tokens included), answered `{"input_tokens": N}`; N = words in system + messages.
 */
function countTokens(req: RecordedRequest): MockReply {
  if (!anthropicApiKeyOf(req)) return anthropicError(401, 'authentication_error', 'x-api-key header is required');
  const b = req.body;
  if (typeof b !== 'object' || b === null) return anthropicError(400, 'invalid_request_error', 'The request body is not valid JSON.');
  for (const extra of ['max_tokens', 'stream', 'temperature']) {
    if (extra in b) return anthropicError(400, 'invalid_request_error', `${extra}: Extra inputs are not permitted`);
  }
  if (!Array.isArray(b.messages)) return anthropicError(400, 'invalid_request_error', 'messages: Field required');
  const system = typeof b.system === 'string' ? b.system : Array.isArray(b.system) ? b.system.map((p: any) => String(p?.text ?? '')).join(' ') : '';
  return { json: { input_tokens: words(`${system} ${messageTexts(b).join(' ')}`) } };
}

export async function startAnthropicMock(handler: MockHandler = defaultAnthropicHandler): Promise<HttpMock> {
  return startHttpMock(handler);
}
