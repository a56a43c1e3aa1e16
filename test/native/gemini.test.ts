/**
 * What only the Gemini dialect does, end to end: the `openai` SDK → the gateway's
 * /v1/chat/completions → the Gemini adapter → a loopback Gemini mock speaking the real wire
 * format (test/mocks/gemini.ts): thought signatures on replayed function calls, blocked prompts,
 * streams without candidates. What every provider does is in the conformance table
 * (conformance.test.ts).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { geminiDefaultHandler, geminiResponse, startGeminiMock } from '../mocks/gemini.js';
import { WEATHER_TOOL, checkEveryResponse, drain, gatewayFor, providerYaml, sseData } from './helpers.js';

const MODEL = 'gemini/gemini-2.5-flash';
let mock: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startGeminiMock();
  ({ gw, client } = await gatewayFor(providerYaml('gemini', mock.url)));
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
checkEveryResponse();
beforeEach(() => mock.setHandler(geminiDefaultHandler));

const lastSent = () => mock.requests.at(-1)!;

async function stillServes(): Promise<void> {
  mock.setHandler(geminiDefaultHandler);
  const res = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'still alive' }] });
  expect(res.choices[0]?.message.content).toBe('still alive');
}

describe('Gemini: thought signatures', () => {
  it('Gemini 3: a function call replayed through the OpenAI surface still carries a thought signature (Gemini 3 answers 400 without one)', async () => {
    const model = 'gemini/gemini-3-flash-preview';
    mock.setHandler(() => geminiResponse({ functionCalls: [{ name: 'get_weather', args: { city: 'Oslo' }, thoughtSignature: 'CtkBAdHtim9real' }] }));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];
    const first = await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL] });
    const call = first.choices[0]!.message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;

    mock.setHandler(() => geminiResponse({ text: 'Cold.' }));
    messages.push(first.choices[0]!.message as OpenAI.ChatCompletionMessageParam);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '-3°C' });
    await client.chat.completions.create({ model, messages, tools: [WEATHER_TOOL] });
    const modelTurn = lastSent().body.contents[1];
    expect(modelTurn.parts[0].functionCall.name).toBe('get_weather');
    expect(typeof modelTurn.parts[0].thoughtSignature).toBe('string');
    expect(modelTurn.parts[0].thoughtSignature.length).toBeGreaterThan(0);
  });
});

describe('Gemini: prompts without candidates', () => {
  it('stream of chunks with empty candidates and no finishReason → a clear SSE error (cut short), no crash', async () => {
    mock.setHandler(() => ({
      sse: sseData([
        { candidates: [], usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, modelVersion: 'gemini-2.5-flash', responseId: 'r1' },
        { usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 }, modelVersion: 'gemini-2.5-flash', responseId: 'r1' },
      ]),
    }));
    const { text, err } = await drain(await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }));
    expect(text).toBe('');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toMatch(/gemini/i);
    expect(err.message).toMatch(/finishReason|cut short/);
    await stillServes();
  });

  it('non-stream: empty candidates with a blockReason → an empty answer finishing content_filter (documented adapter decision)', async () => {
    mock.setHandler(() => geminiResponse({ blockReason: 'SAFETY', usage: { promptTokenCount: 7 } }));
    const res = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    expect(res.choices[0]?.finish_reason).toBe('content_filter');
    expect(res.choices[0]?.message.content ?? '').toBe('');
    expect(res.usage?.prompt_tokens).toBe(7);
  });
});
