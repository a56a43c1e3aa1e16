/**
 * What only the Mistral dialect does, end to end: the `openai` SDK → the gateway's
 * /v1/chat/completions → the Mistral adapter → a loopback Mistral mock speaking the real wire
 * format (test/mocks/mistral.ts): its 9-character tool-call ids, its role order, its bare 401.
 * What every provider does is in the conformance table (conformance.test.ts).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { mistralMockHandler, mistralResponse, mistralUnauthorized, startMistralMock } from '../mocks/mistral.js';
import { SECRETS, WEATHER_TOOL, checkEveryResponse, errorText, gatewayFor, providerYaml } from './helpers.js';

const MODEL = 'mistral/mistral-large-latest';
const NINE = /^[a-zA-Z0-9]{9}$/;
const defaultHandler = mistralMockHandler(SECRETS.mistral);
let mock: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMistralMock(defaultHandler);
  ({ gw, client } = await gatewayFor(providerYaml('mistral', mock.url)));
});
afterAll(async () => {
  await gw?.close();
  await mock?.close();
});
checkEveryResponse();
beforeEach(() => mock.setHandler(defaultHandler));

const lastSent = () => mock.requests.at(-1)!;

describe('Mistral: tool-call ids', () => {
  it('foreign ids (call_…) from an earlier OpenAI turn are rewritten to 9 chars, the same on the call and its result', async () => {
    mock.setHandler(() => mistralResponse({ text: 'done' }));
    await client.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_AbCdEfGhIjKlMnOpQrStUvWx', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'call_AbCdEfGhIjKlMnOpQrStUvWx', content: '-3°C' },
      ],
    });
    const sent = lastSent().body.messages;
    const id = sent[1].tool_calls[0].id;
    expect(id).toMatch(NINE);
    expect(sent[2].tool_call_id).toBe(id);
  });
});

describe('Mistral: role order', () => {
  it('a user turn right after tool results gets an assistant turn between them (Mistral 400s "Unexpected role \'user\' after role \'tool\'")', async () => {
    mock.setHandler(() => mistralResponse({ text: 'ok' }));
    await client.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'gSIMJiOkT', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 'gSIMJiOkT', content: '-3°C' },
        { role: 'user', content: 'Actually, what about Rome?' },
      ],
    });
    const roles: string[] = lastSent().body.messages.map((m: any) => m.role);
    for (let i = 1; i < roles.length; i++) if (roles[i] === 'user') expect(roles[i - 1]).not.toBe('tool');
    expect(roles[0]).toBe('user');
    expect(roles.at(-1)).toBe('user');
    expect(lastSent().body.messages.at(-1).content).toBe('Actually, what about Rome?');
    // Every assistant turn has content or tool calls (Mistral refuses one with neither).
    for (const m of lastSent().body.messages) if (m.role === 'assistant') expect(Boolean(m.content) || Boolean(m.tool_calls?.length)).toBe(true);
  });
});

describe('Mistral: upstream HTTP errors', () => {
  it('401 {"detail":"Unauthorized"} → 502, no secret in the message', async () => {
    mock.setHandler(() => mistralUnauthorized());
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/mistral/);
    expect(errorText(err)).not.toContain(SECRETS.mistral);
  });
});
