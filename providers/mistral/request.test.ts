import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../types.js';
import { convertToMistralRequest, MISTRAL_TOOL_BRIDGE } from './request.js';
import { toMistralToolCallId } from './tool-call-ids.js';

const base = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'mistral-small-latest',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  stream: false,
  ...over,
});

describe('convertToMistralRequest: messages', () => {
  it('sends system and a single-text user message as strings', () => {
    const body = convertToMistralRequest(
      base({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Be kind.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        ],
      }),
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.\nBe kind.' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('sends images as image_url chunks whose value is a bare URL string (data: URL for inline bytes)', () => {
    const body = convertToMistralRequest(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in these?' },
              { type: 'image', url: 'https://example.com/cat.png', detail: 'high' },
              { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
            ],
          },
        ],
      }),
    );
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: 'https://example.com/cat.png' },
        { type: 'image_url', image_url: 'data:image/png;base64,iVBORw0KGgo=' },
      ],
    });
  });

  it('tool call ids are 9 characters: foreign ids are rewritten the same way on the call and on its result', () => {
    const messages: Message[] = [
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Lyon?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'I should call the tool', signature: 'sig-from-anthropic' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool-call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'weather', arguments: '{"location":"Paris"}' },
          { type: 'tool-call', id: 'call_Lyon42', name: 'weather', arguments: '{"location":"Lyon"}' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'toolu_01A09q90qw90lq917835lq9', content: '18°C' },
          { type: 'tool-result', toolCallId: 'call_Lyon42', toolName: 'weather', content: [{ type: 'text', text: '21' }, { type: 'text', text: '°C' }], isError: false },
        ],
      },
    ];
    const body = convertToMistralRequest(base({ messages }));
    const parisId = toMistralToolCallId('toolu_01A09q90qw90lq917835lq9');
    const lyonId = toMistralToolCallId('call_Lyon42');
    expect(parisId).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(lyonId).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(parisId).not.toBe(lyonId);
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Checking.', // reasoning dropped
        tool_calls: [
          { id: parisId, type: 'function', function: { name: 'weather', arguments: '{"location":"Paris"}' } },
          { id: lyonId, type: 'function', function: { name: 'weather', arguments: '{"location":"Lyon"}' } },
        ],
      },
      // the name is recovered from the assistant's call when the result lacks it
      { role: 'tool', content: '18°C', tool_call_id: parisId, name: 'weather' },
      { role: 'tool', content: '21\n°C', tool_call_id: lyonId, name: 'weather' },
    ]);
    // every id on the wire is valid for Mistral
    const wire = JSON.stringify(body);
    for (const m of wire.matchAll(/"(?:id|tool_call_id)":"([^"]*)"/g)) expect(m[1]).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it("keeps Mistral's own tool-call ids unchanged", () => {
    const body = convertToMistralRequest(
      base({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'gSIMJiOkT', name: 'weather', arguments: '{}' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'gSIMJiOkT', toolName: 'weather', content: 'sunny' }] },
        ],
      }),
    );
    expect(body.messages[1]).toMatchObject({ role: 'assistant', content: '', tool_calls: [{ id: 'gSIMJiOkT' }] });
    expect(body.messages[2]).toMatchObject({ tool_call_id: 'gSIMJiOkT' });
  });

  it('a trailing assistant message (prefill) is sent with prefix: true; earlier ones are not', () => {
    const body = convertToMistralRequest(
      base({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Q1' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'A1' }] },
          { role: 'user', content: [{ type: 'text', text: 'Q2' }] },
          { role: 'assistant', content: [{ type: 'text', text: '{"answer":' }] },
        ],
      }),
    );
    expect(body.messages[1]).toEqual({ role: 'assistant', content: 'A1' });
    expect(body.messages[3]).toEqual({ role: 'assistant', content: '{"answer":', prefix: true });
  });

  it('a tool result holding an image becomes chunks', () => {
    const body = convertToMistralRequest(
      base({
        messages: [
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'gSIMJiOkT', toolName: 'shot', content: [{ type: 'image', url: 'https://x/y.png' }] }] },
        ],
      }),
    );
    expect(body.messages[0]).toEqual({ role: 'tool', tool_call_id: 'gSIMJiOkT', name: 'shot', content: [{ type: 'image_url', image_url: 'https://x/y.png' }] });
  });
});

describe('convertToMistralRequest: parameters', () => {
  it('maps every supported parameter to its Mistral name', () => {
    const body = convertToMistralRequest(
      base({
        stream: true,
        includeUsage: true,
        maxTokens: 256,
        temperature: 0.3,
        topP: 0.9,
        stop: ['END'],
        seed: 42,
        n: 2,
        presencePenalty: 0.5,
        frequencyPenalty: -0.5,
        parallelToolCalls: false,
      }),
    );
    expect(body).toEqual({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      max_tokens: 256,
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
      random_seed: 42,
      n: 2,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      parallel_tool_calls: false,
    });
    expect(body).not.toHaveProperty('seed');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('translates no user, metadata or topK (the parameter table refuses or passes those); reasoning becomes reasoning_effort', () => {
    const body = convertToMistralRequest(base({ user: 'u-1', metadata: { team: 'a' }, topK: 5, reasoningEffort: 'high' }));
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'reasoning_effort', 'stream']);
    expect(body.reasoning_effort).toBe('high');
    // An Anthropic thinking budget wins over the level and becomes one.
    expect(convertToMistralRequest(base({ reasoningEffort: 'high', reasoningBudgetTokens: 2048 })).reasoning_effort).toBe('low');
  });

  it.each([
    [2, 1.5],
    [1.5, 1.5],
    [0.7, 0.7],
    [0, 0],
    [-1, 0],
  ])('clamps temperature %s to %s (Mistral range 0–1.5)', (t, expected) => {
    expect(convertToMistralRequest(base({ temperature: t })).temperature).toBe(expected);
  });

  it('sends tools in the OpenAI function shape, without cache marks', () => {
    const body = convertToMistralRequest(
      base({
        tools: [
          { name: 'weather', description: 'Get weather', parameters: { type: 'object', properties: { location: { type: 'string' } } }, strict: true, cacheControl: { type: 'ephemeral' } },
          { name: 'time', parameters: { type: 'object' } },
        ],
      }),
    );
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'weather', description: 'Get weather', parameters: { type: 'object', properties: { location: { type: 'string' } } }, strict: true } },
      { type: 'function', function: { name: 'time', parameters: { type: 'object' } } },
    ]);
  });

  it.each([
    [{ type: 'auto' } as const, 'auto'],
    [{ type: 'none' } as const, 'none'],
    [{ type: 'required' } as const, 'any'],
    [{ type: 'tool', name: 'weather' } as const, { type: 'function', function: { name: 'weather' } }],
  ])('tool_choice %j → %j', (choice, expected) => {
    expect(convertToMistralRequest(base({ toolChoice: choice })).tool_choice).toEqual(expected);
  });

  it.each([
    [{ type: 'text' } as const, { type: 'text' }],
    [{ type: 'json_object' } as const, { type: 'json_object' }],
    [
      { type: 'json_schema', name: 'person', description: 'A person', schema: { type: 'object' }, strict: true } as const,
      { type: 'json_schema', json_schema: { name: 'person', description: 'A person', schema: { type: 'object' }, strict: true } },
    ],
    [{ type: 'json_schema', schema: { type: 'object' } } as const, { type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } }],
  ])('response_format %j → %j', (format, expected) => {
    expect(convertToMistralRequest(base({ responseFormat: format })).response_format).toEqual(expected);
  });
});

describe('convertToMistralRequest: role order Mistral enforces', () => {
  const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
  const call: Message = { role: 'assistant', content: [{ type: 'tool-call', id: 'gSIMJiOkT', name: 'f', arguments: '{}' }] };
  const result: Message = { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'gSIMJiOkT', content: 'r' }] };

  it('tool → user gets a bridging assistant turn; tool → assistant is left alone', () => {
    const bridged = convertToMistralRequest(base({ messages: [user('q'), call, result, user('and?')] })).messages;
    expect(bridged.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(bridged[3]).toEqual({ role: 'assistant', content: MISTRAL_TOOL_BRIDGE });
    const plain = convertToMistralRequest(base({ messages: [user('q'), call, result, { role: 'assistant', content: [{ type: 'text', text: 'a' }] }, user('b')] })).messages;
    expect(plain.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(plain[3]).toEqual({ role: 'assistant', content: 'a' });
  });

  it('an empty assistant turn before the end is dropped; a final one stays as the prefix', () => {
    const empty: Message = { role: 'assistant', content: [] };
    expect(convertToMistralRequest(base({ messages: [user('a'), empty, user('b')] })).messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ]);
    expect(convertToMistralRequest(base({ messages: [user('a'), empty] })).messages.at(-1)).toEqual({ role: 'assistant', content: '', prefix: true });
  });
});
