import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types.js';
import { mapCohereFinishReason } from './finish-reason.js';
import { fixtureJson } from './fixtures.test-helper.js';
import { cohereUsageFromBody } from './index.js';
import { parseCohereResponse } from './response.js';
import { convertCohereUsage } from './usage.js';

const req: ChatRequest = { model: 'command-a-03-2025', messages: [], stream: false };

describe('parseCohereResponse', () => {
  it('reads a text answer; the model is the request\'s (Cohere names none); usage is the billed units', () => {
    const res = parseCohereResponse(fixtureJson('chat-response-text.handmade.json'), req);
    expect(res).toMatchObject({
      id: '5a50480a-cf52-46f0-af01-53d18539bd31',
      model: 'command-a-03-2025',
      content: [{ type: 'text', text: 'LLMs are neural networks trained on large amounts of text.' }],
      finish: { unified: 'stop', raw: 'COMPLETE' },
      usage: { inputTokens: 5, outputTokens: 12 },
    });
  });

  it('a tool call: the tool plan becomes text before the call; arguments stay JSON text', () => {
    const res = parseCohereResponse(fixtureJson('chat-response-tool-call.handmade.json'), req);
    expect(res.content).toEqual([
      { type: 'text', text: 'I will look up the weather in Toronto.' },
      { type: 'tool-call', id: 'get_weather_1byjy32y4hvq', name: 'get_weather', arguments: '{"location":"Toronto"}' },
    ]);
    expect(res.finish).toEqual({ unified: 'tool_calls', raw: 'TOOL_CALL' });
  });

  it('thinking becomes reasoning; cached tokens are a part of the prompt', () => {
    const res = parseCohereResponse(fixtureJson('chat-response-thinking.handmade.json'), req);
    expect(res.content).toEqual([
      { type: 'reasoning', text: '17 * 23: 17 * 20 = 340, 17 * 3 = 51, 391.' },
      { type: 'text', text: '17 × 23 = 391' },
    ]);
    expect(res.finish).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
    expect(res.usage).toEqual({ inputTokens: 2048, outputTokens: 64, cachedInputTokens: 1536 });
  });

  it('refuses a body without a message, quoting it', () => {
    expect(() => parseCohereResponse({ hello: 'world' }, req)).toThrow(/no message: \{"hello":"world"\}/);
    expect(() => parseCohereResponse(null, req)).toThrow(/no message/);
  });
});

describe('usage and finish reasons', () => {
  it('billed units win over raw tokens; raw tokens when nothing is billed; nothing when neither', () => {
    expect(convertCohereUsage({ billed_units: { input_tokens: 3, output_tokens: 4 }, tokens: { input_tokens: 70, output_tokens: 4 } })).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(convertCohereUsage({ tokens: { input_tokens: 70, output_tokens: 4 } })).toEqual({ inputTokens: 70, outputTokens: 4 });
    expect(convertCohereUsage({ billed_units: { search_units: 1 } })).toBeUndefined();
    expect(convertCohereUsage({ billed_units: { input_tokens: -1, output_tokens: Number.NaN } })).toBeUndefined();
    expect(cohereUsageFromBody(fixtureJson('chat-response-text.handmade.json'))).toEqual({ inputTokens: 5, outputTokens: 12 });
  });

  it('every documented finish reason', () => {
    expect(['COMPLETE', 'STOP_SEQUENCE', 'MAX_TOKENS', 'TOOL_CALL', 'ERROR', 'TIMEOUT', 'SOMETHING_NEW'].map((r) => mapCohereFinishReason(r).unified)).toEqual([
      'stop',
      'stop',
      'length',
      'tool_calls',
      'error',
      'error',
      'other',
    ]);
    expect(mapCohereFinishReason(undefined)).toEqual({ unified: 'stop', raw: null });
  });
});
