import { describe, expect, it } from 'vitest';
import { responsesToInternal } from './to-internal.js';

describe('responsesToInternal', () => {
  it('instructions and developer messages are system; assistant items in a row are one turn; outputs are tool results', () => {
    const req = responsesToInternal({
      model: 'm',
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Use metric.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'think' }], encrypted_content: 'sig' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me look.', annotations: [] }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
      ],
      tool_choice: { type: 'function', name: 'get_weather' },
      text: { format: { type: 'json_object' } },
      reasoning: { effort: 'high' },
      max_output_tokens: 99,
      metadata: { a: 'b' },
    });
    expect(req.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'system', content: [{ type: 'text', text: 'Use metric.' }] },
      { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', mediaType: 'image/png', data: 'AAAA', detail: 'low' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'think', signature: 'sig' },
          { type: 'text', text: 'Let me look.' },
          { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: 'sunny' }] },
    ]);
    expect(req).toMatchObject({ toolChoice: { type: 'tool', name: 'get_weather' }, responseFormat: { type: 'json_object' }, reasoningEffort: 'high', maxTokens: 99, metadata: { a: 'b' } });
  });

  it('an effort the internal form has no word for is left to the provider default', () => {
    expect(responsesToInternal({ model: 'm', input: 'x', reasoning: { effort: 'none' } }).reasoningEffort).toBeUndefined();
  });
});
