/**
 * Holes a review found, each closed: a fallback header cannot reach a model the key may not
 * use, `n` multiplies the budget reservation, the per-request timeout bounds only the wait for
 * the first byte, and a body with two top-level `model` keys is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, chat, startInstance, tempDir, type Instance } from './helpers/instance.js';
import type { HttpMock } from './mocks/http-mock.js';
import { openaiStream, startOpenAIMock } from './mocks/openai.js';

let gw: Instance;
let mock: HttpMock;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  mock = await startOpenAIMock();
  tmp = tempDir();
  gw = await startInstance(
    `providers:
  mock: { type: mock }
  slow: { type: openai-compatible, api_key: "sk-slow-123456", base_url: "${mock.url}/v1" }
pricing:
  mock/echo: { input_per_mtok_usd: 1000, output_per_mtok_usd: 1000 }
  mock/lorem: { input_per_mtok_usd: 1000, output_per_mtok_usd: 1000 }
`,
    { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/r.db` },
  );
});
afterAll(async () => {
  await gw?.close(500);
  await mock?.close();
  tmp?.remove();
});

const ask = { messages: [{ role: 'user', content: 'one two three' }] };

describe('review fixes', () => {
  it('x-tollgate-fallbacks names are checked against the key’s allowed models (403)', async () => {
    const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'narrow' });
    const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id, allowed_models: ['mock/echo'] })).json.key;
    const ok = await chat(gw.url, key, { model: 'mock/echo', ...ask });
    expect(ok.status).toBe(200);
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-tollgate-fallbacks': 'mock/lorem' },
      body: JSON.stringify({ model: 'mock/echo', ...ask }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toContain('mock/lorem');
  });

  it('n multiplies the worst case reserved against a budget', async () => {
    // $0.05 budget at $1000/Mtok: 3 prompt tokens + 10 output = 13 µ$·1000 → $0.013 fits; n=8 → 80 output tokens → $0.083 does not
    const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'n-budget', limits: { budget_usd: { amount: 0.05, period: 'day' } } });
    const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id })).json.key;
    const one = await chat(gw.url, key, { model: 'mock/echo', max_tokens: 10, ...ask });
    expect(one.status).toBe(200);
    const many = await chat(gw.url, key, { model: 'mock/echo', max_tokens: 10, n: 8, ...ask });
    expect(many.status).toBe(429);
    expect(many.json.error.message).toContain('budget_usd');
  });

  it('x-tollgate-timeout-ms bounds the first byte only: a stream longer than it completes', async () => {
    mock.setHandler(() => ({ ...openaiStream({ text: 'a b c d e f g h' }, { includeUsage: true }), chunkDelayMs: 60 }));
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer tg_admin_test_key_0123456789', 'content-type': 'application/json', 'x-tollgate-timeout-ms': '200' },
      body: JSON.stringify({ model: 'slow/gpt-4o', stream: true, ...ask }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('data: [DONE]');
    expect(text).not.toContain('event: error');
  });

  it('a body with two top-level model keys is refused (400), never forwarded', async () => {
    const before = mock.requests.length;
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer tg_admin_test_key_0123456789', 'content-type': 'application/json' },
      body: '{"model":"slow/gpt-4-expensive","messages":[{"role":"user","content":"x"}],"model":"slow/gpt-4o-mini"}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('duplicate_key');
    expect(mock.requests.length).toBe(before);
  });
});
