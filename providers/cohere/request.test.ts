import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types.js';
import { buildCohereChatRequest } from './index.js';
import { convertToCohereRequest } from './request.js';

const base: ChatRequest = { model: 'command-a-03-2025', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false };
const tool = { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } };

describe('convertToCohereRequest', () => {
  it('system, user text and the sampling knobs under Cohere names (p, k, stop_sequences)', () => {
    const body = convertToCohereRequest({
      ...base,
      messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Be kind.' }] }, ...base.messages],
      maxTokens: 50,
      temperature: 0.4,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
    });
    expect(body).toEqual({
      model: 'command-a-03-2025',
      messages: [
        { role: 'system', content: 'Be brief.\nBe kind.' },
        { role: 'user', content: 'Hi' },
      ],
      stream: false,
      max_tokens: 50,
      temperature: 0.4,
      p: 0.9,
      k: 40,
      stop_sequences: ['END'],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
    });
  });

  it('images become image_url parts (inline bytes as a data: URL, detail kept)', () => {
    const body = convertToCohereRequest({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', data: 'iVBORw0K', mediaType: 'image/png', detail: 'low' },
            { type: 'image', url: 'https://example.com/a.jpg' },
          ],
        },
      ],
    });
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
      ],
    });
  });

  it('an assistant turn that calls tools carries its text as tool_plan; results are tool messages tied by tool_call_id', () => {
    const body = convertToCohereRequest({
      ...base,
      tools: [tool],
      messages: [
        ...base.messages,
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking', signature: 'sig' },
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: '18°C' }, { type: 'text', text: 'sunny' }] }] },
        { role: 'assistant', content: [{ type: 'text', text: 'It is 18°C.' }] },
      ],
    });
    expect(body.messages.slice(1)).toEqual([
      { role: 'assistant', tool_plan: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C\nsunny' },
      { role: 'assistant', content: 'It is 18°C.' },
    ]);
    expect(body.tools).toEqual([{ type: 'function', function: tool }]);
  });

  it('an image in a tool result is refused (Cohere tool content is text)', () => {
    const messages: ChatRequest['messages'] = [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', content: [{ type: 'image', url: 'https://x/y.png' }] }] }];
    expect(() => convertToCohereRequest({ ...base, messages })).toThrow(/text only/);
  });

  it('tool_choice: none → NONE, required → REQUIRED, a named tool → REQUIRED with only that tool; auto is not sent', () => {
    const other = { ...tool, name: 'get_time' };
    expect(convertToCohereRequest({ ...base, tools: [tool], toolChoice: { type: 'auto' } }).tool_choice).toBeUndefined();
    expect(convertToCohereRequest({ ...base, tools: [tool], toolChoice: { type: 'none' } }).tool_choice).toBe('NONE');
    expect(convertToCohereRequest({ ...base, tools: [tool], toolChoice: { type: 'required' } }).tool_choice).toBe('REQUIRED');
    const named = convertToCohereRequest({ ...base, tools: [tool, other], toolChoice: { type: 'tool', name: 'get_time' } });
    expect(named.tool_choice).toBe('REQUIRED');
    expect(named.tools?.map((t) => t.function.name)).toEqual(['get_time']);
    expect(() => convertToCohereRequest({ ...base, tools: [tool], toolChoice: { type: 'tool', name: 'nope' } })).toThrow(/not among the tools/);
    expect(convertToCohereRequest({ ...base, tools: [{ ...tool, strict: true }] }).strict_tools).toBe(true);
  });

  it('JSON modes: json_object, json_schema as json_object with the bare schema; text sends nothing', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    expect(convertToCohereRequest({ ...base, responseFormat: { type: 'json_object' } }).response_format).toEqual({ type: 'json_object' });
    expect(convertToCohereRequest({ ...base, responseFormat: { type: 'json_schema', name: 'person', schema } }).response_format).toEqual({ type: 'json_object', json_schema: schema });
    expect(convertToCohereRequest({ ...base, responseFormat: { type: 'text' } }).response_format).toBeUndefined();
  });

  it('reasoning: a budget wins over a level; a level becomes a budget', () => {
    expect(convertToCohereRequest({ ...base, reasoningEffort: 'low' }).thinking).toEqual({ type: 'enabled', token_budget: 2048 });
    expect(convertToCohereRequest({ ...base, reasoningEffort: 'low', reasoningBudgetTokens: 5000 }).thinking).toEqual({ type: 'enabled', token_budget: 5000 });
  });
});

describe('buildCohereChatRequest', () => {
  const cfg = { name: 'cohere', type: 'cohere', baseUrl: 'https://api.cohere.com/', apiKey: 'co-key-123456', headers: { 'x-extra': '1' }, options: {} };

  it('POST /v2/chat with a bearer key; Cohere-only extra fields the client sent go up verbatim', () => {
    const up = buildCohereChatRequest({ ...base, stream: true, passedFields: { documents: ['Paris is in France.'], safety_mode: 'STRICT' } }, cfg);
    expect(up.url).toBe('https://api.cohere.com/v2/chat');
    expect(up.headers).toMatchObject({ authorization: 'Bearer co-key-123456', 'content-type': 'application/json', accept: 'text/event-stream', 'x-extra': '1' });
    expect(JSON.parse(up.body!)).toMatchObject({ stream: true, documents: ['Paris is in France.'], safety_mode: 'STRICT' });
  });

  it('the default base URL is Cohere\'s own', () => {
    expect(buildCohereChatRequest(base, { ...cfg, baseUrl: '' }).url).toBe('https://api.cohere.com/v2/chat');
  });
});
