import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiCompletion, startOpenAIMock } from '../mocks/openai.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { budgetTeam, ledgerOf } from '../helpers/budget.js';
import type { ChildGateway } from '../helpers/child-gateway.js';
import { until } from '../helpers/gateway.js';
import { adminCall, tempDir } from '../helpers/instance.js';
import { chatOnce, pgFleet, type PgFleet } from '../helpers/pg-gateways.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

/**
 * The scale-out deployment, for real: three gateway processes, one PostgreSQL, one Redis.
 * Each request costs 23 prompt tokens at $2.50/Mtok + 990 output tokens at $10/Mtok (gpt-4o)
 * = 9,957,500 nano-dollars; the team's budget allows 10 of them.
 */
const skip = postgresSkipReason();
const COST = 9_957_500;
const BUDGET = 10 * COST + COST / 2;
const BODY = { model: 'openai/gpt-4o', max_tokens: 1000, messages: [{ role: 'user', content: 'Please answer with one short word.' }] };

describe.skipIf(skip)(`scale-out on PostgreSQL: three gateway processes${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let fleet: PgFleet;
  let gws: ChildGateway[] = [];

  /** usage_records rows of a team with status 200: request id → how many rows. */
  const rowsOf = async (teamId: string) => {
    const out = await pg.psql('fleet', `SELECT request_id, count(*) FROM usage_records WHERE team_id = '${teamId}' AND status = 200 GROUP BY request_id`);
    return new Map(out.split('\n').filter(Boolean).map((l) => l.split('|') as [string, string]).map(([id, n]) => [id, Number(n)]));
  };

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    mock = await startOpenAIMock(() => ({ ...openaiCompletion({ text: 'ok', usage: { prompt_tokens: 23, completion_tokens: 990 } }), delayMs: 30 }));
    tmp = tempDir();
    fleet = pgFleet({ dbUrl: await pg.createDatabase('fleet'), redisUrl: redis.url, mockUrl: mock.url, dir: tmp.dir });
    const t0 = Date.now();
    gws = await Promise.all(['gw1', 'gw2', 'gw3'].map((id) => fleet.spawn(id)));
    console.log(`scale-out: cluster, Redis, bundle and three gateways up in ${Date.now() - t0} ms`);
  }, 90_000);
  afterAll(async () => {
    await Promise.all(gws.map((g) => g.kill9()));
    await mock?.close();
    await redis?.stop();
    await pg?.stop();
    fleet?.remove();
    tmp?.remove();
  });

  it('300 concurrent requests over three instances: spend never exceeds the budget, one ledger row per completed request, the same totals everywhere', async () => {
    const { teamId, key } = await budgetTeam(gws[0]!.url, 'fleet-budget', BUDGET);
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => chatOnce(gws[i % 3]!.url, key, BODY)));
    const ok = results.filter((r) => 'status' in r && r.status === 200) as { id: string }[];
    for (const r of results) {
      expect(r, JSON.stringify(r)).toHaveProperty('status');
      // Refused by the budget (429), or — on an overloaded machine, when a Redis call exceeds its
      // 2 s timeout — refused because the limits could not be checked (503): never admitted unchecked.
      if ('status' in r) expect(['200:', '429:insufficient_quota', '503:limits_unavailable']).toContain(`${r.status}:${r.code ?? ''}`);
    }
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.length).toBeLessThanOrEqual(10);
    // Every instance's report (each flushes its own spool first) — identical, and within the budget.
    for (const g of gws) await ledgerOf(g.url, teamId);
    const again = await Promise.all(gws.map((g) => ledgerOf(g.url, teamId)));
    for (const r of again) expect(r).toEqual(again[0]);
    expect(again[0]!.nanos).toBeLessThanOrEqual(BUDGET);
    expect(again[0]!.nanos).toBe(ok.length * COST);
    const rows = await rowsOf(teamId);
    expect([...rows.keys()].sort()).toEqual(ok.map((r) => r.id).sort());
    for (const n of rows.values()) expect(n).toBe(1);
  }, 60_000);

  it('one instance killed with SIGKILL under load and restarted: no completed request lost, none recorded twice', async () => {
    const team = await adminCall(gws[0]!.url, 'POST', '/admin/teams', { name: 'fleet-load' });
    const key = (await adminCall(gws[0]!.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'load' })).json.key as string;
    const completed: string[] = [];
    let failed = 0;
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const r = await chatOnce(gws[(w + i) % 3]!.url, key, BODY);
        if ('status' in r && r.completed) completed.push(r.id!);
        else failed++;
      }
    };
    const workers = Array.from({ length: 6 }, (_, w) => worker(w));
    await until(() => completed.length >= 60, 20_000);
    await gws[1]!.kill9(); // mid-load: requests in flight on it fail, its spool holds what was not yet written
    const t0 = Date.now();
    gws[1] = await fleet.spawn('gw2'); // the same instance id: it replays its own spool at start
    const restartMs = Date.now() - t0;
    const after = completed.length;
    await until(() => completed.length >= after + 20, 20_000);
    stop = true;
    await Promise.all(workers);
    // A report on each instance in turn writes what is still in its spool; then all answer the same.
    for (const g of gws) await ledgerOf(g.url, team.json.id);
    const totals = await Promise.all(gws.map((g) => ledgerOf(g.url, team.json.id)));
    for (const t of totals) expect(t).toEqual(totals[0]);
    const rows = await rowsOf(team.json.id);
    const lost = completed.filter((id) => !rows.has(id));
    expect(lost).toEqual([]);
    for (const n of rows.values()) expect(n).toBe(1);
    // A row without a completed response is a request whose response was cut by the kill after its record was spooled.
    expect(rows.size - completed.length).toBeGreaterThanOrEqual(0);
    expect(rows.size - completed.length).toBeLessThanOrEqual(failed);
    expect(totals[0]!.requests).toBe(rows.size);
    console.log(`scale-out kill -9: ${completed.length} completed, ${failed} cut or refused, ${rows.size} ledger rows; restart took ${restartMs} ms`);
  }, 90_000);
});
