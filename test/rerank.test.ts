/**
 * `POST /v1/rerank` end to end: Cohere's own SDK (`cohere-ai` CohereClient, whose `rerank` posts
 * Cohere's v1 body to `/v1/rerank`) and plain fetch → the gateway → Cohere's `/v2/rerank` (the
 * mock proven by cohere-ai in test/mocks/cohere.test.ts), Jina's and Voyage's `/v1/rerank`
 * (their presets, `base_url` on loopback). Costs are computed by hand from the catalog's prices:
 * Cohere rerank-v3.5 $0.002 per search unit (one query over up to 100 documents), Jina
 * jina-reranker-v2-base-multilingual $0.018 per Mtok, Voyage rerank-2 $0.05 per Mtok.
 */
import { CohereClient } from 'cohere-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from './helpers/gateway.js';
import { cohereError, cohereMockHandler, startCohereMock } from './mocks/cohere.js';
import { startHttpMock, type HttpMock } from './mocks/http-mock.js';
import { rerankHostHandler } from './mocks/rerank-hosts.js';
import { recordOf, usdHeader } from './native/helpers.js';

const KEYS = { cohere: 'cohere-rerank-key-01', jina: 'jina_rerank_key_0001', voyage: 'pa-voyage-rerank-key-01' };
let cohere: HttpMock;
let jina: HttpMock;
let voyage: HttpMock;
let gw: TestGateway;

beforeAll(async () => {
  [cohere, jina, voyage] = await Promise.all([startCohereMock(cohereMockHandler(KEYS.cohere)), startHttpMock(rerankHostHandler('jina', KEYS.jina)), startHttpMock(rerankHostHandler('voyage', KEYS.voyage))]);
  gw = await startGateway(`providers:
  cohere: { type: cohere, api_key: "${KEYS.cohere}", base_url: "${cohere.url}" }
  jina: { type: openai-compatible, api_key: "${KEYS.jina}", base_url: "${jina.url}/v1" }
  voyage: { type: openai-compatible, api_key: "${KEYS.voyage}", base_url: "${voyage.url}/v1" }
`);
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([cohere, jina, voyage].map((m) => m?.close()));
});

const DOCS = ['Paris is the capital of France', 'Berlin is the capital of Germany', 'France borders Spain'];

async function rerank(body: unknown): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${gw.url}/v1/rerank`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

describe('POST /v1/rerank on Cohere', () => {
  it("Cohere's own SDK gets results best first, the documents it asked back and the billed search unit", async () => {
    const client = new CohereClient({ token: 'x', baseUrl: gw.url, maxRetries: 0 } as ConstructorParameters<typeof CohereClient>[0]);
    const res = await client.rerank({ model: 'cohere/rerank-v3.5', query: 'capital of France', documents: [DOCS[0]!, { text: DOCS[1]! }, DOCS[2]!], topN: 2, returnDocuments: true });
    expect(res.results).toEqual([
      { index: 0, relevanceScore: 1, document: { text: DOCS[0] } },
      { index: 1, relevanceScore: 0.6667, document: { text: DOCS[1] } },
    ]);
    expect(res.meta?.billedUnits?.searchUnits).toBe(1);
    // Upstream: Cohere's v2 body, documents as plain strings, never asked back.
    expect(cohere.requests.at(-1)).toMatchObject({ path: '/v2/rerank', body: { model: 'rerank-v3.5', query: 'capital of France', documents: DOCS, top_n: 2 } });
    expect(cohere.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEYS.cohere}`);
  });

  it('one search unit per 100 documents at $0.002: usage, cost header and a rerank record agree', async () => {
    const documents = Array.from({ length: 250 }, (_, i) => `document number ${i}`);
    const { status, json, headers } = await rerank({ model: 'cohere/rerank-v3.5', query: 'number 7', documents, top_n: 3 });
    expect(status).toBe(200);
    expect(json.results).toHaveLength(3);
    expect(json.results[0]).toEqual({ index: 7, relevance_score: 1 });
    const nanos = 3 * 2_000_000; // 3 search units × $0.002 = 2,000,000 n$ each
    expect(json.meta).toEqual({ billed_units: { search_units: 3 } });
    expect(json.usage).toEqual({ search_units: 3, prompt_tokens: 0, total_tokens: 0, cost: nanos / 1e9 });
    expect(headers.get('x-tollgate-cost-usd')).toBe(usdHeader(nanos));
    expect(await recordOf(gw, headers.get('x-request-id'))).toMatchObject({ kind: 'rerank', provider: 'cohere', model: 'rerank-v3.5', costNanos: nanos, status: 200 });
  });

  it('an upstream 429 keeps its status and retry-after, in the OpenAI envelope', async () => {
    cohere.setHandler(() => cohereError(429, 'You are past the per minute request limit', { 'retry-after': '9' }));
    const { status, json, headers } = await rerank({ model: 'cohere/rerank-v3.5', query: 'q', documents: ['a'] });
    cohere.setHandler(cohereMockHandler(KEYS.cohere));
    expect(status).toBe(429);
    expect(headers.get('retry-after')).toBe('9');
    expect(json.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded', message: expect.stringContaining('Cohere answered 429') });
  });
});

describe('POST /v1/rerank on OpenAI-compatible hosts with a rerank endpoint', () => {
  it('Jina: Cohere\'s body at /v1/rerank, priced per token ($0.018/Mtok)', async () => {
    const { status, json, headers } = await rerank({ model: 'jina/jina-reranker-v2-base-multilingual', query: 'capital of France', documents: DOCS, top_n: 1 });
    expect(status).toBe(200);
    expect(jina.requests.at(-1)).toMatchObject({ path: '/v1/rerank', body: { model: 'jina-reranker-v2-base-multilingual', query: 'capital of France', documents: DOCS, top_n: 1 } });
    expect(jina.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEYS.jina}`);
    expect(json.results).toEqual([{ index: 0, relevance_score: 1 }]);
    // 3 query words × 3 documents + 15 document words = 24 tokens × 18,000 pico$ = 432,000 pico$ = 432 n$.
    expect(json.usage).toEqual({ prompt_tokens: 24, total_tokens: 24, cost: 432 / 1e9 });
    expect(headers.get('x-tollgate-cost-usd')).toBe(usdHeader(432));
  });

  it("Voyage: top_n becomes top_k, its data list is read, priced per token ($0.05/Mtok)", async () => {
    const { status, json, headers } = await rerank({ model: 'voyage/rerank-2', query: 'capital of France', documents: DOCS, top_n: 2, return_documents: true });
    expect(status).toBe(200);
    const sent = voyage.requests.at(-1)!;
    expect(sent.body).toEqual({ model: 'rerank-2', query: 'capital of France', documents: DOCS, top_k: 2 });
    expect(json.results).toEqual([
      { index: 0, relevance_score: 1, document: { text: DOCS[0] } },
      { index: 1, relevance_score: 0.6667, document: { text: DOCS[1] } },
    ]);
    // 24 tokens × 50,000 pico$ = 1,200,000 pico$ = 1,200 n$.
    expect(headers.get('x-tollgate-cost-usd')).toBe(usdHeader(1200));
  });
});

describe('POST /v1/rerank refuses bad input in the OpenAI envelope, before any upstream call', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no query', { model: 'cohere/rerank-v3.5', documents: ['a'] }, 'query'],
    ['no documents', { model: 'cohere/rerank-v3.5', query: 'q', documents: [] }, 'documents'],
    ['too many documents', { model: 'cohere/rerank-v3.5', query: 'q', documents: Array.from({ length: 1001 }, () => 'd') }, 'documents'],
    ['a document that is neither text nor {text}', { model: 'cohere/rerank-v3.5', query: 'q', documents: [{ title: 'x' }] }, 'documents[0].text'],
    ['top_n zero', { model: 'cohere/rerank-v3.5', query: 'q', documents: ['a'], top_n: 0 }, 'top_n'],
    ['top_n not an integer', { model: 'cohere/rerank-v3.5', query: 'q', documents: ['a'], top_n: 1.5 }, 'top_n'],
    ['max_tokens_per_doc too large', { model: 'cohere/rerank-v3.5', query: 'q', documents: ['a'], max_tokens_per_doc: 1e12 }, 'max_tokens_per_doc'],
    ['a field the surface does not carry', { model: 'cohere/rerank-v3.5', query: 'q', documents: ['a'], rank_fields: ['title'] }, 'rank_fields'],
  ];
  it.each(cases)('%s → a 400 naming the field', async (_what, body, param) => {
    const before = cohere.requests.length;
    const { status, json } = await rerank(body);
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(cohere.requests.length).toBe(before);
  });

  it('a non-finite number (1e400) is a 400', async () => {
    const res = await fetch(`${gw.url}/v1/rerank`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{"model":"cohere/rerank-v3.5","query":"q","documents":["a"],"top_n":1e400}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.type).toBe('invalid_request_error');
  });

  it("a field the host's format cannot carry (max_tokens_per_doc to Voyage) is a 400 naming it, nothing sent", async () => {
    const before = voyage.requests.length;
    const { status, json } = await rerank({ model: 'voyage/rerank-2', query: 'q', documents: ['a'], max_tokens_per_doc: 100 });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ param: 'max_tokens_per_doc', message: expect.stringContaining('voyage') });
    expect(voyage.requests.length).toBe(before);
  });

  it('a provider that does not rerank is a 400 naming model', async () => {
    const { status, json } = await rerank({ model: 'mock/echo', query: 'q', documents: ['a'] });
    expect(status).toBe(400);
    expect(json.error).toMatchObject({ param: 'model', message: expect.stringMatching(/rerank/) });
  });
});
