/**
 * The conformance table: every upstream dialect behind `/v1/chat/completions` must behave the
 * same for the client. End to end: the `openai` SDK → the gateway → the provider's adapter → a
 * loopback mock speaking that provider's real wire format (test/mocks/). Each scenario runs for
 * every kind in kinds.ts, which says what that provider must receive and what it costs; what
 * only one dialect does is tested in that dialect's own file (anthropic.test.ts, …).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import { assertNoSecretRun } from '../helpers/secrets.js';
import type { HttpMock } from '../mocks/http-mock.js';
import {
  IMAGE_HTTP_URL,
  JSON_SCHEMA_FORMAT,
  PNG_DATA_URL,
  TIME_TOOL,
  WEATHER_TOOL,
  checkEveryResponse,
  drain,
  errorText,
  expectedNanos,
  gatewayFor,
  recordOf,
  usdHeader,
} from './helpers.js';
import { KINDS, type Failure } from './kinds.js';

type Message = OpenAI.ChatCompletionMessageParam;
type FunctionCall = OpenAI.ChatCompletionMessageFunctionToolCall;

checkEveryResponse();

describe.each(KINDS)('$name upstream behind /v1/chat/completions', (kind) => {
  let mock: HttpMock;
  let gw: TestGateway;
  let client: OpenAI;

  // One gateway and one mock per kind; each scenario scripts the mock's answer.
  beforeAll(async () => {
    mock = await kind.startMock();
    ({ gw, client } = await gatewayFor(kind.yaml(mock.url)));
  });
  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });
  beforeEach(() => mock.setHandler(kind.defaultHandler));

  const lastSent = () => mock.requests.at(-1)!;
  const ask = (content: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) =>
    client.chat.completions.create({ model: kind.model, messages: [{ role: 'user', content }], ...extra });
  const askStream = (content: string) => client.chat.completions.create({ model: kind.model, messages: [{ role: 'user', content }], stream: true });
  const failWith = (f: Failure) => mock.setHandler(() => f.reply);

  /** A good request right after a failure: the gateway keeps serving. */
  async function stillServes(): Promise<void> {
    mock.setHandler(kind.defaultHandler);
    expect((await ask('still alive')).choices[0]?.message.content).toBe('still alive');
  }

  describe('text', () => {
    it('non-stream: the echo comes back as a chat completion finishing stop; the upstream got its own wire request with the key', async () => {
      const user = `hello ${kind.name} from the openai sdk`;
      const res = await client.chat.completions.create({
        model: kind.model,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: user },
        ],
        max_tokens: 50,
        temperature: 0.5,
        ...kind.textParams,
      });
      expect(res.object).toBe('chat.completion');
      expect(res.choices[0]?.message).toMatchObject({ role: 'assistant', content: user });
      expect(res.choices[0]?.finish_reason).toBe('stop');
      kind.expectTextRequest(lastSent(), user);
    });

    it('stream: deltas come in the upstream pieces and order, finish_reason stop, no usage chunk unless asked', async () => {
      const deltas: string[] = [];
      const finishes: string[] = [];
      let usageSeen = false;
      for await (const chunk of await askStream('one two three four five')) {
        if (chunk.usage) usageSeen = true;
        const d = chunk.choices[0]?.delta.content;
        if (d) deltas.push(d);
        const f = chunk.choices[0]?.finish_reason;
        if (f) finishes.push(f);
      }
      expect(deltas).toEqual(kind.streamPieces);
      expect(deltas.join('')).toBe('one two three four five');
      expect(finishes).toEqual(['stop']);
      expect(usageSeen).toBe(false);
      kind.expectStreamRequest(lastSent());
    });

    it('stream: the raw SSE the client reads ends with data: [DONE], whether the upstream sends one or not', async () => {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
        body: JSON.stringify({ model: kind.model, stream: true, messages: [{ role: 'user', content: 'the quick brown fox jumps' }] }),
      });
      const raw = await res.text();
      expect(raw.trimEnd().endsWith('data: [DONE]')).toBe(true);
      const text = raw
        .split('\n\n')
        .filter((f) => f.startsWith('data: {'))
        .map((f) => JSON.parse(f.slice(6)).choices[0]?.delta?.content ?? '')
        .join('');
      expect(text).toBe('the quick brown fox jumps');
    });
  });

  describe('tool calls', () => {
    it('a tool call comes back as tool_calls; its result goes back in the dialect’s own shape, tied to the call', async () => {
      const upstreamId = kind.toolIds[0];
      mock.setHandler(() => kind.reply({ toolCalls: [{ id: upstreamId, name: 'get_weather', args: { city: 'Paris' } }] }));
      const messages: Message[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client.chat.completions.create({ model: kind.model, messages, tools: [WEATHER_TOOL] });
      expect(first.choices[0]?.finish_reason).toBe('tool_calls');
      const call = first.choices[0]!.message.tool_calls![0] as FunctionCall;
      expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
      kind.expectClientToolId(call.id, 0, upstreamId);
      expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
      kind.expectToolDefinition(lastSent().body);

      mock.setHandler(() => kind.reply({ text: 'It is 18°C in Paris.' }));
      messages.push(first.choices[0]!.message as Message);
      messages.push({ role: 'tool', tool_call_id: call.id, content: '{"temp_c":18}' });
      const second = await client.chat.completions.create({ model: kind.model, messages, tools: [WEATHER_TOOL] });
      expect(second.choices[0]?.message.content).toBe('It is 18°C in Paris.');
      kind.expectToolTurn(lastSent().body, {
        user: 'Weather in Paris?',
        calls: [{ id: call.id, name: 'get_weather', args: { city: 'Paris' } }],
        results: [{ id: call.id, name: 'get_weather', content: '{"temp_c":18}' }],
      });
    });

    it('two parallel tool calls in one stream assemble in the SDK; both results go back, in the client’s order', async () => {
      const args = [
        { name: 'get_weather', args: { city: 'Paris', unit: 'c' } },
        { name: 'get_time', args: { city: 'Rome' } },
      ];
      mock.setHandler(() => kind.stream({ text: 'Checking both.', toolCalls: args.map((a, i) => ({ id: kind.toolIds[i]!, ...a })) }));
      const messages: Message[] = [{ role: 'user', content: 'Weather in Paris and time in Rome?' }];
      const final = await client.chat.completions.stream({ model: kind.model, messages, tools: [WEATHER_TOOL, TIME_TOOL] }).finalChatCompletion();
      const msg = final.choices[0]!.message;
      expect(final.choices[0]?.finish_reason).toBe('tool_calls');
      expect(msg.content).toBe('Checking both.');
      const calls = (msg.tool_calls ?? []) as FunctionCall[];
      expect(calls.map((c) => ({ name: c.function.name, args: JSON.parse(c.function.arguments) }))).toEqual(args);
      expect(calls.map((c) => c.type)).toEqual(['function', 'function']);
      calls.forEach((c, i) => kind.expectClientToolId(c.id, i, kind.toolIds[i]!));
      expect(calls[0]!.id).not.toBe(calls[1]!.id);

      mock.setHandler(() => kind.stream({ text: 'Paris 18°C, Rome 14:05.' }));
      messages.push({ role: 'assistant', content: msg.content, tool_calls: calls });
      messages.push({ role: 'tool', tool_call_id: calls[1]!.id, content: '14:05' });
      messages.push({ role: 'tool', tool_call_id: calls[0]!.id, content: '18°C' });
      const answer = await client.chat.completions.stream({ model: kind.model, messages, tools: [WEATHER_TOOL, TIME_TOOL] }).finalChatCompletion();
      expect(answer.choices[0]?.message.content).toBe('Paris 18°C, Rome 14:05.');
      kind.expectToolTurn(lastSent().body, {
        user: 'Weather in Paris and time in Rome?',
        text: 'Checking both.',
        calls: calls.map((c, i) => ({ id: c.id, ...args[i]! })),
        results: [
          { id: calls[1]!.id, name: 'get_time', content: '14:05' },
          { id: calls[0]!.id, name: 'get_weather', content: '18°C' },
        ],
      });
    });
  });

  describe('images and JSON mode', () => {
    it('a data-URL image and an http image go up in the dialect’s image shape', async () => {
      await client.chat.completions.create({
        model: kind.model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Compare these' },
              { type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'low' } },
              { type: 'image_url', image_url: { url: IMAGE_HTTP_URL } },
            ],
          },
        ],
      });
      kind.expectImages(lastSent().body);
    });

    it('json_object and json_schema go up as the dialect’s JSON mode', async () => {
      await ask('a city', { response_format: { type: 'json_object' } });
      kind.expectJsonObject(lastSent().body);
      await ask('a city', { response_format: JSON_SCHEMA_FORMAT });
      kind.expectJsonSchema(lastSent().body);
    });
  });

  describe('usage and cost', () => {
    const { priced } = kind;
    const nanos = expectedNanos(priced.lines);

    it('the cost from the token counts and the catalog prices, computed by hand', () => expect(nanos).toBe(priced.nanos));

    it('non-stream: usage, usage.cost, the tollgate headers and the usage record agree', async () => {
      mock.setHandler(() => priced.reply(false));
      const { data, response } = await ask('price me').withResponse();
      expect(data.usage).toMatchObject(priced.usage);
      expect((data.usage as any).cost).toBe(nanos / 1e9);
      expect(response.headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
      expect(response.headers.get('x-tollgate-provider')).toBe(kind.name);
      expect(response.headers.get('x-tollgate-model')).toBe(kind.upstreamModel);
      expect(response.headers.get('x-request-id')).toMatch(/^req_/);
      const rec = await recordOf(gw, response.headers.get('x-request-id'));
      expect(rec).toMatchObject({ provider: kind.name, model: kind.upstreamModel, ...priced.record, costNanos: nanos, estimated: false, status: 200 });
    });

    it('stream with include_usage: only the last chunk before [DONE] has usage (choices [] and the cost); the record agrees', async () => {
      mock.setHandler(() => priced.reply(true));
      const { data: stream, response } = await client.chat.completions
        .create({ model: kind.model, messages: [{ role: 'user', content: 'price me' }], stream: true, stream_options: { include_usage: true } })
        .withResponse();
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      const last = chunks.at(-1)!;
      expect(last.choices).toEqual([]);
      expect(last.usage).toMatchObject(priced.usage);
      expect((last.usage as any).cost).toBe(nanos / 1e9);
      expect(chunks.slice(0, -1).every((c) => c.usage == null)).toBe(true);
      kind.expectStreamRequest(lastSent());
      const rec = await recordOf(gw, response.headers.get('x-request-id'));
      expect(rec).toMatchObject({ ...priced.record, costNanos: nanos, estimated: false });
    });
  });

  describe('malformed upstream payloads', () => {
    it('truncated JSON in a stream frame → an SSE error the SDK throws as APIError (pass-through: the frame as sent); then the gateway still serves', async () => {
      const f = kind.truncatedStream();
      failWith(f);
      if (f.forwarded !== undefined) {
        const res = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
          body: JSON.stringify({ model: kind.model, stream: true, messages: [{ role: 'user', content: 'x' }] }),
        });
        expect(res.status).toBe(200);
        expect(await res.text()).toContain(f.forwarded);
        await stillServes();
        return;
      }
      const { text, err } = await drain(await askStream('x'));
      expect(text).toBe(f.before);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.message).toMatch(new RegExp(kind.name, 'i'));
      if (f.message) expect(err.message).toMatch(f.message);
      await stillServes();
    });

    it('unknown fields and events are ignored: the answer still arrives', async () => {
      mock.setHandler(() => kind.unknownFields());
      const final = await client.chat.completions.stream({ model: kind.model, messages: [{ role: 'user', content: 'x' }] }).finalChatCompletion();
      expect(final.choices[0]?.message.content).toBe('tolerant readers win');
    });

    it('a stream cut before its end → SSE error → APIError, not a silently short answer', async () => {
      const f = kind.cutStream();
      failWith(f);
      const { text, err } = await drain(await askStream('x'));
      expect(text).toBe(f.before);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.message).toMatch(new RegExp(kind.name, 'i'));
      await stillServes();
    });

    it('an error inside a 200 stream, quoting the key → APIError with its message, without the key', async () => {
      const f = kind.streamError(`The model is overloaded (key ${kind.secret})`);
      failWith(f);
      const { text, err } = await drain(await askStream('x'));
      expect(text).toBe(f.before);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.message).toMatch(/overloaded/);
      assertNoSecretRun(errorText(err), [kind.secret], 'client error');
      await stillServes();
    });

    it('non-stream: a body that is not JSON → 502 in the OpenAI envelope', async () => {
      mock.setHandler(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"x","content":[{"type":"te' }));
      const err = await ask('x').catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.status).toBe(502);
      expect(err.error).toMatchObject({ type: 'api_error', code: 'upstream_malformed' });
      expect(err.message).toMatch(new RegExp(kind.name));
      await stillServes();
    });

    it('non-stream: JSON of the wrong shape → 502, not a crash', async () => {
      const f = kind.wrongShape();
      failWith(f);
      const err = await ask('x').catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.status).toBe(502);
      expect(err.error).toHaveProperty('type');
      if (f.message) expect(err.message).toMatch(f.message);
      await stillServes();
    });
  });

  describe('upstream HTTP errors', () => {
    it('429 → 429 with retry-after, in OpenAI’s rate-limit envelope', async () => {
      mock.setHandler(() => kind.rateLimited(17));
      const err = await ask('x').catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.status).toBe(429);
      expect(err.headers.get('retry-after')).toBe('17');
      expect(err.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    });

    it('the upstream refuses the gateway’s key, quoting it → 502 (not the client’s fault), the key never shown', async () => {
      mock.setHandler(() => kind.keyRejected());
      const err = await ask('x').catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.status).toBe(502);
      expect(err.message).toMatch(new RegExp(kind.name));
      assertNoSecretRun(errorText(err), [kind.secret], 'client error');
    });

    it('overloaded → 503, on a stream request too (before any byte: the status line is not yet sent)', async () => {
      mock.setHandler(() => kind.overloaded());
      const err = await ask('x').catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(err.status).toBe(503);
      expect(err.message).toMatch(new RegExp(kind.name));
      const streamErr = await askStream('x').catch((e) => e);
      expect(streamErr.status).toBe(503);
      await stillServes();
    });
  });
});
