/**
 * A scripted AWS Bedrock runtime (Converse API) on loopback, speaking the REST-JSON wire format
 * `@aws-sdk/client-bedrock-runtime` speaks (proven by bedrock.test.ts):
 * - `POST /model/{modelId}/converse` → `{output:{message}, stopReason, usage, metrics}`;
 * - `POST /model/{modelId}/converse-stream` → the binary event stream (`application/vnd.amazon.eventstream`,
 *   messages encoded by AWS's codec): messageStart, content blocks, messageStop, metadata;
 * - auth checked as AWS checks it: a SigV4 signature recomputed here with the mock's secret
 *   (`InvalidSignatureException` 403 on a mismatch), or a Bedrock API key as a bearer token;
 * - `POST /model/{modelId}/invoke` for the embedding models (Titan, Cohere Embed), each in its own body;
 * - errors named in `x-amzn-errortype` with `{"message"}` bodies.
 *
 *   const mock = await startBedrockMock();   // echoes the last user text
 *   mock.setHandler(bedrockMockHandler(() => bedrockResponse({ toolUses: [{ name: 'get_weather', input: { city: 'Paris' } }] })));
 */
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { SignatureV4 } from '@smithy/signature-v4';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { startHttpMock, type HttpMock, type MockHandler, type MockReply, type RecordedRequest } from './http-mock.js';

export const BEDROCK_MOCK_REGION = 'us-east-1';
export const BEDROCK_MOCK_CREDENTIALS = { accessKeyId: 'AKIDBEDROCKMOCK00001', secretAccessKey: 'bedrock-mock-secret-access-key-0001' };
export const BEDROCK_MOCK_API_KEY = 'bedrock-mock-api-key-0001';

export interface BedrockReplySpec {
  text?: string;
  reasoning?: { text: string; signature: string };
  toolUses?: Array<{ id?: string; name: string; input: Record<string, unknown> }>;
  /** Defaults to `tool_use` with tool uses, else `end_turn`. */
  stopReason?: string;
  usage?: { inputTokens: number; outputTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number };
}

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

export function bedrockResponse(spec: BedrockReplySpec): MockReply {
  const content: unknown[] = [];
  if (spec.reasoning) content.push({ reasoningContent: { reasoningText: spec.reasoning } });
  if (spec.text !== undefined) content.push({ text: spec.text });
  (spec.toolUses ?? []).forEach((t, i) => content.push({ toolUse: { toolUseId: t.id ?? `tooluse_mock${i}`, name: t.name, input: t.input } }));
  const usage = spec.usage ?? { inputTokens: 10, outputTokens: Math.max(1, words(spec.text ?? '')) };
  const total = usage.inputTokens + usage.outputTokens + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
  return {
    headers: { 'x-amzn-requestid': 'b6c1a0e2-1111-4a4a-9c9c-000000000001' },
    json: {
      output: { message: { role: 'assistant', content } },
      stopReason: spec.stopReason ?? (spec.toolUses?.length ? 'tool_use' : 'end_turn'),
      usage: { ...usage, totalTokens: total },
      metrics: { latencyMs: 42 },
    },
  };
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });

/** One event-stream message: an event (`messageStart`…) or, with `exception`, an exception (`throttlingException`…). */
export function eventStreamMessage(type: string, payload: unknown, exception = false): Uint8Array {
  const headers: Record<string, { type: 'string'; value: string }> = exception
    ? { ':message-type': str('exception'), ':exception-type': str(type), ':content-type': str('application/json') }
    : { ':message-type': str('event'), ':event-type': str(type), ':content-type': str('application/json') };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

export interface BedrockStreamOptions {
  /** An exception message sent after this many messages, instead of the rest. */
  exceptionAfter?: { messages: number; type: string; message: string };
  /** Destroy the socket after this many messages. */
  cutAfter?: number;
}

/** A ConverseStream answer: one message per write, each text word its own delta, tool input in two halves. */
export function bedrockStream(spec: BedrockReplySpec, opts: BedrockStreamOptions = {}): MockReply {
  const messages: Uint8Array[] = [eventStreamMessage('messageStart', { role: 'assistant' })];
  let block = 0;
  const p = 'abcdefghijklmnopqrstuvwxyz';
  if (spec.reasoning) {
    messages.push(eventStreamMessage('contentBlockDelta', { contentBlockIndex: block, delta: { reasoningContent: { text: spec.reasoning.text } }, p }));
    messages.push(eventStreamMessage('contentBlockDelta', { contentBlockIndex: block, delta: { reasoningContent: { signature: spec.reasoning.signature } }, p }));
    messages.push(eventStreamMessage('contentBlockStop', { contentBlockIndex: block++, p }));
  }
  if (spec.text !== undefined) {
    for (const piece of spec.text.match(/\S+\s*/g) ?? []) messages.push(eventStreamMessage('contentBlockDelta', { contentBlockIndex: block, delta: { text: piece }, p }));
    messages.push(eventStreamMessage('contentBlockStop', { contentBlockIndex: block++, p }));
  }
  (spec.toolUses ?? []).forEach((t, i) => {
    const input = JSON.stringify(t.input);
    const half = Math.floor(input.length / 2);
    messages.push(eventStreamMessage('contentBlockStart', { contentBlockIndex: block, start: { toolUse: { toolUseId: t.id ?? `tooluse_mock${i}`, name: t.name } }, p }));
    for (const part of [input.slice(0, half), input.slice(half)]) messages.push(eventStreamMessage('contentBlockDelta', { contentBlockIndex: block, delta: { toolUse: { input: part } }, p }));
    messages.push(eventStreamMessage('contentBlockStop', { contentBlockIndex: block++, p }));
  });
  const { json } = bedrockResponse(spec) as { json: { stopReason: string; usage: unknown; metrics: unknown } };
  messages.push(eventStreamMessage('messageStop', { stopReason: json.stopReason, p }));
  messages.push(eventStreamMessage('metadata', { usage: json.usage, metrics: json.metrics, p }));
  if (opts.exceptionAfter) {
    messages.splice(opts.exceptionAfter.messages, messages.length, eventStreamMessage(opts.exceptionAfter.type, { message: opts.exceptionAfter.message }, true));
  }
  return {
    headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'b6c1a0e2-1111-4a4a-9c9c-000000000002' },
    chunks: messages,
    ...(opts.cutAfter !== undefined && { cutAfter: opts.cutAfter }),
  };
}

export function bedrockError(status: number, name: string, message: string, headers: Record<string, string> = {}): MockReply {
  return { status, headers: { 'x-amzn-errortype': `${name}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...headers }, json: { message } };
}

/** Recomputes the request's SigV4 signature with the mock's secret; true when it matches. */
export async function hasValidSignature(req: RecordedRequest): Promise<boolean> {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!m || m[1] !== BEDROCK_MOCK_CREDENTIALS.accessKeyId || !/^\d{8}T\d{6}Z$/.test(amzDate)) return false;
  const signedNames = m[5]!.split(';');
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const v = req.headers[name];
    if (v === undefined) return false;
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  const [path, query = ''] = req.path.split('?');
  const signer = new SignatureV4({ credentials: BEDROCK_MOCK_CREDENTIALS, region: m[3]!, service: m[4]!, sha256: Sha256, applyChecksum: false });
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const again = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: '127.0.0.1', path: path!, query: Object.fromEntries(new URLSearchParams(query)), headers, body: req.text },
    { signingDate, signableHeaders: new Set(signedNames), unsignableHeaders: new Set(Object.keys(req.headers).filter((h) => !signedNames.includes(h))) },
  );
  return again.headers.authorization === auth;
}

const lastUserText = (body: any): string => {
  const users = (Array.isArray(body?.messages) ? body.messages : []).filter((m: any) => m?.role === 'user');
  const blocks: any[] = users.at(-1)?.content ?? [];
  return blocks.filter((b) => typeof b?.text === 'string').map((b) => b.text).join(' ');
};

/** A deterministic vector per text, components in [-1, 1]. */
export function bedrockMockEmbedding(text: string, dimensions = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => Math.round(((digest[i % 32]! / 255) * 2 - 1) * 1e6) / 1e6);
}

/**
 * InvokeModel for the embedding models, in their own bodies: Titan `{inputText, dimensions}` →
 * `{embedding, inputTextTokenCount}` (tokens = words); Cohere `{texts, input_type}` →
 * `{id, embeddings, texts, response_type}` (v4, asked `embedding_types`: `{embeddings:{float}}`).
 */
export function bedrockInvokeEmbedding(modelId: string, body: any): MockReply {
  if (modelId.includes('amazon.titan-embed')) {
    if (typeof body?.inputText !== 'string') return bedrockError(400, 'ValidationException', 'Malformed input request: #: required key [inputText] not found');
    const dims = typeof body.dimensions === 'number' ? body.dimensions : 8;
    return { json: { embedding: bedrockMockEmbedding(body.inputText, dims), inputTextTokenCount: words(body.inputText) } };
  }
  if (modelId.includes('cohere.embed')) {
    if (!Array.isArray(body?.texts) || typeof body?.input_type !== 'string') return bedrockError(400, 'ValidationException', 'Malformed input request: texts and input_type are required');
    const vectors = (body.texts as string[]).map((t) => bedrockMockEmbedding(`${body.input_type}:${t}`, typeof body.output_dimension === 'number' ? body.output_dimension : 8));
    const byType = Array.isArray(body.embedding_types);
    return { json: { id: 'b6c1a0e2-2222-4a4a-9c9c-00000000e1b0', embeddings: byType ? { float: vectors } : vectors, texts: body.texts, response_type: byType ? 'embeddings_by_type' : 'embeddings_floats' } };
  }
  return bedrockError(400, 'ValidationException', `The provided model identifier is invalid: ${modelId}`);
}

/** Checks auth and the route, then answers with `reply` (default: echo the last user text, streamed on converse-stream). */
export function bedrockMockHandler(reply?: (req: RecordedRequest) => MockReply): MockHandler {
  return async (req) => {
    const bearer = req.headers.authorization === `Bearer ${BEDROCK_MOCK_API_KEY}`;
    if (!bearer && !(await hasValidSignature(req))) {
      return bedrockError(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
    }
    const route = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/.exec(req.path.split('?')[0]!);
    if (req.method !== 'POST' || !route) return bedrockError(404, 'UnknownOperationException', `no operation at ${req.method} ${req.path}`);
    if (route[2] === 'invoke') return reply ? reply(req) : bedrockInvokeEmbedding(decodeURIComponent(route[1]!), req.body);
    if (!Array.isArray(req.body?.messages)) return bedrockError(400, 'ValidationException', 'A conversation must start with a user message.');
    if (reply) return reply(req);
    const text = lastUserText(req.body) || '(nothing to echo)';
    const prompt = words((req.body.messages as any[]).flatMap((m) => (m?.content ?? []).map((b: any) => b?.text ?? '')).join(' '));
    const spec = { text, usage: { inputTokens: prompt, outputTokens: words(text) } };
    return route[2] === 'converse-stream' ? bedrockStream(spec) : bedrockResponse(spec);
  };
}

export async function startBedrockMock(handler: MockHandler = bedrockMockHandler()): Promise<HttpMock> {
  return startHttpMock(handler);
}
