/**
 * `POST /v1/messages/count_tokens` — `@anthropic-ai/sdk`'s `client.messages.countTokens` — in
 * front of every provider (issue #11): Anthropic passes through (its own counter, the client's
 * bytes with only the model replaced), Gemini is asked with `:countTokens`, providers without a
 * counter (OpenAI-format, Mistral) are counted in o200k and marked estimated. Auth and a
 * key's allowed models apply; nothing is billed; errors come in Anthropic's envelope.
 */
import { createHash } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicError, defaultAnthropicHandler, startAnthropicMock } from '../mocks/anthropic.js';
import { geminiDefaultHandler, geminiError, startGeminiMock } from '../mocks/gemini.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { startOpenAIMock } from '../mocks/openai.js';
import { countTokens } from '../../src/metering/tokens.js';
import { SECRETS } from './helpers.js';

const KEY = 'tg_count_tokens_key_000000000001';
const NARROW = 'tg_count_tokens_key_narrow00002';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let anthropic: HttpMock;
let gemini: HttpMock;
let openai: HttpMock;
let gw: TestGateway;
let client: Anthropic;

const MESSAGES: Anthropic.MessageParam[] = [
  { role: 'user', content: 'how many tokens is this' },
  { role: 'assistant', content: 'let me count' },
  { role: 'user', content: 'please count them all' },
];
const SYSTEM = 'You count tokens.';

beforeAll(async () => {
  [anthropic, gemini, openai] = await Promise.all([startAnthropicMock(), startGeminiMock(), startOpenAIMock()]);
  gw = await startGateway(
    `
providers:
  anthropic: { type: anthropic, api_key: "${SECRETS.anthropic}", base_url: "${anthropic.url}" }
  gemini: { type: gemini, api_key: "${SECRETS.gemini}", base_url: "${gemini.url}" }
  openai: { type: openai, api_key: "sk-test-openai-0123456789", base_url: "${openai.url}/v1" }
  mistral: { type: mistral, api_key: "${SECRETS.mistral}", base_url: "http://127.0.0.1:9" }
models:
  counted: { targets: [gemini/gemini-2.5-flash, openai/gpt-4o] }
`,
    {},
    {
      keys: {
        hasKeys: () => true,
        find: (hash) =>
          hash === sha(KEY)
            ? { kind: 'team-key', teamId: 'team_count', keyId: 'key_c1', name: 'counter' }
            : hash === sha(NARROW)
              ? { kind: 'team-key', teamId: 'team_count', keyId: 'key_c2', name: 'narrow', allowedModels: ['openai/*'] }
              : undefined,
      },
    },
  );
  client = new Anthropic({ baseURL: gw.url, apiKey: KEY, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([anthropic?.close(), gemini?.close(), openai?.close()]);
});

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
const allWords = words([SYSTEM, ...MESSAGES.map((m) => m.content as string)].join(' '));
/** The surface's own o200k estimate: 3 per message + the system and message texts, one per line. */
const messagesTiktoken = 3 * MESSAGES.length + countTokens(MESSAGES.map((m) => m.content as string).join('\n'));
const tiktoken = 3 * MESSAGES.length + countTokens([SYSTEM, ...MESSAGES.map((m) => m.content as string)].join('\n'));

describe('count_tokens', () => {
  it('anthropic/…: passes through to Anthropic\'s counter — the client\'s bytes, only the model replaced', async () => {
    const { data, response } = await client.messages
      .countTokens({ model: 'anthropic/claude-sonnet-4-5', system: SYSTEM, messages: MESSAGES })
      .withResponse();
    expect(data).toEqual({ input_tokens: allWords });
    expect(response.headers.get('x-tollgate-estimated')).toBeNull();
    expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
    const up = anthropic.requests.at(-1)!;
    expect(up.path).toBe('/v1/messages/count_tokens');
    expect(up.body).toEqual({ model: 'claude-sonnet-4-5', system: SYSTEM, messages: MESSAGES });
    expect(up.headers['x-api-key']).toBe(SECRETS.anthropic);
    expect(up.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('Gemini: asks models/{m}:countTokens with the whole request, answers totalTokens', async () => {
    const { data, response } = await client.messages.countTokens({ model: 'gemini/gemini-2.5-flash', system: SYSTEM, messages: MESSAGES }).withResponse();
    expect(data).toEqual({ input_tokens: allWords });
    expect(response.headers.get('x-tollgate-estimated')).toBeNull();
    const up = gemini.requests.at(-1)!;
    expect(up.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
    expect(up.headers['x-goog-api-key']).toBe(SECRETS.gemini);
    const g = up.body.generateContentRequest;
    expect(g.model).toBe('models/gemini-2.5-flash');
    expect(g.systemInstruction.parts[0].text).toBe(SYSTEM);
    expect(g.contents.map((c: any) => [c.role, c.parts[0].text])).toEqual([
      ['user', 'how many tokens is this'],
      ['model', 'let me count'],
      ['user', 'please count them all'],
    ]);
    expect(g.generationConfig).toBeUndefined();
  });

  it('an alias counts with its first target', async () => {
    const before = gemini.requests.length;
    const { response } = await client.messages.countTokens({ model: 'counted', messages: MESSAGES }).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('gemini');
    expect(gemini.requests.length).toBe(before + 1);
  });

  it('OpenAI-format and Mistral (no counter): o200k, marked x-tollgate-estimated, no upstream call', async () => {
    const before = openai.requests.length;
    for (const model of ['openai/gpt-4o', 'mistral/mistral-large-latest']) {
      const { data, response } = await client.messages.countTokens({ model, system: SYSTEM, messages: MESSAGES }).withResponse();
      expect(data).toEqual({ input_tokens: tiktoken });
      expect(response.headers.get('x-tollgate-estimated')).toBe('true');
    }
    expect(openai.requests.length).toBe(before);
  });

  it('nothing is billed or recorded', async () => {
    const before = gw.records.length;
    await client.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: MESSAGES });
    await client.messages.countTokens({ model: 'openai/gpt-4o', messages: MESSAGES });
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.records.length).toBe(before);
  });

  it('auth applies: no key / a wrong key is a 401 in Anthropic\'s envelope, no upstream call', async () => {
    const before = anthropic.requests.length;
    const wrong = new Anthropic({ baseURL: gw.url, apiKey: 'tg_wrong_key_0000000000000000', maxRetries: 0 });
    const err = await wrong.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    // the SDK will not send a request without a key: a bare one
    const none = await fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', messages: MESSAGES }),
    });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(anthropic.requests.length).toBe(before);
  });

  it("a key's allowed models apply: 403 permission_error for another model", async () => {
    const narrow = new Anthropic({ baseURL: gw.url, apiKey: NARROW, maxRetries: 0 });
    const err = await narrow.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: MESSAGES }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    expect(await narrow.messages.countTokens({ model: 'openai/gpt-4o', messages: MESSAGES })).toEqual({ input_tokens: messagesTiktoken });
  });

  it("bad input and upstream failures come in Anthropic's envelope, secrets scrubbed", async () => {
    const bad = await client.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: 'nope' as never }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const unknown = await client.messages.countTokens({ model: 'nowhere/model', messages: MESSAGES }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((unknown as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });

    anthropic.setHandler(() => anthropicError(529, 'overloaded_error', 'Overloaded'));
    try {
      const busy = await client.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages: MESSAGES }).catch((e: unknown) => e);
      expect((busy as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
      expect((busy as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    } finally {
      anthropic.setHandler(defaultAnthropicHandler);
    }

    gemini.setHandler(() => geminiError(400, 'INVALID_ARGUMENT', `API key not valid: ${SECRETS.gemini}`, { reason: 'API_KEY_INVALID' }));
    try {
      const refused = await client.messages.countTokens({ model: 'gemini/gemini-2.5-flash', messages: MESSAGES }).catch((e: unknown) => e);
      const e = refused as InstanceType<typeof Anthropic.APIError>;
      expect(e.status).toBe(502);
      expect(e.error).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
      expect(JSON.stringify(e.error)).not.toContain(SECRETS.gemini);
    } finally {
      gemini.setHandler(geminiDefaultHandler);
    }
  });
});
