/**
 * Logs worth reading: one `info` access line per request with the fields an operator filters
 * on, for a successful, a refused and a failed call — and no secret anywhere in the log of a run
 * that makes the upstream echo the provider key and the configured headers back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpMock, type HttpMock } from '../mocks/http-mock.js';
import { ADMIN_KEY, adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const PROVIDER_KEY = 'sk-Qx7vT2mK9pL4wZ8rB3nY6cJ1hF5dG0sA';
const HEADER_SECRET = 'oT4kW9zX2qV7mN3bR8yL5jH1';

let upstream: HttpMock;
let gw: Instance;
let tmp: ReturnType<typeof tempDir>;
const lines: string[] = [];
const logged = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
const accessLines = () => logged().filter((l) => l.msg === 'access');

beforeAll(async () => {
  // An upstream that fails with every request header echoed back in its error body.
  upstream = await startHttpMock((req) =>
    req.path.startsWith('/denied/')
      ? { status: 401, json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } }
      : { status: 500, headers: { 'content-type': 'text/plain' }, body: `upstream exploded; you sent ${JSON.stringify(req.headers)}` },
  );
  tmp = tempDir();
  const yaml = `
providers:
  mock: { type: mock }
  broken: { type: openai, api_key: "${PROVIDER_KEY}", base_url: "${upstream.url}/v1", headers: { x-org-token: "${HEADER_SECRET}" } }
  denied: { type: openai, api_key: "${PROVIDER_KEY}", base_url: "${upstream.url}/denied/v1" }
`;
  gw = await startInstance(yaml, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` }, { logStream: { write: (l: string) => void lines.push(l) } });
});
afterAll(async () => {
  await gw?.close(1000);
  await upstream?.close();
  tmp?.remove();
});

describe('access log', () => {
  let key = '';
  let teamId = '';
  let keyId = '';

  it('a successful call: one info line with team, key, requested model, provider, status, latency, tokens, cost, attempts', async () => {
    const t = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'logs', limits: { budget_usd: { amount: 0.000001, period: 'day' } } });
    const k = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: t.json.id, name: 'logs-key' });
    key = k.json.key;
    teamId = t.json.id;
    keyId = k.json.id;
    const r = await chat(gw.url, key, { model: 'mock/echo', messages: [{ role: 'user', content: 'hello log' }] });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 50));
    const line = accessLines().find((l) => l.reqId === r.headers.get('x-request-id'));
    expect(line).toMatchObject({ level: 30, kind: 'llm', team: teamId, key: keyId, provider: 'mock', model: 'echo', status: 200, attempts: 1 });
    expect(line!.inputTokens).toBeGreaterThan(0);
    expect(line!.outputTokens).toBeGreaterThan(0);
    expect(typeof line!.latencyMs).toBe('number');
    expect(line!.costUsd).toBe(0);
  });

  it('a refused call (429: the budget cannot cover the reservation) and a failed one (502) each leave their line', async () => {
    // A priced model on the broken provider: the reservation exceeds a $0.000001 budget.
    const refused = await chat(gw.url, key, { model: 'broken/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 });
    expect(refused.status).toBe(429);
    const failed = await chat(gw.url, ADMIN_KEY, { model: 'broken/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    expect(failed.status).toBe(502);
    await new Promise((res) => setTimeout(res, 50));
    const byId = (r: { headers: Headers }) => accessLines().find((l) => l.reqId === r.headers.get('x-request-id'));
    expect(byId(refused)).toMatchObject({ team: teamId, key: keyId, status: 429, attempts: 0, costUsd: 0 });
    expect(byId(failed)).toMatchObject({ team: 'admin', provider: 'broken', status: 502, attempts: 1, costUsd: 0 });
  });

  it("a provider refusing the gateway's own credentials is a warn naming it (once a minute, not per request)", async () => {
    for (let i = 0; i < 3; i++) expect((await chat(gw.url, ADMIN_KEY, { model: 'denied/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 })).status).toBe(502);
    await new Promise((res) => setTimeout(res, 50));
    const warns = logged().filter((l) => l.level === 40 && /refused the gateway's credentials/.test(l.msg));
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ provider: 'denied' });
    expect(accessLines().filter((l) => l.provider === 'denied').map((l) => l.error)).toEqual(['upstream_auth_failed', 'upstream_auth_failed', 'upstream_auth_failed']);
  });

  it('a budget crossing 80 % (spent or reserved) is one warn per budget and period', async () => {
    const t = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'eighty', limits: { budget_usd: { amount: 0.012, period: 'day' } } });
    const k = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: t.json.id, name: 'eighty-key' });
    // gpt-4o: 1,000 output tokens reserve $0.01 (+ the prompt) of $0.012 — over 80 %; the call fails upstream, so nothing is spent.
    for (let i = 0; i < 2; i++) expect((await chat(gw.url, k.json.key, { model: 'broken/gpt-4o', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000 })).status).toBe(502);
    const warns = logged().filter((l) => l.level === 40 && /budget/.test(l.msg) && l.team === t.json.id);
    expect(warns).toHaveLength(1);
    expect(warns[0]).toMatchObject({ period: 'day', budgetUsd: 0.012 });
    expect(warns[0]!.usedUsd).toBeGreaterThanOrEqual(0.0096);
  });

  it('no secret (admin key, tollgate key, provider key, configured header value) appears anywhere in the log', async () => {
    const all = lines.join('\n');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [ADMIN_KEY, key, PROVIDER_KEY, HEADER_SECRET]) {
      for (let i = 0; i + 8 <= secret.length; i++) expect(all).not.toContain(secret.slice(i, i + 8));
    }
  });

  it('server.access_log: false turns the lines off', async () => {
    const quiet: string[] = [];
    const t2 = tempDir();
    const g2 = await startInstance('server: { access_log: false }\n', { TOLLGATE_DATABASE_URL: `sqlite:${t2.dir}/ledger.db` }, { logStream: { write: (l: string) => void quiet.push(l) } });
    try {
      expect((await chat(g2.url, ADMIN_KEY, { model: 'mock/echo', messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);
      await new Promise((res) => setTimeout(res, 50));
      expect(quiet.map((l) => JSON.parse(l).msg)).not.toContain('access');
    } finally {
      await g2.close(1000);
      t2.remove();
    }
  });
});
