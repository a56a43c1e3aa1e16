/**
 * `/v1/responses` against the built-in `mock` provider (the README's first request, in the
 * Responses form): the mock answers chat in process, so a Responses call is translated, not
 * passed through to a `/responses` the mock does not have.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gw = await startGateway('providers:\n  mock: { type: mock }\n');
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => gw?.close());

describe('POST /v1/responses on mock/echo', () => {
  it('answers with the input echoed, non-stream and stream, and records kind responses', async () => {
    const r = await client.responses.create({ model: 'mock/echo', input: 'hello responses' });
    expect(r.status).toBe('completed');
    expect(r.output_text).toBe('hello responses');
    const streamed = await client.responses.stream({ model: 'mock/echo', input: 'streamed hello' }).finalResponse();
    expect(streamed.output_text).toBe('streamed hello');
    await until(() => gw.records.filter((rec) => rec.kind === 'responses').length === 2);
    expect(gw.records.filter((rec) => rec.kind === 'responses').every((rec) => rec.status === 200 && rec.provider === 'mock')).toBe(true);
  });
});
