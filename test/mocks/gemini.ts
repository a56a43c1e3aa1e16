/**
 * A Gemini (Generative Language API v1beta) upstream on loopback, speaking the true wire format
 * (docs/wire-facts.md §3, fixtures in providers/gemini/__fixtures__/): `:generateContent` JSON,
 * `:streamGenerateContent?alt=sse` frames (`data: {…}` + blank line, CRLF or LF, no event names,
 * NO `[DONE]`, usage on every chunk with candidatesTokenCount only on the last one),
 * `:embedContent` / `:batchEmbedContents`, and Google's error envelope.
 *
 * The default handler echoes the last user text with deterministic usage: promptTokenCount =
 * words in the request's `contents`, candidatesTokenCount = words in the answer. Tests script
 * other replies with `mock.setHandler(() => geminiResponse({...}))` / `geminiStream(...)`.
 */
import { type HttpMock, type MockHandler, type MockReply, type RecordedRequest, startHttpMock } from './http-mock.js';

export interface GeminiReplySpec {
  text?: string;
  functionCalls?: Array<{ name: string; args?: Record<string, unknown>; thoughtSignature?: string }>;
  /** Thought summary text, sent as `thought: true` parts before the answer. */
  thoughts?: string;
  /** Default `STOP` (also for function calls: Gemini has no tool finish reason). */
  finishReason?: string;
  /** Counts override; defaults: prompt 0, candidates = words(text), thoughts = words(thoughts). */
  usage?: { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; cachedContentTokenCount?: number };
  /** Blocked prompt: no candidates, `promptFeedback.blockReason` instead. */
  blockReason?: string;
  model?: string;
  responseId?: string;
}

export const GEMINI_MOCK_MODEL_VERSION = 'gemini-2.5-flash';
/** A key the default handler rejects like a revoked/invalid one (400 API_KEY_INVALID). */
export const GEMINI_MOCK_INVALID_KEY = 'invalid-key';

export const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

type Json = Record<string, unknown>;

function usageMetadata(spec: GeminiReplySpec, final: boolean): Json {
  const prompt = spec.usage?.promptTokenCount ?? 0;
  const candidates = spec.usage?.candidatesTokenCount ?? words(spec.text ?? '') + (spec.functionCalls?.length ?? 0);
  const thoughts = spec.usage?.thoughtsTokenCount ?? (spec.thoughts ? words(spec.thoughts) : 0);
  const u: Json = { promptTokenCount: prompt };
  if (final && !spec.blockReason) u.candidatesTokenCount = candidates;
  if (spec.usage?.cachedContentTokenCount !== undefined) u.cachedContentTokenCount = spec.usage.cachedContentTokenCount;
  if (thoughts > 0) u.thoughtsTokenCount = thoughts;
  u.totalTokenCount = prompt + (final && !spec.blockReason ? candidates : 0) + thoughts;
  u.promptTokensDetails = [{ modality: 'TEXT', tokenCount: prompt }];
  return u;
}

function callParts(spec: GeminiReplySpec): Json[] {
  return (spec.functionCalls ?? []).map((c) => ({
    functionCall: { name: c.name, args: c.args ?? {} },
    ...(c.thoughtSignature ? { thoughtSignature: c.thoughtSignature } : {}),
  }));
}

function envelope(spec: GeminiReplySpec, parts: Json[] | undefined, final: boolean): Json {
  const body: Json = {};
  if (spec.blockReason && final) {
    body.promptFeedback = { blockReason: spec.blockReason, safetyRatings: [] };
  } else if (parts) {
    const candidate: Json = { content: { parts, role: 'model' }, index: 0 };
    if (final) candidate.finishReason = spec.finishReason ?? 'STOP';
    body.candidates = [candidate];
  }
  body.usageMetadata = usageMetadata(spec, final);
  body.modelVersion = spec.model ?? GEMINI_MOCK_MODEL_VERSION;
  body.responseId = spec.responseId ?? 'mock-response-1';
  return body;
}

/** A unary GenerateContentResponse. */
export function geminiResponseBody(spec: GeminiReplySpec): Json {
  if (spec.blockReason) return envelope(spec, undefined, true);
  const parts: Json[] = [];
  if (spec.thoughts) parts.push({ text: spec.thoughts, thought: true });
  if (spec.text) parts.push({ text: spec.text });
  parts.push(...callParts(spec));
  return envelope(spec, parts, true);
}

export function geminiResponse(spec: GeminiReplySpec, status = 200): MockReply {
  return { status, json: geminiResponseBody(spec) };
}

/** Stream chunks as real Gemini sends them: thoughts, text in pieces, calls whole, finish + usage last. */
export function geminiStreamChunks(spec: GeminiReplySpec): Json[] {
  const groups: Json[][] = [];
  if (spec.thoughts) groups.push([{ text: spec.thoughts, thought: true }]);
  for (const piece of splitText(spec.text ?? '')) groups.push([{ text: piece }]);
  const calls = callParts(spec);
  if (calls.length > 0) groups.push(calls);
  if (spec.blockReason) return [...groups.map((g) => envelope(spec, g, false)), envelope(spec, undefined, true)];
  if (groups.length === 0) groups.push([{ text: '' }]);
  return groups.map((g, i) => envelope(spec, g, i === groups.length - 1));
}

/** Text in up to three pieces on word boundaries (" capital of Wyoming" style: leading spaces kept). */
function splitText(text: string): string[] {
  if (!text) return [];
  const tokens = text.match(/\s*\S+/g) ?? [text];
  const size = Math.max(1, Math.ceil(tokens.length / 3));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += size) out.push(tokens.slice(i, i + size).join(''));
  const trailing = /\s+$/.exec(text)?.[0];
  if (trailing && out.length > 0) out[out.length - 1] += trailing;
  return out;
}

export interface GeminiStreamOptions {
  /** CRLF framing (`\r\n\r\n`) as in two of the recorded fixtures; default LF. */
  crlf?: boolean;
  chunkDelayMs?: number;
  /** Destroy the socket after this many frames. */
  cutAfter?: number;
}

/** An SSE reply: `data: {…}` frames, no event names, no `[DONE]`. */
export function geminiStream(spec: GeminiReplySpec, opts: GeminiStreamOptions = {}): MockReply {
  const eol = opts.crlf ? '\r\n' : '\n';
  return {
    sse: geminiStreamChunks(spec).map((c) => `data: ${JSON.stringify(c)}${eol}${eol}`),
    ...(opts.chunkDelayMs !== undefined ? { chunkDelayMs: opts.chunkDelayMs } : {}),
    ...(opts.cutAfter !== undefined ? { cutAfter: opts.cutAfter } : {}),
  };
}

/** Google's error envelope (fixtures gemini-error-*.json). */
export function geminiError(
  status: number,
  rpcStatus: string,
  message: string,
  opts: { reason?: string; retryDelay?: string; headers?: Record<string, string> } = {},
): MockReply {
  const details: Json[] = [];
  if (opts.reason) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: opts.reason,
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    });
  }
  if (opts.retryDelay) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: opts.retryDelay });
  return {
    status,
    json: { error: { code: status, message, status: rpcStatus, ...(details.length > 0 ? { details } : {}) } },
    ...(opts.headers ? { headers: opts.headers } : {}),
  };
}

const invalidKey = (): MockReply =>
  geminiError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', { reason: 'API_KEY_INVALID' });

/** Deterministic unit-ish vector for a text (same text → same vector). */
export function mockEmbedding(text: string, dims = 8): number[] {
  const out: number[] = [];
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  for (let d = 0; d < dims; d++) {
    h = Math.imul(h ^ (d + 1), 16777619);
    out.push(Math.round((((h >>> 0) % 2000) / 1000 - 1) * 1e6) / 1e6);
  }
  return out;
}

const ROUTE = /^\/(v1beta|v1)\/models\/([^:/?]+):([A-Za-z]+)(?:\?(.*))?$/;

function textsOf(contents: unknown): string[] {
  if (!Array.isArray(contents)) return [];
  return contents.flatMap((c: any) => (Array.isArray(c?.parts) ? c.parts : [])).flatMap((p: any) => (typeof p?.text === 'string' ? [p.text] : []));
}

function lastUserText(contents: unknown): string {
  if (!Array.isArray(contents)) return '';
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i] as any;
    if (c?.role !== undefined && c.role !== 'user') continue;
    const texts = textsOf([c]);
    if (texts.length > 0) return texts.join(' ');
  }
  return '';
}

export const geminiDefaultHandler: MockHandler = (req: RecordedRequest): MockReply => {
  const m = ROUTE.exec(req.path);
  if (req.method !== 'POST' || !m) return geminiError(404, 'NOT_FOUND', `Method not found: ${req.method} ${req.path}`);
  const [, , model, method, query] = m;
  const key = req.headers['x-goog-api-key'];
  if (typeof key !== 'string' || key === '' || key === GEMINI_MOCK_INVALID_KEY) return invalidKey();
  if (req.body === undefined || typeof req.body !== 'object') {
    return geminiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
  }
  const body = req.body as any;
  switch (method) {
    case 'generateContent':
    case 'streamGenerateContent': {
      const text = lastUserText(body.contents);
      const spec: GeminiReplySpec = { text, usage: { promptTokenCount: words(textsOf(body.contents).join(' ')) } };
      if (method === 'generateContent') return geminiResponse(spec);
      // Without alt=sse Gemini streams one JSON array (docs/wire-facts.md §3).
      return query?.includes('alt=sse') ? geminiStream(spec) : { json: geminiStreamChunks(spec) };
    }
    case 'embedContent':
      return { json: { embedding: { values: mockEmbedding(textsOf([body.content]).join(' '), body.outputDimensionality) } } };
    case 'batchEmbedContents': {
      const requests: any[] = Array.isArray(body.requests) ? body.requests : [];
      return { json: { embeddings: requests.map((r) => ({ values: mockEmbedding(textsOf([r?.content]).join(' '), r?.outputDimensionality) })) } };
    }
    case 'countTokens': {
      // `contents`, or the whole `generateContentRequest` (system instruction included).
      const g = body.generateContentRequest;
      const texts = g ? [...textsOf(g.contents), ...textsOf([g.systemInstruction])] : textsOf(body.contents);
      return { json: { totalTokens: words(texts.join(' ')), promptTokensDetails: [{ modality: 'TEXT', tokenCount: words(texts.join(' ')) }] } };
    }
    default:
      return geminiError(404, 'NOT_FOUND', `models/${model} has no method ${method}`);
  }
};

/** Starts the mock; pass a handler to script replies from the start (else the default echo). */
export function startGeminiMock(handler: MockHandler = geminiDefaultHandler): Promise<HttpMock> {
  return startHttpMock(handler);
}
