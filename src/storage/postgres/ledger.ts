import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { UsageRecord } from '../../metering/usage-record.js';
import type { Ledger } from '../ledger.js';
import { rootCause } from './open.js';
import { acquireOwnSpool, otherSpools, readSpool, tryLock } from '../sqlite/spool.js';

export interface PgLedgerOptions {
  /**
   * Path prefix of the spool files: this instance's is `<spoolBase>.spool-<instance id>`
   * (../sqlite/spool.ts names and locks them), on local disk.
   */
  spoolBase: string;
  instanceId?: string;
  /** Longest a record waits in the spool before its batch is written. */
  batchMs?: number;
  /** A batch is written at once when this many records are waiting. */
  batchSize?: number;
  /** The first batch written after a reported failure (PostgreSQL reachable again). */
  onRecovered?: (written: number) => void;
}

/** Rows per INSERT statement (25 parameters a row; PostgreSQL takes 65,535 per statement). */
const CHUNK_ROWS = 1000;
/** Longest wait between two tries while PostgreSQL refuses writes. */
const MAX_RETRY_MS = 1000;

/**
 * The usage ledger on PostgreSQL, with the SQLite ledger's guarantee (../sqlite/ledger.ts): a
 * record is appended to this instance's local spool file with one synchronous `write(2)` before
 * the response's last bytes leave, so `kill -9` loses nothing; a background writer moves the
 * spool into PostgreSQL in batches (`insert`: multi-row INSERT … ON CONFLICT (request_id) DO
 * NOTHING, so a record written twice — replayed after a crash between the commit and the spool
 * update — is stored once). One batch is in flight at a time; records that arrive meanwhile are
 * appended behind it. Once a batch is committed, the spool keeps exactly the records after it:
 * the tail is copied to a new file that replaces the spool by rename (atomic: a crash leaves
 * either the old spool, replayed without duplicates, or the new one).
 *
 * PostgreSQL down: requests are not affected. The batch goes back to the front of the queue, the
 * spool keeps growing, writes are retried (backing off to once a second) and the failure is
 * reported once through `onError`; the first batch that succeeds reports `onRecovered`.
 * At creation, what the previous run of this instance left in its spool is written first, then
 * spools of instances that are not running (same folder, lock free) are adopted.
 */
export async function createPgLedger(insert: (recs: readonly UsageRecord[]) => Promise<void>, onError: (err: Error) => void = () => {}, opts: PgLedgerOptions): Promise<Ledger> {
  const batchMs = opts.batchMs ?? 50;
  const batchSize = opts.batchSize ?? 1000;
  mkdirSync(dirname(opts.spoolBase), { recursive: true });
  const lock = acquireOwnSpool(opts.spoolBase, opts.instanceId);
  const spoolPath = lock.spoolPath;

  const insertAll = async (recs: readonly UsageRecord[]) => {
    for (let i = 0; i < recs.length; i += CHUNK_ROWS) await insert(recs.slice(i, i + CHUNK_ROWS));
  };

  // The previous run's leftovers are rewritten as whole lines (a torn last line would swallow the next append).
  let queue = readSpool(spoolPath);
  writeFileSync(`${spoolPath}.tmp`, queue.map(line).join(''));
  renameSync(`${spoolPath}.tmp`, spoolPath);
  let fd = openSync(spoolPath, 'a+');
  /** Bytes in the spool file: the queue's records, oldest first. */
  let spoolBytes = fstatSync(fd).size;

  let writing: Promise<void> | undefined;
  /** Records of the batch in flight. */
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let reported = false;
  let retryMs = batchMs;

  /** The first `upTo` bytes of the spool are committed: keep only what follows. */
  const dropCommitted = (upTo: number) => {
    if (upTo === spoolBytes) {
      ftruncateSync(fd, 0);
      spoolBytes = 0;
      return;
    }
    const tail = Buffer.allocUnsafe(spoolBytes - upTo);
    readSync(fd, tail, 0, tail.length, upTo);
    writeFileSync(`${spoolPath}.tmp`, tail);
    renameSync(`${spoolPath}.tmp`, spoolPath);
    closeSync(fd);
    fd = openSync(spoolPath, 'a+');
    spoolBytes = tail.length;
  };

  const schedule = (ms: number) => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
    timer.unref?.();
  };

  const writeBatch = async () => {
    const batch = queue;
    const upTo = spoolBytes;
    queue = [];
    inFlight = batch.length;
    try {
      await insertAll(batch);
      dropCommitted(upTo);
      if (reported) opts.onRecovered?.(batch.length);
      reported = false;
      retryMs = batchMs;
    } catch (err) {
      queue = batch.concat(queue);
      // drizzle's message carries the whole statement: report the server's (or the socket's) reason.
      if (!reported) onError(rootCause(err as Error));
      reported = true;
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    } finally {
      inFlight = 0;
    }
  };

  /** Writes what is waiting now (after the batch in flight); resolves with how many records still wait. */
  const flush = async (): Promise<number> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    while (writing) await writing;
    if (queue.length) {
      writing = writeBatch().finally(() => (writing = undefined));
      await writing;
    }
    if (queue.length) schedule(reported ? retryMs : queue.length >= batchSize ? 0 : batchMs);
    return queue.length;
  };

  const adoptOrphans = async () => {
    for (const other of otherSpools(opts.spoolBase, spoolPath)) {
      const held = tryLock(other);
      if (!held) continue; // a live instance's own spool
      try {
        await insertAll(readSpool(other));
        const f = openSync(other, 'r+');
        ftruncateSync(f, 0);
        closeSync(f);
      } catch (err) {
        onError(rootCause(err as Error)); // its records stay in that spool for the next try
      } finally {
        held.release();
      }
    }
  };

  await flush();
  await adoptOrphans();

  return {
    record(rec) {
      spoolBytes += writeSync(fd, line(rec));
      queue.push(rec);
      // While PostgreSQL refuses writes, only the retry timer tries again.
      if (queue.length >= batchSize && !writing && !reported) void flush();
      else schedule(reported ? retryMs : batchMs);
    },
    flush,
    adoptOrphans,
    get pending() {
      return queue.length + inFlight;
    },
    async close() {
      await flush();
      if (timer) clearTimeout(timer);
      timer = undefined;
      // Records PostgreSQL did not take stay in the spool for the next start.
      closeSync(fd);
      lock.release();
    },
  };
}

const line = (rec: UsageRecord) => `${JSON.stringify(rec)}\n`;
