import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../types.js';
import { fixtureJson } from './__fixtures__/load.js';
import { parseMistralResponse } from './response.js';

const req: ChatRequest = { model: 'mistral-small-latest', messages: [], stream: false };

describe('parseMistralResponse', () => {
  it('reads the recorded text response', () => {
    const res = parseMistralResponse(fixtureJson('mistral-response-text.json'), req);
    expect(res.id).toBe('5319bd0299614c679a0068a4f2c8ffd0');
    expect(res.model).toBe('mistral-small-latest');
    expect(res.created).toBe(1769088720);
    expect(res.content).toHaveLength(1);
    expect(res.content[0]).toMatchObject({ type: 'text' });
    expect((res.content[0] as { text: string }).text).toMatch(/^\*\*Holiday Name: "World Kindness Day of Sharing"\*\*/);
    expect((res.content[0] as { text: string }).text.endsWith('What would you share? \u{1F60A}')).toBe(true);
    expect(res.finish).toEqual({ unified: 'stop', raw: 'stop' });
    expect(res.usage).toEqual({ inputTokens: 13, outputTokens: 434 });
  });

  it('reads the recorded tool call (no "type" on the wire) with its 9-character id', () => {
    const res = parseMistralResponse(fixtureJson('mistral-response-tool-call.json'), req);
    expect(res.content).toEqual([{ type: 'tool-call', id: 'gSIMJiOkT', name: 'weather', arguments: '{"location": "San Francisco"}' }]);
    expect(res.finish).toEqual({ unified: 'tool_calls', raw: 'tool_calls' });
    expect(res.usage).toEqual({ inputTokens: 124, outputTokens: 22 });
  });

  it('reasoning models send content arrays: thinking → reasoning part, text → text part', () => {
    const res = parseMistralResponse(fixtureJson('mistral-response-reasoning-content-array.handmade.json'), req);
    expect(res.model).toBe('magistral-medium-2507');
    expect(res.content).toEqual([
      { type: 'reasoning', text: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.' },
      { type: 'text', text: '2 + 2 = 4' },
    ]);
  });

  it('keeps a thinking signature and skips unknown chunk types', () => {
    const res = parseMistralResponse(
      {
        id: 'x',
        choices: [
          {
            finish_reason: 'stop',
            message: {
              content: [
                { type: 'thinking', thinking: [{ type: 'text', text: 'a' }, { type: 'reference', reference_ids: [1] }, { type: 'text', text: 'b' }], signature: 'sig' },
                { type: 'reference', reference_ids: [2] },
                { type: 'text', text: 'answer' },
              ],
            },
          },
        ],
      },
      req,
    );
    expect(res.content).toEqual([
      { type: 'reasoning', text: 'ab', signature: 'sig' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('normalises object arguments to a JSON string, and missing arguments to {}', () => {
    const res = parseMistralResponse(
      {
        id: 'r1',
        choices: [
          {
            finish_reason: 'tool_calls',
            message: { content: null, tool_calls: [{ id: 'aB3dE5gH7', function: { name: 'weather', arguments: { location: 'Lyon' } } }, { function: { name: 'time' } }] },
          },
        ],
      },
      req,
    );
    expect(res.content[0]).toEqual({ type: 'tool-call', id: 'aB3dE5gH7', name: 'weather', arguments: '{"location":"Lyon"}' });
    expect(res.content[1]).toMatchObject({ type: 'tool-call', name: 'time', arguments: '{}' });
    // a call without an id still gets one, valid for Mistral when replayed
    expect((res.content[1] as { id: string }).id).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it('maps model_length to length, raw kept', () => {
    const res = parseMistralResponse({ id: 'r', model: 'm', created: 1, choices: [{ finish_reason: 'model_length', message: { content: 'cut' } }] }, req);
    expect(res.finish).toEqual({ unified: 'length', raw: 'model_length' });
  });

  it('tolerates unknown fields and a missing usage/model', () => {
    const res = parseMistralResponse({ id: 'r', surprise: { a: 1 }, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok', extra: true } }] }, req);
    expect(res.content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(res.model).toBe('mistral-small-latest');
    expect(res.usage).toBeUndefined();
  });

  it('throws a clear error on missing choices or a non-object body', () => {
    expect(() => parseMistralResponse({ id: 'r', choices: [] }, req)).toThrow(/no choices\[0\]/);
    expect(() => parseMistralResponse({ id: 'r' }, req)).toThrow(/no choices\[0\]/);
    expect(() => parseMistralResponse('{"truncated', req)).toThrow(/not a JSON object \(got string\)/);
    expect(() => parseMistralResponse(null, req)).toThrow(/not a JSON object \(got null\)/);
  });
});
