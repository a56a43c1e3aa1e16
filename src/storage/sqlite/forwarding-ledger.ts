import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import type { Ledger } from './ledger.js';
import type { Storage } from './open.js';
import { acquireOwnSpool } from './spool.js';

export interface Forwarding {
  /** Hands one spooled record (its JSON line) to the committing process. */
  send(line: string): void;
  /** Resolves once the committing process has committed every record sent before. */
  commit(): Promise<void>;
  /** Registers the acknowledgement: the first `n` records not yet acknowledged are committed. */
  onAck(fn: (n: number) => void): void;
  onError(err: Error): void;
  instanceId?: string;
}

/** How long `close` waits for the last acknowledgements (then the records stay spooled for the next start). */
const CLOSE_WAIT_MS = 5000;

/**
 * A worker's ledger in workers mode (src/server/cluster/): the record is appended to this
 * worker's own spool with one `write(2)` before the response's last bytes — exactly as in
 * ./ledger.ts, so a `kill -9` of the worker or of the whole process group loses nothing — and
 * then sent to the primary, the one process that commits to SQLite. The spool keeps exactly the
 * records the primary has not acknowledged: emptied when none are left, else replaced (write
 * aside, then rename, so a kill at any point leaves a spool with every unacknowledged record).
 * A spool this worker finds at start (a killed predecessor's) is sent again and kept until
 * acknowledged; the insert ignores a request id already stored. A dead worker's spool is
 * adopted by the primary as soon as it exits.
 */
export function createForwardingLedger(storage: Storage, link: Forwarding): Ledger {
  if (storage.path === ':memory:') throw new Error('workers mode needs a database file, not :memory:');
  const lock = acquireOwnSpool(storage.path, link.instanceId);
  const path = lock.spoolPath;
  const unacked: string[] = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(isRecordLine).map((l) => `${l}\n`) : [];
  let fd: number | undefined = openSync(path, 'a');
  if (unacked.length) {
    // Rewritten whole: a torn last line would otherwise be glued to the next record.
    rewrite();
    for (const line of unacked) link.send(line);
  }
  let drained: (() => void) | undefined;

  function rewrite(): void {
    const aside = `${path}.next`;
    writeFileSync(aside, unacked.join(''));
    renameSync(aside, path);
    closeSync(fd!);
    fd = openSync(path, 'a');
  }

  link.onAck((n) => {
    unacked.splice(0, n);
    if (fd === undefined) return;
    try {
      if (unacked.length) rewrite();
      else ftruncateSync(fd, 0);
    } catch (err) {
      link.onError(err as Error);
    }
    if (!unacked.length) drained?.();
  });

  return {
    record(rec) {
      const line = `${JSON.stringify(rec)}\n`;
      if (fd !== undefined) writeSync(fd, line);
      unacked.push(line);
      link.send(line);
    },
    flush: () => unacked.length,
    synced: () => link.commit(),
    adoptOrphans() {
      // The primary adopts dead processes' spools (one writer).
    },
    get pending() {
      return unacked.length;
    },
    async close() {
      if (unacked.length) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          drained = resolve;
          timer = setTimeout(resolve, CLOSE_WAIT_MS);
        });
        clearTimeout(timer);
      }
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      lock.release();
    },
  };
}

/** A whole JSON line (a torn last line's response had not completed: the append precedes its last bytes). */
function isRecordLine(line: string): boolean {
  if (!line) return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
