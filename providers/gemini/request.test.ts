import { describe, expect, it } from 'vitest';
import type { ChatRequest, Message } from '../types.js';
import { baseRequest, fixtureJson } from './fixtures.test-helper.js';
import { convertToGeminiRequest, GeminiRequestError, GEMINI_THINKING_BUDGETS } from './request.js';
import { parseGeminiResponse } from './response.js';

const convert = (over: Partial<ChatRequest>) => convertToGeminiRequest(baseRequest(over));
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

describe('convertToGeminiRequest — messages', () => {
  it('system messages → systemInstruction; assistant → model role', () => {
    const body = convert({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
        user('hi'),
        { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
        { role: 'system', content: [{ type: 'text', text: 'Also polite.' }] },
        user('how are you'),
      ],
    });
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Also polite.' }] });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'model', parts: [{ text: 'hello' }] },
      { role: 'user', parts: [{ text: 'how are you' }] },
    ]);
  });

  it('consecutive same-role turns are merged (Gemini wants alternating turns)', () => {
    const body = convert({
      messages: [user('a'), user('b'), { role: 'assistant', content: [{ type: 'text', text: 'c' }] }, { role: 'assistant', content: [{ type: 'text', text: 'd' }] }],
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] },
    ]);
  });

  it('tool results → functionResponse in a user turn, name looked up from the earlier call id, merged with a following user message', () => {
    const body = convert({
      messages: [
        user('weather?'),
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: '{"temp":21}' }] },
        user('and tomorrow?'),
      ],
    });
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'weather?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }, { text: 'and tomorrow?' }] },
    ]);
  });

  it('a non-object tool result is wrapped in {result}; an error result in {error}; toolName wins', () => {
    const body = convert({
      messages: [
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'x', toolName: 'add', content: '42' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'y', toolName: 'echo', content: 'plain text' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'z', toolName: 'list', content: '[1,2]' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'w', toolName: 'boom', content: 'disk full', isError: true }] },
      ],
    });
    expect(body.contents[0]!.parts).toEqual([
      { functionResponse: { name: 'add', response: { result: '42' } } },
      { functionResponse: { name: 'echo', response: { result: 'plain text' } } },
      { functionResponse: { name: 'list', response: { result: '[1,2]' } } },
      { functionResponse: { name: 'boom', response: { error: 'disk full' } } },
    ]);
  });

  it('tool result blocks: texts joined into the response, images follow as parts', () => {
    const body = convert({
      messages: [
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'x',
              toolName: 'shot',
              content: [
                { type: 'text', text: 'line 1' },
                { type: 'image', data: 'AAAA', mediaType: 'image/png' },
                { type: 'text', text: 'line 2' },
              ],
            },
          ],
        },
      ],
    });
    expect(body.contents[0]!.parts).toEqual([
      { functionResponse: { name: 'shot', response: { result: 'line 1\nline 2' } } },
      { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
    ]);
  });

  it('a tool result whose name cannot be found is a 400 GeminiRequestError', () => {
    const run = () => convert({ messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'ghost', content: 'x' }] }] });
    expect(run).toThrow(GeminiRequestError);
    expect(run).toThrow(/ghost/);
    try {
      run();
    } catch (e) {
      expect((e as GeminiRequestError).status).toBe(400);
    }
  });

  it('invalid tool-call arguments JSON is a 400, empty arguments become {}', () => {
    expect(() => convert({ messages: [{ role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: '{"x":' }] }] })).toThrow(GeminiRequestError);
    expect(convert({ messages: [{ role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: '' }] }] }).contents[0]!.parts).toEqual([
      { functionCall: { name: 'f', args: {} } },
    ]);
  });

  it('thoughtSignature round-trips: parse the recorded reply, send it back, the signature sits on the functionCall part', () => {
    const fixture = fixtureJson('gemini-unary-thinking-function-call.json') as any;
    const signature = fixture.candidates[0].content.parts[1].thoughtSignature;
    const reply = parseGeminiResponse(fixture, baseRequest());
    const call = reply.content.find((p) => p.type === 'tool-call')!;
    const body = convert({
      messages: [
        user('How many days until New Year’s Eve?'),
        { role: 'assistant', content: reply.content },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: call.type === 'tool-call' ? call.id : '', content: '2025-07-28' }] },
      ],
    });
    const model = body.contents[1]!;
    expect(model.role).toBe('model');
    expect(model.parts[0]).toMatchObject({ thought: true });
    expect(model.parts[1]).toEqual({ functionCall: { name: 'now', args: {} }, thoughtSignature: signature });
    expect(body.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'now', response: { result: '2025-07-28' } } }] });
  });

  it('reasoning goes back as thought text without its (possibly foreign) signature; redacted reasoning is dropped', () => {
    const body = convert({
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'thinking…', signature: 'anthropic-sig' },
            { type: 'reasoning', text: '', redactedData: 'opaque' },
            { type: 'text', text: 'answer' },
          ],
        },
      ],
    });
    expect(body.contents[0]!.parts).toEqual([{ text: 'thinking…', thought: true }, { text: 'answer' }]);
  });

  it('a flat providerMetadata.thoughtSignature is accepted too', () => {
    const body = convert({ messages: [{ role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: '{}', providerMetadata: { thoughtSignature: 'flat' } }] }] });
    expect(body.contents[0]!.parts[0]!.thoughtSignature).toBe('flat');
  });

  it('images: base64 → inlineData; http URL → fileData with a guessed mimeType; data: URL → inlineData', () => {
    const body = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', data: 'iVBOR', mediaType: 'image/png' },
            { type: 'image', url: 'https://example.com/cat.webp?x=1' },
            { type: 'image', url: 'https://example.com/photo', mediaType: 'image/gif' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
          ],
        },
      ],
    });
    expect(body.contents[0]!.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?x=1' } },
      { fileData: { mimeType: 'image/gif', fileUri: 'https://example.com/photo' } },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
    ]);
  });

  it('empty assistant text and empty messages produce no empty turns', () => {
    const body = convert({ messages: [user('a'), { role: 'assistant', content: [{ type: 'text', text: '' }] }, user('b')] });
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });
});

describe('convertToGeminiRequest — tools, tool choice, generation config', () => {
  const tool = { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } };

  it('tools → one functionDeclarations entry with parametersJsonSchema (plain JSON Schema kept intact)', () => {
    const body = convert({ tools: [tool, { name: 'now', parameters: { type: 'object', properties: {} } }] });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather', parametersJsonSchema: tool.parameters },
          { name: 'now', parametersJsonSchema: { type: 'object', properties: {} } },
        ],
      },
    ]);
  });

  it.each([
    [{ type: 'auto' }, { mode: 'AUTO' }],
    [{ type: 'required' }, { mode: 'ANY' }],
    [{ type: 'none' }, { mode: 'NONE' }],
    [{ type: 'tool', name: 'get_weather' }, { mode: 'ANY', allowedFunctionNames: ['get_weather'] }],
  ] as const)('toolChoice %j → %j', (choice, config) => {
    expect(convert({ tools: [tool], toolChoice: choice }).toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('no tools, no toolChoice, no options → only contents', () => {
    expect(convert({})).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });

  it('sampling options → generationConfig', () => {
    const body = convert({ temperature: 1.5, topP: 0.9, topK: 40, maxTokens: 256, stop: ['END'], n: 2, seed: 7, presencePenalty: 0.5, frequencyPenalty: -0.5 });
    expect(body.generationConfig).toEqual({
      temperature: 1.5,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 256,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
    });
  });

  it('responseFormat: json_object → application/json; json_schema → plus responseJsonSchema; text → nothing', () => {
    expect(convert({ responseFormat: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    expect(convert({ responseFormat: { type: 'json_schema', name: 'x', schema } }).generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema });
    expect(convert({ responseFormat: { type: 'text' } }).generationConfig).toBeUndefined();
  });

  it.each(Object.entries(GEMINI_THINKING_BUDGETS))('reasoningEffort %s → thinkingBudget %i with includeThoughts', (effort, budget) => {
    expect(convert({ reasoningEffort: effort as any }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: budget, includeThoughts: true } });
  });

  it('reasoningBudgetTokens wins over reasoningEffort', () => {
    expect(convert({ reasoningEffort: 'low', reasoningBudgetTokens: 3000 }).generationConfig?.thinkingConfig).toEqual({ thinkingBudget: 3000, includeThoughts: true });
  });

  it('fields Gemini cannot express are dropped, not sent', () => {
    const body = convert({ user: 'u1', metadata: { a: 'b' }, parallelToolCalls: false });
    expect(Object.keys(body)).toEqual(['contents']);
  });
});

describe('convertToGeminiRequest — function calls without a thought signature', () => {
  const calls = (sig?: string): Message[] => [
    user('Weather in Paris and Rome?'),
    {
      role: 'assistant',
      content: [
        { type: 'tool-call', id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}', ...(sig ? { providerMetadata: { gemini: { thoughtSignature: sig } } } : {}) },
        { type: 'tool-call', id: 'c2', name: 'get_weather', arguments: '{"city":"Rome"}' },
      ],
    },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', content: '18' }, { type: 'tool-result', toolCallId: 'c2', content: '20' }] },
  ];
  const sigs = (body: ReturnType<typeof convert>) => body.contents[1]!.parts.map((p) => p.thoughtSignature);

  it('Gemini 3 (which answers 400 without one): the first call of the turn gets the documented stand-in', () => {
    expect(sigs(convert({ model: 'gemini-3-flash-preview', messages: calls() }))).toEqual(['skip_thought_signature_validator', undefined]);
    expect(sigs(convert({ model: 'gemini-flash-latest', messages: calls() }))).toEqual(['skip_thought_signature_validator', undefined]);
  });

  it('a real signature is kept; Gemini 2.x (no validation) gets nothing added', () => {
    expect(sigs(convert({ model: 'gemini-3-pro-preview', messages: calls('CtkBreal') }))).toEqual(['CtkBreal', undefined]);
    expect(sigs(convert({ model: 'gemini-2.5-flash', messages: calls() }))).toEqual([undefined, undefined]);
  });
});
