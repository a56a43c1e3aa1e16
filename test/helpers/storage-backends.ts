import { afterAll, describe, it } from 'vitest';
import { createLedger } from '../../src/storage/sqlite/ledger.js';
import { openStorage } from '../../src/storage/sqlite/open.js';
import { openPostgres } from '../../src/storage/postgres/open.js';
import { insertUsageRecords } from '../../src/storage/postgres/usage-insert.js';
import type { Store, UsageRecord } from '../../src/storage/ports.js';
import { postgresSkipReason, startPostgres, type TestPostgres } from './postgres.js';

/** One open database of either dialect, as the storage tests drive it. */
export interface OpenedStore {
  dialect: 'sqlite' | 'postgres';
  store: Store;
  /** The usage ledger's batch insert (records → committed rows). */
  insertUsage(recs: UsageRecord[]): Promise<void>;
  /** A raw SQL statement; its rows (column names as in the database; none for a statement without). */
  query<T = Record<string, unknown>>(text: string): Promise<T[]>;
  /** Opens the same database again (migrations run again); this handle is closed first. */
  reopen(): Promise<OpenedStore>;
  close(): Promise<void>;
}

async function openSqlite(dir: string, name: string): Promise<OpenedStore> {
  const storage = openStorage(`sqlite:${dir}/${name}.db`);
  const ledger = createLedger(storage, (err) => {
    throw err;
  }, { instanceId: 'ports-test' });
  const close = async () => {
    ledger.close();
    storage.close();
  };
  return {
    dialect: 'sqlite',
    store: storage.store,
    async insertUsage(recs) {
      for (const r of recs) ledger.record(r);
      ledger.flush();
    },
    async query(text) {
      const stmt = storage.sqlite.prepare(text);
      if (stmt.reader) return stmt.all() as never;
      stmt.run();
      return [];
    },
    reopen: async () => (await close(), openSqlite(dir, name)),
    close,
  };
}

async function openPgUrl(url: string): Promise<OpenedStore> {
  const storage = await openPostgres(url, { max: 2 });
  const close = () => storage.close();
  return {
    dialect: 'postgres',
    store: storage.store,
    insertUsage: (recs) => insertUsageRecords(storage.db, recs),
    query: async (text) => [...(await storage.client.unsafe(text))] as never,
    reopen: async () => (await close(), openPgUrl(url)),
    close,
  };
}

/**
 * The backends a storage suite runs on: SQLite always, PostgreSQL when its binaries are here (one
 * throwaway cluster per test file, started on first use; a fresh migrated database per open).
 * Use with describe.each; call once at a file's top level.
 */
export function storageBackends(prefix: string): Array<[string, (dir: string) => Promise<OpenedStore>]> {
  const pgSkip = postgresSkipReason();
  let cluster: Promise<TestPostgres> | undefined;
  let databases = 0;
  afterAll(async () => (await cluster)?.stop());
  const backends: Array<[string, (dir: string) => Promise<OpenedStore>]> = [['sqlite', (dir) => openSqlite(dir, prefix)]];
  if (!pgSkip) backends.push(['postgres', async () => openPgUrl(await (await (cluster ??= startPostgres())).createDatabase(`${prefix}_${++databases}`))]);
  else describe.skip(`${prefix} (postgres) — skipped: ${pgSkip}`, () => it('needs PostgreSQL', () => {}));
  return backends;
}
