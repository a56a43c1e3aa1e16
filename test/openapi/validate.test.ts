/**
 * The validator itself: OpenAI's own recorded responses and streams pass, and values that break
 * the schema are caught (so a clean run elsewhere means something).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateOpenAI } from './validate.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/openai/${name}`, import.meta.url), 'utf8');
const chunksOf = (sse: string) =>
  sse
    .split('\n\n')
    .map((f) => f.replace(/^data: /, '').trim())
    .filter((d) => d && d !== '[DONE]')
    .map((d) => JSON.parse(d));

describe('validateOpenAI', () => {
  it.each(['openai-stream-text-usage.sse', 'openai-stream-tool-call-usage.sse', 'openai-stream-parallel-tool-calls.sse'])(
    'accepts every chunk of the recorded stream %s (usage:null, finish_reason:null included)',
    (name) => {
      const chunks = chunksOf(fixture(name));
      expect(chunks.length).toBeGreaterThan(5);
      for (const c of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', c)).toEqual([]);
    },
  );

  it('accepts the documented chat.completion example', () => {
    expect(validateOpenAI('CreateChatCompletionResponse', JSON.parse(fixture('openai-response-text.json')))).toEqual([]);
  });

  it('is as strict as the schema: the docs tool-call example omits the required message.refusal', () => {
    // OpenAI's own docs example is incomplete; the schema (and so our check) requires `refusal`.
    const res = JSON.parse(fixture('openai-response-tool-calls.json'));
    expect(validateOpenAI('CreateChatCompletionResponse', res)).toEqual([expect.stringMatching(/message must have required property 'refusal'/)]);
    res.choices[0].message.refusal = null;
    expect(validateOpenAI('CreateChatCompletionResponse', res)).toEqual([]);
  });

  it('allows tollgate extras (usage.cost, usage.estimated): OpenAI does not forbid extra properties', () => {
    const res = JSON.parse(fixture('openai-response-text.json'));
    res.usage.cost = 0.000123;
    res.usage.estimated = true;
    expect(validateOpenAI('CreateChatCompletionResponse', res)).toEqual([]);
  });

  it('rejects what OpenAI would never send', () => {
    const res = JSON.parse(fixture('openai-response-text.json'));
    delete res.choices;
    expect(validateOpenAI('CreateChatCompletionResponse', res).join()).toMatch(/choices/);
    const chunk = chunksOf(fixture('openai-stream-text-usage.sse'))[1];
    expect(validateOpenAI('CreateChatCompletionStreamResponse', { ...chunk, system_fingerprint: null }).join()).toMatch(/system_fingerprint/);
    expect(validateOpenAI('CreateChatCompletionStreamResponse', { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'done' }] })).not.toEqual([]);
    expect(validateOpenAI('ErrorResponse', { error: { message: 'x', type: 'y', code: null } }).join()).toMatch(/param/);
    expect(validateOpenAI('ErrorResponse', { error: { message: 'x', type: 'y', code: null, param: null } })).toEqual([]);
    expect(validateOpenAI('ListModelsResponse', { object: 'list', data: [{ id: 'a', object: 'model', owned_by: 'x' }] }).join()).toMatch(/created/);
  });
});
