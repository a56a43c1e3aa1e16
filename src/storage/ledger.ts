import type { UsageSink } from '../metering/usage-record.js';

/**
 * The usage ledger as the server sees it, whichever the database: a sink whose records survive
 * `kill -9` once recorded (a local spool), written to the database in batches. SQLite's methods
 * finish synchronously (./sqlite/ledger.ts), PostgreSQL's return promises (./postgres/ledger.ts).
 */
export interface Ledger extends UsageSink {
  /** Writes every pending record now (reports call it first); how many are still pending. */
  flush(): number | Promise<number>;
  readonly pending: number;
  /** Writes and empties the spools of instances that are not running (their locks are free). */
  adoptOrphans(): void | Promise<void>;
  /** Workers mode (SQLite): resolves once the primary has committed every record sent before. */
  synced?(): Promise<void>;
  /** Flushes and releases the spool (records the database did not take stay in it for the next start). */
  close(): void | Promise<void>;
}
