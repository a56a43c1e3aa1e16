/**
 * The API routes the console reads (real routes, usable with keys): recent usage records with
 * filters and paging, the usage summary (errors, latency percentiles), budgets in their current
 * period, a team key's own team, usage split by a second dimension and by week/month, and the
 * model catalog with prices. Bad parameters are 400s naming them; team keys see their own team only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const YAML = `providers:
  mock: { type: mock }
pricing:
  mock/echo: { input_per_mtok_usd: 1, output_per_mtok_usd: 2, source: "test", as_of: "2026-12-03" }
models:
  quick: { targets: [mock/echo] }
`;
const ask = (content: string) => ({ model: 'mock/echo', max_tokens: 20, messages: [{ role: 'user', content }] });

let gw: Instance;
let tmp: ReturnType<typeof tempDir>;
let teamA: any;
let teamB: any;
let keyA: any;
let keyB: any;

beforeAll(async () => {
  tmp = tempDir();
  gw = await startInstance(YAML, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
  teamA = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'alpha', limits: { budget_usd: { amount: 5, period: 'month' }, tokens: { amount: 1000, period: 'day' } } })).json;
  teamB = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'beta' })).json;
  keyA = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamA.id, name: 'a1', limits: { budget_usd: { amount: 1, period: 'day' } } })).json;
  keyB = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: teamB.id, name: 'b1', allowed_models: ['mock/lorem'] })).json;
  for (const c of ['one two three', 'four five', 'six']) expect((await chat(gw.url, keyA.key, ask(c))).status).toBe(200);
  expect((await chat(gw.url, keyB.key, { model: 'mock/lorem', messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);
  expect((await chat(gw.url, keyB.key, ask('not allowed'))).status).toBe(403);
});
afterAll(async () => {
  await gw?.close(1000);
  tmp?.remove();
});

describe('GET /admin/usage/records and /v1/usage/records', () => {
  it('lists the newest records first with the key prefix, and pages with a cursor', async () => {
    const all = await adminCall(gw.url, 'GET', '/admin/usage/records');
    expect(all.status).toBe(200);
    expect(all.json.data.length).toBe(5);
    const ids = all.json.data.map((r: any) => r.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => y - x));
    const first = all.json.data.at(-1);
    expect(first).toMatchObject({ team_id: teamA.id, key_id: keyA.id, key_prefix: keyA.prefix, provider: 'mock', model: 'echo', status: 200, input_tokens: 3, output_tokens: 3, cost_nanos: 9_000, cost_usd: 0.000009 });
    expect(JSON.stringify(all.json)).not.toContain(keyA.key);

    const p1 = await adminCall(gw.url, 'GET', '/admin/usage/records?limit=2');
    expect(p1.json.data.map((r: any) => r.id)).toEqual(ids.slice(0, 2));
    const p2 = await adminCall(gw.url, 'GET', `/admin/usage/records?limit=2&cursor=${p1.json.next_cursor}`);
    expect(p2.json.data.map((r: any) => r.id)).toEqual(ids.slice(2, 4));
    const p3 = await adminCall(gw.url, 'GET', `/admin/usage/records?limit=2&cursor=${p2.json.next_cursor}`);
    expect(p3.json.data.map((r: any) => r.id)).toEqual(ids.slice(4));
    expect(p3.json.next_cursor).toBeNull();
  });

  it('filters by team, key, model, provider, status and time', async () => {
    const q = async (s: string) => (await adminCall(gw.url, 'GET', `/admin/usage/records?${s}`)).json.data;
    expect((await q(`team_id=${teamA.id}`)).length).toBe(3);
    expect((await q(`key_id=${keyB.id}`)).length).toBe(2);
    expect((await q('model=lorem')).map((r: any) => r.key_id)).toEqual([keyB.id]);
    expect((await q('provider=mock')).length).toBe(5);
    expect((await q('status=error')).map((r: any) => r.status)).toEqual([403]);
    expect((await q('status=ok')).length).toBe(4);
    expect((await q('status=403')).length).toBe(1);
    expect((await q('from=2000-01-01&to=2000-01-02')).length).toBe(0);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    for (const [s, param] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=1e3', 'limit'],
      ['cursor=-1', 'cursor'],
      ['cursor=99999999999999999999', 'cursor'],
      ['status=teapot', 'status'],
      ['status=700', 'status'],
      ['from=yesterday', 'from'],
      ['team_id=a&team_id=b', 'team_id'],
      [`model=${'m'.repeat(301)}`, 'model'],
    ]) {
      const r = await adminCall(gw.url, 'GET', `/admin/usage/records?${s}`);
      expect(r.status, s).toBe(400);
      expect(r.json.error.param, s).toBe(param);
    }
  });

  it('a team key reads its own team’s records only; another team is a 403; the admin API is a 403', async () => {
    const own = await adminCall(gw.url, 'GET', '/v1/usage/records', undefined, keyB.key);
    expect(own.status).toBe(200);
    expect(own.json.data.length).toBe(2);
    expect(own.json.data.every((r: any) => r.team_id === teamB.id)).toBe(true);
    expect((await adminCall(gw.url, 'GET', `/v1/usage/records?team_id=${teamA.id}`, undefined, keyB.key)).status).toBe(403);
    expect((await adminCall(gw.url, 'GET', '/admin/usage/records', undefined, keyB.key)).status).toBe(403);
    expect((await fetch(`${gw.url}/v1/usage/records`)).status).toBe(401);
  });
});

describe('GET /admin/usage/summary', () => {
  it('totals, errors and nearest-rank latency percentiles that match the records', async () => {
    const s = await adminCall(gw.url, 'GET', '/admin/usage/summary');
    expect(s.status).toBe(200);
    const recs = (await adminCall(gw.url, 'GET', '/admin/usage/records')).json.data;
    const lat = recs.map((r: any) => r.latency_ms).sort((x: number, y: number) => x - y);
    const rank = (p: number) => lat[Math.ceil((p / 100) * lat.length) - 1];
    const report = (await adminCall(gw.url, 'GET', '/admin/usage')).json.total;
    expect(s.json).toEqual({
      requests: 5,
      errors: 1,
      input_tokens: report.input_tokens,
      output_tokens: report.output_tokens,
      cost_nanos: report.cost_nanos,
      cost_usd: report.cost_usd,
      latency_p50_ms: rank(50),
      latency_p95_ms: rank(95),
    });
    const none = await adminCall(gw.url, 'GET', '/admin/usage/summary?from=2000-01-01&to=2000-01-01');
    expect(none.json).toMatchObject({ requests: 0, errors: 0, cost_nanos: 0, latency_p50_ms: null, latency_p95_ms: null });
    const own = await adminCall(gw.url, 'GET', '/v1/usage/summary', undefined, keyA.key);
    expect(own.json).toMatchObject({ requests: 3, errors: 0, cost_nanos: 18_000 });
  });
});

describe('GET /admin/budgets and /v1/team', () => {
  it('shows spend in the current period from the ledger, equal to /admin/usage for that period, and the reset date', async () => {
    const b = await adminCall(gw.url, 'GET', '/admin/budgets');
    expect(b.status).toBe(200);
    const team = b.json.data.find((x: any) => x.scope === 'team' && x.id === teamA.id);
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const usage = (await adminCall(gw.url, 'GET', `/admin/usage?team_id=${teamA.id}&from=${monthStart.toISOString()}`)).json.total;
    expect(usage.cost_nanos).toBe(18_000);
    expect(team).toEqual({
      scope: 'team',
      id: teamA.id,
      name: 'alpha',
      team_id: teamA.id,
      budget: {
        period: 'month',
        amount_nanos: 5_000_000_000,
        amount_usd: 5,
        spent_nanos: usage.cost_nanos,
        spent_usd: usage.cost_usd,
        period_start: monthStart.toISOString(),
        resets_at: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      },
      tokens: expect.objectContaining({ period: 'day', amount: 1000, used: usage.input_tokens + usage.output_tokens }),
    });
    expect(b.json.data.find((x: any) => x.scope === 'key' && x.id === keyA.id).budget).toMatchObject({ period: 'day', amount_nanos: 1_000_000_000, spent_nanos: 18_000 });
    expect(b.json.data.some((x: any) => x.id === teamB.id)).toBe(false);
    expect((await adminCall(gw.url, 'GET', '/admin/budgets', undefined, keyA.key)).status).toBe(403);
  });

  it('a team key reads its own team; the admin key and no key are refused', async () => {
    const t = await adminCall(gw.url, 'GET', '/v1/team', undefined, keyA.key);
    expect(t.status).toBe(200);
    expect(t.json).toMatchObject({ id: teamA.id, name: 'alpha', limits: teamA.limits, budget: { spent_nanos: 18_000, amount_nanos: 5_000_000_000 } });
    expect((await adminCall(gw.url, 'GET', '/v1/team', undefined, keyB.key)).json).toMatchObject({ id: teamB.id, budget: null, tokens: null });
    expect((await adminCall(gw.url, 'GET', '/v1/team')).status).toBe(403);
    expect((await fetch(`${gw.url}/v1/team`)).status).toBe(401);
  });
});

describe('usage by a second dimension, by week and month, and the new filters', () => {
  it('group_by=day&split_by=team gives one row per day and team, summing to the total', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = await adminCall(gw.url, 'GET', '/admin/usage?group_by=day&split_by=team');
    expect(r.status).toBe(200);
    expect(r.json.data.length).toBe(2);
    expect(r.json.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ day: today, team: teamA.id, requests: 3, cost_nanos: 18_000 }), expect.objectContaining({ day: today, team: teamB.id, requests: 2, cost_nanos: 0 })]),
    );
    expect(r.json.data.reduce((n: number, x: any) => n + x.cost_nanos, 0)).toBe(r.json.total.cost_nanos);
    const csv = await fetch(`${gw.url}/admin/usage.csv?group_by=day&split_by=team`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect((await csv.text()).split('\r\n')[0]).toBe('day,team,requests,input_tokens,output_tokens,cost_usd');
    expect((await adminCall(gw.url, 'GET', '/admin/usage?group_by=team&split_by=team')).json.error.param).toBe('split_by');
    expect((await adminCall(gw.url, 'GET', '/admin/usage?split_by=galaxy')).status).toBe(400);
  });

  it('week is the ISO week’s Monday, month is YYYY-MM', async () => {
    const d = new Date();
    const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
    expect((await adminCall(gw.url, 'GET', '/admin/usage?group_by=week')).json.data).toEqual([expect.objectContaining({ week: monday.toISOString().slice(0, 10), requests: 5 })]);
    expect((await adminCall(gw.url, 'GET', '/admin/usage?group_by=month')).json.data).toEqual([expect.objectContaining({ month: d.toISOString().slice(0, 7), requests: 5 })]);
  });

  it('filters by key, model and provider; a team key cannot widen its own scope with them', async () => {
    expect((await adminCall(gw.url, 'GET', `/admin/usage?key_id=${keyA.id}`)).json.total.requests).toBe(3);
    expect((await adminCall(gw.url, 'GET', '/admin/usage?model=lorem')).json.total.requests).toBe(1);
    expect((await adminCall(gw.url, 'GET', '/admin/usage?provider=nope')).json.total.requests).toBe(0);
    expect((await adminCall(gw.url, 'GET', `/v1/usage?key_id=${keyA.id}`, undefined, keyB.key)).json.total.requests).toBe(0);
  });
});

describe('GET /v1/catalog', () => {
  it('lists configured models with prices per 1M tokens (integer micro-dollars), their provider, and aliases', async () => {
    const c = await adminCall(gw.url, 'GET', '/v1/catalog', undefined, keyA.key);
    expect(c.status).toBe(200);
    const echo = c.json.data.find((m: any) => m.id === 'mock/echo');
    expect(echo).toMatchObject({ provider: 'mock', provider_type: 'mock', model: 'echo', input_per_mtok_micros: 1_000_000, output_per_mtok_micros: 2_000_000, cached_input_per_mtok_micros: 1_000_000, price_source: 'test', price_as_of: '2026-12-03' });
    expect(c.json.data.find((m: any) => m.id === 'mock/lorem')).toMatchObject({ input_per_mtok_micros: null });
    expect(c.json.aliases).toEqual([{ id: 'quick', strategy: 'fallback', targets: ['mock/echo'] }]);
  });

  it('a key with allowed_models sees only what it may call; no key is a 401', async () => {
    const c = await adminCall(gw.url, 'GET', '/v1/catalog', undefined, keyB.key);
    expect(c.json.data.map((m: any) => m.id)).toEqual(['mock/lorem']);
    expect(c.json.aliases).toEqual([]);
    expect((await fetch(`${gw.url}/v1/catalog`)).status).toBe(401);
  });
});

describe('/openapi.json', () => {
  it('documents the console’s routes with their schemas', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as any;
    for (const p of ['/admin/usage/records', '/admin/usage/summary', '/admin/budgets', '/v1/usage/records', '/v1/usage/summary', '/v1/team', '/v1/catalog', '/ui/api/session']) expect(doc.paths[p], p).toBeTruthy();
    expect(doc.components.schemas.UsageRecordList.properties.data.items.properties.cost_nanos.type).toBe('integer');
    expect(doc.paths['/admin/usage'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['split_by', 'key_id', 'model', 'provider']));
  });
});
