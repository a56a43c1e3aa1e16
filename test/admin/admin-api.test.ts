import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const YAML = 'providers:\n  mock: { type: mock }\n';
const ask = { model: 'mock/echo', messages: [{ role: 'user', content: 'one two three' }] };

describe('admin API and per-team usage', () => {
  let gw: Instance;
  let tmp: ReturnType<typeof tempDir>;
  let teamA: any;
  let teamB: any;
  let keyA: any;
  let keyB: any;

  beforeAll(async () => {
    tmp = tempDir();
    gw = await startInstance(YAML, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
    teamA = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'alpha', limits: { budget_usd: { amount: 25, period: 'month' }, rpm: 600 } })).json;
    teamB = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'beta' })).json;
    keyA = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamA.id, name: 'a1' })).json;
    keyB = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamB.id, name: 'b1', allowed_models: ['mock/*'] })).json;
  });
  afterAll(async () => {
    await gw?.close(1000);
    tmp?.remove();
  });

  it('creates teams and keys; a key is shown once, stored only as its SHA-256 and a display prefix', async () => {
    expect(teamA).toMatchObject({ name: 'alpha', limits: { budget_usd: { amount: 25, period: 'month' }, rpm: 600 } });
    expect(keyA.key).toMatch(/^tg_[A-Za-z0-9]{40}$/);
    expect(keyA.prefix).toBe(keyA.key.slice(0, 11));
    const rows = gw.storage.sqlite.prepare('SELECT * FROM api_keys').all() as Record<string, unknown>[];
    expect(rows.length).toBe(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(keyA.key);
    expect(rows.find((r) => r.id === keyA.id)!.key_hash).toBe(createHash('sha256').update(keyA.key).digest('hex'));
    const list = await adminCall(gw.url, 'GET', '/admin/keys');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toContain(keyA.key);
    expect(list.json.data.map((k: any) => k.prefix).sort()).toEqual([keyA.prefix, keyB.prefix].sort());
    expect((await adminCall(gw.url, 'GET', '/admin/teams')).json.data.map((t: any) => t.name)).toEqual(['alpha', 'beta']);
    const audit = gw.storage.sqlite.prepare('SELECT action FROM audit_log ORDER BY id').all() as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['team.create', 'team.create', 'key.create', 'key.create']);
  });

  it("team A's key cannot read team B's usage; admin routes refuse team keys", async () => {
    expect((await chat(gw.url, keyA.key, ask)).status).toBe(200);
    expect((await chat(gw.url, keyB.key, ask)).status).toBe(200);
    expect((await chat(gw.url, keyB.key, ask)).status).toBe(200);

    const own = await adminCall(gw.url, 'GET', '/v1/usage?group_by=team', undefined, keyA.key);
    expect(own.status).toBe(200);
    expect(own.json.data).toEqual([expect.objectContaining({ team: teamA.id, requests: 1 })]);
    expect(own.json.total.requests).toBe(1);

    const other = await adminCall(gw.url, 'GET', `/v1/usage?team_id=${teamB.id}`, undefined, keyA.key);
    expect(other.status).toBe(403);
    expect(other.json.error.type).toBe('permission_error');

    for (const [method, path] of [['GET', '/admin/teams'], ['GET', '/admin/usage'], ['GET', '/admin/keys'], ['POST', '/admin/teams'], ['DELETE', `/admin/keys/${keyB.id}`]] as const) {
      const r = await adminCall(gw.url, method, path, method === 'POST' ? { name: 'x' } : undefined, keyA.key);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.error.type).toBe('permission_error');
    }
    expect((await fetch(`${gw.url}/admin/teams`)).status).toBe(401);
    // keyB was not revoked by the refused DELETE above.
    expect((await chat(gw.url, keyB.key, ask)).status).toBe(200);
  });

  it('reports usage grouped by team/key/model/provider/day, as JSON and CSV, with exact totals', async () => {
    const byTeam = await adminCall(gw.url, 'GET', '/admin/usage?group_by=team');
    expect(byTeam.status).toBe(200);
    const rows = Object.fromEntries(byTeam.json.data.map((r: any) => [r.team, r]));
    expect(rows[teamA.id].requests).toBeGreaterThanOrEqual(1);
    expect(rows[teamB.id].requests).toBe(3);
    expect(rows[teamB.id].input_tokens).toBeGreaterThan(0);
    expect(byTeam.json.total.requests).toBe(byTeam.json.data.reduce((n: number, r: any) => n + r.requests, 0));

    const byKey = await adminCall(gw.url, 'GET', `/admin/usage?group_by=key&team_id=${teamB.id}`);
    expect(byKey.json.data).toEqual([expect.objectContaining({ key: keyB.id, requests: 3 })]);
    const byModel = await adminCall(gw.url, 'GET', `/admin/usage?group_by=model&team_id=${teamB.id}`);
    expect(byModel.json.data).toEqual([expect.objectContaining({ model: 'echo', requests: 3 })]);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await adminCall(gw.url, 'GET', `/admin/usage?group_by=day&from=${today}&to=${today}`);
    expect(byDay.json.data).toEqual([expect.objectContaining({ day: today })]);
    const none = await adminCall(gw.url, 'GET', '/admin/usage?group_by=day&from=2000-01-01&to=2000-01-02');
    expect(none.json).toEqual({ data: [], total: { requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, cost_nanos: 0 } });

    const csv = await fetch(`${gw.url}/admin/usage.csv?group_by=provider`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('provider,requests,input_tokens,output_tokens,cost_usd');
    expect(lines[1]).toMatch(/^mock,\d+,\d+,\d+,0\.000000$/);
  });

  it('admin usage is recorded under the built-in admin team', async () => {
    expect((await chat(gw.url, ADMIN_KEY, ask)).status).toBe(200);
    const r = await adminCall(gw.url, 'GET', '/admin/usage?team_id=admin');
    expect(r.json.total.requests).toBe(1);
  });

  it('bad admin input: unknown team, negative budget, unknown limit, malformed JSON → 400/404 in the envelope', async () => {
    const cases: Array<[string, string, unknown, number, string | null]> = [
      ['POST', '/admin/teams', '{"name": ', 400, null],
      ['POST', '/admin/teams', { name: 'neg', limits: { budget_usd: { amount: -5, period: 'day' } } }, 400, 'limits.budget_usd.amount'],
      ['POST', '/admin/teams', { name: 'per', limits: { budget_usd: { amount: 5, period: 'week' } } }, 400, 'limits.budget_usd.period'],
      ['POST', '/admin/teams', { name: 'typo', limits: { rmp: 5 } }, 400, 'limits.rmp'],
      ['POST', '/admin/teams', { name: 'frac', limits: { rpm: 1.5 } }, 400, 'limits.rpm'],
      ['POST', '/admin/teams', { limits: {} }, 400, 'name'],
      ['POST', '/admin/teams', [1, 2], 400, null],
      ['PATCH', '/admin/teams/team_nope', { limits: { rpm: 5 } }, 404, null],
      ['PATCH', `/admin/teams/${'TEAM_A'}`, { limits: { tpm: -1 } }, 400, 'limits.tpm'],
      ['POST', '/admin/keys', { team_id: 'team_nope', name: 'k' }, 404, null],
      ['POST', '/admin/keys', { name: 'k' }, 400, 'team_id'],
      ['POST', '/admin/keys', { team_id: 'TEAM_A', expires_at: 'soon' }, 400, 'expires_at'],
      ['DELETE', '/admin/keys/key_nope', undefined, 404, null],
      ['GET', '/admin/usage?group_by=color', undefined, 400, 'group_by'],
      ['GET', '/admin/usage?from=yesterday', undefined, 400, 'from'],
    ];
    for (const [method, path, body, status, param] of cases) {
      const r = await adminCall(gw.url, method, path.replace('TEAM_A', teamA.id), typeof body === 'object' && body !== null && !Array.isArray(body) ? JSON.parse(JSON.stringify(body).replace('TEAM_A', teamA.id)) : body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(Object.keys(r.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      if (param) expect(r.json.error.param).toBe(param);
    }
    expect((await adminCall(gw.url, 'POST', '/admin/teams', { name: 'alpha' })).status).toBe(409);
  });

  it('PATCH changes team limits for the next request; expired keys and disallowed models are refused', async () => {
    const t = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'gamma' })).json;
    const k = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: t.id, allowed_models: ['mock/echo'] })).json;
    expect((await chat(gw.url, k.key, ask)).status).toBe(200);
    const p = await adminCall(gw.url, 'PATCH', `/admin/teams/${t.id}`, { limits: { rpm: 0 } });
    expect(p.status).toBe(200);
    expect(p.json.limits).toEqual({ rpm: 0 });
    const refused = await chat(gw.url, k.key, ask);
    expect(refused.status).toBe(429);
    expect(refused.json.error.message).toContain('rpm');
    expect((await chat(gw.url, k.key, { ...ask, model: 'mock/lorem' })).status).toBe(403);

    const expired = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: t.id, expires_at: new Date(Date.now() - 1000).toISOString() })).json;
    expect((await chat(gw.url, expired.key, ask)).status).toBe(401);
  });

  it('/readyz reports storage', async () => {
    const r = await fetch(`${gw.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', checks: { storage: 'ok' } });
  });
});
