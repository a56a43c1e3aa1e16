import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import { fixtureFrames, fixtureJson } from './__fixtures__/load.js';
import { mistralAdapter } from './index.js';

const cfg: ProviderConfig = {
  name: 'mistral',
  type: 'mistral',
  baseUrl: 'https://api.mistral.ai/',
  apiKey: 'sk-test',
  headers: { 'x-extra': '1' },
  options: {},
};

describe('mistralAdapter', () => {
  it("speaks the 'mistral' dialect (not 'openai': the engine must translate)", () => {
    expect(mistralAdapter.dialect).toBe('mistral');
  });

  it('endpoint: chat and embeddings under /v1, bearer auth, configured headers', () => {
    expect(mistralAdapter.endpoint(cfg, 'chat', 'mistral-small-latest', true)).toEqual({
      url: 'https://api.mistral.ai/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', 'x-extra': '1' },
    });
    expect(mistralAdapter.endpoint({ ...cfg, baseUrl: 'http://127.0.0.1:9999' }, 'embeddings', 'mistral-embed', false).url).toBe('http://127.0.0.1:9999/v1/embeddings');
    expect(mistralAdapter.endpoint({ ...cfg, apiKey: undefined }, 'chat', 'm', false).headers).not.toHaveProperty('authorization');
    expect(() => mistralAdapter.endpoint(cfg, 'completions', 'm', false)).toThrow(/completions/);
  });

  it('chat.buildRequest: POST with the converted JSON body', () => {
    const up = mistralAdapter.chat.buildRequest({ model: 'mistral-small-latest', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true, seed: 1 }, cfg);
    expect(up.method).toBe('POST');
    expect(up.url).toBe('https://api.mistral.ai/v1/chat/completions');
    expect(JSON.parse(up.body!)).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Hi' }], stream: true, random_seed: 1 });
  });

  it('usageFromBody reads a recorded response', () => {
    expect(mistralAdapter.usageFromBody(fixtureJson('mistral-response-tool-call.json'))).toEqual({ inputTokens: 124, outputTokens: 22 });
    expect(mistralAdapter.usageFromBody({})).toBeUndefined();
    expect(mistralAdapter.usageFromBody(null)).toBeUndefined();
  });

  it('sniffStreamUsage: only the finish chunk carries usage (cached tokens included)', () => {
    let usage = undefined;
    let hits = 0;
    for (const frame of fixtureFrames('mistral-stream-usage-cached-live.chunks.jsonl')) {
      const next = mistralAdapter.sniffStreamUsage(frame, usage);
      if (next) {
        usage = next;
        hits++;
      }
    }
    expect(hits).toBe(1);
    expect(usage).toEqual({ inputTokens: 19, outputTokens: 2, cachedInputTokens: 0 });
  });

  it('sniffStreamUsage ignores frames without "usage" and malformed ones', () => {
    expect(mistralAdapter.sniffStreamUsage({ data: '{"choices":[]}' }, undefined)).toBeUndefined();
    expect(mistralAdapter.sniffStreamUsage({ data: '{"usage":{"prompt_tok' }, undefined)).toBeUndefined();
    expect(mistralAdapter.sniffStreamUsage({ data: '[DONE]' }, undefined)).toBeUndefined();
  });

  it('every recorded stream replays through the adapter without an error event', () => {
    for (const name of ['mistral-stream-text.chunks.jsonl', 'mistral-stream-tool-call.chunks.jsonl', 'mistral-stream-reasoning.chunks.jsonl', 'mistral-stream-usage-cached-live.chunks.jsonl']) {
      const s = mistralAdapter.chat.stream.init({ model: 'm', messages: [], stream: true });
      const events = [...fixtureFrames(name).flatMap((f) => mistralAdapter.chat.stream.step(s, f)), ...mistralAdapter.chat.stream.end(s)];
      expect(events.map((e) => e.type), name).not.toContain('error');
      expect(events.filter((e) => e.type === 'finish'), name).toHaveLength(1);
      expect(events.at(-1)?.type, name).toBe('usage');
    }
  });
});
