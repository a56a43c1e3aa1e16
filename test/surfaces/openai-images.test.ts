/**
 * `POST /v1/images/generations` through the openai SDK against a real gateway and a loopback
 * OpenAI mock: bytes passed through (model rewritten), each answer priced by hand from the
 * committed price source (per image by size and quality, or gpt-image-1's tokens), the budget
 * reservation made before the upstream is called, bad input refused in OpenAI's envelope.
 */
import OpenAI, { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { budgetTeam, ledgerOf, post } from '../helpers/budget.js';
import { startGateway, until, type TestGateway } from '../helpers/gateway.js';
import { startInstance, tempDir, type Instance } from '../helpers/instance.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { defaultOpenAIHandler, MOCK_PNG, openaiError, startOpenAIMock } from '../mocks/openai.js';

let openai: HttpMock;
let gw: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  openai = await startOpenAIMock();
  gw = await startGateway(`
providers:
  openai: { type: openai, api_key: "sk-test-openai-0123456789", base_url: "${openai.url}/v1" }
  an: { type: anthropic, api_key: "sk-ant-test-0123456789", base_url: "http://127.0.0.1:9" }
  mock: { type: mock }
models:
  pictures: { targets: [an/claude-sonnet-4-5, openai/dall-e-2] }
  only-claude: { targets: [an/claude-sonnet-4-5] }
`);
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'x', maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await openai?.close();
});
afterEach(() => openai.setHandler(defaultOpenAIHandler));

const last = () => gw.records[gw.records.length - 1]!;
async function settled(n: number) {
  await until(() => gw.records.length >= n);
  return last();
}

describe('POST /v1/images/generations (openai SDK)', () => {
  it('dall-e-3 hd 1024x1792, n=2: the client\'s bytes upstream (model rewritten), cost = 2 × the grid price', async () => {
    const before = gw.records.length;
    const { data: res, response } = await client.images
      .generate({ model: 'openai/dall-e-3', prompt: 'a lighthouse at dusk', n: 2, size: '1024x1792', quality: 'hd', response_format: 'url', style: 'vivid' })
      .withResponse();
    expect(res.data).toHaveLength(2);
    expect(res.data![0]).toMatchObject({ url: 'https://images.mock.example/0.png', revised_prompt: 'a lighthouse at dusk' });
    const sent = openai.requests[openai.requests.length - 1]!;
    expect(sent.path).toBe('/v1/images/generations');
    expect(sent.body).toEqual({ model: 'dall-e-3', prompt: 'a lighthouse at dusk', n: 2, size: '1024x1792', quality: 'hd', response_format: 'url', style: 'vivid' });
    // Source: hd/1024-x-1792/dall-e-3 input_cost_per_pixel 6.539e-8 $ × 1,835,008 px = $0.11999117312 an image;
    // × 2 = $0.23998234624 = 239,982,346.24 n$ → 239,982,346.
    const rec = await settled(before + 1);
    expect(rec).toMatchObject({ kind: 'images', provider: 'openai', model: 'dall-e-3', requestedModel: 'openai/dall-e-3', status: 200, costNanos: 239_982_346, estimated: false });
    expect(response.headers.get('x-tollgate-cost-usd')).toBe('0.239982346');
  });

  it('dall-e-2 256x256 as b64_json: the 256-x-256 cell of the grid', async () => {
    const before = gw.records.length;
    const res = await client.images.generate({ model: 'openai/dall-e-2', prompt: 'a small cat', size: '256x256', response_format: 'b64_json' });
    expect(res.data![0]!.b64_json).toBe(MOCK_PNG);
    // 256-x-256/dall-e-2: 2.4414e-7 $/px × 65,536 px = $0.01599995904 = 15,999,959.04 n$ → 15,999,959.
    expect(await settled(before + 1)).toMatchObject({ kind: 'images', model: 'dall-e-2', costNanos: 15_999_959 });
  });

  it('dall-e-3 without size or quality: OpenAI\'s defaults (standard, 1024x1024)', async () => {
    const before = gw.records.length;
    await client.images.generate({ model: 'openai/dall-e-3', prompt: 'a tree' });
    // standard/1024-x-1024/dall-e-3: 3.81469e-8 $/px × 1,048,576 px = $0.0399999238144 → 39,999,923,814 p$ (rounded at build) → 39,999,924 n$.
    expect(await settled(before + 1)).toMatchObject({ costNanos: 39_999_924, estimated: false });
  });

  it('gpt-image-1: priced by the tokens the answer reports (text input, image output)', async () => {
    const before = gw.records.length;
    const res = await client.images.generate({ model: 'openai/gpt-image-1', prompt: 'a red fox in snow', quality: 'low', size: '1024x1024' });
    expect(res.usage).toMatchObject({ input_tokens: 5, output_tokens: 272 });
    // gpt-image-1: input_cost_per_token 5e-6 × 5 = $0.000025; output_cost_per_image_token 4e-5 × 272 = $0.01088 → 10,905,000 n$.
    expect(await settled(before + 1)).toMatchObject({ kind: 'images', model: 'gpt-image-1', inputTokens: 5, outputTokens: 272, costNanos: 10_905_000 });
  });

  it('an alias falls back past a provider type that cannot make images; a route of only those is a clear 400', async () => {
    const before = gw.records.length;
    const { response } = await client.images.generate({ model: 'pictures', prompt: 'a boat', size: '512x512' }).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('openai');
    // 512-x-512/dall-e-2: 6.86e-8 $/px × 262,144 px = $0.0179830784 → 17,983,078 n$.
    expect(await settled(before + 1)).toMatchObject({ provider: 'openai', model: 'dall-e-2', requestedModel: 'pictures', costNanos: 17_983_078 });
    const err = await client.images.generate({ model: 'only-claude', prompt: 'a boat' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(400);
    expect((err as APIError).message).toContain('Images are not supported by provider type anthropic');
  });

  it('the built-in mock provider answers n images in-process (unpriced: cost 0)', async () => {
    const before = gw.records.length;
    const res = await client.images.generate({ model: 'mock/echo', prompt: 'hi', n: 3 });
    expect(res.data).toHaveLength(3);
    expect(res.data![0]!.b64_json).toMatch(/^iVBOR/);
    expect(await settled(before + 1)).toMatchObject({ kind: 'images', provider: 'mock', model: 'echo', status: 200, costNanos: 0 });
  });

  it('an unknown provider is a 404 in OpenAI\'s envelope, like chat', async () => {
    const r = await post(gw.url, '/v1/images/generations', 'x', { model: 'nowhere/dall-e-3', prompt: 'a cat' });
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error' });
  });

  it.each([
    ['n = 0', { n: 0 }, 'n'],
    ['n = 11', { n: 11 }, 'n'],
    ['n = 1.5', { n: 1.5 }, 'n'],
    ['a size that is not WxH', { size: 'huge' }, 'size'],
    ['an empty prompt', { prompt: '' }, 'prompt'],
    ['no prompt', { prompt: undefined }, 'prompt'],
    ['a 32,001-character prompt', { prompt: 'x'.repeat(32_001) }, 'prompt'],
    ['an unknown quality', { quality: 'ultra' }, 'quality'],
    ['stream: true', { stream: true }, 'stream'],
  ])('%s → 400 naming the field, nothing sent upstream', async (_name, patch, param) => {
    const before = openai.requests.length;
    const r = await post(gw.url, '/v1/images/generations', 'x', { model: 'openai/dall-e-2', prompt: 'a cat', ...patch });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(openai.requests.length).toBe(before);
  });

  it('an upstream refusal reaches the client with its status and message, recorded as images with no cost', async () => {
    openai.setHandler(() => openaiError(400, 'Your request was rejected as a result of our safety system.', 'invalid_request_error', 'content_policy_violation'));
    const before = gw.records.length;
    const err = await client.images.generate({ model: 'openai/dall-e-3', prompt: 'something' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).status).toBe(400);
    expect((err as APIError).message).toContain('safety system');
    expect(await settled(before + 1)).toMatchObject({ kind: 'images', status: 400, costNanos: 0 });
  });

  it('an answer that is not an images list is a 502', async () => {
    openai.setHandler(() => ({ json: { object: 'list' } }));
    const r = await post(gw.url, '/v1/images/generations', 'x', { model: 'openai/dall-e-2', prompt: 'a cat' });
    expect(r.status).toBe(502);
    expect(r.json.error.code).toBe('upstream_malformed');
  });

  it('/openapi.json lists POST /v1/images/generations with the bounds the gateway checks', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as any;
    const schema = doc.paths['/v1/images/generations'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['model', 'prompt']);
    expect(schema.properties.n).toEqual({ type: 'integer', minimum: 1, maximum: 10 });
  });

  it('GET /v1/models lists each image model once, never its price-grid cells', async () => {
    const ids = (await client.models.list()).data.map((m) => m.id);
    expect(ids.filter((id) => id === 'openai/dall-e-3')).toHaveLength(1);
    expect(ids.filter((id) => id.includes('dall-e-3'))).toEqual(['openai/dall-e-3']);
  });
});

describe('images against a budget (full instance, ledger)', () => {
  let upstream: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let inst: Instance;
  beforeAll(async () => {
    upstream = await startOpenAIMock();
    tmp = tempDir();
    inst = await startInstance(`
providers:
  openai: { type: openai, api_key: "sk-test-images-0000", base_url: "${upstream.url}/v1" }
`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
  });
  afterAll(async () => {
    await inst?.close(1000);
    await upstream?.close();
    tmp?.remove();
  });

  it('n × the dearest grid price over the remaining budget is refused before any upstream call; one image fits and is charged', async () => {
    // $0.20: two dall-e-3 images may cost 2 × $0.11999117312 (hd 1024x1792, the dearest cell) > $0.20.
    const budget = 200_000_000;
    const { teamId, key } = await budgetTeam(inst.url, 'images-budget', budget);
    const refused = await post(inst.url, '/v1/images/generations', key, { model: 'openai/dall-e-3', prompt: 'a cat', n: 2, size: '1024x1024', quality: 'standard' });
    expect(refused.status).toBe(429);
    expect(refused.json.error.message).toContain('budget_usd');
    expect(upstream.requests).toHaveLength(0);
    const one = await post(inst.url, '/v1/images/generations', key, { model: 'openai/dall-e-3', prompt: 'a cat', n: 1, size: '1024x1792', quality: 'hd' });
    expect(one.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    const spent = await ledgerOf(inst.url, teamId);
    // 119,991,173.12 n$ → 119,991,173; the ledger never goes over the budget.
    expect(spent.nanos).toBe(119_991_173);
    expect(spent.nanos).toBeLessThanOrEqual(budget);
  });
});
