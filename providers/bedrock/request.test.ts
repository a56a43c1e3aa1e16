import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types.js';
import { convertToConverseRequest } from './request.js';

const base = (over: Partial<ChatRequest>): ChatRequest => ({ model: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [], stream: false, ...over });
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('convertToConverseRequest', () => {
  it('puts system text in `system`, sampling in inferenceConfig (temperature clamped to 1), stop sequences, top_k aside', () => {
    const body = convertToConverseRequest(
      base({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        ],
        maxTokens: 200,
        temperature: 1.7,
        topP: 0.9,
        topK: 40,
        stop: ['END'],
      }),
    );
    expect(body).toEqual({
      system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      inferenceConfig: { maxTokens: 200, temperature: 1, topP: 0.9, stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 40 },
    });
  });

  it('sends images as inline bytes with their format, and refuses an image by URL', () => {
    const body = convertToConverseRequest(base({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', data: PNG, mediaType: 'image/png' }] }] }));
    expect(body.messages[0]!.content[1]).toEqual({ image: { format: 'png', source: { bytes: PNG } } });
    expect(() => convertToConverseRequest(base({ messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }] }))).toThrow(
      expect.objectContaining({ param: 'messages', message: expect.stringMatching(/inline data/) }),
    );
    expect(() => convertToConverseRequest(base({ messages: [{ role: 'user', content: [{ type: 'image', data: 'AAAA', mediaType: 'image/bmp' }] }] }))).toThrow(/png, jpeg, gif or webp/);
  });

  it('carries a tool round trip: toolSpec, toolUse with parsed input, toolResult merged into the next user turn', () => {
    const body = convertToConverseRequest(
      base({
        tools: [{ name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
        toolChoice: { type: 'required' },
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 'tooluse_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_1', content: '18°C, sunny' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_2', content: 'failed', isError: true }] },
          { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
        ],
      }),
    );
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
      toolChoice: { any: {} },
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }] },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tooluse_1', content: [{ text: '18°C, sunny' }] } },
          { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'failed' }], status: 'error' } },
          { text: 'Thanks' },
        ],
      },
    ]);
  });

  it('maps tool choices: auto, a named tool; none drops the tools unless the history uses them', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    const user = { role: 'user' as const, content: [{ type: 'text' as const, text: 'x' }] };
    expect(convertToConverseRequest(base({ tools, toolChoice: { type: 'auto' }, messages: [user] })).toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(convertToConverseRequest(base({ tools, toolChoice: { type: 'tool', name: 'f' }, messages: [user] })).toolConfig?.toolChoice).toEqual({ tool: { name: 'f' } });
    expect(convertToConverseRequest(base({ tools, toolChoice: { type: 'none' }, messages: [user] })).toolConfig).toBeUndefined();
    const withCall = [user, { role: 'assistant' as const, content: [{ type: 'tool-call' as const, id: 't', name: 'f', arguments: '{}' }] }];
    expect(() => convertToConverseRequest(base({ tools, toolChoice: { type: 'none' }, messages: withCall }))).toThrow(expect.objectContaining({ param: 'tool_choice' }));
  });

  it('refuses tool-call arguments that are not JSON', () => {
    expect(() => convertToConverseRequest(base({ messages: [{ role: 'assistant', content: [{ type: 'tool-call', id: 't', name: 'f', arguments: '{oops' }] }] }))).toThrow(/not valid JSON/);
  });

  it('turns reasoning on for Claude: thinking budget in additionalModelRequestFields, maxTokens above it, no temperature or top_k', () => {
    const body = convertToConverseRequest(base({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }], reasoningEffort: 'low', maxTokens: 1000, temperature: 0.3, topK: 5 }));
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(body.inferenceConfig).toEqual({ maxTokens: 3048 });
    expect(convertToConverseRequest(base({ messages: [], reasoningBudgetTokens: 0, reasoningEffort: 'high' })).additionalModelRequestFields).toBeUndefined();
  });

  it('sends signed reasoning back as reasoningContent, redacted as redactedContent, and drops unsigned reasoning', () => {
    const body = convertToConverseRequest(
      base({
        messages: [
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'thinking…', signature: 'sig1' },
              { type: 'reasoning', text: '', redactedData: 'UkVE' },
              { type: 'reasoning', text: 'no signature' },
              { type: 'text', text: 'Answer' },
            ],
          },
        ],
      }),
    );
    expect(body.messages[0]!.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'thinking…', signature: 'sig1' } } },
      { reasoningContent: { redactedContent: 'UkVE' } },
      { text: 'Answer' },
    ]);
  });
});
