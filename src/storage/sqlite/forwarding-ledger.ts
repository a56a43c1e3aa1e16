import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import type { Ledger } from './ledger.js';
import type { Storage } from './open.js';
import { acquireOwnSpool, readSpool } from './spool.js';

export interface Forwarding {
  /** Hands spooled records (their JSON lines, each ending in a newline) to the committing process. */
  send(lines: string): void;
  /** Resolves once the committing process has committed every record sent before. */
  commit(): Promise<void>;
  /** Registers the acknowledgement: the first `n` records not yet acknowledged are committed. */
  onAck(fn: (n: number) => void): void;
  onError(err: Error): void;
  instanceId?: string;
}

/** How long `close` waits for the last acknowledgements (then the records stay spooled for the next start). */
const CLOSE_WAIT_MS = 5000;
/** Records go to the primary in batches: at most this much later, or at once when a report asks. */
const SEND_MS = 10;
/**
 * A spool that still holds unacknowledged records is left as it is (replaying a committed record
 * again is harmless) until it is this large; then only the unacknowledged ones are written back.
 */
const REWRITE_BYTES = 1 << 20;

/**
 * A worker's ledger in workers mode (src/server/cluster/): the record is appended to this
 * worker's own spool with one `write(2)` before the response's last bytes — exactly as in
 * ./ledger.ts, so a `kill -9` of the worker or of the whole process group loses nothing — and
 * then sent to the primary, the one process that commits to SQLite, in batches. The spool holds
 * every record the primary has not acknowledged: it is emptied when none are left; under steady
 * load it keeps acknowledged ones too (a replay ignores them) until it grows large, then it is
 * replaced by the unacknowledged ones (written aside, then renamed, so a kill at any point leaves
 * a spool with all of them). Emptying or replacing it on every acknowledgement cost ~5 % of a
 * worker's CPU under load.
 * A spool this worker finds at start (a killed predecessor's) is sent again and kept until
 * acknowledged; the insert ignores a request id already stored. A dead worker's spool is
 * adopted by the primary as soon as it exits.
 */
export function createForwardingLedger(storage: Storage, link: Forwarding): Ledger {
  if (storage.path === ':memory:') throw new Error('workers mode needs a database file, not :memory:');
  const lock = acquireOwnSpool(storage.path, link.instanceId);
  const path = lock.spoolPath;
  // Through readSpool, like every other spool reader: torn lines dropped, old micro-dollar records converted.
  const unacked: string[] = readSpool(path).map((r) => `${JSON.stringify(r)}\n`);
  let fd: number | undefined = openSync(path, 'a');
  let bytes = 0;
  let outgoing = '';
  let timer: NodeJS.Timeout | undefined;
  let drained: (() => void) | undefined;

  const sendNow = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (outgoing) link.send(outgoing);
    outgoing = '';
  };

  function rewrite(): void {
    const aside = `${path}.next`;
    const text = unacked.join('');
    writeFileSync(aside, text);
    renameSync(aside, path);
    closeSync(fd!);
    fd = openSync(path, 'a');
    bytes = text.length;
  }

  if (unacked.length) {
    // Rewritten whole: a torn last line would otherwise be glued to the next record.
    rewrite();
    outgoing = unacked.join('');
    sendNow();
  }

  link.onAck((n) => {
    unacked.splice(0, n);
    if (fd === undefined) return;
    try {
      if (!unacked.length) {
        ftruncateSync(fd, 0);
        bytes = 0;
      } else if (bytes > REWRITE_BYTES) rewrite();
    } catch (err) {
      link.onError(err as Error);
    }
    if (!unacked.length) drained?.();
  });

  return {
    record(rec) {
      const line = `${JSON.stringify(rec)}\n`;
      if (fd !== undefined) writeSync(fd, line);
      bytes += line.length;
      unacked.push(line);
      outgoing += line;
      timer ??= setTimeout(sendNow, SEND_MS);
    },
    flush: () => unacked.length,
    synced() {
      sendNow();
      return link.commit();
    },
    adoptOrphans() {
      // The primary adopts dead processes' spools (one writer).
    },
    get pending() {
      return unacked.length;
    },
    async close() {
      sendNow();
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
