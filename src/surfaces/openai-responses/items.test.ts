import { describe, expect, it } from 'vitest';
import { historyOf, normaliseInput } from './items.js';

describe('normaliseInput', () => {
  it('a string is one user message; items get a type, an id and a status; string content one text part', () => {
    expect(normaliseInput('hi')).toEqual([{ type: 'message', id: expect.stringMatching(/^msg_[0-9a-f]{32}$/), status: 'completed', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]);
    const [dev, assistant, call, output, reasoning] = normaliseInput([
      { role: 'developer', content: 'Use metric.' },
      { role: 'assistant', content: 'Sure.' },
      { type: 'function_call', id: 'fc_1', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'ok' },
      { type: 'reasoning', summary: [] },
    ]);
    expect(dev).toMatchObject({ type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Use metric.' }] });
    expect(assistant).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Sure.', annotations: [] }] });
    expect(call).toEqual({ type: 'function_call', id: 'fc_1', status: 'completed', call_id: 'c1', name: 'f', arguments: '{}' });
    expect(output).toMatchObject({ type: 'function_call_output', id: expect.stringMatching(/^fco_/), status: 'completed' });
    expect(reasoning).toEqual({ type: 'reasoning', id: expect.stringMatching(/^rs_/), summary: [] });
  });
});

describe('historyOf', () => {
  it('input items then output items; the ids of the client’s own items are dropped, the model’s kept', () => {
    const input = normaliseInput([{ role: 'user', content: 'q' }, { type: 'function_call', id: 'fc_1', call_id: 'c1', name: 'f', arguments: '{}' }, { type: 'function_call_output', call_id: 'c1', output: 'ok' }]);
    const output = [{ id: 'msg_9', type: 'message', role: 'assistant', status: 'completed', content: [] }];
    const h = historyOf(input, output);
    expect(h.map((i) => [i.type, i.id])).toEqual([
      ['message', undefined],
      ['function_call', 'fc_1'],
      ['function_call_output', undefined],
      ['message', 'msg_9'],
    ]);
  });
});
