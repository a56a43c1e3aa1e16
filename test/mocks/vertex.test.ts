/**
 * Proves the Vertex mock speaks Vertex's wire format.
 * - Gemini publisher: Google's own SDK, `@google/genai` in Vertex mode (`vertexai: true`, project,
 *   location, the mock as base URL), authenticated by a google-auth-library OAuth2 client holding
 *   an access token — the SDK builds the Vertex URL and the bearer header itself.
 * - Anthropic publisher: `@anthropic-ai/sdk` reads the mock's rawPredict / streamRawPredict answers.
 *   Anthropic's Vertex client (`@anthropic-ai/vertex-sdk`) is not installed, so the request is
 *   rewritten here the way that client documents and does it: model moved from the body into
 *   `…/publishers/anthropic/models/{model}:rawPredict` (`:streamRawPredict` when streaming) and
 *   `anthropic_version: "vertex-2023-10-16"` added to the body.
 */
import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { geminiError, geminiResponse } from './gemini.js';
import { startVertexMock, vertexDefaultHandler, VERTEX_MOCK_LOCATION, VERTEX_MOCK_PROJECT, VERTEX_MOCK_TOKEN, type VertexMock } from './vertex.js';

let mock: VertexMock;
beforeAll(async () => {
  mock = await startVertexMock();
});
afterAll(() => mock.close());
beforeEach(() => mock.setHandler(vertexDefaultHandler));

function genai(token = VERTEX_MOCK_TOKEN, apiVersion?: string): GoogleGenAI {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return new GoogleGenAI({
    vertexai: true,
    project: VERTEX_MOCK_PROJECT,
    location: VERTEX_MOCK_LOCATION,
    httpOptions: { baseUrl: mock.url, ...(apiVersion && { apiVersion }) },
    googleAuthOptions: { authClient },
  });
}
const GEMINI_PATH = `/projects/${VERTEX_MOCK_PROJECT}/locations/${VERTEX_MOCK_LOCATION}/publishers/google/models/gemini-2.5-flash`;

describe('Vertex mock, Gemini publisher, driven by @google/genai in Vertex mode', () => {
  it('generateContent: the SDK\'s Vertex URL and bearer token; echo with usage', async () => {
    const res = await genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'the quick brown fox' });
    expect(res.text).toBe('the quick brown fox');
    expect(res.usageMetadata).toMatchObject({ promptTokenCount: 4, candidatesTokenCount: 4, totalTokenCount: 8 });
    const seen = mock.requests.at(-1)!;
    expect(seen.path).toBe(`/v1beta1${GEMINI_PATH}:generateContent`);
    expect(seen.headers.authorization).toBe(`Bearer ${VERTEX_MOCK_TOKEN}`);
  });

  it('the v1 API the gateway uses is served the same', async () => {
    const res = await genai(VERTEX_MOCK_TOKEN, 'v1').models.generateContent({ model: 'gemini-2.5-flash', contents: 'version one' });
    expect(res.text).toBe('version one');
    expect(mock.requests.at(-1)!.path).toBe(`/v1${GEMINI_PATH}:generateContent`);
  });

  it('generateContentStream: SSE frames from streamGenerateContent?alt=sse, text assembled', async () => {
    const pieces: string[] = [];
    let last: any;
    for await (const chunk of await genai().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'one two three four five six seven' })) {
      pieces.push(chunk.text ?? '');
      last = chunk;
    }
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('one two three four five six seven');
    expect(last.usageMetadata).toMatchObject({ promptTokenCount: 7, candidatesTokenCount: 7 });
    expect(mock.requests.at(-1)!.path).toBe(`/v1beta1${GEMINI_PATH}:streamGenerateContent?alt=sse`);
  });

  it('a function call reply is read as a function call', async () => {
    mock.setHandler(() => geminiResponse({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] }));
    const res = await genai().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'weather?',
      config: { tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'weather' }] }] },
    });
    expect(res.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    expect(mock.requests.at(-1)!.body.tools[0].functionDeclarations[0].name).toBe('get_weather');
  });

  it('errors in Google\'s envelope reach the SDK as its ApiError: a bad token 401, quota 429', async () => {
    const unauth = await genai('ya29.not-issued').models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }).catch((e) => e);
    expect(unauth).toBeInstanceOf(ApiError);
    expect(unauth.status).toBe(401);
    expect(unauth.message).toMatch(/UNAUTHENTICATED/);
    mock.setHandler(() => geminiError(429, 'RESOURCE_EXHAUSTED', 'Resource exhausted. Please try again later.'));
    const quota = await genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' }).catch((e) => e);
    expect(quota).toBeInstanceOf(ApiError);
    expect(quota.status).toBe(429);
    expect(quota.message).toMatch(/RESOURCE_EXHAUSTED/);
  });
});

/** Anthropic's client, its Messages requests rewritten for Vertex as @anthropic-ai/vertex-sdk does. */
function claudeOnVertex(): Anthropic {
  const vertexFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname !== '/v1/messages' || !init?.body) return fetch(input, init);
    const { model, ...body } = JSON.parse(String(init.body));
    const method = body.stream ? 'streamRawPredict' : 'rawPredict';
    const headers = new Headers(init.headers);
    headers.delete('x-api-key');
    headers.set('authorization', `Bearer ${VERTEX_MOCK_TOKEN}`);
    return fetch(`${url.origin}/v1/projects/${VERTEX_MOCK_PROJECT}/locations/${VERTEX_MOCK_LOCATION}/publishers/anthropic/models/${model}:${method}`, {
      ...init,
      headers,
      body: JSON.stringify({ anthropic_version: 'vertex-2023-10-16', ...body }),
    });
  };
  return new Anthropic({ baseURL: mock.url, apiKey: 'unused', maxRetries: 0, fetch: vertexFetch });
}
const CLAUDE_PATH = `/v1/projects/${VERTEX_MOCK_PROJECT}/locations/${VERTEX_MOCK_LOCATION}/publishers/anthropic/models/claude-sonnet-4-5@20250929`;

describe('Vertex mock, Anthropic publisher, read by @anthropic-ai/sdk', () => {
  it('rawPredict: a Messages answer with usage', async () => {
    const msg = await claudeOnVertex().messages.create({ model: 'claude-sonnet-4-5@20250929', max_tokens: 50, messages: [{ role: 'user', content: 'bonjour le monde' }] });
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'bonjour le monde' })]);
    expect(msg.usage).toMatchObject({ input_tokens: 3, output_tokens: 3 });
    const seen = mock.requests.at(-1)!;
    expect(seen.path).toBe(`${CLAUDE_PATH}:rawPredict`);
    expect(seen.body.anthropic_version).toBe('vertex-2023-10-16');
    expect(seen.body.model).toBeUndefined();
  });

  it('streamRawPredict: Anthropic\'s SSE events', async () => {
    const stream = claudeOnVertex().messages.stream({ model: 'claude-sonnet-4-5@20250929', max_tokens: 50, messages: [{ role: 'user', content: 'one two three' }] });
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe('one two three');
    expect(final.stop_reason).toBe('end_turn');
    expect(mock.requests.at(-1)!.path).toBe(`${CLAUDE_PATH}:streamRawPredict`);
  });

  it('refuses the plain Messages body: model in the body, or no vertex anthropic_version', async () => {
    const post = (body: unknown) =>
      fetch(`${mock.url}${CLAUDE_PATH}:rawPredict`, { method: 'POST', headers: { authorization: `Bearer ${VERTEX_MOCK_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const withModel = await post({ anthropic_version: 'vertex-2023-10-16', model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    expect(withModel.status).toBe(400);
    expect(await withModel.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/model: Extra inputs/) } });
    const noVersion = await post({ max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    expect(noVersion.status).toBe(400);
  });
});
