/**
 * A scripted AWS Bedrock runtime (Converse API) on loopback, speaking the REST-JSON wire format
 * `@aws-sdk/client-bedrock-runtime` speaks (proven by bedrock.test.ts):
 * - `POST /model/{modelId}/converse` → `{output:{message}, stopReason, usage, metrics}`;
 * - auth checked as AWS checks it: a SigV4 signature recomputed here with the mock's secret
 *   (`InvalidSignatureException` 403 on a mismatch), or a Bedrock API key as a bearer token;
 * - errors named in `x-amzn-errortype` with `{"message"}` bodies.
 *
 *   const mock = await startBedrockMock();   // echoes the last user text
 *   mock.setHandler(bedrockMockHandler(() => bedrockResponse({ toolUses: [{ name: 'get_weather', input: { city: 'Paris' } }] })));
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
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

/** Checks auth and the route, then answers with `reply` (default: echo the last user text). */
export function bedrockMockHandler(reply?: (req: RecordedRequest) => MockReply): MockHandler {
  return async (req) => {
    const bearer = req.headers.authorization === `Bearer ${BEDROCK_MOCK_API_KEY}`;
    if (!bearer && !(await hasValidSignature(req))) {
      return bedrockError(403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.');
    }
    const route = /^\/model\/([^/]+)\/converse$/.exec(req.path.split('?')[0]!);
    if (req.method !== 'POST' || !route) return bedrockError(404, 'UnknownOperationException', `no operation at ${req.method} ${req.path}`);
    if (!Array.isArray(req.body?.messages)) return bedrockError(400, 'ValidationException', 'A conversation must start with a user message.');
    if (reply) return reply(req);
    const text = lastUserText(req.body) || '(nothing to echo)';
    const prompt = words((req.body.messages as any[]).flatMap((m) => (m?.content ?? []).map((b: any) => b?.text ?? '')).join(' '));
    return bedrockResponse({ text, usage: { inputTokens: prompt, outputTokens: words(text) } });
  };
}

export async function startBedrockMock(handler: MockHandler = bedrockMockHandler()): Promise<HttpMock> {
  return startHttpMock(handler);
}
