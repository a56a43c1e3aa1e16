import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import { convertToAnthropicRequest } from '../anthropic/request.js';
import { convertToGeminiRequest } from '../gemini/request.js';
import { fixturesIn } from '../kit/fixtures.test-helper.js';
import type { ChatRequest, StreamEvent } from '../types.js';
import { publisherOf, vertexEndpoint } from './endpoint.js';
import { parseVertexError, vertexAdapter } from './index.js';

const { fixtureJson, fixtureText } = fixturesIn(new URL('./__fixtures__/', import.meta.url));
const anthropicFixtures = fixturesIn(new URL('../anthropic/__fixtures__/', import.meta.url));
const geminiFixtures = fixturesIn(new URL('../gemini/__fixtures__/', import.meta.url));

const cfg = (over: Partial<ProviderConfig> = {}, options: Record<string, unknown> = {}): ProviderConfig => ({
  name: 'gcp',
  type: 'vertex',
  baseUrl: 'https://{location}-aiplatform.googleapis.com',
  headers: {},
  options: { project: 'my-proj', location: 'europe-west4', access_token: 'ya29.ready', ...options },
  ...over,
});
const chat = (model: string, over: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
  ],
  maxTokens: 64,
  stream: false,
  ...over,
});

describe('vertex endpoint', () => {
  it('Gemini models: the regional host, the project/location/publisher path, generateContent and SSE streaming', () => {
    expect(vertexEndpoint(cfg(), 'chat', 'gemini-2.5-flash', false).url).toBe(
      'https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent',
    );
    expect(vertexEndpoint(cfg(), 'chat', 'gemini-2.5-flash', true).url).toMatch(/\/publishers\/google\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);
  });

  it('Claude models: the anthropic publisher, rawPredict / streamRawPredict, the @version left as sent', () => {
    const model = 'claude-sonnet-4-5@20250929';
    expect(publisherOf(model)).toBe('anthropic');
    expect(vertexEndpoint(cfg(), 'chat', model, false).url).toBe(
      'https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
    );
    expect(vertexEndpoint(cfg(), 'chat', model, true).url).toMatch(/\/publishers\/anthropic\/models\/claude-sonnet-4-5@20250929:streamRawPredict$/);
  });

  it('the global location has no regional prefix; a configured base_url is taken as is', () => {
    expect(vertexEndpoint(cfg({}, { location: 'global' }), 'chat', 'gemini-2.5-pro', false).url).toBe(
      'https://aiplatform.googleapis.com/v1/projects/my-proj/locations/global/publishers/google/models/gemini-2.5-pro:generateContent',
    );
    expect(vertexEndpoint(cfg({ baseUrl: 'http://127.0.0.1:9/' }), 'chat', 'gemini-2.5-pro', false).url).toBe(
      'http://127.0.0.1:9/v1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent',
    );
  });

  it('a model name that would leave its path segment is refused; other operations are not served', () => {
    expect(() => vertexEndpoint(cfg(), 'chat', '../../x', false)).toThrow(/one path segment/);
    expect(() => vertexEndpoint(cfg(), 'chat', 'gemini?alt=x', false)).toThrow(/one path segment/);
    expect(() => vertexEndpoint(cfg(), 'embeddings', 'text-embedding-005', false)).toThrow(/does not support the "embeddings"/);
  });
});

describe('vertex request bodies reuse the publishers\' adapters', () => {
  it('Gemini models: exactly the Gemini adapter\'s body, no key header', () => {
    const req = chat('gemini-2.5-flash', { temperature: 0.5 });
    const up = vertexAdapter.chat.buildRequest(req, cfg());
    expect(JSON.parse(up.body!)).toEqual(JSON.parse(JSON.stringify(convertToGeminiRequest(req, cfg()))));
    expect(up.headers['x-goog-api-key']).toBeUndefined();
    expect(up.headers.authorization).toBeUndefined(); // added per attempt by the credential hook
  });

  it('Claude models: the Anthropic Messages body without model, with anthropic_version vertex-2023-10-16', () => {
    const req = chat('claude-sonnet-4-5@20250929', { stream: true });
    const body = JSON.parse(vertexAdapter.chat.buildRequest(req, cfg()).body!);
    const { model, ...expected } = convertToAnthropicRequest(req, cfg());
    expect(model).toBe('claude-sonnet-4-5@20250929');
    expect(body).toEqual({ anthropic_version: 'vertex-2023-10-16', ...JSON.parse(JSON.stringify(expected)) });
    expect(body.model).toBeUndefined();
    expect(body.stream).toBe(true);
  });

  it('applies a ready access token as a bearer header, and asks for nothing', () => {
    const hook = vertexAdapter.credential!;
    const ready = hook.request(cfg(), new Date());
    expect(ready).toEqual({ token: 'ya29.ready', expiresAt: Infinity });
    const up = hook.apply(vertexAdapter.chat.buildRequest(chat('gemini-2.5-flash'), cfg()), 'ya29.ready');
    expect(up.headers.authorization).toBe('Bearer ya29.ready');
  });
});

describe('vertex answers are read by the publisher\'s own reader', () => {
  it('a Vertex generateContent answer (createTime, trafficType) reads like Gemini\'s', () => {
    const res = vertexAdapter.chat.parseResponse(fixtureJson('gemini-generate-content.handmade.json'), chat('gemini-2.5-flash'));
    expect(res.content).toEqual([{ type: 'text', text: 'Paris is the capital of France.' }]);
    expect(res.finish.unified).toBe('stop');
    expect(res.usage).toMatchObject({ inputTokens: 8, outputTokens: 22, reasoningTokens: 15 });
  });

  it('a rawPredict answer reads like Anthropic\'s Messages answer', () => {
    const res = vertexAdapter.chat.parseResponse(anthropicFixtures.fixtureJson('anthropic-response-text-usage.json'), chat('claude-sonnet-4-5@20250929'));
    expect(res.content[0]).toMatchObject({ type: 'text' });
    expect(res.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('streams: Gemini frames for Gemini models, Anthropic events for Claude models', () => {
    const run = (model: string, frames: ReturnType<typeof anthropicFixtures.fixtureFrames>): StreamEvent[] => {
      const m = vertexAdapter.chat.stream;
      const s = m.init(chat(model, { stream: true }));
      return [...frames.flatMap((f) => m.step(s, f)), ...m.end(s)];
    };
    const text = (events: StreamEvent[]) => events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    const claude = run('claude-sonnet-4-5', anthropicFixtures.fixtureFrames('anthropic-stream-text.sse'));
    const gemini = run('gemini-2.5-flash', geminiFixtures.fixtureFrames('gemini-stream-text.sse'));
    expect(text(claude).length).toBeGreaterThan(0);
    expect(text(gemini).length).toBeGreaterThan(0);
    expect(claude.some((e) => e.type === 'finish')).toBe(true);
    expect(gemini.some((e) => e.type === 'finish')).toBe(true);
    expect(claude.some((e) => e.type === 'error')).toBe(false);
    expect(gemini.some((e) => e.type === 'error')).toBe(false);
  });

  it('the publisher is read from the answer, not the (possibly aliased) model name the engine hands over', () => {
    const claude = vertexAdapter.chat.parseResponse(anthropicFixtures.fixtureJson('anthropic-response-text-usage.json'), chat('smart-alias'));
    expect(claude.content[0]).toMatchObject({ type: 'text' });
    const m = vertexAdapter.chat.stream;
    const s = m.init(chat('smart-alias', { stream: true }));
    const events = [...anthropicFixtures.fixtureFrames('anthropic-stream-text.sse').flatMap((f) => m.step(s, f)), ...m.end(s)];
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(events.some((e) => e.type === 'finish')).toBe(true);
    // No frame at all: a cut-short error either way.
    const empty = m.init(chat('vertex-claude/claude-sonnet-4-5', { stream: true }));
    expect(m.end(empty).at(-1)?.type).toBe('error');
  });

  it('usage of a non-stream body of either publisher', () => {
    expect(vertexAdapter.usageFromBody(fixtureJson('gemini-generate-content.handmade.json'))).toMatchObject({ inputTokens: 8 });
    expect(vertexAdapter.usageFromBody({ usage: { input_tokens: 3, output_tokens: 4 } })).toMatchObject({ inputTokens: 3, outputTokens: 4 });
  });
});

describe('vertex errors', () => {
  const err = (status: number, name: string, headers = {}) => parseVertexError({ status, body: fixtureText(name), headers });

  it('Google\'s envelope maps like Gemini: quota → 429, denied or unauthenticated → the gateway\'s credential failed (502)', () => {
    expect(err(429, 'error-resource-exhausted.handmade.json', { 'retry-after': '7' })).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfter: 7 });
    expect(err(403, 'error-permission-denied.handmade.json')).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
    const unauth = err(401, 'error-unauthenticated.handmade.json');
    expect(unauth).toMatchObject({ status: 502, code: 'upstream_auth_failed' });
    expect(unauth.message).toMatch(/UNAUTHENTICATED/);
    expect(err(404, 'error-resource-exhausted.handmade.json').status).toBe(404);
  });

  it('an error Claude raises keeps Anthropic\'s mapping (overloaded → 503)', () => {
    expect(err(529, 'claude-overloaded.handmade.json')).toMatchObject({ status: 503, code: 'upstream_overloaded' });
  });

  it('an unreadable body is quoted cut short, with a bearer token in it masked', () => {
    const shape = parseVertexError({ status: 500, body: 'upstream echoed Authorization: Bearer ya29.a0AfH6SMBxyz1234567890', headers: {} });
    expect(shape.status).toBe(502);
    expect(shape.message).not.toContain('ya29.a0AfH6SMBxyz1234567890');
  });
});
