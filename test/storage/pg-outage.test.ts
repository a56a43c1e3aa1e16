import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openaiCompletion, startOpenAIMock } from '../mocks/openai.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { budgetTeam } from '../helpers/budget.js';
import type { ChildGateway } from '../helpers/child-gateway.js';
import { until } from '../helpers/gateway.js';
import { tempDir } from '../helpers/instance.js';
import { chatOnce, pgFleet, type PgFleet } from '../helpers/pg-gateways.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

/**
 * PostgreSQL stopped for 10 s under load (`pg_ctl stop -m fast`), then started again: the
 * gateway keeps serving (admission on the Redis counters, keys from memory), /readyz says storage
 * is down while it is, the ledger's records wait in the local spool and are all written, once,
 * when PostgreSQL is back.
 */
const skip = postgresSkipReason();
const BODY = { model: 'openai/gpt-4o', max_tokens: 50, messages: [{ role: 'user', content: 'Say ok.' }] };

describe.skipIf(skip)(`PostgreSQL outage under load${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let pg: TestPostgres;
  let redis: TestRedis;
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let fleet: PgFleet;
  let gw: ChildGateway;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    mock = await startOpenAIMock(() => ({ ...openaiCompletion({ text: 'ok', usage: { prompt_tokens: 10, completion_tokens: 2 } }), delayMs: 10 }));
    tmp = tempDir();
    fleet = pgFleet({ dbUrl: await pg.createDatabase('outage'), redisUrl: redis.url, mockUrl: mock.url, dir: tmp.dir });
    gw = await fleet.spawn('solo');
  }, 60_000);
  afterAll(async () => {
    await gw?.kill9();
    await mock?.close();
    await redis?.stop();
    await pg?.stop();
    fleet?.remove();
    tmp?.remove();
  });

  it('no 5xx, /readyz reports storage down meanwhile, and every completed request has exactly one ledger row afterwards', async () => {
    const { teamId, key } = await budgetTeam(gw.url, 'outage-team', 1_000_000_000_000);
    const statuses = new Map<number | string, number>();
    const completed: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const r = await chatOnce(gw.url, key, BODY);
        const k = 'status' in r ? r.status : r.error;
        statuses.set(k, (statuses.get(k) ?? 0) + 1);
        if ('status' in r && r.completed) completed.push(r.id!);
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await until(() => completed.length >= 20, 20_000);

    await pg.down();
    const duringOutage = completed.length;
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { storage: 'unreachable', redis: 'ok' } });
    await new Promise((r) => setTimeout(r, 10_000));
    const servedWhileDown = completed.length - duringOutage;
    await pg.up();
    const back = completed.length;
    await until(() => completed.length >= back + 20, 20_000);
    stop = true;
    await Promise.all(workers);

    // Requests were served while PostgreSQL was down, and none failed.
    expect(servedWhileDown).toBeGreaterThan(20);
    expect([...statuses.keys()]).toEqual([200]);
    // The spool drains on its own (retried at least once a second); then every record is there, once.
    const rows = async () => (await pg.psql('outage', `SELECT request_id FROM usage_records WHERE team_id = '${teamId}'`)).split('\n').filter(Boolean);
    const end = Date.now() + 15_000;
    while ((await rows()).length < completed.length && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    const stored = await rows();
    expect(stored.length).toBe(completed.length);
    expect(new Set(stored)).toEqual(new Set(completed));
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    console.log(`PostgreSQL outage: ${completed.length} completed, ${servedWhileDown} while it was down`);
  }, 60_000);
});
