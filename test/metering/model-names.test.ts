import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { defaultOpenAIHandler, openaiError, startOpenAIMock } from '../mocks/openai.js';

/**
 * One model, one name in the ledger: answered, failed and refused requests all carry the
 * resolved provider and model, and the name the caller typed apart — so `group_by=model` does not
 * split `openai/gpt-4o` and `gpt-4o` in two.
 */
describe('ledger model names', () => {
  let upstream: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;

  beforeAll(async () => {
    upstream = await startOpenAIMock();
    tmp = tempDir();
    gw = await startInstance(`providers:\n  openai: { type: openai, api_key: "sk-test-0123456789", base_url: "${upstream.url}/v1" }\n`, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/l.db` });
  });
  afterAll(async () => {
    await gw?.close(1000);
    await upstream?.close();
    tmp?.remove();
  });

  it('answered, failed and refused requests for one model are one row of group_by=model', async () => {
    const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'names' })).json;
    const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name: 'k' })).json;
    // $0.000001 in total: any request to gpt-4o is refused before it reaches the upstream.
    const broke = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id, name: 'broke', limits: { budget_usd: { amount: 0.000001, period: 'total' } } })).json;
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key.key, maxRetries: 0 });
    const ask = (model: string, c = client) => c.chat.completions.create({ model, messages: [{ role: 'user', content: 'name me' }] }).withResponse();

    const answered = await ask('openai/gpt-4o');
    expect(answered.response.headers.get('x-tollgate-model')).toBe('gpt-4o');
    const bare = await ask('gpt-4o');
    expect(bare.response.headers.get('x-tollgate-provider')).toBe('openai');
    upstream.setHandler(() => openaiError(500, 'upstream broke', 'server_error'));
    const failed = await ask('openai/gpt-4o').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    upstream.setHandler(defaultOpenAIHandler);
    const refused = await ask('openai/gpt-4o', new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: broke.key, maxRetries: 0 })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);

    // The upstream got three requests (the refusal never left), each for its own name of the model.
    expect(upstream.requests.map((r) => r.body.model)).toEqual(['gpt-4o', 'gpt-4o', 'gpt-4o']);

    const report = await adminCall(gw.url, 'GET', `/admin/usage?group_by=model`);
    expect(report.status).toBe(200);
    expect(report.json.data.map((r: { model: string; requests: number }) => [r.model, r.requests])).toEqual([['gpt-4o', 4]]);
    const rows = gw.storage.sqlite.prepare('SELECT provider, model, requested_model, status FROM usage_records WHERE team_id = ? ORDER BY id').all(team.id);
    expect(rows).toEqual([
      { provider: 'openai', model: 'gpt-4o', requested_model: 'openai/gpt-4o', status: 200 },
      { provider: 'openai', model: 'gpt-4o', requested_model: 'gpt-4o', status: 200 },
      { provider: 'openai', model: 'gpt-4o', requested_model: 'openai/gpt-4o', status: 502 },
      { provider: 'openai', model: 'gpt-4o', requested_model: 'openai/gpt-4o', status: 429 },
    ]);
  });

  it('a model name that resolves to nothing keeps the typed name only (no provider, no model)', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'nope/unknown-model', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(404);
    const id = res.headers.get('x-request-id');
    gw.ledger.flush();
    expect(gw.storage.sqlite.prepare('SELECT provider, model, requested_model FROM usage_records WHERE request_id = ?').get(id)).toEqual({ provider: null, model: null, requested_model: 'nope/unknown-model' });
  });
});
