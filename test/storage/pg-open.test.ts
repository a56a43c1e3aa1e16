import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/storage/postgres/open.js';
import { insertUsageRecords } from '../../src/storage/postgres/usage-insert.js';
import { migrationsDir } from '../../src/storage/sqlite/open.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';

/**
 * Opening a PostgreSQL database: migrations under an advisory lock (instances starting together
 * migrate once), all or nothing; reports in UTC whatever the database's time zone.
 */
const skip = postgresSkipReason();
const migrations = (JSON.parse(readFileSync(join(migrationsDir('postgres'), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

describe.skipIf(skip)(`PostgreSQL open${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.stop());

  it('four instances opening a fresh database together apply each migration once and all work', async () => {
    const url = await pg.createDatabase('together');
    const opened = await Promise.all([1, 2, 3, 4].map(() => openPostgres(url, { max: 1 })));
    try {
      expect((await pg.psql('together', 'SELECT count(*) FROM drizzle.__drizzle_migrations')).trim()).toBe(String(migrations));
      for (const [i, s] of opened.entries()) await s.store.prompts.insert({ name: 'p', version: String(i), source: 'x', createdAt: i });
      expect(await opened[0]!.store.prompts.list()).toHaveLength(4);
      // The lock is released: nothing holds an advisory lock afterwards.
      expect((await pg.psql('together', "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).trim()).toBe('0');
    } finally {
      await Promise.all(opened.map((s) => s.close()));
    }
  });

  it('a migration that fails stops the open with a clear error and leaves nothing half-applied', async () => {
    const url = await pg.createDatabase('clash');
    // A table in the way: the first migration creates other tables before it reaches this one.
    await pg.psql('clash', 'CREATE TABLE teams (other int)');
    await expect(openPostgres(url)).rejects.toThrow(/^storage: PostgreSQL migration failed, nothing applied: relation "teams" already exists$/);
    expect((await pg.psql('clash', "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'public'")).trim()).toBe('teams');
    expect((await pg.psql('clash', 'SELECT count(*) FROM drizzle.__drizzle_migrations')).trim()).toBe('0');
    // Once the obstacle is gone the same open succeeds (the lock was not left held).
    await pg.psql('clash', 'DROP TABLE teams');
    const s = await openPostgres(url);
    try {
      expect(await s.ping()).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('groups by UTC day, week and month even when the database runs in another time zone', async () => {
    const url = await pg.createDatabase('zone');
    await pg.psql('zone', "ALTER DATABASE zone SET timezone = 'Pacific/Kiritimati'"); // UTC+14: these times are the next day there
    const s = await openPostgres(url);
    try {
      expect((await s.client`SHOW timezone`)[0]!.TimeZone).toBe('Pacific/Kiritimati');
      const rec = (requestId: string, time: number) => ({ requestId, time, teamId: 't', keyId: 'k', kind: 'llm' as const, provider: 'p', model: 'm', inputTokens: 1, outputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, costNanos: 1, estimated: false, latencyMs: 1, status: 200, attempts: 1 });
      await insertUsageRecords(s.db, [rec('r1', Date.UTC(2026, 10, 30, 23, 30)), rec('r2', Date.UTC(2026, 11, 6, 23, 30))]); // Mon Nov 30, Sun Dec 6
      const groups = async (g: 'day' | 'week' | 'month') => (await s.store.usage.groups({}, g)).map((r) => [r.group, r.requests]);
      expect(await groups('day')).toEqual([
        ['2026-11-30', 1],
        ['2026-12-06', 1],
      ]);
      expect(await groups('week')).toEqual([['2026-11-30', 2]]);
      expect(await groups('month')).toEqual([
        ['2026-11', 1],
        ['2026-12', 1],
      ]);
    } finally {
      await s.close();
    }
  });
});
