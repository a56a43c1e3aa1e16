/**
 * Proves the Anthropic mock speaks the real wire format: the official SDK, which validates
 * nothing but parses everything the way it parses api.anthropic.com, is run against it.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpMock } from './http-mock.js';
import {
  anthropicApiKeyOf,
  anthropicError,
  anthropicMessage,
  anthropicStream,
  anthropicStreamErrorFrame,
  anthropicStreamFrames,
  defaultAnthropicHandler,
  startAnthropicMock,
} from './anthropic.js';

let mock: HttpMock;
let client: Anthropic;

beforeAll(async () => {
  mock = await startAnthropicMock();
  client = new Anthropic({ apiKey: 'sk-ant-test-key', baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.setHandler(defaultAnthropicHandler));

const ask = (text: string) => ({ model: 'claude-test-model', max_tokens: 100, messages: [{ role: 'user' as const, content: text }] });

describe('Anthropic mock, read by the official SDK', () => {
  it('messages.create (non-stream) echoes the last user text with deterministic usage', async () => {
    const msg = await client.messages.create({
      model: 'claude-test-model',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'first question here' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'hello mock world' }] },
      ],
    });
    expect(msg.content).toEqual([{ type: 'text', text: 'hello mock world' }]);
    expect(msg.model).toBe('claude-test-model');
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage).toMatchObject({ input_tokens: 7, output_tokens: 3, cache_read_input_tokens: 0 });
    const seen = mock.requests.at(-1)!;
    expect(seen.path).toBe('/v1/messages');
    // SDK 1.x sends the key as `Authorization: Bearer`; the gateway sends `x-api-key`. Both count.
    expect(anthropicApiKeyOf(seen)).toBe('sk-ant-test-key');
    // SDK 1.14 sends a newer version date (2026-10-21) than the adapter's 2023-06-01; any date goes.
    expect(seen.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('messages.stream().finalMessage() assembles the streamed echo; usage taken as cumulative', async () => {
    const stream = client.messages.stream(ask('stream these four words'));
    const deltas: string[] = [];
    stream.on('text', (t) => deltas.push(t));
    const msg = await stream.finalMessage();
    expect(mock.requests.at(-1)!.body.stream).toBe(true);
    expect(deltas).toEqual(['stream ', 'these ', 'four ', 'words']);
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'stream these four words' })]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.input_tokens).toBe(4);
    expect(msg.usage.output_tokens).toBe(4);
  });

  it('a scripted tool_use reply (non-stream)', async () => {
    mock.setHandler(() => anthropicMessage({ text: 'Checking.', toolUses: [{ id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } }] }));
    const msg = await client.messages.create(ask('weather?'));
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content[1]).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } });
  });

  it('a scripted tool_use stream with thinking: the SDK rebuilds input from input_json_delta fragments', async () => {
    mock.setHandler(() =>
      anthropicStream(
        { thinking: 'Two cities.', text: 'On it.', toolUses: [{ name: 'get_weather', input: { location: 'Paris', units: 'c' } }, { name: 'get_weather', input: { location: 'Rome' } }] },
        { splitJson: 3 },
      ),
    );
    const msg = await client.messages.stream(ask('weather?')).finalMessage();
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use', 'tool_use']);
    expect(msg.content[0]).toMatchObject({ type: 'thinking', thinking: 'Two cities.', signature: expect.any(String) });
    expect(msg.content[2]).toMatchObject({ id: 'toolu_mock_0', input: { location: 'Paris', units: 'c' } });
    expect(msg.content[3]).toMatchObject({ id: 'toolu_mock_1', input: { location: 'Rome' } });
    expect(msg.stop_reason).toBe('tool_use');
  });

  it('errors in Anthropic shape reach the SDK as typed errors', async () => {
    mock.setHandler(() => anthropicError(529, 'overloaded_error', 'Overloaded'));
    const err = await client.messages.create(ask('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((err as { error?: any }).error?.error?.type).toBe('overloaded_error');
  });

  it('an overloaded error event after HTTP 200 makes the SDK stream fail', async () => {
    mock.setHandler(() => ({ sse: [...anthropicStreamFrames({ text: 'partial answer' }).slice(0, 3), anthropicStreamErrorFrame()] }));
    await expect(client.messages.stream(ask('x')).finalMessage()).rejects.toThrow(/Overloaded/);
  });

  it('401 in Anthropic shape when the key is missing; x-api-key alone is accepted', async () => {
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(ask('hi')),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const ok = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'k' },
      body: JSON.stringify(ask('hi there')),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'hi there' }], usage: { input_tokens: 2, output_tokens: 2 } });
  });

  it('messages.countTokens: {input_tokens} = words in system + messages; max_tokens is refused as Anthropic does', async () => {
    const n = await client.messages.countTokens({ model: 'claude-test-model', system: 'be brief', messages: [{ role: 'user', content: 'count these three' }] });
    expect(n).toEqual({ input_tokens: 5 });
    expect(mock.requests.at(-1)!.path).toBe('/v1/messages/count_tokens');
    const extra = await fetch(`${mock.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ ...ask('x') }),
    });
    expect(extra.status).toBe(400);
  });
});
