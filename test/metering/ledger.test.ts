import { describe, expect, it } from 'vitest';
import { adminCall, chat, startInstance, tempDir } from '../helpers/instance.js';
import { createLedger } from '../../src/storage/sqlite/ledger.js';
import { openStorage } from '../../src/storage/sqlite/open.js';
import type { UsageRecord } from '../../src/metering/usage-record.js';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url).pathname;

/** A real process writes ledger records, commits the first ids, spools the rest and is killed (-9). */
function dieAfter(url: string, instanceId: string, committed: string[], spooled: string[]): void {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'test/metering/ledger-child.ts', url, instanceId, committed.join(','), spooled.join(',')], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    if ((err as { signal?: string }).signal !== 'SIGKILL') throw err;
    return;
  }
  throw new Error('ledger child was expected to die by SIGKILL');
}

const rec = (i: number): UsageRecord => ({
  requestId: `req_${i}`,
  time: Date.now(),
  teamId: 'team_x',
  keyId: 'key_x',
  kind: 'llm',
  provider: 'openai',
  model: 'gpt-4o',
  inputTokens: 100,
  outputTokens: 200,
  cachedTokens: 10,
  cacheWriteTokens: 0,
  reasoningTokens: 5,
  costNanos: 2250,
  estimated: false,
  latencyMs: 12,
  status: 200,
  attempts: 1,
  tags: { env: 'test' },
});

describe('usage ledger (SQLite, WAL, migrations from migrations/)', () => {
  it('spools each record with one append and commits in batches, in microseconds (the cost on the hot path)', () => {
    const tmp = tempDir();
    const storage = openStorage(`sqlite:${tmp.dir}/l.db`);
    try {
      expect(storage.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(storage.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      const ledger = createLedger(storage);
      for (let i = 0; i < 500; i++) ledger.record(rec(i));
      const n = 5000;
      const t0 = process.hrtime.bigint();
      for (let i = 500; i < 500 + n; i++) ledger.record(rec(i));
      ledger.flush();
      const us = Number(process.hrtime.bigint() - t0) / 1000 / n;
      console.log(`ledger record (spool append + batched insert): ${us.toFixed(1)} µs per record`);
      expect(us).toBeLessThan(1000);
      const row = storage.sqlite.prepare('SELECT * FROM usage_records WHERE request_id = ?').get('req_42') as any;
      expect(row).toMatchObject({ team_id: 'team_x', input_tokens: 100, output_tokens: 200, cached_tokens: 10, reasoning_tokens: 5, cost_nanos: 2250, estimated: 0, tags: '{"env":"test"}' });
      expect((storage.sqlite.prepare('SELECT count(*) AS n FROM usage_records').get() as any).n).toBe(500 + n);
    } finally {
      storage.close();
      tmp.remove();
    }
  });

  it('a record spooled but not yet committed survives the process: the next start replays it, once', () => {
    const tmp = tempDir();
    try {
      const url = `sqlite:${tmp.dir}/s.db`;
      // 1 and 2 committed, 3 and 4 only spooled when the process is killed
      dieAfter(url, 'gw', ['req_1', 'req_2'], ['req_3', 'req_4']);
      const count = (s: ReturnType<typeof openStorage>) => (s.sqlite.prepare('SELECT count(*) AS n FROM usage_records').get() as any).n;
      const b = openStorage(url);
      expect(count(b)).toBe(2);
      const restarted = createLedger(b, () => {}, { instanceId: 'gw' });
      expect(count(b)).toBe(4);
      expect(readFileSync(`${tmp.dir}/s.db.spool-gw`, 'utf8')).toBe('');
      restarted.close();
      // replaying the same records again (a crash between commit and truncate) does not count twice
      writeFileSync(`${tmp.dir}/s.db.spool-gw`, `${JSON.stringify(rec(3))}\n${JSON.stringify(rec(4))}\n`);
      createLedger(b, () => {}, { instanceId: 'gw' }).close();
      expect(count(b)).toBe(4);
      b.close();
    } finally {
      tmp.remove();
    }
  });

  it('records a replay cannot commit at start stay queued and spooled, and are committed later', () => {
    const tmp = tempDir();
    try {
      const url = `sqlite:${tmp.dir}/r.db`;
      dieAfter(url, 'gw', [], ['req_10', 'req_11']); // spooled only: the process dies
      const b = openStorage(url);
      b.sqlite.exec("CREATE TRIGGER refuse BEFORE INSERT ON usage_records BEGIN SELECT RAISE(ABORT, 'locked'); END");
      const errors: Error[] = [];
      const ledger = createLedger(b, (e) => errors.push(e), { batchMs: 60_000, batchSize: 1_000, instanceId: 'gw' });
      expect(errors.length).toBe(1);
      expect(ledger.pending).toBe(2);
      b.sqlite.exec('DROP TRIGGER refuse');
      ledger.record(rec(12));
      expect(ledger.flush()).toBe(0);
      const ids = (b.sqlite.prepare('SELECT request_id FROM usage_records ORDER BY request_id').all() as { request_id: string }[]).map((r) => r.request_id);
      expect(ids).toEqual(['req_10', 'req_11', 'req_12']);
      ledger.close();
      b.close();
    } finally {
      tmp.remove();
    }
  });

  it("instances sharing the database never touch each other's spool; a dead instance's spool is adopted by whoever finds it unlocked", () => {
    const tmp = tempDir();
    try {
      const url = `sqlite:${tmp.dir}/m.db`;
      const ids = (s: ReturnType<typeof openStorage>) => (s.sqlite.prepare('SELECT request_id FROM usage_records ORDER BY request_id').all() as { request_id: string }[]).map((r) => r.request_id);
      const sa = openStorage(url);
      const a = createLedger(sa, () => {}, { batchMs: 60_000, batchSize: 1_000, instanceId: 'a' });
      const r1 = rec(1);
      a.record(r1); // spooled, not committed: a is alive and will commit it itself
      // b starts with the same id: a live process holds that spool, so b takes the next name
      const sb = openStorage(url);
      const b = createLedger(sb, () => {}, { batchMs: 60_000, batchSize: 1_000, instanceId: 'a' });
      b.record(rec(2));
      b.flush();
      b.adoptOrphans();
      expect(ids(sb)).toEqual(['req_2']);
      expect(readFileSync(`${tmp.dir}/m.db.spool-a`, 'utf8')).toBe(`${JSON.stringify(r1)}\n`);
      expect(readFileSync(`${tmp.dir}/m.db.spool-a-2`, 'utf8')).toBe('');
      // an instance that died with records spooled (and never comes back) …
      dieAfter(url, 'c', [], ['req_3']);
      expect(ids(sb)).toEqual(['req_2']);
      // … is adopted by a live one (at start, and before each report)
      b.adoptOrphans();
      expect(ids(sb)).toEqual(['req_2', 'req_3']);
      expect(readFileSync(`${tmp.dir}/m.db.spool-c`, 'utf8')).toBe('');
      // a spool of the version before per-instance spools is adopted too
      writeFileSync(`${tmp.dir}/m.db.spool`, `${JSON.stringify(rec(4))}\n`);
      b.adoptOrphans();
      expect(ids(sb)).toEqual(['req_2', 'req_3', 'req_4']);
      a.close();
      expect(ids(sb)).toEqual(['req_1', 'req_2', 'req_3', 'req_4']);
      b.close();
      sa.close();
      sb.close();
    } finally {
      tmp.remove();
    }
  });

  it('keeps a record whose insert failed and writes it on the next flush, without throwing; the failure and the recovery are each reported once', () => {
    const storage = openStorage('sqlite::memory:');
    const errors: Error[] = [];
    const recovered: number[] = [];
    const ledger = createLedger(storage, (e) => errors.push(e), { onRecovered: (n) => recovered.push(n) });
    storage.sqlite.exec('CREATE TRIGGER refuse BEFORE INSERT ON usage_records BEGIN SELECT RAISE(ABORT, \'disk full\'); END');
    expect(() => ledger.record(rec(1))).not.toThrow();
    ledger.record(rec(2));
    expect(ledger.pending).toBe(2);
    expect(errors.length).toBe(1);
    storage.sqlite.exec('DROP TRIGGER refuse');
    expect(recovered).toEqual([]);
    expect(ledger.flush()).toBe(0);
    expect(recovered).toEqual([2]);
    expect((storage.sqlite.prepare('SELECT count(*) AS n FROM usage_records').get() as any).n).toBe(2);
    ledger.record(rec(3));
    ledger.flush();
    expect(recovered).toEqual([2]);
    storage.close();
  });

  it('counters are rebuilt from the ledger at start: a restarted instance keeps the budget already spent', async () => {
    const tmp = tempDir();
    const env = { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/l.db` };
    // mock/echo has no catalog price: price it with a config override ($1000/Mtok both ways).
    const yaml = 'providers:\n  mock: { type: mock }\npricing:\n  mock/echo: { input_per_mtok_usd: 1000, output_per_mtok_usd: 1000 }\n';
    const ask = { model: 'mock/echo', max_tokens: 5, messages: [{ role: 'user', content: 'one two three' }] };
    let gw = await startInstance(yaml, env);
    const team = (await adminCall(gw.url, 'POST', '/admin/teams', { name: 'restart', limits: { budget_usd: { amount: 0.05, period: 'total' } } })).json;
    const key = (await adminCall(gw.url, 'POST', '/admin/keys', { team_id: team.id })).json;
    let ok = 0;
    for (let i = 0; i < 10; i++) if ((await chat(gw.url, key.key, ask)).status === 200) ok++;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(10);
    await gw.close(1000);

    gw = await startInstance(yaml, env);
    try {
      const again = await chat(gw.url, key.key, ask);
      expect(again.status).toBe(429);
      expect(again.json.error.message).toContain('budget_usd');
    } finally {
      await gw.close(1000);
      tmp.remove();
    }
  });
});
