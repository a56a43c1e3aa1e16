import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usageReport } from '../../src/admin/usage-report.js';
import { createLedger } from '../../src/storage/sqlite/ledger.js';
import { migrationsDir, openStorage } from '../../src/storage/sqlite/open.js';
import { tempDir } from '../helpers/instance.js';

/**
 * Migration 0006 renames `usage_records.cost_micros` to `cost_nanos` and multiplies every row by
 * 1000; a spool written before the upgrade (records with `costMicros`) replays as nano-dollars.
 */
describe('ledger money: micro-dollars → nano-dollars on upgrade', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  /** A database as a release at migration 0005 left it: the real migrations up to 0005 only. */
  function databaseAt0005(path: string): Database.Database {
    const dir = join(tmp.dir, 'migrations-0005');
    mkdirSync(join(dir, 'meta'), { recursive: true });
    const journal = JSON.parse(readFileSync(join(migrationsDir(), 'meta', '_journal.json'), 'utf8'));
    journal.entries = journal.entries.filter((e: { idx: number }) => e.idx <= 5);
    expect(journal.entries.at(-1).tag).toBe('0005_ui_sessions');
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
    for (const e of journal.entries as Array<{ tag: string }>) copyFileSync(join(migrationsDir(), `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
    const sqlite = new Database(path);
    migrate(drizzle(sqlite), { migrationsFolder: dir });
    return sqlite;
  }

  const row = (id: string, micros: number) => ({ id, micros, time: Date.now() });

  it('migration 0006 turns every stored cost into nano-dollars (× 1000), and reports sum them', async () => {
    const path = join(tmp.dir, 'ledger.db');
    const old = databaseAt0005(path);
    const insert = old.prepare(
      `INSERT INTO usage_records (request_id, time, team_id, key_id, kind, provider, model, input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_micros, estimated, latency_ms, status, attempts)
       VALUES (@id, @time, 'team_old', NULL, 'llm', 'openai', 'gpt-4o', 11, 7, 0, 0, 0, @micros, 0, 5, 200, 1)`,
    );
    for (const r of [row('a', 98), row('b', 123), row('c', 0), row('d', 9_007_199_254)]) insert.run(r);
    old.close();

    const storage = openStorage(`sqlite:${path}`);
    try {
      const rows = storage.sqlite.prepare('SELECT request_id, cost_nanos FROM usage_records ORDER BY request_id').all();
      expect(rows).toEqual([
        { request_id: 'a', cost_nanos: 98_000 },
        { request_id: 'b', cost_nanos: 123_000 },
        { request_id: 'c', cost_nanos: 0 },
        { request_id: 'd', cost_nanos: 9_007_199_254_000 },
      ]);
      const columns = (storage.sqlite.prepare('PRAGMA table_info(usage_records)').all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns).toContain('cost_nanos');
      expect(columns).not.toContain('cost_micros');
      expect((await usageReport(storage.store, { groupBy: 'team' })).total.cost_nanos).toBe(9_007_199_475_000);
    } finally {
      storage.sqlite.close();
    }
  });

  it('a spool left by a micro-dollar version replays its records as nano-dollars', () => {
    const path = join(tmp.dir, 'ledger.db');
    openStorage(`sqlite:${path}`).sqlite.close();
    const old = { requestId: 'spooled', time: Date.now(), teamId: 'team_old', keyId: null, kind: 'llm', provider: 'openai', model: 'gpt-4o', inputTokens: 11, outputTokens: 7, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costMicros: 98, estimated: false, latencyMs: 5, status: 200, attempts: 1 };
    writeFileSync(`${path}.spool-old-instance`, `${JSON.stringify(old)}\n`);
    const storage = openStorage(`sqlite:${path}`);
    try {
      const errors: Error[] = [];
      const ledger = createLedger(storage, (e) => errors.push(e), { instanceId: 'new-instance' });
      expect(errors).toEqual([]);
      expect(storage.sqlite.prepare("SELECT cost_nanos FROM usage_records WHERE request_id = 'spooled'").get()).toEqual({ cost_nanos: 98_000 });
      ledger.close();
    } finally {
      storage.sqlite.close();
    }
  });
});
