/**
 * Opening the store named by the storage URL, and the usage ledger over it: the one place the
 * server picks a dialect. `sqlite:PATH` (or a bare path) → ./sqlite/; `postgres://…` →
 * ./postgres/ (loaded only then, so a SQLite gateway never imports the PostgreSQL driver).
 */
import { join, resolve } from 'node:path';
import type { Store } from './ports.js';
import type { Ledger } from './ledger.js';
import { createLedger as createSqliteLedger } from './sqlite/ledger.js';
import { openStorage as openSqlite, type Storage as SqliteStorage } from './sqlite/open.js';
import type { PgStorage } from './postgres/open.js';

export type { Ledger };

/** An open database of either dialect: its ports, and the dialect's own handle for what they do not cover. */
export type Storage = { store: Store; close(): Promise<void> } & ({ kind: 'sqlite'; sqlite: SqliteStorage } | { kind: 'postgres'; pg: PgStorage });

export interface OpenOptions {
  /** PostgreSQL: connections in the pool. */
  poolSize?: number;
}

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

export async function openStorage(url: string, opts: OpenOptions = {}): Promise<Storage> {
  if (isPostgresUrl(url)) {
    const { openPostgres } = await import('./postgres/open.js');
    const pg = await openPostgres(url, { ...(opts.poolSize && { max: opts.poolSize }) });
    return { kind: 'postgres', pg, store: pg.store, close: () => pg.close() };
  }
  const sqlite = openSqlite(url);
  return { kind: 'sqlite', sqlite, store: sqlite.store, close: async () => sqlite.close() };
}

export interface LedgerOptions {
  /** Names this instance's spool (default: the host name). */
  instanceId?: string;
  /** PostgreSQL: the local folder of the spool (SQLite keeps it beside the database file). */
  spoolDir?: string;
  /** The first write that succeeds after a reported failure (storage writable again). */
  onRecovered?: (written: number) => void;
}

/** The ledger over an open database; on PostgreSQL, what its spool holds from a previous run is written first. */
export async function createLedger(storage: Storage, onError: (err: Error) => void, opts: LedgerOptions = {}): Promise<Ledger> {
  const common = { ...(opts.instanceId && { instanceId: opts.instanceId }), ...(opts.onRecovered && { onRecovered: opts.onRecovered }) };
  if (storage.kind === 'sqlite') return createSqliteLedger(storage.sqlite, onError, common);
  const { createPgLedger } = await import('./postgres/ledger.js');
  const { insertUsageRecords } = await import('./postgres/usage-insert.js');
  const { db } = storage.pg;
  return createPgLedger((recs) => insertUsageRecords(db, recs), onError, { ...common, spoolBase: join(resolve(opts.spoolDir ?? './data'), spoolName(storage.pg.url)) });
}

/** `pg-<host>-<port>-<database>`: instances of one database share a spool folder safely, and another database's spools are never adopted. */
function spoolName(url: string): string {
  const u = new URL(url);
  return `pg-${u.hostname}-${u.port || '5432'}-${u.pathname.slice(1) || 'postgres'}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
