/**
 * Proves the Gemini mock speaks the real wire format: Google's own SDK (@google/generative-ai)
 * talks to it and reads every reply.
 */
import { GoogleGenerativeAI, GoogleGenerativeAIFetchError } from '@google/generative-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpMock } from './http-mock.js';
import {
  geminiDefaultHandler,
  geminiError,
  geminiResponse,
  geminiStream,
  GEMINI_MOCK_INVALID_KEY,
  mockEmbedding,
  startGeminiMock,
} from './gemini.js';

let mock: HttpMock;
const KEY = 'AIza-mock-key';
const model = (name = 'gemini-2.5-flash', key = KEY) => new GoogleGenerativeAI(key).getGenerativeModel({ model: name }, { baseUrl: mock.url });

beforeAll(async () => {
  mock = await startGeminiMock();
});
afterAll(() => mock.close());
beforeEach(() => mock.setHandler(geminiDefaultHandler));

describe('Gemini mock, driven by the official SDK', () => {
  it('generateContent: echo with deterministic usage, key sent in x-goog-api-key', async () => {
    const res = await model().generateContent('the quick brown fox');
    expect(res.response.text()).toBe('the quick brown fox');
    expect(res.response.usageMetadata).toMatchObject({ promptTokenCount: 4, candidatesTokenCount: 4, totalTokenCount: 8 });
    expect(res.response.candidates?.[0]?.finishReason).toBe('STOP');
    const seen = mock.requests.at(-1)!;
    expect(seen.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(seen.headers['x-goog-api-key']).toBe(KEY);
    expect(seen.path).not.toContain('key=');
  });

  it('generateContentStream (LF framing): text assembled, usage from the last chunk', async () => {
    const res = await model().generateContentStream('one two three four five six seven');
    const pieces: string[] = [];
    for await (const chunk of res.stream) pieces.push(chunk.text());
    expect(pieces.length).toBeGreaterThan(1); // really streamed in several frames
    expect(pieces.join('')).toBe('one two three four five six seven');
    const final = await res.response;
    expect(final.usageMetadata).toMatchObject({ promptTokenCount: 7, candidatesTokenCount: 7 });
    expect(mock.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('generateContentStream with CRLF framing and no [DONE]', async () => {
    const reply = geminiStream({ text: 'The capital of Wyoming is Cheyenne.', usage: { promptTokenCount: 7 } }, { crlf: true });
    expect(reply.sse!.every((f) => f.endsWith('\r\n\r\n'))).toBe(true);
    expect(reply.sse!.some((f) => f.includes('[DONE]'))).toBe(false);
    mock.setHandler(() => reply);
    const res = await model().generateContentStream('q');
    let text = '';
    for await (const chunk of res.stream) text += chunk.text();
    expect(text).toBe('The capital of Wyoming is Cheyenne.');
    expect((await res.response).candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('a function-call reply (with a thought signature) is read as a function call ending in STOP', async () => {
    mock.setHandler(() =>
      geminiResponse({ thoughts: 'I need the date.', functionCalls: [{ name: 'now', args: { tz: 'UTC' }, thoughtSignature: 'c2ln' }], usage: { promptTokenCount: 38 } }),
    );
    const res = await model().generateContent({
      contents: [{ role: 'user', parts: [{ text: 'days to NYE?' }] }],
      tools: [{ functionDeclarations: [{ name: 'now', description: 'current time' }] }],
    });
    expect(res.response.functionCalls()).toEqual([{ name: 'now', args: { tz: 'UTC' } }]);
    expect(res.response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(res.response.usageMetadata).toMatchObject({ promptTokenCount: 38, candidatesTokenCount: 1, totalTokenCount: 38 + 1 + 4 });
    expect(mock.requests.at(-1)!.body.tools[0].functionDeclarations[0].name).toBe('now');
  });

  it('a function call in a stream arrives whole', async () => {
    mock.setHandler(() => geminiStream({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] }, { crlf: true }));
    const res = await model().generateContentStream('weather?');
    for await (const _ of res.stream) {
      // drain
    }
    expect((await res.response).functionCalls()).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
  });

  it('countTokens: totalTokens for contents, or for a whole generateContentRequest (system included)', async () => {
    expect((await model().countTokens('one two three')).totalTokens).toBe(3);
    const whole = await model().countTokens({
      generateContentRequest: { contents: [{ role: 'user', parts: [{ text: 'one two' }] }], systemInstruction: { role: 'system', parts: [{ text: 'be brief' }] } },
    });
    expect(whole.totalTokens).toBe(4);
    expect(mock.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(mock.requests.at(-1)!.body.generateContentRequest.model).toBe('models/gemini-2.5-flash');
  });

  it('embedContent and batchEmbedContents return deterministic vectors', async () => {
    const m = model('text-embedding-004');
    const one = await m.embedContent('hello world');
    expect(one.embedding.values).toEqual(mockEmbedding('hello world'));
    const batch = await m.batchEmbedContents({
      requests: [
        { content: { role: 'user', parts: [{ text: 'hello world' }] } },
        { content: { role: 'user', parts: [{ text: 'other' }] } },
      ],
    });
    expect(batch.embeddings.map((e) => e.values)).toEqual([mockEmbedding('hello world'), mockEmbedding('other')]);
    expect(batch.embeddings[0]!.values).not.toEqual(batch.embeddings[1]!.values);
    expect(mock.requests.at(-1)!.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
  });

  it('a missing or invalid key → 400 API_KEY_INVALID in Google’s error shape', async () => {
    for (const key of ['', GEMINI_MOCK_INVALID_KEY]) {
      const err = await model('gemini-2.5-flash', key).generateContent('hi').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GoogleGenerativeAIFetchError);
      const fetchErr = err as GoogleGenerativeAIFetchError;
      expect(fetchErr.status).toBe(400);
      expect(fetchErr.message).toMatch(/API key not valid/);
      expect(fetchErr.errorDetails?.[0]).toMatchObject({ reason: 'API_KEY_INVALID' });
    }
  });

  it('a scripted 429 with RetryInfo reaches the SDK as a 429 with its details', async () => {
    mock.setHandler(() => geminiError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota', { retryDelay: '37s' }));
    const err = (await model().generateContent('hi').catch((e: unknown) => e)) as GoogleGenerativeAIFetchError;
    expect(err.status).toBe(429);
    expect(err.errorDetails?.[0]).toMatchObject({ retryDelay: '37s' });
  });

  it('a blocked prompt is reported through promptFeedback', async () => {
    mock.setHandler(() => geminiResponse({ blockReason: 'SAFETY', usage: { promptTokenCount: 7 } }));
    const res = await model().generateContent('bad');
    expect(res.response.promptFeedback?.blockReason).toBe('SAFETY');
    expect(() => res.response.text()).toThrow(/blocked/i);
  });
});
