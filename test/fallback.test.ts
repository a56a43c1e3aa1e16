/**
 * Retries and fallback in the dispatcher (docs/contract.md §2 `models:` aliases, `max_retries`): a failing
 * target is retried, then the next target serves; a 4xx the request caused is never retried.
 */
import OpenAI, { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import type { HttpMock } from './mocks/http-mock.js';
import { defaultOpenAIHandler, openaiError, startOpenAIMock } from './mocks/openai.js';
import { createCheckingFetch } from './openapi/validate.js';

let primary: HttpMock;
let backup: HttpMock;
let gw: TestGateway;
let client: OpenAI;
const checker = createCheckingFetch();

beforeAll(async () => {
  primary = await startOpenAIMock();
  backup = await startOpenAIMock();
  gw = await startGateway(`
providers:
  primary: { type: openai-compatible, api_key: "sk-primary-123456", base_url: "${primary.url}/v1", max_retries: 1 }
  backup:  { type: openai-compatible, api_key: "sk-backup-1234567", base_url: "${backup.url}/v1" }
models:
  smart: { targets: [primary/gpt-4o, backup/gpt-4o-mini], strategy: fallback }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'tollgate-test', maxRetries: 0, fetch: checker.fetch });
});
afterAll(async () => {
  await gw?.close();
  await primary?.close();
  await backup?.close();
});
afterEach(() => {
  primary.setHandler(defaultOpenAIHandler);
  backup.setHandler(defaultOpenAIHandler);
  checker.assertClean();
});

const ask = (stream = false) =>
  client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'who answers' }], ...(stream && { stream: true as const }) } as any);

describe('alias with fallback', () => {
  it('a 503 is retried once (max_retries: 1), then the backup target answers', async () => {
    const before = primary.requests.length;
    primary.setHandler(() => openaiError(503, 'overloaded', 'server_error'));
    const { data, response } = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'who answers' }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe('who answers');
    expect(primary.requests.length - before).toBe(2);
    expect(backup.requests.at(-1)?.body.model).toBe('gpt-4o-mini');
    expect(response.headers.get('x-tollgate-provider')).toBe('backup');
    expect(response.headers.get('x-tollgate-attempts')).toBe('3');
  });

  it('a stream falls back before its first byte', async () => {
    primary.setHandler(() => ({ status: 502, body: 'bad gateway' }));
    const stream = (await ask(true)) as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>;
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('who answers');
    expect(backup.requests.at(-1)?.body.stream).toBe(true);
  });

  it('a 400 the request caused is not retried and does not fall back', async () => {
    const before = { p: primary.requests.length, b: backup.requests.length };
    primary.setHandler(() => openaiError(400, 'bad param', 'invalid_request_error', null, 'temperature'));
    await expect(ask()).rejects.toBeInstanceOf(APIError);
    expect(primary.requests.length - before.p).toBe(1);
    expect(backup.requests.length).toBe(before.b);
  });

  it('when every target fails, the last error is returned', async () => {
    primary.setHandler(() => openaiError(503, 'overloaded', 'server_error'));
    backup.setHandler(() => openaiError(429, 'slow down', 'requests', 'rate_limit_exceeded'));
    const err = await ask().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(429);
    expect((err as APIError).message).toContain('backup');
  });
});
