import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { buildSnapshot } from '../../src/config/snapshot.js';
import { openaiCompletion, startOpenAIMock } from '../mocks/openai.js';
import type { HttpMock } from '../mocks/http-mock.js';
import { adminCall, chat, startInstance, tempDir, type Instance } from '../helpers/instance.js';
import { budgetTeam, ledgerOf } from '../helpers/budget.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';

/** `TOLLGATE_DATABASE_URL=postgres://…` starts the whole gateway on PostgreSQL, with the pool size from the config. */
const skip = postgresSkipReason();
const YAML = `
providers:
  openai: { type: openai, api_key: "sk-test-pg-start-0000", base_url: "\${MOCK_URL}/v1" }
storage:
  pool_size: 3
  spool_dir: "\${SPOOL_DIR}"
`;

describe.skipIf(skip)(`gateway on PostgreSQL${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let pg: TestPostgres;
  let mock: HttpMock;
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance;
  let env: Record<string, string>;

  beforeAll(async () => {
    pg = await startPostgres();
    mock = await startOpenAIMock(() => openaiCompletion({ text: 'ok', usage: { prompt_tokens: 5, completion_tokens: 7 } }));
    tmp = tempDir();
    env = { MOCK_URL: mock.url, SPOOL_DIR: tmp.dir, TOLLGATE_DATABASE_URL: await pg.createDatabase('start'), TOLLGATE_INSTANCE_ID: 'start-a' };
    gw = await startInstance(YAML, env);
  });
  afterAll(async () => {
    await gw?.close(1000);
    await mock?.close();
    await pg?.stop();
    tmp?.remove();
  });

  it('serves, meters into PostgreSQL and reports from it; the pool has storage.pool_size connections at most', async () => {
    expect(gw.database.kind).toBe('postgres');
    if (gw.database.kind !== 'postgres') return;
    expect(gw.database.pg.client.options.max).toBe(3);
    expect(() => gw.storage).toThrow(/runs on PostgreSQL/);
    const team = await adminCall(gw.url, 'POST', '/admin/teams', { name: 'pg-team' });
    expect(team.status).toBe(201);
    const key = await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.json.id, name: 'pg-key' });
    const res = await chat(gw.url, key.json.key, { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const usage = await adminCall(gw.url, 'GET', `/admin/usage?group_by=team&team_id=${team.json.id}`);
    expect(usage.json.total).toMatchObject({ requests: 1, input_tokens: 5, output_tokens: 7 });
    expect((await pg.psql('start', `SELECT count(*), sum(output_tokens) FROM usage_records WHERE team_id = '${team.json.id}'`)).trim()).toBe('1|7');
    // The spool is empty once the record is in PostgreSQL.
    expect(gw.ledger.pending).toBe(0);
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { storage: 'ok' } });
  });

  it('a restarted instance (in-process counters) starts its budgets from the PostgreSQL ledger', async () => {
    // One request costs 5 × $2.50 + 7 × $10 per Mtok = 82,500 nano-dollars; the budget leaves less than a second one's reservation.
    const { teamId, key } = await budgetTeam(gw.url, 'pg-reseed', 100_000);
    const body = { model: 'openai/gpt-4o', max_tokens: 7, messages: [{ role: 'user', content: 'hi' }] };
    expect((await chat(gw.url, key, body)).status).toBe(200);
    expect((await chat(gw.url, key, body)).status).toBe(429);
    await gw.close(1000);
    gw = await startInstance(YAML, env);
    expect(await ledgerOf(gw.url, teamId)).toMatchObject({ requests: 2, nanos: 82_500 });
    const again = await chat(gw.url, key, body);
    expect(again.status).toBe(429);
    expect(again.json.error.message).toContain('budget_usd');
  });
});

describe('storage.pool_size', () => {
  const snapshot = (yaml: string, env: Record<string, string> = {}) => buildSnapshot(parseConfigText(yaml, env), env);
  it('defaults to 10; the file and TOLLGATE_DATABASE_POOL_SIZE (which wins) set it within 1–100, anything else is refused by name', () => {
    expect(snapshot('{}').storagePoolSize).toBe(10);
    expect(snapshot('storage: { pool_size: 25 }').storagePoolSize).toBe(25);
    expect(snapshot('storage: { pool_size: 25 }', { TOLLGATE_DATABASE_POOL_SIZE: '4' }).storagePoolSize).toBe(4);
    expect(() => snapshot('{}', { TOLLGATE_DATABASE_POOL_SIZE: '0' })).toThrow(/TOLLGATE_DATABASE_POOL_SIZE: must be an integer from 1 to 100/);
    expect(() => snapshot('{}', { TOLLGATE_DATABASE_POOL_SIZE: '1e9' })).toThrow(/TOLLGATE_DATABASE_POOL_SIZE/);
    expect(() => snapshot('storage: { pool_size: 101 }')).toThrow(/storage\.pool_size/);
    expect(() => snapshot('storage: { pool_size: 2.5 }')).toThrow(/storage\.pool_size/);
  });
});
