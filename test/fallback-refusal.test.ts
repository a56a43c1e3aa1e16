/**
 * A target that cannot express the request (the parameter table refuses a field for it) is
 * skipped, not final: the next target serves, and a primary's outage is not hidden behind a
 * fallback's 400. The refusal is the answer only when no target could take the request.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { defaultAnthropicHandler, startAnthropicMock } from './mocks/anthropic.js';
import type { HttpMock } from './mocks/http-mock.js';
import { defaultOpenAIHandler, openaiError, startOpenAIMock } from './mocks/openai.js';

let openai: HttpMock;
let anthropic: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  openai = await startOpenAIMock();
  anthropic = await startAnthropicMock();
  gw = await startGateway(`
providers:
  oa: { type: openai, api_key: "sk-oa-1234567890", base_url: "${openai.url}/v1" }
  an: { type: anthropic, api_key: "sk-ant-1234567890", base_url: "${anthropic.url}" }
models:
  an-first: { targets: [an/claude-sonnet-4-5, oa/gpt-4o] }
  oa-first: { targets: [oa/gpt-4o, an/claude-sonnet-4-5] }
  an-only: { targets: [an/claude-sonnet-4-5] }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await openai?.close();
  await anthropic?.close();
});

const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], seed: 7 });

describe('a target that refuses a parameter is skipped', () => {
  it('primary refuses seed (Anthropic has none) → the fallback serves it, with seed', async () => {
    const before = { an: anthropic.requests.length, oa: openai.requests.length };
    const r = await ask('an-first').withResponse();
    expect(r.response.headers.get('x-tollgate-provider')).toBe('oa');
    expect(anthropic.requests.length).toBe(before.an);
    expect(openai.requests.at(-1)!.body.seed).toBe(7);
  });

  it("primary down (503), fallback refuses seed → the client sees the primary's outage, not the 400", async () => {
    openai.setHandler(() => openaiError(503, 'overloaded', 'server_error'));
    try {
      const err = (await ask('oa-first').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(err.status).toBe(503);
      expect(err.message).toContain('oa:');
    } finally {
      openai.setHandler(defaultOpenAIHandler);
    }
  });

  it('no target can take it → the 400 naming the parameter, nothing sent', async () => {
    const before = anthropic.requests.length;
    const err = (await ask('an-only').catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(400);
    expect(err.param).toBe('seed');
    expect(anthropic.requests.length).toBe(before);
  });

  it('neutral penalties (0) are not refused by Anthropic', async () => {
    anthropic.setHandler(defaultAnthropicHandler);
    const r = await client.chat.completions.create({ model: 'an/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], frequency_penalty: 0, presence_penalty: 0 });
    expect(r.choices[0]!.message.content).toBeTruthy();
  });
});
