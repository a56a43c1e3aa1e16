import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLedger } from '../../src/storage/sqlite/ledger.js';
import { openStorage } from '../../src/storage/sqlite/open.js';
import type { UsageRecord } from '../../src/storage/ports.js';
import { adminCall, startInstance, tempDir, type Instance } from '../helpers/instance.js';

/**
 * `ledger.retention_days` through a running gateway: the sweep at start deletes the raw records of
 * old days, and `/admin/usage` over all time still counts them (the daily roll-up is kept).
 */
const DAY = 86_400_000;

const rec = (i: number, time: number, costNanos: number): UsageRecord => ({
  requestId: `old_${i}`,
  time,
  teamId: 'team_x',
  keyId: null,
  kind: 'llm',
  provider: 'openai',
  model: 'gpt-4o',
  inputTokens: 100,
  outputTokens: 50,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  costNanos,
  estimated: false,
  latencyMs: 20,
  status: 200,
  attempts: 1,
});

describe('usage retention in the gateway', () => {
  let tmp: ReturnType<typeof tempDir>;
  let gw: Instance | undefined;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(async () => {
    await gw?.close(1000);
    gw = undefined;
    tmp.remove();
  });

  /** A ledger with 3 records 400 days old and 2 from yesterday, written before the gateway starts. */
  function prefill(path: string): void {
    const storage = openStorage(`sqlite:${path}`);
    const ledger = createLedger(storage, (err) => {
      throw err;
    }, { instanceId: 'prefill' });
    const now = Date.now();
    [rec(1, now - 400 * DAY, 1_000_000_001), rec(2, now - 400 * DAY + 1, 7), rec(3, now - 401 * DAY, 5), rec(4, now - DAY, 11), rec(5, now - DAY, 13)].forEach((r) => ledger.record(r));
    ledger.close();
    storage.close();
  }

  const records = async () => (await adminCall(gw!.url, 'GET', '/admin/usage/records?limit=100')).json.data as Array<{ request_id: string }>;

  it('deletes raw records older than the retention at start; /admin/usage over all time keeps their sums', async () => {
    const path = `${tmp.dir}/ledger.db`;
    prefill(path);
    gw = await startInstance('providers:\n  mock: { type: mock }\nledger:\n  retention_days: 30\n', { TOLLGATE_DATABASE_URL: `sqlite:${path}` });
    const deadline = Date.now() + 5000;
    while ((await records()).length !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await records()).map((r) => r.request_id).sort()).toEqual(['old_4', 'old_5']);
    const usage = (await adminCall(gw.url, 'GET', '/admin/usage?group_by=team')).json;
    expect(usage.data).toEqual([expect.objectContaining({ team: 'team_x', requests: 5, input_tokens: 500, output_tokens: 250, cost_nanos: 1_000_000_037 })]);
    expect(usage.total.cost_nanos).toBe(1_000_000_037);
  });

  it('keeps every raw record without the setting', async () => {
    const path = `${tmp.dir}/ledger.db`;
    prefill(path);
    gw = await startInstance('providers:\n  mock: { type: mock }\n', { TOLLGATE_DATABASE_URL: `sqlite:${path}` });
    await new Promise((r) => setTimeout(r, 200));
    expect((await records()).length).toBe(5);
  });

  it('refuses a retention that is not a whole number of days ≥ 1', async () => {
    await expect(startInstance('ledger:\n  retention_days: 0\n', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/x.db` })).rejects.toThrow(/ledger\.retention_days/);
    await expect(startInstance('ledger:\n  retention_days: 1.5\n', { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/x.db` })).rejects.toThrow(/ledger\.retention_days/);
  });
});
