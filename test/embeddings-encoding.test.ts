/**
 * `POST /v1/embeddings` with the openai SDK's defaults (issue #11): the SDK sends
 * `encoding_format: "base64"` unless told otherwise and decodes the answer as little-endian
 * float32. Every provider must answer in the encoding asked for — translated ones (Gemini
 * `batchEmbedContents`, Mistral) included — and honour `dimensions` or refuse it by name.
 */
import OpenAI, { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { geminiDefaultHandler, mockEmbedding, startGeminiMock } from './mocks/gemini.js';
import type { HttpMock } from './mocks/http-mock.js';
import { mistralMockEmbedding, mistralMockHandler, startMistralMock } from './mocks/mistral.js';
import { defaultOpenAIHandler, openaiEmbedding, startOpenAIMock } from './mocks/openai.js';
import { SECRETS, checker } from './native/helpers.js';

let gemini: HttpMock;
let mistral: HttpMock;
let openai: HttpMock;
let gw: TestGateway;
/** The SDK as users run it: no encoding_format → base64 on the wire, decoded by the SDK. */
let client: OpenAI;
/**
 * Checks every body against OpenAI's published schema, which describes only the float form
 * (`embedding: number[]`): used for the `float` calls.
 */
let checked: OpenAI;

const mistralHandler = mistralMockHandler(SECRETS.mistral);
/** The vector as float32 holds it: what a base64 round trip must give back exactly. */
const f32 = (v: number[]) => v.map((x) => Math.fround(x));

beforeAll(async () => {
  [gemini, mistral, openai] = await Promise.all([startGeminiMock(), startMistralMock(mistralHandler), startOpenAIMock()]);
  gw = await startGateway(`
providers:
  gemini: { type: gemini, api_key: "${SECRETS.gemini}", base_url: "${gemini.url}" }
  mistral: { type: mistral, api_key: "${SECRETS.mistral}", base_url: "${mistral.url}" }
  openai: { type: openai, api_key: "sk-test-openai-0123456789", base_url: "${openai.url}/v1" }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
  checked = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0, fetch: checker.fetch });
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([gemini?.close(), mistral?.close(), openai?.close()]);
});
afterEach(() => {
  gemini.setHandler(geminiDefaultHandler);
  mistral.setHandler(mistralHandler);
  openai.setHandler(defaultOpenAIHandler);
});

const last = (m: HttpMock) => m.requests.at(-1)!;

describe('encoding_format', () => {
  it('Gemini: the SDK default (base64) decodes to the vectors Gemini sent', async () => {
    const { data, response } = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: ['hello world', 'bye'] }).withResponse();
    expect(data.data.map((d) => d.embedding)).toEqual([f32(mockEmbedding('hello world')), f32(mockEmbedding('bye'))]);
    expect(response.headers.get('x-tollgate-provider')).toBe('gemini');
    const up = last(gemini);
    expect(up.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(up.body).toEqual({
      requests: [
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'hello world' }] } },
        { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'bye' }] } },
      ],
    });
  });

  it('Gemini: an explicit base64 answer is float32 little-endian, as OpenAI sends it', async () => {
    const res = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'hello world', encoding_format: 'base64' });
    const b64 = res.data[0]!.embedding as unknown as string;
    expect(typeof b64).toBe('string');
    const buf = Buffer.from(b64, 'base64');
    const got = Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4));
    expect(got).toEqual(f32(mockEmbedding('hello world')));
  });

  it('Gemini and Mistral: float (asked or absent) stays plain numbers, exactly as the upstream sent them', async () => {
    const g = await checked.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'hello world', encoding_format: 'float' });
    expect(g.data[0]!.embedding).toEqual(mockEmbedding('hello world'));
    const raw = await fetch(`${gw.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mistral/mistral-embed', input: ['a b'] }) });
    expect(((await raw.json()) as any).data[0].embedding).toEqual(mistralMockEmbedding('a b', 8));
    checker.assertClean();
    expect(checker.checked.CreateEmbeddingResponse).toBeGreaterThan(0);
  });

  it('Mistral: the SDK default decodes right; Mistral is asked for floats', async () => {
    const res = await client.embeddings.create({ model: 'mistral/mistral-embed', input: ['one two', 'three'] });
    expect(res.data.map((d) => d.embedding)).toEqual([f32(mistralMockEmbedding('one two', 8)), f32(mistralMockEmbedding('three', 8))]);
    expect(res.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(last(mistral).body).toEqual({ model: 'mistral-embed', input: ['one two', 'three'] });
  });

  it('OpenAI pass-through: base64 is asked of the upstream and its bytes reach the SDK', async () => {
    const res = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'pass me' });
    expect(res.data[0]!.embedding).toEqual(f32(openaiEmbedding('pass me')));
    expect(last(openai).body).toEqual({ model: 'text-embedding-3-small', input: 'pass me', encoding_format: 'base64' });
  });

  it('an OpenAI-format host that ignores encoding_format and sends numbers: the gateway encodes them', async () => {
    openai.setHandler((req) => defaultOpenAIHandler({ ...req, body: { ...req.body, encoding_format: undefined } }));
    const res = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: 'numbers anyway' });
    expect(res.data[0]!.embedding).toEqual(f32(openaiEmbedding('numbers anyway')));
    expect(last(openai).body.encoding_format).toBe('base64');
  });

  it('the built-in mock provider answers base64 too', async () => {
    const res = await client.embeddings.create({ model: 'mock/echo', input: 'abc', dimensions: 3 });
    expect(res.data[0]!.embedding).toHaveLength(3);
    const floats = await checked.embeddings.create({ model: 'mock/echo', input: 'abc', dimensions: 3, encoding_format: 'float' });
    expect(res.data[0]!.embedding).toEqual(f32(floats.data[0]!.embedding));
    checker.assertClean();
  });
});

describe('dimensions', () => {
  it('Gemini: outputDimensionality on every request, vectors of that size', async () => {
    const res = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: ['a', 'b'], dimensions: 5 });
    expect(res.data.map((d) => d.embedding.length)).toEqual([5, 5]);
    expect(last(gemini).body.requests.map((r: any) => r.outputDimensionality)).toEqual([5, 5]);
  });

  it('Mistral: output_dimension', async () => {
    const res = await client.embeddings.create({ model: 'mistral/codestral-embed', input: 'x y', dimensions: 12 });
    expect(res.data[0]!.embedding).toEqual(f32(mistralMockEmbedding('x y', 12)));
    expect(last(mistral).body).toEqual({ model: 'codestral-embed', input: ['x y'], output_dimension: 12 });
  });

  it('a model that answers at its own size (mistral-embed is fixed at 1024): 400 naming dimensions, never wrong-sized vectors', async () => {
    // mistral-embed has one size: the upstream answers it whatever output_dimension says.
    mistral.setHandler((req) => mistralHandler({ ...req, body: { ...req.body, output_dimension: 1024 } }));
    const err = await client.embeddings.create({ model: 'mistral/mistral-embed', input: 'x', dimensions: 256 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(400);
    expect((err as APIError).error).toMatchObject({ type: 'invalid_request_error', param: 'dimensions' });
    expect((err as APIError).message).toContain('mistral/mistral-embed does not support');
    expect(last(mistral).body.output_dimension).toBe(256);
  });

  it('out-of-range or non-integer dimensions: 400 naming dimensions, no upstream call', async () => {
    const before = gemini.requests.length;
    for (const dimensions of [0, -3, 2.5, 1e9]) {
      const err = await client.embeddings.create({ model: 'gemini/gemini-embedding-001', input: 'x', dimensions }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(APIError);
      expect((err as APIError).status).toBe(400);
      expect((err as APIError).error).toMatchObject({ param: 'dimensions' });
    }
    expect(gemini.requests.length).toBe(before);
  });
});

describe('input', () => {
  it('token-id arrays go to OpenAI-format hosts only: Gemini and Mistral get a 400 naming input, no upstream call', async () => {
    const before = gemini.requests.length + mistral.requests.length;
    for (const model of ['gemini/gemini-embedding-001', 'mistral/mistral-embed']) {
      for (const input of [[101, 202, 303], [[1, 2], [3]]]) {
        const err = await client.embeddings.create({ model, input }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(APIError);
        expect((err as APIError).status).toBe(400);
        expect((err as APIError).error).toMatchObject({ type: 'invalid_request_error', param: 'input' });
      }
    }
    expect(gemini.requests.length + mistral.requests.length).toBe(before);
    const ok = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: [101, 202, 303] });
    expect(ok.data).toHaveLength(1);
    expect(last(openai).body.input).toEqual([101, 202, 303]);
  });
});
