/**
 * `POST /providers/{name}/…` (src/surfaces/native): a native request forwarded byte for byte to
 * one configured provider — OpenAI format, Anthropic, Gemini and SigV4-signed Bedrock, each
 * against its loopback mock — with the provider's auth, under the same key auth, budget
 * reservation and ledger as /v1. Costs are computed by hand from the catalog's published prices:
 * gpt-4o $2.50/$10, claude-sonnet-4-5 $3/$15, gemini-2.5-flash $0.30/$2.50, Bedrock's
 * anthropic.claude-3-5-sonnet-20240620-v1:0 $3/$15 per Mtok (tokens × $/Mtok = µ$; × 1000 = n$).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetTeam, ledgerOf, post } from '../helpers/budget.js';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { anthropicMessage, anthropicStream, startAnthropicMock } from '../mocks/anthropic.js';
import { BEDROCK_MOCK_CREDENTIALS, BEDROCK_MOCK_REGION, bedrockMockHandler, bedrockResponse, bedrockStream, hasValidSignature, startBedrockMock } from '../mocks/bedrock.js';
import { geminiResponse, geminiStream, startGeminiMock } from '../mocks/gemini.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { openaiCompletion, openaiError, openaiResponseBody, openaiStream, startOpenAIMock } from '../mocks/openai.js';

const OAI_KEY = 'sk-oai-provider-secret-0123456789';
const ANT_KEY = 'sk-ant-provider-secret-0123456789';
const GEM_KEY = 'gem-provider-secret-0123456789';
const BEDROCK_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

let openai: HttpMock;
let anthropic: HttpMock;
let gemini: HttpMock;
let bedrock: HttpMock;
let gw: Instance;
let tmp: ReturnType<typeof tempDir>;
let team: { teamId: string; key: string };

beforeAll(async () => {
  [openai, anthropic, gemini, bedrock] = await Promise.all([
    startOpenAIMock(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 12, completion_tokens: 5 } })),
    startAnthropicMock(),
    startGeminiMock(),
    startBedrockMock(),
  ]);
  tmp = tempDir();
  const { accessKeyId, secretAccessKey } = BEDROCK_MOCK_CREDENTIALS;
  gw = await startInstance(
    `
providers:
  oai:    { type: openai, api_key: "${OAI_KEY}", base_url: "${openai.url}/v1" }
  claude: { type: anthropic, api_key: "${ANT_KEY}", base_url: "${anthropic.url}" }
  gem:    { type: gemini, api_key: "${GEM_KEY}", base_url: "${gemini.url}" }
  aws:    { type: bedrock, base_url: "${bedrock.url}", region: ${BEDROCK_MOCK_REGION}, access_key_id: ${accessKeyId}, secret_access_key: "${secretAccessKey}" }
`,
    { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` },
  );
  team = await budgetTeam(gw.url, 'native', 10_000_000_000); // $10
});
afterAll(async () => {
  await gw?.close(1000);
  await Promise.all([openai?.close(), anthropic?.close(), gemini?.close(), bedrock?.close()]);
  tmp?.remove();
});

/** The newest usage record of the team (admin API). */
async function lastRecord(teamId = team.teamId): Promise<any> {
  const r = await adminCall(gw.url, 'GET', `/admin/usage/records?team_id=${teamId}&limit=1`);
  expect(r.status).toBe(200);
  return r.json.data[0];
}

const upstreamCalls = () => openai.requests.length + anthropic.requests.length + gemini.requests.length + bedrock.requests.length;

describe('OpenAI format', () => {
  it('forwards the body byte for byte with the provider key, returns the answer unchanged, records the cost', async () => {
    // Odd spacing and key order: a re-serialised body would differ.
    const body = '{ "messages":[{"role":"user","content":"hi"}],   "model":"gpt-4o", "max_tokens": 50 }';
    const res = await post(gw.url, '/providers/oai/chat/completions', team.key, body);
    expect(res.status, res.text).toBe(200);
    const sent = openai.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.text).toBe(body);
    expect(sent.headers.authorization).toBe(`Bearer ${OAI_KEY}`);
    expect(res.text).toBe(JSON.stringify(openaiCompletion({ text: 'ok', usage: { prompt_tokens: 12, completion_tokens: 5 } }).json));
    // 12 × $2.50 + 5 × $10 per Mtok = 30 + 50 µ$ = 80,000 n$
    const rec = await lastRecord();
    expect(rec).toMatchObject({ provider: 'oai', model: 'gpt-4o', route: 'providers/oai', input_tokens: 12, output_tokens: 5, cost_nanos: 80_000, status: 200, estimated: false });
    expect(res.headers.get('x-tollgate-cost-usd')).toBe('0.000080');
  });

  it('streams the bytes through and reads the usage from the stream', async () => {
    const frames = openaiStream({ text: 'a b c', usage: { prompt_tokens: 7, completion_tokens: 3 } }).sse!;
    openai.setHandler(() => openaiStream({ frames }));
    const res = await post(gw.url, '/providers/oai/chat/completions', team.key, { model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
    openai.setHandler(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 12, completion_tokens: 5 } }));
    expect(res.status).toBe(200);
    expect(res.text).toBe(frames.join(''));
    // 7 × 2.5 + 3 × 10 = 47.5 µ$
    expect(await lastRecord()).toMatchObject({ input_tokens: 7, output_tokens: 3, cost_nanos: 47_500, status: 200 });
  });
});

describe('OpenAI format: the Responses API', () => {
  it('responses: recorded as kind responses, usage from the response object', async () => {
    openai.setHandler(() => ({ json: openaiResponseBody('one two three', 'gpt-4o', 40) }));
    const res = await post(gw.url, '/providers/oai/responses', team.key, { model: 'gpt-4o', input: 'hi', max_output_tokens: 50 });
    openai.setHandler(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 12, completion_tokens: 5 } }));
    expect(res.status).toBe(200);
    expect(openai.requests.at(-1)!.path).toBe('/v1/responses');
    expect(res.json.output[0].content[0].text).toBe('one two three');
    // 40 × $2.50 + 3 × $10 per Mtok = 100 + 30 µ$
    expect(await lastRecord()).toMatchObject({ kind: 'responses', input_tokens: 40, output_tokens: 3, cost_nanos: 130_000 });
  });
});

describe('Anthropic', () => {
  it('v1/messages with the x-api-key of the provider, usage from the answer', async () => {
    anthropic.setHandler(() => anthropicMessage({ text: 'hello', model: 'claude-sonnet-4-5', usage: { input_tokens: 20, output_tokens: 10 } }));
    const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const res = await post(gw.url, '/providers/claude/v1/messages', team.key, body, { 'anthropic-beta': 'prompt-caching-2024-07-31' });
    expect(res.status).toBe(200);
    const sent = anthropic.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.text).toBe(body);
    expect(sent.headers['x-api-key']).toBe(ANT_KEY);
    expect(sent.headers['anthropic-beta']).toContain('prompt-caching-2024-07-31');
    expect(res.json.content[0].text).toBe('hello');
    // 20 × $3 + 10 × $15 per Mtok = 60 + 150 µ$
    expect(await lastRecord()).toMatchObject({ provider: 'claude', model: 'claude-sonnet-4-5', input_tokens: 20, output_tokens: 10, cost_nanos: 210_000 });
  });

  it('a stream: the events pass through, the usage is read from message_start and message_delta', async () => {
    anthropic.setHandler(() => anthropicStream({ text: 'one two', model: 'claude-sonnet-4-5', usage: { input_tokens: 30, output_tokens: 4 } }));
    const res = await post(gw.url, '/providers/claude/v1/messages', team.key, { model: 'claude-sonnet-4-5', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(res.text).toBe(anthropicStream({ text: 'one two', model: 'claude-sonnet-4-5', usage: { input_tokens: 30, output_tokens: 4 } }).sse!.join(''));
    // 30 × 3 + 4 × 15 = 150 µ$
    expect(await lastRecord()).toMatchObject({ input_tokens: 30, output_tokens: 4, cost_nanos: 150_000, estimated: false });
  });
});

describe('Gemini', () => {
  it('the model from the path, the key in x-goog-api-key, usage from usageMetadata', async () => {
    gemini.setHandler(() => geminiResponse({ text: 'salut', usage: { promptTokenCount: 100, candidatesTokenCount: 40 } }));
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 64 } });
    const res = await post(gw.url, '/providers/gem/v1beta/models/gemini-2.5-flash:generateContent', team.key, body);
    expect(res.status).toBe(200);
    const sent = gemini.requests.at(-1)!;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.text).toBe(body);
    expect(sent.headers['x-goog-api-key']).toBe(GEM_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    // 100 × $0.30 + 40 × $2.50 per Mtok = 30 + 100 µ$
    expect(await lastRecord()).toMatchObject({ provider: 'gem', model: 'gemini-2.5-flash', input_tokens: 100, output_tokens: 40, cost_nanos: 130_000 });
  });

  it('streamGenerateContent goes out as SSE (alt=sse) and its last chunk’s usage is billed', async () => {
    gemini.setHandler(() => geminiStream({ text: 'a b c d', usage: { promptTokenCount: 10, candidatesTokenCount: 8 } }));
    const res = await post(gw.url, '/providers/gem/v1beta/models/gemini-2.5-flash:streamGenerateContent', team.key, { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    expect(res.status).toBe(200);
    expect(gemini.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(res.text).toBe(geminiStream({ text: 'a b c d', usage: { promptTokenCount: 10, candidatesTokenCount: 8 } }).sse!.join(''));
    // 10 × 0.3 + 8 × 2.5 = 23 µ$
    expect(await lastRecord()).toMatchObject({ input_tokens: 10, output_tokens: 8, cost_nanos: 23_000 });
  });
});

describe('Bedrock', () => {
  const path = `/providers/aws/model/${encodeURIComponent(BEDROCK_ID)}`;

  it('converse: SigV4-signed over the forwarded bytes (the mock recomputes the signature), usage from the answer', async () => {
    bedrock.setHandler(bedrockMockHandler(() => bedrockResponse({ text: 'hola', usage: { inputTokens: 50, outputTokens: 20 } })));
    const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 100 } });
    const res = await post(gw.url, `${path}/converse`, team.key, body);
    expect(res.status).toBe(200);
    const sent = bedrock.requests.at(-1)!;
    expect(sent.path).toBe(`/model/${encodeURIComponent(BEDROCK_ID)}/converse`);
    expect(sent.text).toBe(body);
    expect(await hasValidSignature(sent)).toBe(true);
    expect(res.json.output.message.content[0].text).toBe('hola');
    // 50 × $3 + 20 × $15 per Mtok = 150 + 300 µ$
    expect(await lastRecord()).toMatchObject({ provider: 'aws', model: BEDROCK_ID, input_tokens: 50, output_tokens: 20, cost_nanos: 450_000 });
  });

  it('converse-stream: the binary event stream passes through unchanged, usage from its metadata event', async () => {
    const reply = bedrockStream({ text: 'uno dos', usage: { inputTokens: 9, outputTokens: 2 } });
    bedrock.setHandler(bedrockMockHandler(() => reply));
    const res = await fetch(`${gw.url}${path}/converse-stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${team.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.concat(reply.chunks!))).toBe(true);
    expect(await hasValidSignature(bedrock.requests.at(-1)!)).toBe(true);
    // 9 × 3 + 2 × 15 = 57 µ$
    expect(await lastRecord()).toMatchObject({ input_tokens: 9, output_tokens: 2, cost_nanos: 57_000 });
  });
});

describe('the providers’ own SDKs, pointed at /providers/{name}', () => {
  it('openai: chat through the native route, the SDK parses the untouched answer', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/providers/oai`, apiKey: team.key, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.choices[0]!.message.content).toBe('ok');
    expect(openai.requests.at(-1)!.headers.authorization).toBe(`Bearer ${OAI_KEY}`);
    expect(await lastRecord()).toMatchObject({ provider: 'oai', input_tokens: 12, output_tokens: 5, cost_nanos: 80_000 });
  });

  it('anthropic: a streamed message through the native route (the tollgate key in x-api-key), billed from the stream', async () => {
    anthropic.setHandler(() => anthropicStream({ text: 'streamed hello', model: 'claude-sonnet-4-5', usage: { input_tokens: 11, output_tokens: 2 } }));
    const client = new Anthropic({ baseURL: `${gw.url}/providers/claude`, apiKey: team.key, maxRetries: 0 });
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'streamed hello' });
    expect(anthropic.requests.at(-1)!.headers['x-api-key']).toBe(ANT_KEY);
    // 11 × $3 + 2 × $15 per Mtok = 33 + 30 µ$
    expect(await lastRecord()).toMatchObject({ provider: 'claude', input_tokens: 11, output_tokens: 2, cost_nanos: 63_000 });
  });
});

describe('the same limits as /v1', () => {
  it('a request whose worst case exceeds the budget is refused before any upstream call, on every dialect', async () => {
    // $0.01: gpt-4o's 16,384 output tokens alone are $0.16; claude-sonnet-4-5 at max_tokens 4,000 is $0.06.
    const poor = await budgetTeam(gw.url, 'native-poor', 10_000_000);
    const before = upstreamCalls();
    const cases: [string, object][] = [
      ['/providers/oai/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }],
      ['/providers/oai/chat/completions', { model: 'gpt-4o', max_tokens: 2_000, n: 2, messages: [{ role: 'user', content: 'hi' }] }],
      ['/providers/claude/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 4_000, messages: [{ role: 'user', content: 'hi' }] }],
      ['/providers/gem/v1beta/models/gemini-2.5-pro:generateContent', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }],
      [`/providers/aws/model/${encodeURIComponent(BEDROCK_ID)}/converse`, { messages: [{ role: 'user', content: [{ text: 'hi' }] }] }],
    ];
    for (const [path, body] of cases) {
      const r = await post(gw.url, path, poor.key, body);
      expect(r.status, path).toBe(429);
      expect(r.json.error.code, path).toBe('insufficient_quota');
    }
    expect(upstreamCalls()).toBe(before);
    expect((await ledgerOf(gw.url, poor.teamId)).nanos).toBe(0);
    // A small enough ask fits: 10 × $10/Mtok of output is far below the budget.
    const ok = await post(gw.url, '/providers/oai/chat/completions', poor.key, { model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.status).toBe(200);
  });

  it('an output cap that is not a whole number, or more than the model produces, is a 400 naming the field; nothing is sent', async () => {
    const before = upstreamCalls();
    const inf = await post(gw.url, '/providers/claude/v1/messages', team.key, '{"model":"claude-sonnet-4-5","max_tokens":1e400,"messages":[{"role":"user","content":"hi"}]}');
    expect(inf.status).toBe(400);
    expect(inf.json.error.param).toBe('max_tokens');
    const over = await post(gw.url, '/providers/gem/v1beta/models/gemini-2.5-flash:generateContent', team.key, { contents: [], generationConfig: { maxOutputTokens: 10_000_000 } });
    expect(over.status).toBe(400);
    expect(over.json.error.param).toBe('generationConfig.maxOutputTokens');
    const n = await post(gw.url, '/providers/oai/chat/completions', team.key, { model: 'gpt-4o', n: 1e9, messages: [] });
    expect(n.status).toBe(400);
    expect(n.json.error.param).toBe('n');
    // A model name with a line break (it would go into a response header) or none at all.
    for (const [path, body] of [
      ['/providers/oai/chat/completions', { model: 'gpt-4o\r\nx-injected: 1', messages: [] }],
      ['/providers/oai/chat/completions', { messages: [] }],
      [`/providers/gem/v1beta/models/${encodeURIComponent('bad\nmodel')}:generateContent`, { contents: [] }],
    ] as const) {
      const r = await post(gw.url, path, team.key, body);
      expect(r.status, path).toBe(400);
      expect(r.json.error.param).toBe('model');
    }
    expect(upstreamCalls()).toBe(before);
  });

  it('no key, or a wrong one, is a 401 and nothing is forwarded', async () => {
    const before = upstreamCalls();
    const none = await fetch(`${gw.url}/providers/oai/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"gpt-4o","messages":[]}' });
    expect(none.status).toBe(401);
    const wrong = await post(gw.url, '/providers/oai/chat/completions', 'tg_not_a_real_key_0123456789', { model: 'gpt-4o', messages: [] });
    expect(wrong.status).toBe(401);
    expect(upstreamCalls()).toBe(before);
  });

  it('an unknown provider, and a path outside the allow-list, are 404s that reach no upstream', async () => {
    const before = upstreamCalls();
    const unknown = await post(gw.url, '/providers/nosuch/chat/completions', team.key, { model: 'gpt-4o', messages: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain("'nosuch'");
    for (const path of ['/providers/oai/files', '/providers/oai/../admin/keys', '/providers/oai/chat/completions/..%2F..%2Fadmin', '/providers/claude/v1/complete', '/providers/gem/v1beta/models/x:countTokens', '/providers/aws/model/x/invoke']) {
      const r = await post(gw.url, path, team.key, { model: 'gpt-4o', messages: [] });
      expect([400, 404], path).toContain(r.status);
    }
    expect(upstreamCalls()).toBe(before);
  });

  it('never echoes a provider secret: an upstream error quoting the key reaches the client and the ledger scrubbed', async () => {
    openai.setHandler(() => openaiError(401, `Incorrect API key provided: ${OAI_KEY}.`, 'invalid_request_error', 'invalid_api_key'));
    const res = await post(gw.url, '/providers/oai/chat/completions', team.key, { model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    openai.setHandler(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 12, completion_tokens: 5 } }));
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe('upstream_auth_failed');
    expect(res.text).not.toContain(OAI_KEY);
    expect(res.text).not.toContain(OAI_KEY.slice(0, 12));
    for (const [, v] of res.headers) expect(v).not.toContain(OAI_KEY.slice(0, 12));
    expect(await lastRecord()).toMatchObject({ status: 502, cost_nanos: 0 });
    // Answers carry no credential either.
    const ok = await post(gw.url, '/providers/oai/chat/completions', team.key, { model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.status).toBe(200);
    for (const [, v] of ok.headers) expect(v).not.toContain(OAI_KEY.slice(0, 12));
  });
});
