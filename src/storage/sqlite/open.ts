import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { lockFile, type FileLock } from './file-lock.js';
import * as schema from './schema/index.js';
import type { Store } from '../ports.js';
import { sqliteStore } from './store.js';

export type Db = BetterSQLite3Database<typeof schema>;

/** The ledger and admin data store: one SQLite file (embedded default) through drizzle. */
export interface Storage {
  db: Db;
  /** The raw connection, for the few things drizzle does not cover (pragmas, checkpoints). */
  sqlite: Database.Database;
  /** Where the file is (`:memory:` for an in-memory store). */
  path: string;
  /** The repositories (../ports.ts) over this file: what the rest of the gateway uses. */
  store: Store;
  ping(): boolean;
  close(): void;
}

/**
 * `sqlite:./data/tollgate.db` (or `sqlite::memory:`, or a bare path) → an open, migrated store.
 * PostgreSQL (`postgres://…`) is still refused here: its ports are ../postgres/ (openPostgres),
 * not yet chosen by the URL.
 */
export function openStorage(url: string, opts: { migrate?: boolean } = {}): Storage {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error('storage: PostgreSQL is not supported yet; use sqlite:PATH (the default is sqlite:./data/tollgate.db)');
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
  if (!path) throw new Error(`storage: no file path in "${url}"`);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  // One process at a time sets a file up (journal mode, migrations): see setupLock.
  const setup = path === ':memory:' ? undefined : setupLock(path);
  let sqlite: Database.Database | undefined;
  let db: Db;
  try {
    sqlite = new Database(path);
    // WAL: readers never block the writer, and a commit is one append to the WAL file.
    sqlite.pragma('journal_mode = WAL');
    // synchronous=NORMAL in WAL mode: a commit is written to the OS (write(2)) before the insert
    // returns, but not fsync'd. A `kill -9` of the gateway loses nothing (the kernel has the
    // pages); only a power loss / OS crash can lose the last transactions. That is the guarantee
    // docs/contract.md §4 asks for ("a completed request is never lost on kill -9") at a few µs per insert,
    // where FULL would cost an fsync per request.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Several processes may share the file (tests, a sidecar report job): wait for the write lock.
    sqlite.pragma('busy_timeout = 5000');
    // Page cache: 4 MB, not better-sqlite3's 16 MB. The ledger's pages stay in that cache as they
    // are written, so with 16 MB the gateway's RSS grew ~200 bytes per request until the ledger
    // passed ~16 MB (~80,000 records) — read as a leak by a 10-minute soak. Inserts touch the
    // indexes' right edges; reports read pages the OS's file cache still holds.
    sqlite.pragma('cache_size = -4000');
    db = drizzle(sqlite, { schema });
    if (opts.migrate !== false) migrate(db, { migrationsFolder: migrationsDir() });
  } catch (err) {
    if (sqlite?.open) sqlite.close();
    throw err;
  } finally {
    setup?.release();
  }
  const conn = sqlite;
  const storage: Storage = {
    db,
    sqlite: conn,
    path,
    ping() {
      try {
        conn.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    close() {
      if (conn.open) conn.close();
    },
    get store(): Store {
      return (store ??= sqliteStore(storage));
    },
  };
  let store: Store | undefined;
  return storage;
}

/** Longest a start waits for another process's migrations. */
const SETUP_LOCK_WAIT_MS = 60_000;

/**
 * Opening a file and migrating it is done by one process at a time. drizzle's migrator reads
 * the last applied migration before it opens its (deferred) transaction, so two instances
 * starting together on a fresh file both decided to apply everything and the second failed
 * (`CREATE TABLE api_keys`: already exists); switching a fresh file to WAL at the same instant
 * also answers "database is locked" without waiting. Under the lock, the second reads what the
 * first committed and has nothing to do. SQLite: a file lock beside the database
 * (./file-lock.ts; released if its holder dies). PostgreSQL, when it lands: `pg_advisory_lock`
 * around the same steps.
 */
function setupLock(path: string): FileLock {
  const lock = lockFile(`${path}.migrate.lock`, SETUP_LOCK_WAIT_MS);
  if (!lock) throw new Error(`storage: another process held the migration lock (${path}.migrate.lock) for ${SETUP_LOCK_WAIT_MS / 1000} s`);
  return lock;
}

/**
 * migrations/<dialect>/ at the repo root, whether we run from src/ (tsx), dist/src/, the bundle
 * dist/tollgate.mjs (npm start) or a chunk of the CLI's (dist/cli-chunks/); else in the working directory.
 */
export function migrationsDir(dialect: 'sqlite' | 'postgres' = 'sqlite'): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [...['../../..', '../../../..', '..', '../..'].map((up) => resolve(here, up, 'migrations', dialect)), resolve('migrations', dialect)]) {
    if (existsSync(resolve(dir, 'meta/_journal.json'))) return dir;
  }
  throw new Error(`storage: migrations/${dialect}/ not found beside the package`);
}
