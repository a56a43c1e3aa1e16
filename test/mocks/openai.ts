/**
 * A scripted OpenAI (or OpenAI-compatible) API on loopback, speaking the true wire format
 * (docs/wire-facts.md §1; recorded streams in test/fixtures/openai/):
 * - `chat.completion` JSON with `refusal: null`, `annotations: []`, `logprobs: null`;
 * - data-only SSE: a role chunk, content deltas, the finish chunk with `delta: {}`, then — only
 *   when `stream_options.include_usage` — a `choices: []` usage chunk (every earlier chunk
 *   carries `usage: null`), then `data: [DONE]`;
 * - tool calls streamed as fragments (id/type/name first, then argument pieces);
 * - `/v1/embeddings`, `/v1/completions`; errors in OpenAI's envelope; 401 without a Bearer key.
 *
 *   const mock = await startOpenAIMock();   // echoes the last user text, usage = word counts
 *   mock.setHandler(() => openaiStream({ frames: openaiFixtureFrames('openai-stream-tool-call-usage.sse') }));
 */
import { readFileSync } from 'node:fs';
import { startHttpMock, type HttpMock, type MockHandler, type MockReply, type RecordedRequest } from './http-mock.js';

export interface OpenAIUsageSpec {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
  reasoning_tokens?: number;
}

export interface OpenAIReplySpec {
  text?: string;
  toolCalls?: Array<{ id?: string; name: string; arguments: string | Record<string, unknown> }>;
  /** Defaults to `tool_calls` with tool calls, else `stop`. */
  finishReason?: string;
  /** Defaults: prompt 10, completion = words in the answer (at least 1). */
  usage?: OpenAIUsageSpec;
  model?: string;
  id?: string;
  created?: number;
}

export interface OpenAIStreamOptions {
  /** Emit the usage chunk (what `stream_options.include_usage: true` asks for). Default true. */
  includeUsage?: boolean;
  /** Characters per argument fragment of a tool call (default 4). */
  argsPiece?: number;
  chunkDelayMs?: number;
  /** Destroy the socket after this many SSE writes. */
  cutAfter?: number;
}

export const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

const argsOf = (a: string | Record<string, unknown>) => (typeof a === 'string' ? a : JSON.stringify(a));
const finishOf = (s: OpenAIReplySpec) => s.finishReason ?? (s.toolCalls?.length ? 'tool_calls' : 'stop');
const toolIdOf = (i: number, id?: string) => id ?? `call_mock${String(i).padStart(20, '0')}`;

export function openaiUsage(spec: OpenAIReplySpec): Record<string, unknown> {
  const generated = words(spec.text ?? '') + (spec.toolCalls ?? []).reduce((n, t) => n + words(argsOf(t.arguments)), 0);
  const prompt = spec.usage?.prompt_tokens ?? 10;
  const completion = spec.usage?.completion_tokens ?? Math.max(1, generated);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: spec.usage?.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: spec.usage?.reasoning_tokens ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** A `chat.completion` body, shaped like openai-response-text.json. */
export function openaiCompletionBody(spec: OpenAIReplySpec): Record<string, unknown> {
  const toolCalls = (spec.toolCalls ?? []).map((t, i) => ({ id: toolIdOf(i, t.id), type: 'function', function: { name: t.name, arguments: argsOf(t.arguments) } }));
  return {
    id: spec.id ?? 'chatcmpl-mock0000000000000000000000001',
    object: 'chat.completion',
    created: spec.created ?? 1741569952,
    model: spec.model ?? 'gpt-4o-2024-08-06',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: spec.text ?? (toolCalls.length ? null : ''), refusal: null, annotations: [], ...(toolCalls.length && { tool_calls: toolCalls }) },
        logprobs: null,
        finish_reason: finishOf(spec),
      },
    ],
    usage: openaiUsage(spec),
    service_tier: 'default',
    system_fingerprint: 'fp_mock0001',
  };
}

export function openaiCompletion(spec: OpenAIReplySpec, headers?: Record<string, string>): MockReply {
  return { json: openaiCompletionBody(spec), ...(headers && { headers }) };
}

/** The SSE frames of a chat stream (with `[DONE]`), in OpenAI's order. */
export function openaiStreamFrames(spec: OpenAIReplySpec, opts: OpenAIStreamOptions = {}): string[] {
  const includeUsage = opts.includeUsage ?? true;
  const head = {
    id: spec.id ?? 'chatcmpl-mock0000000000000000000000002',
    object: 'chat.completion.chunk',
    created: spec.created ?? 1723024748,
    model: spec.model ?? 'gpt-4o-2024-08-06',
    system_fingerprint: 'fp_mock0001',
  };
  const frame = (o: Record<string, unknown>) => `data: ${JSON.stringify({ ...head, ...o, ...(includeUsage && !('usage' in o) && { usage: null }) })}\n\n`;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => frame({ choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const out = [chunk({ role: 'assistant', content: spec.toolCalls?.length && !spec.text ? null : '', refusal: null })];
  for (const piece of (spec.text ?? '').match(/\S+\s*|\s+/g) ?? []) out.push(chunk({ content: piece }));
  const size = opts.argsPiece ?? 4;
  for (const [i, t] of (spec.toolCalls ?? []).entries()) {
    out.push(chunk({ tool_calls: [{ index: i, id: toolIdOf(i, t.id), type: 'function', function: { name: t.name, arguments: '' } }] }));
    const args = argsOf(t.arguments);
    for (let k = 0; k < args.length; k += size) out.push(chunk({ tool_calls: [{ index: i, function: { arguments: args.slice(k, k + size) } }] }));
  }
  out.push(chunk({}, finishOf(spec)));
  if (includeUsage) out.push(frame({ choices: [], usage: openaiUsage(spec) }));
  out.push('data: [DONE]\n\n');
  return out;
}

/** A stream reply: from a spec, or from ready-made frames (e.g. a recorded fixture). */
export function openaiStream(spec: OpenAIReplySpec | { frames: string[] }, opts: OpenAIStreamOptions = {}): MockReply {
  return {
    sse: 'frames' in spec ? spec.frames : openaiStreamFrames(spec, opts),
    ...(opts.chunkDelayMs !== undefined && { chunkDelayMs: opts.chunkDelayMs }),
    ...(opts.cutAfter !== undefined && { cutAfter: opts.cutAfter }),
  };
}

/** The frames of a recorded stream in test/fixtures/openai/ (one entry per `data:` event, terminator kept). */
export function openaiFixtureFrames(name: string): string[] {
  const text = readFileSync(new URL(`../fixtures/openai/${name}`, import.meta.url), 'utf8');
  return text.split(/\n\n/).filter((f) => f.trim()).map((f) => `${f}\n\n`);
}

/** OpenAI's error envelope, all four keys. */
export function openaiError(status: number, message: string, type = 'invalid_request_error', code: string | null = null, param: string | null = null, headers?: Record<string, string>): MockReply {
  return { status, json: { error: { message, type, param, code } }, ...(headers && { headers }) };
}

export function openaiEmbedding(text: string, dims: number = 4): number[] {
  return Array.from({ length: dims }, (_, d) => ((text.length * (d + 1)) % 97) / 97);
}

/** As OpenAI sends a vector: numbers, or with `encoding_format: "base64"` float32 little-endian in base64. */
function wireVector(v: number[], encoding: unknown): number[] | string {
  if (encoding !== 'base64') return v;
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: any) => (p?.type === 'text' ? String(p.text ?? '') : '')).join(' ');
  return '';
}

/**
 * Default behaviour (paths under `/v1`, as with the SDK's `baseURL` = `<mock>/v1`):
 * - `POST /chat/completions` echoes the last user text, streaming when `stream: true` (usage
 *   chunk only with `stream_options.include_usage`); prompt_tokens = words in all messages,
 *   completion_tokens = words in the answer;
 * - `POST /responses` echoes the last user input (usage = word counts); `POST /completions` echoes the prompt; `POST /embeddings` returns 4-dim vectors (or `dimensions`; base64 float32 when asked),
 *   prompt_tokens = words of the inputs; `GET /models` lists `gpt-4o`; `POST /images/generations`
 *   answers `n` images (openaiImages);
 * - no `Authorization: Bearer …` (or not `apiKey` when one is given) → 401 `invalid_api_key`;
 * - anything else → 404.
 */
export function openaiMockHandler(apiKey?: string): MockHandler {
  return (req: RecordedRequest) => {
    const path = (req.path.split('?')[0] ?? '').replace(/^\/v1/, '');
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ') || (apiKey !== undefined && auth !== `Bearer ${apiKey}`)) {
      return openaiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    }
    const b = req.body ?? {};
    const model = typeof b.model === 'string' ? b.model : 'gpt-4o';
    if (req.method === 'POST' && path === '/chat/completions') {
      if (!Array.isArray(b.messages)) return openaiError(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages');
      const last = [...b.messages].reverse().find((m: any) => m?.role === 'user');
      const text = textOf(last?.content) || '(nothing to echo)';
      const spec: OpenAIReplySpec = { text, model, usage: { prompt_tokens: words(b.messages.map((m: any) => textOf(m?.content)).join(' ')), completion_tokens: words(text) } };
      return b.stream === true ? openaiStream(spec, { includeUsage: b.stream_options?.include_usage === true }) : openaiCompletion(spec);
    }
    if (req.method === 'POST' && path === '/completions') {
      const prompt = typeof b.prompt === 'string' ? b.prompt : String(b.prompt ?? '');
      const usage = { prompt_tokens: words(prompt), completion_tokens: words(prompt), total_tokens: 2 * words(prompt) };
      return {
        json: { id: 'cmpl-mock0001', object: 'text_completion', created: 1741569952, model, system_fingerprint: 'fp_mock0001', choices: [{ text: prompt, index: 0, logprobs: null, finish_reason: 'stop' }], usage },
      };
    }
    if (req.method === 'POST' && path === '/embeddings') {
      // A flat array of token ids is one input (as OpenAI reads it); any other array is a list of inputs.
      const oneTokenList = Array.isArray(b.input) && b.input.length > 0 && b.input.every((x: unknown) => typeof x === 'number');
      const inputs: string[] = typeof b.input === 'string' ? [b.input] : oneTokenList ? [b.input.join(' ')] : Array.isArray(b.input) ? b.input.map(String) : [];
      if (!inputs.length) return openaiError(400, "'input' is required", 'invalid_request_error', null, 'input');
      const tokens = words(inputs.join(' '));
      return {
        json: { object: 'list', model, data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: wireVector(openaiEmbedding(t, b.dimensions), b.encoding_format) })), usage: { prompt_tokens: tokens, total_tokens: tokens } },
      };
    }
    if (req.method === 'POST' && path === '/responses') {
      const text = typeof b.input === 'string' ? b.input : textOf([...(Array.isArray(b.input) ? b.input : [])].reverse().find((m: any) => m?.role === 'user')?.content) || '(nothing to echo)';
      const body = openaiResponseBody(text, model, words(typeof b.input === 'string' ? b.input : JSON.stringify(b.input ?? '')));
      return b.stream === true ? { sse: openaiResponseStreamFrames(body) } : { json: body };
    }
    if (req.method === 'POST' && path === '/images/generations') return openaiImages(b, model);
    if (req.method === 'GET' && path === '/models') {
      return { json: { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' }] } };
    }
    return openaiError(404, `Unknown request URL: ${req.method} ${req.path}.`, 'invalid_request_error', 'unknown_url');
  };
}

/** A 1×1 PNG, base64: the image every mock answer carries. */
export const MOCK_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** gpt-image-1's output tokens per image, by quality and size (OpenAI's pricing guide). */
export const GPT_IMAGE_OUTPUT_TOKENS: Record<string, Record<string, number>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

/**
 * `POST /images/generations` as OpenAI documents it: `{created, data: [{b64_json | url,
 * revised_prompt}]}`; GPT image models (`gpt-image-*`) answer b64_json with `usage` (input =
 * words of the prompt, all text; output from GPT_IMAGE_OUTPUT_TOKENS, `auto` → high 1024x1024)
 * and the size/quality they chose. No prompt → OpenAI's 400.
 */
export function openaiImages(b: Record<string, any>, model: string): MockReply {
  if (typeof b.prompt !== 'string' || !b.prompt) return openaiError(400, "Missing required parameter: 'prompt'.", 'invalid_request_error', 'missing_required_parameter', 'prompt');
  const n = Number.isInteger(b.n) ? b.n : 1;
  const gpt = model.startsWith('gpt-image');
  const size = b.size && b.size !== 'auto' ? b.size : '1024x1024';
  const quality = b.quality && b.quality !== 'auto' ? b.quality : gpt ? 'high' : 'standard';
  const b64 = gpt || b.response_format === 'b64_json';
  const data = Array.from({ length: n }, (_, i) => (b64 ? { b64_json: MOCK_PNG, revised_prompt: b.prompt } : { url: `https://images.mock.example/${i}.png`, revised_prompt: b.prompt }));
  if (!gpt) return { json: { created: 1741569952, data } };
  const input = words(b.prompt);
  const output = n * (GPT_IMAGE_OUTPUT_TOKENS[quality]?.[size] ?? 4160);
  return {
    json: {
      created: 1741569952,
      data,
      size,
      quality,
      background: 'opaque',
      output_format: 'png',
      usage: { input_tokens: input, input_tokens_details: { text_tokens: input, image_tokens: 0 }, output_tokens: output, total_tokens: input + output },
    },
  };
}

/** A Responses API `response` object (POST /v1/responses) answering `text`, shaped as OpenAI's. */
export function openaiResponseBody(text: string, model: string, inputTokens: number): Record<string, unknown> {
  const out = words(text);
  return {
    id: 'resp_mock0000000000000000000000000001',
    object: 'response',
    created_at: 1741569952,
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model,
    output: [{ id: 'msg_mock0001', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] }],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: { input_tokens: inputTokens, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 }, output_tokens: out, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: inputTokens + out },
    metadata: {},
  };
}

/** A Responses stream ending in `body` (named events, as OpenAI sends them): one text delta per word. */
export function openaiResponseStreamFrames(body: Record<string, any>): string[] {
  let seq = 0;
  const ev = (type: string, o: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o, sequence_number: seq++ })}\n\n`;
  const { usage: _final, ...rest } = body;
  const pending = { ...rest, status: 'in_progress', output: [] };
  const msg = body.output[0];
  const text: string = msg.content[0].text;
  const out = [ev('response.created', { response: pending }), ev('response.in_progress', { response: pending })];
  out.push(ev('response.output_item.added', { output_index: 0, item: { ...msg, status: 'in_progress', content: [] } }));
  out.push(ev('response.content_part.added', { item_id: msg.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }));
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) out.push(ev('response.output_text.delta', { item_id: msg.id, output_index: 0, content_index: 0, delta: piece, logprobs: [] }));
  out.push(ev('response.output_text.done', { item_id: msg.id, output_index: 0, content_index: 0, text, logprobs: [] }));
  out.push(ev('response.content_part.done', { item_id: msg.id, output_index: 0, content_index: 0, part: msg.content[0] }));
  out.push(ev('response.output_item.done', { output_index: 0, item: msg }));
  out.push(ev('response.completed', { response: body }));
  return out;
}

export const defaultOpenAIHandler: MockHandler = openaiMockHandler();

export async function startOpenAIMock(handler: MockHandler = defaultOpenAIHandler): Promise<HttpMock> {
  return startHttpMock(handler);
}
