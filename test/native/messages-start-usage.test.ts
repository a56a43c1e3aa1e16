/**
 * `message_start` usage on the Anthropic surface in front of Gemini (issue #11): Gemini tells the
 * prompt size on its first chunk (`promptTokenCount`), so an Anthropic SDK client streaming
 * `/v1/messages` gets the real `input_tokens` in `message_start`, not 0. The upstream replays
 * the recorded Gemini stream (providers/gemini/__fixtures__/gemini-stream-text.sse).
 */
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startGeminiMock } from '../mocks/gemini.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { SECRETS, providerYaml } from './helpers.js';

const RECORDED = readFileSync(new URL('../../providers/gemini/__fixtures__/gemini-stream-text.sse', import.meta.url), 'utf8');
/** The recording's frames as they came on the wire (`data: {…}` + blank line). */
const FRAMES = RECORDED.split('\n\n')
  .filter((f) => f.trim())
  .map((f) => `${f}\n\n`);

let gemini: HttpMock;
let gw: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  gemini = await startGeminiMock(() => ({ sse: FRAMES, chunkDelayMs: 5 }));
  gw = await startGateway(providerYaml('gemini', gemini.url));
  client = new Anthropic({ baseURL: gw.url, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await gemini?.close();
});

describe('/v1/messages stream in front of Gemini', () => {
  it("message_start carries Gemini's promptTokenCount as input_tokens; the end carries the output", async () => {
    const stream = await client.messages.create({
      model: 'gemini/gemini-3.1-flash-lite',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'What is the capital of Wyoming?' }],
    });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const ev of stream) events.push(ev);

    expect(events[0]!.type).toBe('message_start');
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.message.usage.input_tokens).toBe(7);
    expect(start.message.usage.output_tokens).toBe(0);
    // message_start comes before any content
    expect(events.findIndex((e) => e.type === 'content_block_start')).toBeGreaterThan(0);

    const text = events.flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : [])).join('');
    expect(text).toBe('The capital of Wyoming is **Cheyenne**.\n');
    const last = events.filter((e) => e.type === 'message_delta').at(-1) as Anthropic.RawMessageDeltaEvent;
    expect(last.usage).toMatchObject({ input_tokens: 7, output_tokens: 10 });
    expect(last.delta.stop_reason).toBe('end_turn');

    const up = gemini.requests.at(-1)!;
    expect(up.path).toBe('/v1beta/models/gemini-3.1-flash-lite:streamGenerateContent?alt=sse');
    expect(up.headers['x-goog-api-key']).toBe(SECRETS.gemini);
    expect(up.body.contents).toEqual([{ role: 'user', parts: [{ text: 'What is the capital of Wyoming?' }] }]);
  });

  it("the SDK's stream helper reports the prompt size from the first event on", async () => {
    const s = client.messages.stream({ model: 'gemini/gemini-3.1-flash-lite', max_tokens: 64, messages: [{ role: 'user', content: 'Wyoming?' }] });
    const seen: number[] = [];
    s.on('streamEvent', (_ev, snapshot) => seen.push(snapshot.usage.input_tokens));
    const final = await s.finalMessage();
    expect(seen[0]).toBe(7);
    expect(seen.every((n) => n === 7)).toBe(true);
    expect(final.usage).toMatchObject({ input_tokens: 7, output_tokens: 10 });
  });
});
