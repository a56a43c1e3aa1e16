import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import type { ChatRequest, Message } from '../types.js';
import { fixtureJson } from './__fixtures__/load.js';
import { convertToAnthropicRequest, DEFAULT_MAX_TOKENS, JSON_OBJECT_INSTRUCTION } from './request.js';

const cfg: ProviderConfig = { name: 'anthropic', type: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-test', headers: {}, options: {} };
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const base = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'claude-sonnet-4-5', messages: [user('hi')], stream: false, ...extra });

describe('convertToAnthropicRequest — a rich request, exact upstream body', () => {
  it('system + tools + images + tool round trip + thinking', () => {
    const req: ChatRequest = {
      model: 'claude-sonnet-4-5',
      stream: true,
      maxTokens: 1000,
      reasoningEffort: 'low',
      topP: 0.96,
      stop: ['###'],
      user: 'user-42',
      parallelToolCalls: false,
      toolChoice: { type: 'auto' },
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
          cacheControl: { type: 'ephemeral' },
        },
      ],
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris and Rome? Also, what is in these?' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', url: 'https://example.com/cat.jpg', detail: 'high' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Two cities: two calls.', signature: 'sig-abc' },
            { type: 'reasoning', text: '', redactedData: 'REDACTED' },
            { type: 'text', text: '' },
            { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
            { type: 'tool-call', id: 'toolu_2', name: 'get_weather', arguments: '{"location":"Rome"}' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: '18°C' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_2', content: [{ type: 'text', text: 'unknown city' }], isError: true }] },
        { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
      ],
    };
    expect(convertToAnthropicRequest(req, cfg)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 3048, // 1000 ≤ budget 2048, so raised to budget + 1000
      system: [
        { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris and Rome? Also, what is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two cities: two calls.', signature: 'sig-abc' },
            { type: 'redacted_thinking', data: 'REDACTED' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { location: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'unknown city' }], is_error: true },
          ],
        },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
          cache_control: { type: 'ephemeral' },
        },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      stop_sequences: ['###'],
      top_p: 0.96,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      metadata: { user_id: 'user-42' },
      stream: true,
    });
  });
});

describe('convertToAnthropicRequest — messages', () => {
  it('consecutive tool results are merged into ONE user turn, and a following user text joins it', () => {
    const body = convertToAnthropicRequest(
      base({
        messages: [
          user('go'),
          { role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: '{}' }, { type: 'tool-call', id: 'b', name: 'f', arguments: '{}' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', content: '1' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'b', content: '2' }] },
          user('and now?'),
        ],
      }),
      cfg,
    );
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[2]?.content.map((b) => b.type)).toEqual(['tool_result', 'tool_result', 'text']);
  });

  it('no system message → no system field', () => {
    expect(convertToAnthropicRequest(base(), cfg)).not.toHaveProperty('system');
  });

  it('reasoning without a signature (from another provider) is left out', () => {
    const body = convertToAnthropicRequest(
      base({ messages: [user('q'), { role: 'assistant', content: [{ type: 'reasoning', text: 'hmm' }, { type: 'text', text: 'A' }] }, user('more')] }),
      cfg,
    );
    expect(body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'A' }] });
  });

  it('empty tool arguments mean {}', () => {
    const body = convertToAnthropicRequest(base({ messages: [user('q'), { role: 'assistant', content: [{ type: 'tool-call', id: 't', name: 'now', arguments: '' }] }] }), cfg);
    expect(body.messages[1]?.content[0]).toEqual({ type: 'tool_use', id: 't', name: 'now', input: {} });
  });

  it('invalid JSON tool arguments → a clear Error naming the call', () => {
    const req = base({ messages: [user('q'), { role: 'assistant', content: [{ type: 'tool-call', id: 'call_9', name: 'f', arguments: '{"a":' }] }] });
    expect(() => convertToAnthropicRequest(req, cfg)).toThrow(/call_9 \(f\).*not valid JSON/);
  });

  it('tool arguments that are JSON but not an object are refused', () => {
    const req = base({ messages: [user('q'), { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '[1,2]' }] }] });
    expect(() => convertToAnthropicRequest(req, cfg)).toThrow(/not a JSON object/);
  });

  it('a data: URL that reached us unsplit becomes a base64 source', () => {
    const body = convertToAnthropicRequest(base({ messages: [{ role: 'user', content: [{ type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' }] }] }), cfg);
    expect(body.messages[0]?.content[0]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } });
  });

  it('inline image data without a media type, or a non-http URL, is refused clearly', () => {
    expect(() => convertToAnthropicRequest(base({ messages: [{ role: 'user', content: [{ type: 'image', data: 'AAAA' }] }] }), cfg)).toThrow(/media type/);
    expect(() => convertToAnthropicRequest(base({ messages: [{ role: 'user', content: [{ type: 'image', url: 'ftp://x/y.png' }] }] }), cfg)).toThrow(/http\(s\)/);
  });
});

describe('convertToAnthropicRequest — tool_choice table (docs/wire-facts.md §2)', () => {
  const tools = [{ name: 'f', parameters: {} }];
  it.each([
    [{ type: 'auto' } as const, undefined, { type: 'auto' }],
    [{ type: 'required' } as const, undefined, { type: 'any' }],
    [{ type: 'none' } as const, undefined, { type: 'none' }],
    [{ type: 'tool', name: 'f' } as const, undefined, { type: 'tool', name: 'f' }],
    [{ type: 'required' } as const, false, { type: 'any', disable_parallel_tool_use: true }],
    [{ type: 'tool', name: 'f' } as const, false, { type: 'tool', name: 'f', disable_parallel_tool_use: true }],
    [{ type: 'none' } as const, false, { type: 'none' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [{ type: 'auto' } as const, true, { type: 'auto' }],
  ])('%j with parallelToolCalls=%s → %j', (toolChoice, parallelToolCalls, expected) => {
    const req = base({ tools, ...(toolChoice && { toolChoice }), ...(parallelToolCalls !== undefined && { parallelToolCalls }) });
    expect(convertToAnthropicRequest(req, cfg).tool_choice).toEqual(expected);
  });

  it('no tool_choice field when the client gave none', () => {
    expect(convertToAnthropicRequest(base({ tools }), cfg)).not.toHaveProperty('tool_choice');
  });

  it('no tools → no tool_choice even if one was given', () => {
    expect(convertToAnthropicRequest(base({ toolChoice: { type: 'none' } }), cfg)).not.toHaveProperty('tool_choice');
  });

  it('an empty parameters schema becomes an object schema; strict is passed through', () => {
    expect(convertToAnthropicRequest(base({ tools: [{ name: 'now', parameters: {}, strict: true }] }), cfg).tools).toEqual([
      { name: 'now', input_schema: { type: 'object' }, strict: true },
    ]);
  });
});

describe('convertToAnthropicRequest — sampling, limits, formats', () => {
  it.each([
    [0, 0],
    [0.7, 0.7],
    [1, 1],
    [1.3, 1],
    [2, 1],
  ])('temperature %s (OpenAI 0–2) is clamped, not scaled, to %s', (t, expected) => {
    expect(convertToAnthropicRequest(base({ temperature: t }), cfg).temperature).toBe(expected);
  });

  it('top_p and top_k pass through; penalties and seed are dropped', () => {
    const body = convertToAnthropicRequest(base({ topP: 0.5, topK: 40, seed: 7, presencePenalty: 1, frequencyPenalty: 1 }), cfg);
    expect(body).toMatchObject({ top_p: 0.5, top_k: 40 });
    expect(JSON.stringify(body)).not.toMatch(/penalty|seed/);
  });

  it('max_tokens: request value, else options.default_max_tokens, else 4096', () => {
    expect(convertToAnthropicRequest(base({ maxTokens: 77 }), cfg).max_tokens).toBe(77);
    expect(convertToAnthropicRequest(base(), { ...cfg, options: { default_max_tokens: 1234 } }).max_tokens).toBe(1234);
    expect(convertToAnthropicRequest(base(), { ...cfg, options: { default_max_tokens: '1234' } }).max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(convertToAnthropicRequest(base(), cfg).max_tokens).toBe(4096);
  });

  it.each([
    ['minimal', 1024],
    ['low', 2048],
    ['medium', 8192],
    ['high', 24576],
  ] as const)('reasoningEffort %s → budget_tokens %i, max_tokens stays above it', (effort, budget) => {
    const body = convertToAnthropicRequest(base({ reasoningEffort: effort }), cfg);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(body.max_tokens).toBeGreaterThan(budget);
    expect(body.max_tokens).toBe(budget < DEFAULT_MAX_TOKENS ? DEFAULT_MAX_TOKENS : budget + DEFAULT_MAX_TOKENS);
  });

  it('reasoningBudgetTokens wins over reasoningEffort; max_tokens above it is untouched', () => {
    const body = convertToAnthropicRequest(base({ reasoningBudgetTokens: 3000, reasoningEffort: 'high', maxTokens: 10000 }), cfg);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
    expect(body.max_tokens).toBe(10000);
  });

  it('max_tokens equal to the budget is raised (it must be strictly greater)', () => {
    expect(convertToAnthropicRequest(base({ reasoningBudgetTokens: 2000, maxTokens: 2000 }), cfg).max_tokens).toBe(4000);
  });

  it('with thinking on, temperature, top_k and a low top_p are dropped (Anthropic rejects them)', () => {
    const body = convertToAnthropicRequest(base({ reasoningEffort: 'low', temperature: 0.2, topK: 5, topP: 0.5 }), cfg);
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_k');
    expect(body).not.toHaveProperty('top_p');
    expect(convertToAnthropicRequest(base({ reasoningEffort: 'low', topP: 0.97 }), cfg).top_p).toBe(0.97);
  });

  it('a tool-loop continuation whose assistant turn has no thinking block is sent without thinking (else Anthropic 400s)', () => {
    const loop = (reasoning: Message['content']): Message[] => [
      user('Weather in Oslo?'),
      { role: 'assistant', content: [...reasoning, { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] } as Message,
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: '-3°C' }] },
    ];
    const unsigned = convertToAnthropicRequest(base({ reasoningEffort: 'low', temperature: 0.2, messages: loop([]) }), cfg);
    expect(unsigned).not.toHaveProperty('thinking');
    expect(unsigned.temperature).toBe(0.2);
    const signed = convertToAnthropicRequest(base({ reasoningEffort: 'low', messages: loop([{ type: 'reasoning', text: 'use the tool', signature: 'sig-1' }] as Message['content']) }), cfg);
    expect(signed.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    // A new user question after the loop is not a continuation: thinking stays on.
    const fresh = convertToAnthropicRequest(base({ reasoningEffort: 'low', messages: [...loop([]), { role: 'assistant', content: [{ type: 'text', text: 'Cold.' }] }, user('And Rome?')] }), cfg);
    expect(fresh.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
  });

  it('reasoningBudgetTokens 0 means no thinking', () => {
    expect(convertToAnthropicRequest(base({ reasoningBudgetTokens: 0, reasoningEffort: 'high' }), cfg)).not.toHaveProperty('thinking');
  });

  it('json_schema response format → output_config, byte-equal to the recorded SDK request', () => {
    const recorded = fixtureJson('anthropic-request-structured-output.json');
    const body = convertToAnthropicRequest(
      {
        model: 'claude-sonnet-4-5',
        maxTokens: 1024,
        stream: false,
        messages: [user(recorded.messages[0].content)],
        responseFormat: { type: 'json_schema', name: 'OrderDetails', schema: recorded.output_config.format.schema, strict: true },
      },
      cfg,
    );
    // The SDK sends a plain string as content; we always send blocks, which Anthropic treats alike.
    expect({ ...body, messages: undefined }).toEqual({ ...recorded, messages: undefined });
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: recorded.messages[0].content }] }]);
  });

  it('json_object → an extra system instruction (Anthropic has no JSON mode)', () => {
    const body = convertToAnthropicRequest(base({ responseFormat: { type: 'json_object' } }), cfg);
    expect(body.system).toEqual([{ type: 'text', text: JSON_OBJECT_INSTRUCTION }]);
    expect(body).not.toHaveProperty('output_config');
  });

  it('stream only appears when true', () => {
    expect(convertToAnthropicRequest(base({ stream: true }), cfg).stream).toBe(true);
    expect(convertToAnthropicRequest(base(), cfg)).not.toHaveProperty('stream');
  });

  it('n > 1 is refused with a clear message; n = 1 is fine', () => {
    expect(() => convertToAnthropicRequest(base({ n: 2 }), cfg)).toThrow('n > 1 is not supported by Anthropic');
    expect(() => convertToAnthropicRequest(base({ n: 1 }), cfg)).not.toThrow();
  });
});

describe('convertToAnthropicRequest — tool-call ids from other hosts', () => {
  it('ids outside ^[a-zA-Z0-9_-]+$ are rewritten the same on the call and the result; valid ids are kept', () => {
    const body = convertToAnthropicRequest(
      base({
        messages: [
          user('q'),
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'functions.f:0', name: 'f', arguments: '{}' },
              { type: 'tool-call', id: 'functions_f_0', name: 'f', arguments: '{}' },
              { type: 'tool-call', id: 'call_ok-1', name: 'f', arguments: '{}' },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'functions.f:0', content: 'a' },
              { type: 'tool-result', toolCallId: 'functions_f_0', content: 'b' },
              { type: 'tool-result', toolCallId: 'call_ok-1', content: 'c' },
            ],
          },
        ],
      }),
      cfg,
    );
    const ids = (body.messages[1]!.content as Array<{ id: string }>).map((b) => b.id);
    expect(ids[0]).toMatch(/^functions_f_0_[0-9a-f]{8}$/);
    expect(ids.slice(1)).toEqual(['functions_f_0', 'call_ok-1']);
    expect((body.messages[2]!.content as Array<{ tool_use_id: string }>).map((b) => b.tool_use_id)).toEqual(ids);
  });
});
