import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdToNanos } from '../../src/metering/money.js';
import { spendKey } from '../../src/metering/limits/admission.js';
import { openaiCompletion, startOpenAIMock } from '../mocks/openai.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

// Each request: 23 prompt tokens at $2.50/Mtok + 990 output tokens at $10/Mtok (gpt-4o) =
// 57.5 + 9900 µ$ → 9958 µ$ (~$0.01; rounded half up once). $1.00 holds at most 100 of them.
const REPLY = openaiCompletion({ text: 'ok', usage: { prompt_tokens: 23, completion_tokens: 990 } });
const PROMPT = 'Please answer with a short word, nothing else, because this request only measures spend under concurrency in tollgate.';
const YAML = `
providers:
  openai: { type: openai, api_key: "sk-test-budget-0000", base_url: "\${MOCK_URL}/v1" }
`;

describe('budget race: $1.00 team budget, 200 concurrent ~$0.01 requests, two instances sharing Redis and the ledger', () => {
  let redis: TestRedis;
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await startRedis();
    // A little upstream latency so that many requests are in flight at once.
    mock = await startOpenAIMock(() => ({ ...REPLY, delayMs: 40 }));
    tmp = tempDir();
    const env = { MOCK_URL: mock.url, TOLLGATE_REDIS_URL: redis.url, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` };
    a = await startInstance(YAML, env);
    b = await startInstance(YAML, env);
  });
  afterAll(async () => {
    await a?.close(1000);
    await b?.close(1000);
    await mock?.close();
    await redis?.stop();
    tmp?.remove();
  });

  it('never records more than the budget, refuses the rest with 429 naming the budget, and the ledger equals the reported spend to the nano-dollar', async () => {
    const team = await adminCall(a.url, 'POST', '/admin/teams', { name: 'race', limits: { budget_usd: { amount: 1, period: 'day' } } });
    expect(team.status).toBe(201);
    const key = await adminCall(a.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'race-key' });
    expect(key.status).toBe(201);

    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => chat(i % 2 ? b.url : a.url, key.json.key, { model: 'openai/gpt-4o', max_tokens: 1000, messages: [{ role: 'user', content: PROMPT }] })),
    );
    await Promise.all([a.admission.drain(), b.admission.drain()]);

    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status !== 200);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.json.error.code).toBe('insufficient_quota');
      expect(r.json.error.message).toContain('budget_usd');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The worst-case reservation (prompt counted in o200k + max_tokens) is a little above the
    // real cost, so slightly fewer than 100 may pass — never more.
    expect(ok.length).toBeLessThanOrEqual(100);
    expect(ok.length).toBeGreaterThanOrEqual(95);
    for (const r of ok) expect(r.headers.get('x-tollgate-cost-usd')).toBe('0.0099575'); // 9,957.5 µ$ exactly (was rounded to 0.009958)
    const headerSum = ok.reduce((n, r) => n + usdToNanos(r.headers.get('x-tollgate-cost-usd')!), 0);

    // Commit what each instance still holds in its ledger spool (batched every 50 ms).
    a.ledger.flush();
    b.ledger.flush();
    const db = new Database(`${tmp.dir}/ledger.db`, { readonly: true });
    const ledger = db.prepare('SELECT count(*) AS n, coalesce(sum(cost_nanos), 0) AS nanos, sum(status = 200) AS ok FROM usage_records WHERE team_id = ?').get(team.json.id) as { n: number; nanos: number; ok: number };
    db.close();
    expect(ledger.n).toBe(200); // every request, refused ones included, has its record
    expect(ledger.ok).toBe(ok.length);
    expect(ledger.nanos).toBeLessThanOrEqual(1_000_000_000);
    expect(ledger.nanos).toBe(headerSum);
    expect(ledger.nanos).toBe(ok.length * 9_957_500);

    // Reported spend: the admin report and the shared counter both equal the ledger, exactly.
    const report = await adminCall(b.url, 'GET', `/admin/usage?team_id=${team.json.id}&group_by=team`);
    expect(report.status).toBe(200);
    expect(report.json.total.cost_nanos).toBe(ledger.nanos);
    expect(report.json.total.requests).toBe(200);
    expect(await a.counters.read(spendKey('team', team.json.id, 'day', Date.now()))).toBe(ledger.nanos);

    // Both instances served traffic.
    expect(mock.requests.length).toBe(ok.length);
  });
});

describe('budget race on one instance with in-process counters', () => {
  it('holds a $0.20 budget under 50 concurrent requests', async () => {
    const mock = await startOpenAIMock(() => ({ ...REPLY, delayMs: 20 }));
    const tmp = tempDir();
    const gw = await startInstance(YAML, { MOCK_URL: mock.url, TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
    try {
      const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'solo', limits: { budget_usd: { amount: 0.2, period: 'month' } } });
      const key = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id });
      const results = await Promise.all(Array.from({ length: 50 }, () => chat(gw.url, key.json.key, { model: 'openai/gpt-4o', max_tokens: 1000, messages: [{ role: 'user', content: PROMPT }] })));
      const ok = results.filter((r) => r.status === 200).length;
      expect(ok).toBeLessThanOrEqual(20);
      expect(ok).toBeGreaterThanOrEqual(19);
      expect(results.filter((r) => r.status === 429).length).toBe(50 - ok);
      gw.ledger.flush();
      const spent = gw.storage.sqlite.prepare('SELECT sum(cost_nanos) AS m FROM usage_records WHERE team_id = ?').get(team.json.id) as { m: number };
      expect(spent.m).toBe(ok * 9_957_500);
      expect(await gw.counters.read(spendKey('team', team.json.id, 'month', Date.now()))).toBe(spent.m);
    } finally {
      await gw.close(1000);
      await mock.close();
      tmp.remove();
    }
  });
});
