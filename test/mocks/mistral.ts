/**
 * A scripted Mistral La Plateforme API on loopback, speaking the true wire format
 * (docs/wire-facts.md §4; recorded fixtures in providers/mistral/__fixtures__):
 * - JSON chat completions whose `tool_calls` carry no `type` and 9-character ids;
 * - data-only SSE: a first `role` chunk, content deltas, tool calls sent WHOLE in one delta,
 *   usage ON the finish chunk (no separate usage chunk), then `data: [DONE]`;
 * - reasoning (magistral) content as arrays of `thinking` / `text` chunks;
 * - errors in Mistral's uneven shapes (`{"detail":"Unauthorized"}`, `{"object":"error",…}`).
 *
 *   const mock = await startMistralMock();         // echoes the last user text; key MISTRAL_MOCK_KEY
 *   mock.setHandler(() => mistralStream({ toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] }));
 */
import { createHash } from 'node:crypto';
import { startHttpMock, type HttpMock, type MockHandler, type MockReply, type RecordedRequest } from './http-mock.js';

export const MISTRAL_MOCK_KEY = 'mistral-mock-key';

export interface MistralUsageSpec {
  prompt_tokens?: number;
  completion_tokens?: number;
  /** Emitted as `prompt_tokens_details.cached_tokens` (the live shape). */
  cached_tokens?: number;
}

export interface MistralReplySpec {
  text?: string;
  /** Magistral-style thinking: turns `content` into a chunk array. */
  reasoning?: string;
  /** `arguments` objects are serialised: on the wire Mistral sends a JSON string. */
  toolCalls?: Array<{ id?: string; name: string; arguments: string | Record<string, unknown> }>;
  /** Defaults to `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  /** Defaults: prompt 10, completion = words generated (at least 1). */
  usage?: MistralUsageSpec;
  model?: string;
  id?: string;
  created?: number;
}

export interface MistralStreamOptions {
  /** Characters per text delta; default: one delta per word (spaces kept). */
  splitText?: number;
  chunkDelayMs?: number;
  /** Destroy the socket after this many SSE writes. */
  cutAfter?: number;
}

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

/** Mistral ids: 9 alphanumerics (e.g. `gSIMJiOkT`); deterministic here. */
export function mistralMockToolCallId(seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(seed).digest();
  let id = '';
  for (let i = 0; i < 9; i++) id += alphabet[digest[i]! % 62];
  return id;
}

function toolCallsOf(spec: MistralReplySpec) {
  return (spec.toolCalls ?? []).map((t, i) => ({
    id: t.id ?? mistralMockToolCallId(`${t.name}:${i}`),
    function: { name: t.name, arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments) },
  }));
}

function usageOf(spec: MistralReplySpec): Record<string, unknown> {
  const generated =
    words(spec.text ?? '') + words(spec.reasoning ?? '') + toolCallsOf(spec).reduce((n, t) => n + words(t.function.arguments), 0);
  const prompt = spec.usage?.prompt_tokens ?? 10;
  const completion = spec.usage?.completion_tokens ?? Math.max(1, generated);
  const usage: Record<string, unknown> = { prompt_tokens: prompt, total_tokens: prompt + completion, completion_tokens: completion };
  if (spec.usage?.cached_tokens !== undefined) usage.prompt_tokens_details = { cached_tokens: spec.usage.cached_tokens };
  return usage;
}

const finishOf = (spec: MistralReplySpec) => spec.finishReason ?? (spec.toolCalls?.length ? 'tool_calls' : 'stop');
const idOf = (spec: MistralReplySpec) => spec.id ?? 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5';
const modelOf = (spec: MistralReplySpec) => spec.model ?? 'mistral-small-latest';

/** The JSON body of a non-streaming chat completion, shaped like mistral-response-*.json. */
export function mistralResponseBody(spec: MistralReplySpec): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant' };
  const toolCalls = toolCallsOf(spec);
  if (spec.reasoning !== undefined) {
    message.content = [
      { type: 'thinking', thinking: [{ type: 'text', text: spec.reasoning }] },
      ...(spec.text !== undefined ? [{ type: 'text', text: spec.text }] : []),
    ];
  } else if (spec.text !== undefined || !toolCalls.length) {
    message.content = spec.text ?? '';
  }
  message.tool_calls = toolCalls.length ? toolCalls : null;
  return {
    id: idOf(spec),
    created: spec.created ?? 1769088720,
    model: modelOf(spec),
    usage: usageOf(spec),
    object: 'chat.completion',
    choices: [{ index: 0, finish_reason: finishOf(spec), message }],
  };
}

export function mistralResponse(spec: MistralReplySpec, headers?: Record<string, string>): MockReply {
  return { json: mistralResponseBody(spec), ...(headers && { headers }) };
}

function pieces(text: string, split?: number): string[] {
  if (split && split > 0) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += split) out.push(text.slice(i, i + split));
    return out;
  }
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** The chunk objects of a stream, shaped like mistral-stream-*.chunks.jsonl (without [DONE]). */
export function mistralStreamChunks(spec: MistralReplySpec, options: MistralStreamOptions = {}): Array<Record<string, unknown>> {
  const head = { id: idOf(spec), object: 'chat.completion.chunk', created: spec.created ?? 1769088720, model: modelOf(spec) };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: Record<string, unknown>) => ({
    ...head,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage && { usage }),
  });
  const out: Array<Record<string, unknown>> = [chunk({ role: 'assistant', content: '' })];
  for (const p of pieces(spec.reasoning ?? '', options.splitText)) {
    out.push(chunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: p }] }] }));
  }
  for (const p of pieces(spec.text ?? '', options.splitText)) {
    out.push(chunk({ content: spec.reasoning !== undefined ? [{ type: 'text', text: p }] : p }));
  }
  const toolCalls = toolCallsOf(spec);
  // Tool calls arrive whole, all in one delta, on the finish chunk that also carries usage.
  if (toolCalls.length) out.push(chunk({ content: null, tool_calls: toolCalls }, finishOf(spec), usageOf(spec)));
  else out.push(chunk({ content: '' }, finishOf(spec), usageOf(spec)));
  return out;
}

export function mistralStreamFrames(spec: MistralReplySpec, options: MistralStreamOptions = {}): string[] {
  return [...mistralStreamChunks(spec, options).map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n'];
}

export function mistralStream(spec: MistralReplySpec, options: MistralStreamOptions = {}): MockReply {
  return {
    sse: mistralStreamFrames(spec, options),
    ...(options.chunkDelayMs !== undefined && { chunkDelayMs: options.chunkDelayMs }),
    ...(options.cutAfter !== undefined && { cutAfter: options.cutAfter }),
  };
}

/** `{"object":"error",…}` — the shape of Mistral's 400/422/429 answers. */
export function mistralError(status: number, message: string, type = 'invalid_request_error', code: string | null = null, headers?: Record<string, string>): MockReply {
  return { status, json: { object: 'error', message, type, param: null, code }, ...(headers && { headers }) };
}

/** 401 as Mistral sends it (also for a valid key whose quota is spent). */
export const mistralUnauthorized = (): MockReply => ({ status: 401, json: { detail: 'Unauthorized' } });

/** Text of a Mistral message `content`: a string or an array of chunks. */
function contentText(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((c: any) => (c?.type === 'text' && typeof c.text === 'string' ? [c.text] : []));
}

function lastUserText(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m?.role === 'user');
  return last ? contentText(last.content).join(' ') : '';
}

/** A deterministic unit-ish vector per input text. */
export function mistralMockEmbedding(text: string, dimensions = 8): number[] {
  const out: number[] = [];
  for (let block = 0; out.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (const byte of digest) {
      if (out.length === dimensions) break;
      out.push(Math.round(((byte / 255) * 2 - 1) * 1e6) / 1e6);
    }
  }
  return out;
}

/**
 * Default behaviour, for a given key:
 * - `POST /v1/chat/completions` echoes the last user text, streaming when `stream: true`, with
 *   deterministic usage: prompt_tokens = words in the request's messages, completion_tokens =
 *   words in the answer;
 * - `POST /v1/embeddings` returns deterministic vectors (`output_dimension`, default 8),
 *   prompt_tokens = words in the inputs;
 * - a missing or wrong Bearer key → 401 `{"detail":"Unauthorized"}`; other paths → 404.
 */
export function mistralMockHandler(apiKey: string = MISTRAL_MOCK_KEY): MockHandler {
  return (req: RecordedRequest) => {
    const path = req.path.split('?')[0];
    if (req.headers.authorization !== `Bearer ${apiKey}`) return mistralUnauthorized();
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      if (typeof req.body !== 'object' || req.body === null || !Array.isArray(req.body.messages)) {
        return { status: 422, json: { detail: [{ loc: ['body', 'messages'], msg: 'field required', type: 'value_error.missing' }] } };
      }
      const text = lastUserText(req.body) || '(nothing to echo)';
      const promptWords = words((req.body.messages as any[]).flatMap((m) => contentText(m?.content)).join(' '));
      const spec: MistralReplySpec = {
        text,
        model: typeof req.body.model === 'string' ? req.body.model : 'mistral-small-latest',
        usage: { prompt_tokens: promptWords, completion_tokens: words(text) },
      };
      return req.body.stream === true ? mistralStream(spec) : mistralResponse(spec);
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      const raw = req.body?.input;
      const inputs: string[] = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.map(String) : [];
      if (!inputs.length) return mistralError(400, 'input is required');
      const dims = typeof req.body.output_dimension === 'number' ? req.body.output_dimension : 8;
      const tokens = words(inputs.join(' '));
      return {
        json: {
          id: 'e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5',
          object: 'list',
          model: typeof req.body.model === 'string' ? req.body.model : 'mistral-embed',
          data: inputs.map((t, index) => ({ object: 'embedding', embedding: mistralMockEmbedding(t, dims), index })),
          usage: { prompt_tokens: tokens, total_tokens: tokens, completion_tokens: 0 },
        },
      };
    }
    return { status: 404, json: { detail: 'Not Found' } };
  };
}

export const defaultMistralHandler: MockHandler = mistralMockHandler();

export async function startMistralMock(handler: MockHandler = defaultMistralHandler): Promise<HttpMock> {
  return startHttpMock(handler);
}
