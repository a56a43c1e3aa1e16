/**
 * A scripted Cohere API (v2) on loopback, speaking the wire format `cohere-ai`'s CohereClientV2
 * speaks (proven by cohere.test.ts):
 * - `POST /v2/chat` → `{id, finish_reason, message:{role, content:[{type:'text',text}], tool_plan, tool_calls}, usage}`;
 *   with `stream: true`, SSE frames `event: <type>` + `data: {"type":<type>,…}`: message-start,
 *   content-start/delta/end, tool-plan-delta, tool-call-start/delta/end, message-end (finish
 *   reason and usage), in the order Cohere sends them;
 * - `POST /v2/embed` → `{id, embeddings:{float|base64:[…]}, texts, meta:{billed_units:{input_tokens}}}`;
 * - `POST /v2/rerank` → `{id, results:[{index, relevance_score}], meta:{billed_units:{search_units}}}`;
 * - a missing or wrong bearer key → 401 `{"message":"invalid api token"}`; errors as `{"id","message"}`.
 *
 *   const mock = await startCohereMock();     // echoes the last user text; key COHERE_MOCK_KEY
 *   mock.setHandler(() => cohereStream({ toolCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] }));
 */
import { createHash } from 'node:crypto';
import { startHttpMock, type HttpMock, type MockHandler, type MockReply, type RecordedRequest } from './http-mock.js';

export const COHERE_MOCK_KEY = 'cohere-mock-key-0001';

export interface CohereReplySpec {
  text?: string;
  /** Sent as `tool_plan` beside the tool calls (Cohere writes its text there when it calls tools). */
  toolPlan?: string;
  thinking?: string;
  toolCalls?: Array<{ id?: string; name: string; args: Record<string, unknown> }>;
  /** Defaults: TOOL_CALL with tool calls, else COMPLETE. */
  finishReason?: string;
  /** Billed units; `tokens` adds Cohere's prompt-template tokens to the input (raw counts are never what is billed). */
  usage?: { input_tokens: number; output_tokens: number; cached_tokens?: number };
  id?: string;
}

export interface CohereStreamOptions {
  cutAfter?: number;
  chunkDelayMs?: number;
}

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;
/** Tokens Cohere's prompt template adds to the raw count (not billed). */
const TEMPLATE_TOKENS = 196;

const idOf = (spec: CohereReplySpec) => spec.id ?? 'c0e1d2a3-b4c5-4d6e-8f90-a1b2c3d4e5f6';
const callsOf = (spec: CohereReplySpec) =>
  (spec.toolCalls ?? []).map((c, i) => ({ id: c.id || `${c.name}_mock${i}k9x2`, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.args) } }));
const finishOf = (spec: CohereReplySpec) => spec.finishReason ?? (spec.toolCalls?.length ? 'TOOL_CALL' : 'COMPLETE');

function usageOf(spec: CohereReplySpec): Record<string, unknown> {
  const billed = spec.usage ?? { input_tokens: 10, output_tokens: Math.max(1, words(spec.text ?? '')) };
  return {
    billed_units: { input_tokens: billed.input_tokens, output_tokens: billed.output_tokens },
    tokens: { input_tokens: billed.input_tokens + TEMPLATE_TOKENS, output_tokens: billed.output_tokens },
    ...(billed.cached_tokens !== undefined && { cached_tokens: billed.cached_tokens }),
  };
}

export function cohereResponseBody(spec: CohereReplySpec): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant' };
  const calls = callsOf(spec);
  const content: unknown[] = [];
  if (spec.thinking !== undefined) content.push({ type: 'thinking', thinking: spec.thinking });
  if (spec.text !== undefined) content.push({ type: 'text', text: spec.text });
  if (content.length) message.content = content;
  if (calls.length) {
    message.tool_calls = calls;
    if (spec.toolPlan !== undefined) message.tool_plan = spec.toolPlan;
  }
  return { id: idOf(spec), message, finish_reason: finishOf(spec), usage: usageOf(spec) };
}

export function cohereResponse(spec: CohereReplySpec): MockReply {
  return { json: cohereResponseBody(spec) };
}

/** One SSE frame as Cohere writes it: the event name twice, as `event:` and as the JSON's `type`. */
export const cohereFrame = (type: string, fields: Record<string, unknown> = {}): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;

/** The frames of a streamed answer: each text word its own content-delta, tool arguments in two halves. */
export function cohereStreamFrames(spec: CohereReplySpec): string[] {
  const frames = [cohereFrame('message-start', { id: idOf(spec), delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } })];
  let index = 0;
  if (spec.thinking !== undefined) {
    frames.push(cohereFrame('content-start', { index, delta: { message: { content: { type: 'thinking', thinking: '' } } } }));
    frames.push(cohereFrame('content-delta', { index, delta: { message: { content: { thinking: spec.thinking } } } }));
    frames.push(cohereFrame('content-end', { index: index++ }));
  }
  for (const piece of spec.toolPlan?.match(/\S+\s*/g) ?? []) frames.push(cohereFrame('tool-plan-delta', { delta: { message: { tool_plan: piece } } }));
  if (spec.text !== undefined) {
    frames.push(cohereFrame('content-start', { index, delta: { message: { content: { type: 'text', text: '' } } } }));
    for (const piece of spec.text.match(/\S+\s*/g) ?? []) frames.push(cohereFrame('content-delta', { index, delta: { message: { content: { text: piece } } } }));
    frames.push(cohereFrame('content-end', { index: index++ }));
  }
  callsOf(spec).forEach((call, i) => {
    const args = call.function.arguments;
    const half = Math.floor(args.length / 2);
    frames.push(cohereFrame('tool-call-start', { index: i, delta: { message: { tool_calls: { id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } } } } }));
    for (const part of [args.slice(0, half), args.slice(half)]) frames.push(cohereFrame('tool-call-delta', { index: i, delta: { message: { tool_calls: { function: { arguments: part } } } } }));
    frames.push(cohereFrame('tool-call-end', { index: i }));
  });
  frames.push(cohereFrame('message-end', { delta: { finish_reason: finishOf(spec), usage: usageOf(spec) } }));
  return frames;
}

export function cohereStream(spec: CohereReplySpec, opts: CohereStreamOptions = {}): MockReply {
  return { sse: cohereStreamFrames(spec), ...opts };
}

export function cohereError(status: number, message: string, headers?: Record<string, string>): MockReply {
  return { status, json: { id: 'e0e1e2e3-0000-4000-8000-000000000001', message }, ...(headers && { headers }) };
}

/** A deterministic vector per text, components in [-1, 1]. */
export function cohereMockEmbedding(text: string, dimensions = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => Math.round(((digest[i % 32]! / 255) * 2 - 1) * 1e6) / 1e6);
}

const float32Base64 = (v: number[]): string => {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
};

/** Share of the query's words found in the document (deterministic, in [0, 1]). */
export function cohereMockRelevance(query: string, document: string): number {
  const q = query.toLowerCase().split(/\W+/).filter(Boolean);
  const d = new Set(document.toLowerCase().split(/\W+/).filter(Boolean));
  return q.length ? Math.round((q.filter((w) => d.has(w)).length / q.length) * 1e4) / 1e4 : 0;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.filter((c: any) => c?.type === 'text').map((c: any) => c.text).join(' ') : '';
}

/**
 * Default behaviour for a key: chat echoes the last user text (billed input = words in every
 * message, output = words echoed); embed returns `cohereMockEmbedding` per text
 * (`output_dimension`, default 8; billed input = words); rerank scores by `cohereMockRelevance`,
 * best first, one search unit per 100 documents.
 */
export function cohereMockHandler(apiKey: string = COHERE_MOCK_KEY): MockHandler {
  return (req: RecordedRequest) => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return cohereError(401, 'invalid api token');
    const path = req.path.split('?')[0];
    const body = req.body ?? {};
    if (req.method === 'POST' && path === '/v2/chat') {
      if (typeof body.model !== 'string' || !Array.isArray(body.messages)) return cohereError(400, 'invalid request: model and messages are required');
      const users = (body.messages as any[]).filter((m) => m?.role === 'user');
      const text = textOf(users.at(-1)?.content) || '(nothing to echo)';
      const prompt = words((body.messages as any[]).map((m) => textOf(m?.content)).join(' '));
      const spec: CohereReplySpec = { text, usage: { input_tokens: prompt, output_tokens: words(text) } };
      return body.stream === true ? cohereStream(spec) : cohereResponse(spec);
    }
    if (req.method === 'POST' && path === '/v2/embed') {
      const texts: unknown = body.texts;
      if (typeof body.model !== 'string' || typeof body.input_type !== 'string') return cohereError(400, 'invalid request: model and input_type are required');
      if (!Array.isArray(texts) || !texts.length || !texts.every((t) => typeof t === 'string')) return cohereError(400, 'invalid request: texts must be a non-empty list of strings');
      const dims = typeof body.output_dimension === 'number' ? body.output_dimension : 8;
      const types: string[] = Array.isArray(body.embedding_types) ? body.embedding_types : ['float'];
      const vectors = (texts as string[]).map((t) => cohereMockEmbedding(`${body.input_type}:${t}`, dims));
      const embeddings: Record<string, unknown> = {};
      for (const t of types) embeddings[t] = t === 'base64' ? vectors.map(float32Base64) : vectors;
      return {
        json: {
          id: 'a1b2c3d4-0000-4000-8000-00000000e1b0',
          embeddings,
          texts,
          meta: { api_version: { version: '2' }, billed_units: { input_tokens: words((texts as string[]).join(' ')) } },
          response_type: 'embeddings_by_type',
        },
      };
    }
    if (req.method === 'POST' && path === '/v2/rerank') {
      const docs: unknown = body.documents;
      if (typeof body.model !== 'string' || typeof body.query !== 'string') return cohereError(400, 'invalid request: model and query are required');
      if (!Array.isArray(docs) || !docs.every((d) => typeof d === 'string')) return cohereError(400, 'invalid request: documents must be a list of strings');
      const ranked = (docs as string[]).map((d, index) => ({ index, relevance_score: cohereMockRelevance(body.query, d) })).sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
      const topN = typeof body.top_n === 'number' ? body.top_n : ranked.length;
      return {
        json: {
          id: 'a1b2c3d4-0000-4000-8000-0000000e4a4c',
          results: ranked.slice(0, topN),
          meta: { api_version: { version: '2' }, billed_units: { search_units: Math.max(1, Math.ceil(docs.length / 100)) } },
        },
      };
    }
    return cohereError(404, `no route for ${req.method} ${path}`);
  };
}

export const defaultCohereHandler: MockHandler = cohereMockHandler();

export async function startCohereMock(handler: MockHandler = defaultCohereHandler): Promise<HttpMock> {
  return startHttpMock(handler);
}
