import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { Store } from '../ports.js';
import { migrationsDir } from '../sqlite/open.js';
import * as schema from './schema/index.js';
import { postgresStore } from './store.js';

export type PgDb = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

/** An open PostgreSQL database: drizzle over a postgres.js pool, and the ports over it. */
export interface PgStorage {
  db: PgDb;
  /** The pool, for what drizzle does not cover. */
  client: postgres.Sql;
  /** The URL it was opened with (names the ledger's spool). */
  url: string;
  store: Store;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Any 64-bit number, the same in every instance: the session-level advisory lock the migrations
 * run under, so N instances starting together migrate once (the others wait, then find nothing to do).
 */
const MIGRATION_LOCK = 7_301_913_042;

const PING_TIMEOUT_MS = 2000;

export interface PgOpenOptions {
  /** Pool size (connections). */
  max?: number;
  migrate?: boolean;
}

/** `postgres://…` → an open, migrated store. A failed migration rolls back (one transaction) and throws. */
export async function openPostgres(url: string, opts: PgOpenOptions = {}): Promise<PgStorage> {
  if (opts.migrate !== false) await migrateLocked(url);
  // connect_timeout: while the server is down a query fails within seconds instead of 30 (the ledger retries; /readyz answers).
  const client = postgres(url, { max: opts.max ?? 10, connect_timeout: 5, onnotice: () => {} });
  const db = drizzle(client, { schema });
  const storage: PgStorage = {
    db,
    client,
    url,
    async ping() {
      let timer: NodeJS.Timeout | undefined;
      try {
        // /readyz answers within PING_TIMEOUT_MS even when connecting hangs.
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS)));
        await Promise.race([client`select 1`.execute(), late]);
        return true;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => client.end({ timeout: 5 }),
    get store(): Store {
      return (store ??= postgresStore(storage));
    },
  };
  let store: Store | undefined;
  return storage;
}

/** drizzle's migrator on one dedicated connection that holds the advisory lock throughout. */
async function migrateLocked(url: string): Promise<void> {
  const conn = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(drizzle(conn), { migrationsFolder: migrationsDir('postgres') });
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } catch (err) {
    throw new Error(`storage: PostgreSQL migration failed, nothing applied: ${rootCause(err as Error).message}`, { cause: err });
  } finally {
    await conn.end({ timeout: 5 });
  }
}

/** drizzle wraps the server's error in "Failed query: <the whole statement>": the server's (or the socket's) own error. */
export function rootCause(err: Error): Error {
  let reason = err;
  while (reason.cause instanceof Error) reason = reason.cause;
  return reason;
}
