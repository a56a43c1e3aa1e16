import { describe, expect, it } from 'vitest';
import type { Usage } from '../types.js';
import { fixtureFrames, fixtureJson } from './__fixtures__/load.js';
import { anthropicUsageFromBody, sniffAnthropicStreamUsage } from './passthrough-usage.js';

const sniffAll = (name: string) =>
  fixtureFrames(name).reduce<Usage | undefined>((prev, f) => sniffAnthropicStreamUsage(f, prev) ?? prev, undefined);

describe('pass-through usage observation', () => {
  it('usageFromBody reads the recorded response', () => {
    expect(anthropicUsageFromBody(fixtureJson('anthropic-response-text-usage.json'))).toEqual({
      inputTokens: 406,
      outputTokens: 50,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(anthropicUsageFromBody({ id: 'x' })).toBeUndefined();
    expect(anthropicUsageFromBody('garbage')).toBeUndefined();
  });

  it('message_delta usage is cumulative: sniffing the text stream ends at 11 in / 6 out', () => {
    expect(sniffAll('anthropic-stream-text.sse')).toEqual({ inputTokens: 11, outputTokens: 6 });
  });

  it('sniffing the tool-use stream merges message_start cache counts with the final output', () => {
    expect(sniffAll('anthropic-stream-tool-use.sse')).toEqual({ inputTokens: 377, outputTokens: 65, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });

  it('frames that cannot carry usage are not looked at', () => {
    expect(sniffAnthropicStreamUsage({ event: 'content_block_delta', data: '{"usage":{"output_tokens":999}}' }, undefined)).toBeUndefined();
    expect(sniffAnthropicStreamUsage({ event: 'ping', data: '{"type":"ping"}' }, undefined)).toBeUndefined();
    expect(sniffAnthropicStreamUsage({ event: 'message_delta', data: '{"usage":{"output_tokens":' }, undefined)).toBeUndefined();
  });

  it('a stream without usage (thinking docs example) yields nothing', () => {
    expect(sniffAll('anthropic-stream-thinking.docs.sse')).toBeUndefined();
  });

  it('frames without event names are read by data.type', () => {
    const prev = sniffAnthropicStreamUsage({ data: '{"type":"message_start","message":{"usage":{"input_tokens":4,"output_tokens":1}}}' }, undefined);
    expect(sniffAnthropicStreamUsage({ data: '{"type":"message_delta","delta":{},"usage":{"output_tokens":9}}' }, prev)).toEqual({ inputTokens: 4, outputTokens: 9 });
  });

  it('message_start usage is a running count (partial) until message_delta gives the final one', () => {
    const start = sniffAnthropicStreamUsage({ event: 'message_start', data: '{"type":"message_start","message":{"usage":{"input_tokens":4,"output_tokens":1}}}' }, undefined);
    expect(start).toEqual({ inputTokens: 4, outputTokens: 1, partial: true });
    expect(sniffAnthropicStreamUsage({ event: 'message_delta', data: '{"type":"message_delta","delta":{},"usage":{"output_tokens":9}}' }, start)).toEqual({ inputTokens: 4, outputTokens: 9 });
  });
});
