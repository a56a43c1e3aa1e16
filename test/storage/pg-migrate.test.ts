import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/storage/postgres/open.js';
import { migrationsDir } from '../../src/storage/sqlite/open.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from '../helpers/postgres.js';

/** PostgreSQL migrations at open: under an advisory lock (instances starting together migrate once), all or nothing. */
const skip = postgresSkipReason();
const migrations = (JSON.parse(readFileSync(join(migrationsDir('postgres'), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

describe.skipIf(skip)(`PostgreSQL migrations${skip ? ` — skipped: ${skip}` : ''}`, () => {
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
});
