/**
 * `POST /v1/embeddings` runs the engine's shared stages: an upstream failure is answered and
 * recorded as a chat call's is (one classification), and a client that goes away mid-request is
 * a 499 on the ledger, like any other call.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../src/metering/usage-record.js';
import { startGateway, until, type TestGateway } from './helpers/gateway.js';
import { adminCall, startInstance, tempDir } from './helpers/instance.js';
import { geminiDefaultHandler, startGeminiMock } from './mocks/gemini.js';
import type { HttpMock } from './mocks/http-mock.js';
import { defaultOpenAIHandler, startOpenAIMock } from './mocks/openai.js';

let gemini: HttpMock;
let openai: HttpMock;
let gw: TestGateway;

beforeAll(async () => {
  [gemini, openai] = await Promise.all([startGeminiMock(), startOpenAIMock()]);
  gw = await startGateway(`
providers:
  gemini: { type: gemini, api_key: "gm-test-secret-0123456789", base_url: "${gemini.url}" }
  openai: { type: openai, api_key: "sk-test-openai-0123456789", base_url: "${openai.url}/v1" }
`);
});
afterAll(async () => {
  await gw?.close();
  await Promise.all([gemini?.close(), openai?.close()]);
});
afterEach(() => {
  gemini.setHandler(geminiDefaultHandler);
  openai.setHandler(defaultOpenAIHandler);
});

const embed = (model: string, signal?: AbortSignal) =>
  fetch(`${gw.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, input: 'hello' }), ...(signal && { signal }) });

/** The record of the last request the gateway settled, once it is there. */
async function lastRecord(before: number) {
  await until(() => gw.records.length > before);
  return gw.records.at(-1)!;
}

describe('embeddings upstream failures: answered and recorded alike, as for chat', () => {
  it('an answer the adapter cannot read is a 502 upstream_malformed, in the response and the record', async () => {
    gemini.setHandler(() => ({ json: { embeddings: 'not a list' } }));
    const before = gw.records.length;
    const res = await embed('gemini/gemini-embedding-001');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(502);
    expect(body.error.code).toBe('upstream_malformed');
    expect(body.error.message).toMatch(/^gemini: the provider sent /);
    const rec = await lastRecord(before);
    expect(rec.status).toBe(502);
    expect(rec.errorCode).toBe('upstream_malformed');
    expect(rec.provider).toBe('gemini');
  });

  it('a body cut after the status line is a 502 upstream_stream_cut, in the response and the record', async () => {
    openai.setHandler(() => ({ headers: { 'content-type': 'application/json' }, sse: ['{"object":"list","data":[', '{"object":"embedding"'], chunkDelayMs: 50, cutAfter: 1 }));
    const before = gw.records.length;
    const res = await embed('openai/text-embedding-3-small');
    const body = (await res.json()) as { error: { code: string } };
    expect(res.status).toBe(502);
    expect(body.error.code).toBe('upstream_stream_cut');
    const rec = await lastRecord(before);
    expect(rec.status).toBe(502);
    expect(rec.errorCode).toBe('upstream_stream_cut');
  });
});

describe('embeddings: the client goes away', () => {
  it('while the upstream body is still coming: a 499 record', async () => {
    // The status line and the first bytes at once, the rest a second later: the client leaves in between.
    openai.setHandler(() => ({ headers: { 'content-type': 'application/json' }, sse: ['{"object":"list",', '"data":[]}'], chunkDelayMs: 1000 }));
    const before = gw.records.length;
    const sent = openai.requests.length;
    const ac = new AbortController();
    const pending = embed('openai/text-embedding-3-small', ac.signal);
    await until(() => openai.requests.length > sent);
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    const rec = await lastRecord(before);
    expect(rec.status).toBe(499);
    expect(rec.errorCode).toBe('client_closed');
  });
});

describe('embeddings: a refusal by admission', () => {
  it('is answered as a chat call’s is: 429 with the rate-limit headers, and recorded', async () => {
    const tmp = tempDir();
    const recs: UsageRecord[] = [];
    const inst = await startInstance('providers:\n  mock: { type: mock }\n', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/t.db` }, { sinks: [{ record: (r) => recs.push(r) }] });
    try {
      const team = await adminCall(inst.url, 'POST', '/admin/teams', { name: 'emb' });
      const key = (await adminCall(inst.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'one-a-minute', limits: { rpm: 1 } })).json.key;
      const call = () => fetch(`${inst.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'mock/echo', input: 'hello' }) });
      const ok = await call();
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-ratelimit-limit-requests')).toBe('1');
      await ok.arrayBuffer();
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('1');
      expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.headers.get('x-request-id')).toMatch(/^req_/);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
      await until(() => recs.some((r) => r.status === 429));
      expect(recs.find((r) => r.status === 429)).toMatchObject({ errorCode: 'rate_limit_exceeded', requestedModel: 'mock/echo' });
    } finally {
      await inst.close(0);
      tmp.remove();
    }
  });
});
