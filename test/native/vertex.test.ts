/**
 * Vertex AI through the Anthropic SDK (`/v1/messages`): the gateway → the vertex adapter → the
 * loopback Vertex mock (test/mocks/vertex.ts, proven by @google/genai), for both publishers —
 * Claude (rawPredict / streamRawPredict) and Gemini (generateContent). The openai SDK side of
 * both publishers runs in the conformance table (conformance.test.ts, kinds `vertex` and
 * `vertex-claude`). Costs are computed by hand from Vertex's published prices: Claude Sonnet 4.5
 * $3 in / $15 out per Mtok, Gemini 2.5 Flash $0.30 in / $2.50 out.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicMessage, anthropicStream } from '../mocks/anthropic.js';
import { geminiError, geminiResponse, geminiStream } from '../mocks/gemini.js';
import { startVertexMock, vertexDefaultHandler, VERTEX_MOCK_PROJECT, VERTEX_MOCK_TOKEN, type VertexMock } from '../mocks/vertex.js';
import { expectedNanos, PNG_BASE64, recordOf } from './helpers.js';

const CLAUDE = 'claude-sonnet-4-5@20250929';
const PREFIX = `/v1/projects/${VERTEX_MOCK_PROJECT}/locations/europe-west4/publishers`;
let mock: VertexMock;
let gw: TestGateway;
let claude: Anthropic;

beforeAll(async () => {
  mock = await startVertexMock();
  gw = await startGateway(`providers:
  vertex: { type: vertex, base_url: "${mock.url}", project: ${VERTEX_MOCK_PROJECT}, location: europe-west4, access_token: "${VERTEX_MOCK_TOKEN}" }
`);
  claude = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
beforeEach(() => mock.setHandler(vertexDefaultHandler));

const lastSent = () => mock.requests.at(-1)!;
const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];

describe.each([
  { publisher: 'Claude', model: `vertex/${CLAUDE}`, path: `${PREFIX}/anthropic/models/${CLAUDE}` },
  { publisher: 'Gemini', model: 'vertex/gemini-2.5-flash', path: `${PREFIX}/google/models/gemini-2.5-flash` },
])('Vertex $publisher through the Anthropic SDK (/v1/messages)', ({ publisher, model, path }) => {
  const isClaude = publisher === 'Claude';

  it('text: the echo, the publisher\'s URL in the configured location, the bearer token', async () => {
    const msg = await claude.messages.create({ model, max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'hello from anthropic sdk' }] });
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'hello from anthropic sdk' })]);
    expect(msg.stop_reason).toBe('end_turn');
    const sent = lastSent();
    expect(sent.path).toBe(`${path}:${isClaude ? 'rawPredict' : 'generateContent'}`);
    expect(sent.headers.authorization).toBe(`Bearer ${VERTEX_MOCK_TOKEN}`);
    if (isClaude) expect(sent.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', max_tokens: 64, system: [{ type: 'text', text: 'Be brief.' }] });
    else expect(sent.body).toMatchObject({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, generationConfig: { maxOutputTokens: 64 } });
  });

  it('stream: text deltas, the final usage', async () => {
    mock.setHandler(() =>
      isClaude
        ? anthropicStream({ text: 'ciao a tutti', usage: { input_tokens: 6, output_tokens: 3 } })
        : geminiStream({ text: 'ciao a tutti', usage: { promptTokenCount: 6, candidatesTokenCount: 3 } }),
    );
    const stream = claude.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe('ciao a tutti');
    expect(final.usage).toMatchObject({ output_tokens: 3 });
    expect(lastSent().path).toBe(`${path}:${isClaude ? 'streamRawPredict' : 'streamGenerateContent?alt=sse'}`);
  });

  it('tool round trip: the call comes back as tool_use, its result goes up in the publisher\'s shape', async () => {
    mock.setHandler(() =>
      isClaude
        ? anthropicMessage({ toolUses: [{ id: 'toolu_V1', name: 'get_weather', input: { city: 'Rome' } }] })
        : geminiResponse({ functionCalls: [{ name: 'get_weather', args: { city: 'Rome' } }] }),
    );
    const first = await claude.messages.create({ model, max_tokens: 64, tools, messages: [{ role: 'user', content: 'Weather in Rome?' }] });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use')!;
    expect(call).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Rome' } });
    if (isClaude) expect(call.id).toBe('toolu_V1');
    mock.setHandler(() => (isClaude ? anthropicMessage({ text: 'Warm.' }) : geminiResponse({ text: 'Warm.' })));
    const second = await claude.messages.create({
      model,
      max_tokens: 64,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Rome?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '25°C' }] },
      ],
    });
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'Warm.' })]);
    const body = lastSent().body;
    if (isClaude) {
      expect(body.tools).toEqual([{ name: 'get_weather', description: 'Weather', input_schema: tools[0]!.input_schema }]);
      expect(body.messages[2].content).toEqual([expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_V1' })]);
    } else {
      expect(body.tools[0].functionDeclarations[0].name).toBe('get_weather');
      expect(body.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: '25°C' } } }] });
    }
  });

  it('images: a base64 image goes up in the publisher\'s image shape', async () => {
    await claude.messages.create({
      model,
      max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } }] }],
    });
    const body = lastSent().body;
    if (isClaude) expect(body.messages[0].content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } });
    else expect(body.contents[0].parts[1]).toEqual({ inlineData: { mimeType: 'image/png', data: PNG_BASE64 } });
  });

  it('usage and cost: Vertex\'s catalog prices, computed by hand, on the record', async () => {
    mock.setHandler(() =>
      isClaude
        ? anthropicMessage({ text: 'priced', usage: { input_tokens: 1200, output_tokens: 340 } })
        : geminiResponse({ text: 'priced', usage: { promptTokenCount: 1000, candidatesTokenCount: 200 } }),
    );
    const { data, response } = await claude.messages.create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'price me' }] }).withResponse();
    const lines: Array<[number, number]> = isClaude
      ? [
          [1200, 3],
          [340, 15],
        ]
      : [
          [1000, 0.3],
          [200, 2.5],
        ];
    const nanos = expectedNanos(lines);
    expect(nanos).toBe(isClaude ? 8_700_000 : 800_000);
    expect(data.usage).toMatchObject(isClaude ? { input_tokens: 1200, output_tokens: 340 } : { input_tokens: 1000, output_tokens: 200 });
    const rec = await recordOf(gw, response.headers.get('x-request-id'));
    expect(rec).toMatchObject({ provider: 'vertex', model: model.slice('vertex/'.length), costNanos: nanos, estimated: false, status: 200 });
  });
});

describe('Vertex models', () => {
  it('GET /v1/models lists the Vertex catalog\'s Gemini and Claude models under the provider\'s name', async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(200);
    const ids = ((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['vertex/gemini-2.5-flash', `vertex/${CLAUDE}`]));
  });
});

describe('Vertex errors (Google\'s envelope) through the Anthropic SDK', () => {
  const ask = () => claude.messages.create({ model: `vertex/${CLAUDE}`, max_tokens: 16, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);

  it('RESOURCE_EXHAUSTED 429 → 429 rate_limit_error, its retry-after kept', async () => {
    mock.setHandler(() => geminiError(429, 'RESOURCE_EXHAUSTED', 'Resource exhausted. Please try again later.', { headers: { 'retry-after': '9' } }));
    const err = await ask();
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.status).toBe(429);
    expect(err.error.error.type).toBe('rate_limit_error');
    expect(err.headers.get('retry-after')).toBe('9');
  });

  it('PERMISSION_DENIED 403 and UNAUTHENTICATED 401 → 502: the gateway\'s credentials, not the client\'s fault', async () => {
    for (const [status, rpc] of [
      [403, 'PERMISSION_DENIED'],
      [401, 'UNAUTHENTICATED'],
    ] as const) {
      mock.setHandler(() => geminiError(status, rpc, `Permission 'aiplatform.endpoints.predict' denied (token ${VERTEX_MOCK_TOKEN})`));
      const err = await ask();
      expect(err.status).toBe(502);
      expect(err.message).toMatch(new RegExp(`vertex: upstream rejected the gateway's credentials: .*${rpc}`));
      expect(err.message).not.toContain(VERTEX_MOCK_TOKEN);
    }
  });

  it('NOT_FOUND 404 (a model Vertex does not serve) → 404', async () => {
    mock.setHandler(() => geminiError(404, 'NOT_FOUND', `Publisher Model \`projects/${VERTEX_MOCK_PROJECT}/locations/europe-west4/publishers/anthropic/models/${CLAUDE}\` not found.`));
    const err = await ask();
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/not found/);
  });
});
