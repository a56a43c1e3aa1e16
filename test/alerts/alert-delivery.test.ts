import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { billingUpstream, deliveryRows, expectSigned, pctsFor, providersYaml, sleep, spend, team } from '../helpers/alerts.js';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.js';
import { assertNoSecretRun, captureLogs } from '../helpers/secrets.js';
import { startHttpMock, type HttpMock } from '../mocks/http-mock.js';

/**
 * Delivery of budget alerts: receivers that are down or failing never touch traffic (the
 * deliveries are retried with doubling backoff and end `failed`), shutdown does not wait on a
 * webhook, spend spikes alert once per window (across restarts), and with Redis every instance
 * adds to the same settled-spend tally.
 */
const SECRET = 'whsec-delivery-Qm7Vx2Kp9Rt4Wz6N';
const URL_PASSWORD = 'pw-Hunter2-7Xq9Lm4Rt';

describe('alert delivery', () => {
  let upstream: HttpMock;
  let ok: HttpMock;
  const dirs: Array<ReturnType<typeof tempDir>> = [];
  const db = () => {
    const d = tempDir();
    dirs.push(d);
    return { TOLLGATE_DATABASE_URL: `sqlite:${d.dir}/ledger.db` };
  };

  beforeAll(async () => {
    upstream = await billingUpstream();
    ok = await startHttpMock(() => ({ status: 200 }));
  });
  afterAll(async () => {
    await Promise.all([upstream?.close(), ok?.close()]);
    for (const d of dirs) d.remove();
  });

  it('a receiver refusing connections and one answering 500: every call succeeds as fast as without alerts; each webhook is tried 3 times with doubling backoff, then the alert is failed, secrets redacted', async () => {
    const refusedPort = await freePort();
    const arrivals: number[] = [];
    // A failing receiver that echoes the signing secret in its error page: nothing of it may be stored.
    const failing = await startHttpMock(() => {
      arrivals.push(Date.now());
      return { status: 500, delayMs: 300, body: `internal error, secret ${SECRET}` };
    });
    const logs = captureLogs();
    const gw = await startInstance(
      `${providersYaml(upstream)}
alerts:
  webhooks:
    - { url: "http://127.0.0.1:${refusedPort}/hook", secret: "${SECRET}" }
    - { url: "http://alice:${URL_PASSWORD}@127.0.0.1:${failing.port}/hook", secret: "${SECRET}", format: slack }
  retry: { attempts: 3, backoff_ms: 50 }
`,
      db(),
      { logStream: logs.stream },
    );
    try {
      const { teamId, key } = await team(gw.url, 'down', { budget_usd: { amount: 0.1, period: 'month' } });
      // The process's first call loads the tokenizer (~1 s): not what is measured here.
      const warm = await team(gw.url, 'warm-up', { budget_usd: { amount: 1, period: 'month' } });
      expect((await spend(gw.url, warm.key, 1)).status).toBe(200);
      const calls = [await spend(gw.url, key, 30), await spend(gw.url, key, 25)]; // the second crosses 50 %
      for (let i = 0; i < 4; i++) calls.push(await spend(gw.url, key, 5)); // while the deliveries are retried
      expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
      // Not one call waited for a webhook: the failing receiver takes 300 ms to answer each try.
      for (const c of calls) expect(c.ms, JSON.stringify(calls)).toBeLessThan(300);
      const [row] = deliveryRows(gw.storage.db, `budget:team:${teamId}:`);
      expect(row!.status).toBe('pending');

      await gw.alerts.idle();
      const rows = deliveryRows(gw.storage.db, `budget:team:${teamId}:`);
      expect(rows).toHaveLength(1); // 80 % is not reached (75 %)
      expect(rows[0]!.status).toBe('failed');
      expect(rows[0]!.attempts).toBe(6);
      expect(rows[0]!.lastError).toContain(`webhook 1 (127.0.0.1:${refusedPort}): connect ECONNREFUSED`);
      expect(rows[0]!.lastError).toContain(`webhook 2 (127.0.0.1:${failing.port}): HTTP 500`);
      assertNoSecretRun(JSON.stringify(rows), [SECRET, URL_PASSWORD], 'alert_deliveries');

      // The same alert three times: same id and body, each try signed afresh; Basic auth from the URL.
      expect(failing.requests).toHaveLength(3);
      for (const req of failing.requests) {
        expectSigned(req, SECRET);
        expect(req.text).toBe(failing.requests[0]!.text);
        expect(req.body).toMatchObject({ type: 'budget.threshold', threshold_pct: 50, team_id: teamId, text: expect.stringContaining('50%') });
        expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`alice:${URL_PASSWORD}`).toString('base64')}`);
      }
      // Backoff: 50 ms, then 100 ms, after each 300 ms answer.
      expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(340);
      expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(390);

      // A failed alert stays raised: more spend does not send it again.
      expect((await spend(gw.url, key, 1)).status).toBe(200);
      await gw.alerts.idle();
      expect(failing.requests).toHaveLength(3);
      expect(logs.text()).toContain('alert not delivered');
      assertNoSecretRun(logs.text(), [SECRET, URL_PASSWORD], 'logs');
    } finally {
      await gw.close(1000);
      await failing.close();
    }
  });

  it('closing the gateway while a receiver hangs: close returns within its grace, the alert is marked failed (abandoned)', async () => {
    const hanging = await startHttpMock(() => ({ hang: true }));
    const env = db();
    const gw = await startInstance(
      `${providersYaml(upstream)}
alerts:
  webhooks: [{ url: "${hanging.url}/hook" }]
  retry: { attempts: 5, backoff_ms: 1000 }
`,
      env,
    );
    let teamId: string;
    try {
      const t = await team(gw.url, 'hang', { budget_usd: { amount: 0.1, period: 'month' } });
      teamId = t.teamId;
      expect((await spend(gw.url, t.key, 60)).status).toBe(200);
      const end = Date.now() + 3000;
      while (hanging.requests.length === 0 && Date.now() < end) await sleep(10);
      expect(hanging.requests).toHaveLength(1);
      expect(hanging.requests[0]!.headers['x-tollgate-signature']).toBeUndefined(); // no secret, no signature
      expect(hanging.requests[0]!.headers['x-tollgate-timestamp']).toMatch(/^\d+$/);
    } finally {
      const t0 = Date.now();
      await gw.close(1000);
      expect(Date.now() - t0).toBeLessThan(2500);
      await hanging.close();
    }
    const file = new Database(env.TOLLGATE_DATABASE_URL.slice('sqlite:'.length), { readonly: true });
    try {
      const rows = file.prepare('SELECT status, attempts, last_error FROM alert_deliveries WHERE id LIKE ?').all(`budget:team:${teamId!}:%`) as Array<{ status: string; attempts: number; last_error: string }>;
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('failed');
      expect(rows[0]!.attempts).toBe(1);
      expect(rows[0]!.last_error).toMatch(/^webhook 1 \(127\.0\.0\.1:\d+\): abandoned: the gateway closed$/);
    } finally {
      file.close();
    }
  });

  it('a spend spike (more than $0.05 within a 60-minute window): one alert per team and window, also after a restart', async () => {
    // Windows are clock hours: keep the test inside one.
    const into = Date.now() % 3_600_000;
    if (into > 3_590_000) await sleep(3_600_000 - into + 50);
    const yaml = `${providersYaml(upstream)}
alerts:
  webhooks: [{ url: "${ok.url}/spike", secret: "${SECRET}" }]
  budget_thresholds: [100]
  spend_spike: { window_minutes: 60, usd: 0.05 }
`;
    const env = db();
    const spikes = (teamId: string) => ok.requests.filter((r) => r.path === '/spike' && r.body.type === 'budget.spike' && r.body.team_id === teamId);
    let gw: Instance = await startInstance(yaml, env);
    const busy = await team(gw.url, 'busy', null); // no budget: spikes apply to every team
    const edge = await team(gw.url, 'edge', null);
    const later = await team(gw.url, 'later', null);
    try {
      for (const n of [30, 20]) expect((await spend(gw.url, busy.key, n)).status).toBe(200);
      await gw.alerts.idle();
      expect(spikes(busy.teamId)).toHaveLength(0); // exactly $0.05 is not more than $0.05
      expect((await spend(gw.url, busy.key, 1)).status).toBe(200);
      await gw.alerts.idle();
      expect(spikes(busy.teamId)).toHaveLength(1);
      for (const n of [10, 10]) expect((await spend(gw.url, busy.key, n)).status).toBe(200);
      expect((await spend(gw.url, edge.key, 50)).status).toBe(200);
      expect((await spend(gw.url, later.key, 40)).status).toBe(200);
      await gw.alerts.idle();
      expect(spikes(busy.teamId)).toHaveLength(1);
      expect(spikes(edge.teamId)).toHaveLength(0);

      const req = spikes(busy.teamId)[0]!;
      expectSigned(req, SECRET);
      const start = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
      expect(req.body).toEqual({
        id: `spike:team:${busy.teamId}:60m:${start}`,
        type: 'budget.spike',
        scope: 'team',
        team_id: busy.teamId,
        window_minutes: 60,
        period_start: start,
        period_end: new Date(Date.parse(start) + 3_600_000).toISOString(),
        spent_usd: 0.051,
        threshold_usd: 0.05,
        time: expect.any(String),
      });

      // Restart on the same file: the window's spend so far comes back from the ledger.
      await gw.close(1000);
      gw = await startInstance(yaml, env);
      expect((await spend(gw.url, busy.key, 5)).status).toBe(200);
      expect((await spend(gw.url, later.key, 20)).status).toBe(200); // 40 before the restart + 20
      await gw.alerts.idle();
      expect(spikes(busy.teamId)).toHaveLength(1);
      expect(spikes(later.teamId)).toHaveLength(1);
      expect(spikes(later.teamId)[0]!.body.spent_usd).toBe(0.06);
      expect(deliveryRows(gw.storage.db, 'spike:').map((r) => [r.scopeId, r.status])).toEqual([
        [busy.teamId, 'delivered'],
        [later.teamId, 'delivered'],
      ]);
    } finally {
      await gw.close(1000);
    }
  });

  describe('with Redis', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('two instances add to one settled-spend tally: a threshold reached by their spend together is alerted once', async () => {
      const env = { ...db(), TOLLGATE_REDIS_URL: redis.url };
      const yaml = `${providersYaml(upstream)}
alerts:
  webhooks: [{ url: "${ok.url}/redis" }]
`;
      const a = await startInstance(yaml, env);
      const b = await startInstance(yaml, env);
      try {
        const { teamId, key } = await team(a.url, 'shared', { budget_usd: { amount: 0.1, period: 'month' } });
        const steps: Array<[Instance, number, number[]]> = [
          [a, 45, []],
          [b, 40, [50, 80]], // 85 % of the budget, of which B alone spent 40 %
          [a, 5, [50, 80]],
          [b, 10, [50, 80, 100]],
        ];
        for (const [gw, n, want] of steps) {
          expect((await spend(gw.url, key, n)).status).toBe(200);
          await Promise.all([a.alerts.idle(), b.alerts.idle()]);
          expect(pctsFor(ok, '/redis', teamId)).toEqual(want);
        }
        expect((await spend(a.url, key, 1)).status).toBe(429);
      } finally {
        await a.close(1000);
        await b.close(1000);
      }
    });
  });
});
