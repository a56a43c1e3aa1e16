import { describe, expect, it } from 'vitest';
import { StreamAssembler } from './assemble-stream.js';
import { Budget, CUT_TAIL } from './assembly.js';

const data = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const event = (type: string, o: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...o })}\n\n`;

describe('StreamAssembler', () => {
  it('OpenAI chunks → chat.completion: choices of n > 1, tool calls joined, usage; bytes split mid-character', () => {
    const a = new StreamAssembler('chat', new Budget(1e6));
    const frames = [
      data({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt', choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }),
      data({ id: 'c1', choices: [{ index: 0, delta: { content: 'héllo ' } }, { index: 1, delta: { role: 'assistant', content: 'two' } }] }),
      data({ id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a"' } }] } }] }),
      data({ id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] } }] }),
      data({ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }, { index: 1, delta: {}, finish_reason: 'stop' }] }),
      data({ id: 'c1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } }),
      'data: [DONE]\n\n',
    ];
    const bytes = Buffer.from(frames.join(''));
    const cutAt = bytes.indexOf(Buffer.from('é')) + 1; // inside the two bytes of é
    a.feed(bytes.subarray(0, cutAt));
    a.feed(bytes.subarray(cutAt));
    const r = a.result();
    expect(r.cut).toBe(false);
    expect(JSON.parse(r.text)).toEqual({
      id: 'c1',
      created: 1,
      model: 'gpt',
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'héllo ', refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, logprobs: null, finish_reason: 'tool_calls' },
        { index: 1, message: { role: 'assistant', content: 'two', refusal: null }, logprobs: null, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4 },
    });
  });

  it('Anthropic events → message: text, thinking + signature, tool_use input parsed, stop reason and usage merged', () => {
    const a = new StreamAssembler('messages', new Budget(1e6));
    a.feed(event('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [], stop_reason: null, usage: { input_tokens: 9, output_tokens: 1 } } }));
    a.feed(event('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }));
    a.feed(event('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }));
    a.feed(event('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'sig' } }));
    a.feed(event('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }));
    a.feed(event('ping', {}));
    a.feed(event('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'Hi' } }));
    a.feed(event('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'tu_1', name: 'get', input: {} } }));
    a.feed(event('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } }));
    a.feed(event('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }));
    a.feed(event('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 12 } }));
    a.feed(event('message_stop', {}));
    expect(JSON.parse(a.result().text)).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 9, output_tokens: 12 },
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'text', text: 'Hi' },
        { type: 'tool_use', id: 'tu_1', name: 'get', input: { city: 'Paris' } },
      ],
    });
  });

  it('a stream that failed keeps its error; a prompt stream stores its done object as sent', () => {
    const o = new StreamAssembler('chat', new Budget(1e6));
    o.feed(data({ id: 'c', choices: [{ index: 0, delta: { content: 'part' } }] }));
    o.feed(`event: error\ndata: ${JSON.stringify({ error: { message: 'cut', type: 'api_error' } })}\n\n`);
    expect(JSON.parse(o.result().text)).toMatchObject({ choices: [{ message: { content: 'part' }, finish_reason: null }], error: { message: 'cut' } });

    const p = new StreamAssembler('prompt', new Budget(1e6));
    const done = JSON.stringify({ output: 'Hello', model: 'm', usage: { total_tokens: 3 }, prompt: { name: 'p', version: '1' } });
    p.feed(`event: start\ndata: {"model":"m"}\n\nevent: delta\ndata: {"text":"Hello"}\n\nevent: done\ndata: ${done}\n\n`);
    expect(p.result()).toEqual({ text: done, cut: false });
  });

  it('over budget: text is dropped, the field marked cut and its tail trimmed (no half secret is kept)', () => {
    const a = new StreamAssembler('chat', new Budget(CUT_TAIL + 100));
    const half = 'tg_ABCDEFGHIJKLMNOPQRST';
    a.feed(data({ choices: [{ index: 0, delta: { content: 'x'.repeat(CUT_TAIL + 100 - half.length) + half } }] }));
    a.feed(data({ choices: [{ index: 0, delta: { content: 'UVWXYZabcdefghijklmnop' } }] }));
    a.feed(data({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }));
    const r = a.result();
    expect(r.cut).toBe(true);
    const content = JSON.parse(r.text).choices[0].message.content as string;
    expect(content).toBe('x'.repeat(100));
    expect(JSON.parse(r.text).choices[0].finish_reason).toBe('length');
  });
});
