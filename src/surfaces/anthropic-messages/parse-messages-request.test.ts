import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { ChatRequest } from '../../../providers/types.js';
import { InvalidRequest } from './errors.js';
import { parseMessagesRequest } from './parse-messages-request.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('parseMessagesRequest', () => {
  it('reads the recorded structured-output request (output_config.format → responseFormat)', () => {
    const body = fixture('anthropic-request-structured-output.json');
    const req = parseMessagesRequest(body);
    const schema = (body.output_config as { format: { schema: Record<string, unknown> } }).format.schema;
    expect(req).toEqual<ChatRequest>({
      model: 'claude-sonnet-4-5',
      maxTokens: 1024,
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Extract order: 2 Green Tea at $5.50 and 1 Coffee at $3.00. Total $14.' }] },
      ],
      responseFormat: { type: 'json_schema', schema },
    });
  });

  it('maps a multi-turn tool loop with thinking, both image sources and a mixed tool_result + text turn', () => {
    const req = parseMessagesRequest(fixture('messages-request-tool-loop-thinking.handmade.json'));
    expect(req).toEqual<ChatRequest>({
      model: 'openai/gpt-4o',
      maxTokens: 4096,
      stream: true,
      includeUsage: true,
      messages: [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'You are a weather assistant.' },
            { type: 'text', text: 'Long reference text.', cacheControl: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these pictures, and what is the weather in Paris?' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', url: 'https://example.com/cat.jpg', cacheControl: { type: 'ephemeral' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'I should call the weather tool.', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' },
            { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
            { type: 'text', text: 'A cat and a dog. Let me check the weather.' },
            { type: 'tool-call', id: 'toolu_01A', name: 'get_weather', arguments: '{"location":"Paris","unit":"celsius"}' },
            { type: 'tool-call', id: 'toolu_01B', name: 'get_time', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_01A', toolName: 'get_weather', content: '18°C, cloudy' },
            {
              type: 'tool-result',
              toolCallId: 'toolu_01B',
              toolName: 'get_time',
              content: [{ type: 'text', text: 'clock unavailable' }],
              isError: true,
              cacheControl: { type: 'ephemeral' },
            },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Also, is it a good day for a walk?' }] },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string' } }, required: ['location'] },
        },
        { name: 'get_time', parameters: { type: 'object', properties: {} }, cacheControl: { type: 'ephemeral' } },
      ],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      stop: ['\n\nHuman:'],
      temperature: 0.7,
      topP: 0.9,
      topK: 40,
      reasoningBudgetTokens: 2048,
      user: 'user-42',
    });
  });

  it('splits a user turn at every change between tool_result and other blocks, keeping order', () => {
    const req = parseMessagesRequest({
      model: 'm',
      max_tokens: 10,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'before' },
            { type: 'tool_result', tool_use_id: 't1' },
            { type: 'text', text: 'between' },
            { type: 'tool_result', tool_use_id: 't2', content: 'ok' },
          ],
        },
      ],
    });
    expect(req.messages.map((m) => m.role)).toEqual(['user', 'tool', 'user', 'tool']);
    // No preceding tool_use: no toolName; absent content becomes an empty string.
    expect(req.messages[1]).toEqual({ role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: '' }] });
  });

  it('maps string system and content, tool_choice variants and the other thinking types', () => {
    const base = { model: 'm', max_tokens: 5, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Hel' }] };
    const tools = [{ name: 'f', input_schema: { type: 'object' } }];
    expect(parseMessagesRequest(base).messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hel' }] },
    ]);
    expect(parseMessagesRequest({ ...base, tools, tool_choice: { type: 'auto' } })).toMatchObject({ toolChoice: { type: 'auto' } });
    expect(parseMessagesRequest({ ...base, tools, tool_choice: { type: 'none' } }).toolChoice).toEqual({ type: 'none' });
    const named = parseMessagesRequest({ ...base, tools, tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: false } });
    expect(named.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(named.parallelToolCalls).toBeUndefined();
    expect(parseMessagesRequest({ ...base, thinking: { type: 'disabled' } }).reasoningBudgetTokens).toBeUndefined();
    expect(parseMessagesRequest({ ...base, thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }).reasoningEffort).toBe('high');
    expect(parseMessagesRequest({ ...base, stream: false }).includeUsage).toBeUndefined();
    expect(parseMessagesRequest({ ...base, output_format: { type: 'json_schema', schema: { type: 'object' } } }).responseFormat).toEqual({
      type: 'json_schema',
      schema: { type: 'object' },
    });
  });

  const valid = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
  const userBlock = (block: unknown) => ({ ...valid, messages: [{ role: 'user', content: [block] }] });
  const assistantBlock = (block: unknown) => ({ ...valid, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [block] }] });

  const cases: Array<[string, unknown, string]> = [
    ['body not an object', [1], 'body'],
    ['missing model', { ...valid, model: undefined }, 'model'],
    ['non-string model', { ...valid, model: 42 }, 'model'],
    ['missing max_tokens', { ...valid, max_tokens: undefined }, 'max_tokens'],
    ['zero max_tokens', { ...valid, max_tokens: 0 }, 'max_tokens'],
    ['fractional max_tokens', { ...valid, max_tokens: 1.5 }, 'max_tokens'],
    ['string max_tokens', { ...valid, max_tokens: '10' }, 'max_tokens'],
    ['missing messages', { ...valid, messages: undefined }, 'messages'],
    ['empty messages', { ...valid, messages: [] }, 'messages'],
    ['message not an object', { ...valid, messages: ['hi'] }, 'messages.0'],
    ['system role in messages', { ...valid, messages: [{ role: 'system', content: 'x' }] }, 'messages.0.role'],
    ['content a number', { ...valid, messages: [{ role: 'user', content: 3 }] }, 'messages.0.content'],
    ['unknown block type', userBlock({ type: 'video' }), 'messages.0.content.0.type'],
    ['document block', userBlock({ type: 'document', source: {} }), 'messages.0.content.0.type'],
    ['tool_use in a user turn', userBlock({ type: 'tool_use', id: 'a', name: 'b', input: {} }), 'messages.0.content.0.type'],
    ['text without text', userBlock({ type: 'text' }), 'messages.0.content.0.text'],
    ['image bad media type', userBlock({ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'x' } }), 'messages.0.content.0.source.media_type'],
    ['image without data', userBlock({ type: 'image', source: { type: 'base64', media_type: 'image/png' } }), 'messages.0.content.0.source.data'],
    ['image non-http url', userBlock({ type: 'image', source: { type: 'url', url: 'file:///etc/passwd' } }), 'messages.0.content.0.source.url'],
    ['image file source', userBlock({ type: 'image', source: { type: 'file', file_id: 'f' } }), 'messages.0.content.0.source.type'],
    ['bad cache_control', userBlock({ type: 'text', text: 'x', cache_control: { type: 'persistent' } }), 'messages.0.content.0.cache_control.type'],
    ['bad cache ttl', userBlock({ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '1d' } }), 'messages.0.content.0.cache_control.ttl'],
    ['tool_result without id', userBlock({ type: 'tool_result', content: 'x' }), 'messages.0.content.0.tool_use_id'],
    ['tool_result bad is_error', userBlock({ type: 'tool_result', tool_use_id: 't', is_error: 'yes' }), 'messages.0.content.0.is_error'],
    ['tool_result nested tool_result', userBlock({ type: 'tool_result', tool_use_id: 't', content: [{ type: 'tool_result' }] }), 'messages.0.content.0.content.0.type'],
    ['tool_use input not an object', assistantBlock({ type: 'tool_use', id: 'a', name: 'b', input: '{}' }), 'messages.1.content.0.input'],
    ['thinking without signature', assistantBlock({ type: 'thinking', thinking: 'x' }), 'messages.1.content.0.signature'],
    ['image in an assistant turn', assistantBlock({ type: 'image', source: { type: 'url', url: 'https://x' } }), 'messages.1.content.0.type'],
    ['system not text blocks', { ...valid, system: [{ type: 'image' }] }, 'system.0.type'],
    ['system a number', { ...valid, system: 1 }, 'system'],
    ['temperature above 1', { ...valid, temperature: 1.5 }, 'temperature'],
    ['temperature negative', { ...valid, temperature: -0.1 }, 'temperature'],
    ['top_p above 1', { ...valid, top_p: 2 }, 'top_p'],
    ['top_k fractional', { ...valid, top_k: 1.5 }, 'top_k'],
    ['stop_sequences a string', { ...valid, stop_sequences: 'END' }, 'stop_sequences'],
    ['stop_sequences with a number', { ...valid, stop_sequences: ['a', 1] }, 'stop_sequences.1'],
    ['stream a string', { ...valid, stream: 'yes' }, 'stream'],
    ['tools not an array', { ...valid, tools: {} }, 'tools'],
    ['server tool', { ...valid, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools.0.type'],
    ['tool without name', { ...valid, tools: [{ input_schema: { type: 'object' } }] }, 'tools.0.name'],
    ['tool without input_schema', { ...valid, tools: [{ name: 'f' }] }, 'tools.0.input_schema'],
    ['tool schema not an object type', { ...valid, tools: [{ name: 'f', input_schema: { type: 'string' } }] }, 'tools.0.input_schema.type'],
    ['tool_choice unknown type', { ...valid, tool_choice: { type: 'required' } }, 'tool_choice.type'],
    ['tool_choice tool without name', { ...valid, tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    ['tool_choice names no tool', { ...valid, tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'tool', name: 'g' } }, 'tool_choice.name'],
    ['thinking budget too small', { ...valid, thinking: { type: 'enabled', budget_tokens: 100 } }, 'thinking.budget_tokens'],
    ['thinking unknown type', { ...valid, thinking: { type: 'on' } }, 'thinking.type'],
    ['output format json_object', { ...valid, output_config: { format: { type: 'json_object' } } }, 'output_config.format.type'],
    ['output format without schema', { ...valid, output_config: { format: { type: 'json_schema' } } }, 'output_config.format.schema'],
    ['output effort unknown', { ...valid, output_config: { effort: 'extreme' } }, 'output_config.effort'],
    ['metadata.user_id a number', { ...valid, metadata: { user_id: 7 } }, 'metadata.user_id'],
    ['mcp_servers', { ...valid, mcp_servers: [{ type: 'url', url: 'https://x', name: 'x' }] }, 'mcp_servers'],
  ];

  it.each(cases)('rejects %s, naming %s', (_label, body, param) => {
    let caught: unknown;
    try {
      parseMessagesRequest(body);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidRequest);
    const err = caught as InvalidRequest;
    expect(err.param).toBe(param);
    expect(err.message.startsWith(`${param}: `)).toBe(true);
    expect(err.toGatewayError()).toMatchObject({ status: 400, type: 'invalid_request_error', param });
  });

  it('says plainly that server tools are not supported', () => {
    expect(() => parseMessagesRequest({ ...valid, tools: [{ type: 'web_search_20250305', name: 'web_search' }] })).toThrow(
      /server tool "web_search_20250305" is not supported/,
    );
  });
});
