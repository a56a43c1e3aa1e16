import { closeSync, existsSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { toStoredUsage } from '../usage-row.js';
import type { UsageRecord, UsageSink } from '../../metering/usage-record.js';
import type { Ledger as BaseLedger } from '../ledger.js';
import type Database from 'better-sqlite3';
import type { Storage } from './open.js';
import { usageRecords } from './schema/index.js';
import { acquireOwnSpool, otherSpools, readSpool, tryLock } from './spool.js';

/** The shared ledger (../ledger.ts), with SQLite's synchronous flush and adoption. */
export interface Ledger extends BaseLedger {
  /** Writes every pending record to SQLite now (reports call it first). Returns how many are still pending. */
  flush(): number;
  /**
   * Commits the spools left beside the database by instances that are not running (their
   * locks are free) and empties them. Runs at creation and before every report.
   */
  adoptOrphans(): void;
}

export interface LedgerOptions {
  /** Names this instance's spool `<db file>.spool-<id>` (default: the host name; see ./spool.ts). */
  instanceId?: string;
  /** Longest a record waits in the spool before its batch is committed. */
  batchMs?: number;
  /** A batch is committed at once when this many records are waiting. */
  batchSize?: number;
  /** The first commit that succeeds after a reported failure (storage writable again). */
  onRecovered?: (written: number) => void;
  /**
   * false: no spool of its own, records still committed in batches — workers mode's primary,
   * whose records each come from a worker that spooled it already (src/server/cluster/).
   */
  spool?: boolean;
  /** After each commit of the queue: how many records it wrote. */
  onCommitted?: (written: number) => void;
}

/**
 * The usage ledger sink (docs/architecture.md §5): a record must survive `kill -9` once its response
 * completed, without the client waiting for a database commit.
 *
 * Measured on the 2-core machine: one prepared INSERT per request in WAL mode costs ~35–48 µs
 * (most of it the per-commit write of WAL pages), a batched INSERT ~8 µs per row, an append of
 * the record's JSON line to a spool file ~3 µs. So each record is appended to the spool with one
 * `write(2)` — synchronously, before the response's last bytes leave (engine/chat.ts) — and the
 * SQLite commit is batched (every `batchMs` or `batchSize` records). After the batch commits the
 * spool is truncated, in the same synchronous step, so the spool holds exactly the records not
 * yet in SQLite. A process killed with `kill -9` loses nothing: the kernel has the spool's pages,
 * and the next start replays it (`INSERT OR IGNORE` on the unique request id, so a record that
 * was both committed and still spooled is not counted twice). Each instance owns its spool under
 * a lock (./spool.ts): instances sharing the database never truncate each other's records, and
 * the spool of an instance that is not running is adopted by whichever instance finds it
 * unlocked (at start and before each report), so nothing waits for that instance to return. As with SQLite's
 * synchronous=NORMAL, only a power loss or OS crash can lose the last milliseconds.
 *
 * A failing insert never fails a request: records stay spooled and in memory, are retried on the
 * next batch and at shutdown, and the failure is reported once through `onError`.
 */
export function createLedger(storage: Storage, onError: (err: Error) => void = () => {}, opts: LedgerOptions = {}): Ledger {
  // The statements are written by drizzle (schema and dialect stay in one place) but run as raw
  // better-sqlite3 prepared statements with positional values: drizzle's per-run mapping cost ~6%
  // of the gateway's CPU per request in the pass-through benchmark. Full batches go BATCH_ROWS rows
  // per statement (one VALUES list), which halves the per-row cost of the insert.
  const one = prepareInsert(storage, 1);
  const many = prepareInsert(storage, BATCH_ROWS);
  const insertAll = storage.sqlite.transaction((recs: UsageRecord[]) => {
    const rows = recs.map(toRow);
    let i = 0;
    for (; i + BATCH_ROWS <= rows.length; i += BATCH_ROWS) many.stmt.run(many.order.map(([k, c]) => rows[i + k]![c]));
    for (; i < rows.length; i++) one.stmt.run(one.order.map(([, c]) => rows[i]![c]));
  });
  const batchMs = opts.batchMs ?? 50;
  const batchSize = opts.batchSize ?? 256;
  const onFile = storage.path !== ':memory:';
  const lock = onFile && opts.spool !== false ? acquireOwnSpool(storage.path, opts.instanceId) : undefined;
  const spoolPath = lock?.spoolPath;

  let queue: UsageRecord[] = [];
  let reported = false;
  let timer: NodeJS.Timeout | undefined;

  let fd: number | undefined;
  if (spoolPath) {
    // Records a replay could not commit stay in the spool and join the queue, so the next
    // successful batch commits them before it truncates the spool.
    queue = replay(spoolPath, insertAll, onError);
    fd = openSync(spoolPath, 'a');
  }

  const adoptOrphans = () => {
    if (!onFile) return;
    for (const other of otherSpools(storage.path, spoolPath ?? '')) {
      const held = tryLock(other);
      if (!held) continue; // a live instance's own spool
      try {
        // Records it cannot commit now stay in that spool for the next try.
        replay(other, insertAll, onError);
      } finally {
        held.release();
      }
    }
  };
  adoptOrphans();

  const flush = (): number => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (!queue.length) return 0;
    try {
      insertAll(queue);
      const written = queue.length;
      queue = [];
      // Same synchronous step as the commit: nothing can be appended in between.
      if (fd !== undefined) ftruncateSync(fd, 0);
      opts.onCommitted?.(written);
      if (reported) opts.onRecovered?.(written);
      reported = false;
    } catch (err) {
      if (!reported) onError(err as Error);
      reported = true;
      schedule();
    }
    return queue.length;
  };

  const schedule = () => {
    timer ??= setTimeout(flush, batchMs);
    timer.unref?.();
  };

  if (queue.length) schedule();

  return {
    record(rec) {
      if (fd === undefined && opts.spool !== false) {
        // No spool (in-memory database): commit at once.
        queue.push(rec);
        flush();
        return;
      }
      if (fd !== undefined) writeSync(fd, `${JSON.stringify(rec)}\n`);
      queue.push(rec);
      if (queue.length >= batchSize) flush();
      else schedule();
    },
    flush,
    adoptOrphans,
    get pending() {
      return queue.length;
    },
    close() {
      flush();
      if (fd !== undefined && !queue.length) {
        closeSync(fd);
        fd = undefined;
        lock?.release();
      }
    },
  };
}

/** Records left in a spool by a process that died before committing them → SQLite. */
function replay(path: string, insertAll: (recs: UsageRecord[]) => void, onError: (err: Error) => void): UsageRecord[] {
  if (!existsSync(path) || !statSync(path).size) return [];
  // Even with no whole line (a torn one only) the file is emptied, so appends start on a fresh line.
  const recs = readSpool(path);
  try {
    insertAll(recs);
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, 0);
    closeSync(fd);
    return [];
  } catch (err) {
    onError(err as Error);
    return recs;
  }
}

const COLUMNS = [
  'requestId',
  'time',
  'teamId',
  'keyId',
  'kind',
  'provider',
  'model',
  'requestedModel',
  'promptName',
  'promptVersion',
  'route',
  'inputTokens',
  'outputTokens',
  'cachedTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'costNanos',
  'estimated',
  'latencyMs',
  'status',
  'attempts',
  'cached',
  'bytesIn',
  'bytesOut',
  'tags',
] as const;

const BATCH_ROWS = 32;

type Column = (typeof COLUMNS)[number];

/** An INSERT of `rows` records and, per positional parameter, the (row, column) it takes. */
function prepareInsert(storage: Storage, rows: number): { stmt: Database.Statement; order: [number, Column][] } {
  const values: (typeof usageRecords.$inferInsert)[] = [];
  for (let k = 0; k < rows; k++) {
    const out: Record<string, unknown> = {};
    for (const c of COLUMNS) out[c] = sql.placeholder(`${k}:${c}`);
    values.push(out as typeof usageRecords.$inferInsert);
  }
  const q = storage.db.insert(usageRecords).values(values).onConflictDoNothing().toSQL();
  const order = q.params.map((p): [number, Column] => {
    const v = p as { name?: string; value?: { name?: string } };
    const [k, c] = (v.value?.name ?? v.name ?? '').split(':');
    if (!c || !(COLUMNS as readonly string[]).includes(c)) throw new Error(`ledger: unexpected insert parameter ${String(v.value?.name ?? v.name)}`);
    return [Number(k), c as Column];
  });
  return { stmt: storage.sqlite.prepare(q.sql), order };
}

/** The stored row with SQLite's booleans as 0/1 (the raw prepared statement binds no booleans). */
function toRow(r: UsageRecord): Record<Column, unknown> {
  const row: Record<Column, unknown> = toStoredUsage(r);
  row.estimated = r.estimated ? 1 : 0;
  row.cached = r.cached === undefined ? null : r.cached ? 1 : 0;
  return row;
}
