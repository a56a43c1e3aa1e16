import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import { parseOpenAIResponse } from './response.js';

describe('parseOpenAIResponse — the docs examples (openai-openapi)', () => {
  it('"Default": the text, finish stop, usage and service tier', () => {
    const r = parseOpenAIResponse(fixtureJson('openai-response-text.json'));
    expect(r).toMatchObject({ id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT', model: 'gpt-5.4', created: 1741569952 });
    expect(r.content).toEqual([{ type: 'text', text: 'Hello! How can I assist you today?' }]);
    expect(r.finish).toEqual({ unified: 'stop', raw: 'stop' });
    expect(r.usage).toEqual({ inputTokens: 19, outputTokens: 10, serviceTier: 'default' });
  });

  it('"Functions": a tool call with its id and the arguments text exactly as sent', () => {
    const r = parseOpenAIResponse(fixtureJson('openai-response-tool-calls.json'));
    expect(r.content).toEqual([{ type: 'tool-call', id: 'call_abc123', name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' }]);
    expect(r.finish).toEqual({ unified: 'tool_calls', raw: 'tool_calls' });
    expect(r.usage).toEqual({ inputTokens: 82, outputTokens: 17 });
  });
});

describe('parseOpenAIResponse — other shapes', () => {
  it('a refusal is text the client sees, and finishes content_filter with the raw reason kept', () => {
    const r = parseOpenAIResponse({ choices: [{ message: { role: 'assistant', content: null, refusal: "I can't help with that." }, finish_reason: 'stop' }] });
    expect(r.content).toEqual([{ type: 'text', text: "I can't help with that." }]);
    expect(r.finish).toEqual({ unified: 'content_filter', raw: 'stop' });
  });

  it("a compatible host's reasoning_content comes before the text", () => {
    const r = parseOpenAIResponse({ choices: [{ message: { reasoning_content: 'think', content: 'answer' }, finish_reason: 'stop' }] });
    expect(r.content).toEqual([{ type: 'reasoning', text: 'think' }, { type: 'text', text: 'answer' }]);
  });

  it('a body without choices is an error, not an empty answer', () => {
    for (const body of [null, {}, { choices: [] }, { choices: 'x' }]) expect(() => parseOpenAIResponse(body)).toThrow('upstream response has no choices');
  });
});
