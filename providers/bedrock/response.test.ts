import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types.js';
import { fixtureJson } from './fixtures.test-helper.js';
import { parseConverseResponse } from './response.js';
import { mapConverseStopReason } from './finish-reason.js';
import { convertConverseUsage } from './usage.js';

const req: ChatRequest = { model: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [], stream: false };

describe('parseConverseResponse', () => {
  it('reads a text answer with its usage and stop reason', () => {
    const res = parseConverseResponse(fixtureJson('converse-response-text.handmade.json'), req);
    expect(res.content).toEqual([{ type: 'text', text: 'Hello! How can I help you today?' }]);
    expect(res.finish).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(res.usage).toEqual({ inputTokens: 12, outputTokens: 9 });
    expect(res.model).toBe(req.model);
    expect(res.id).toMatch(/^bedrock-[a-z0-9]+$/);
  });

  it('turns toolUse into a tool call whose arguments are JSON text', () => {
    const res = parseConverseResponse(fixtureJson('converse-response-tool-use.handmade.json'), req);
    expect(res.content[1]).toEqual({ type: 'tool-call', id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' });
    expect(res.finish.unified).toBe('tool_calls');
  });

  it('keeps reasoning with its signature, redacted reasoning, and cache reads/writes in the prompt total', () => {
    const res = parseConverseResponse(fixtureJson('converse-response-reasoning-cache.handmade.json'), req);
    expect(res.content).toEqual([
      { type: 'reasoning', text: 'The user asks for 17 * 23. 17 * 20 = 340, 17 * 3 = 51, total 391.', signature: 'EqoBCkgIARABGAIiQLlY9Hq1' },
      { type: 'reasoning', text: '', redactedData: 'RXJyb3IgcmVkYWN0ZWQ=' },
      { type: 'text', text: '17 × 23 = 391.' },
    ]);
    // 25 uncached + 1536 read + 512 written = 2073: the whole prompt, as OpenAI's prompt_tokens counts it.
    expect(res.usage).toEqual({ inputTokens: 2073, outputTokens: 120, cachedInputTokens: 1536, cacheWriteTokens: 512 });
    expect(res.finish).toEqual({ unified: 'length', raw: 'max_tokens' });
  });

  it('refuses a body without output.message.content, quoting it', () => {
    expect(() => parseConverseResponse({ message: 'oops' }, req)).toThrow(/no output\.message\.content: \{"message":"oops"\}/);
  });
});

describe('mapConverseStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['constructor', 'other'],
    [undefined, 'other'],
  ])('%s → %s', (raw, unified) => {
    expect(mapConverseStopReason(raw)).toEqual({ unified, raw: raw ?? null });
  });
});

describe('convertConverseUsage', () => {
  it('needs both counts, and ignores negative or non-finite cache counts', () => {
    expect(convertConverseUsage({ inputTokens: 5 })).toBeUndefined();
    expect(convertConverseUsage(null)).toBeUndefined();
    expect(convertConverseUsage({ inputTokens: 5, outputTokens: 2, cacheReadInputTokens: -1, cacheWriteInputTokens: Infinity })).toEqual({ inputTokens: 5, outputTokens: 2 });
  });
});
