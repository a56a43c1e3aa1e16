import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { UsageRecord } from '../../metering/usage-record.js';
import { lockFile } from './file-lock.js';

/**
 * Who may touch a ledger spool file. Several instances share one database file (docker
 * compose runs two on one volume), and a spool is truncated once its records are committed, so
 * two live processes must never share one: each instance owns `<db>.spool-<instance id>`, held
 * by a lock beside it (`<spool>.lock`, ./file-lock.ts) for as long as the process lives; a
 * process that dies releases it.
 */
export interface SpoolLock {
  /** The spool file this lock guards. */
  readonly spoolPath: string;
  release(): void;
}

/** Longest an owner waits for its own spool while another instance replays it (then it takes the next name). */
const OWN_WAIT_MS = 250;
const MAX_SLOTS = 256;

/**
 * The spool this process will own: `<db>.spool-<id>` (`id` = TOLLGATE_INSTANCE_ID, else the
 * host name), or `<id>-2`, `<id>-3`, … when a live process holds that one (several processes
 * on one host with no id of their own). A restarted instance with a stable id gets its own
 * spool back; whatever it finds in it is its own records.
 */
export function acquireOwnSpool(dbPath: string, instanceId?: string): SpoolLock {
  const id = sanitizeId(instanceId || hostname() || 'tollgate');
  for (let n = 1; n <= MAX_SLOTS; n++) {
    const lock = tryLock(`${dbPath}.spool-${n === 1 ? id : `${id}-${n}`}`, OWN_WAIT_MS);
    if (lock) return lock;
  }
  throw new Error(`ledger: ${MAX_SLOTS} live processes already hold a spool for instance id "${id}" beside ${dbPath}`);
}

/** Every spool beside the database (`<db>.spool` of older versions included) but `own`. */
export function otherSpools(dbPath: string, own: string): string[] {
  const dir = dirname(dbPath);
  const prefix = `${basename(dbPath)}.spool`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => (f === prefix || f.startsWith(`${prefix}-`)) && !f.includes('.', prefix.length))
    .map((f) => join(dir, f))
    .filter((p) => p !== own);
}

/** The lock of `spoolPath` if no live process holds it (waiting up to `waitMs`), else undefined. */
export function tryLock(spoolPath: string, waitMs = 0): SpoolLock | undefined {
  const lock = lockFile(`${spoolPath}.lock`, waitMs);
  return lock && { spoolPath, release: () => lock.release() };
}

/** File-name safe, and without dots (a dot after the spool name is how lock files are told apart). */
function sanitizeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/** The records in a spool file (one JSON line each), oldest first; none when it is absent. */
export function readSpool(path: string): UsageRecord[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const recs: UsageRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      recs.push(fromSpool(JSON.parse(line)));
    } catch {
      // a torn last line: its response had not completed (the append precedes the last bytes)
    }
  }
  return recs;
}

/** A spooled record; one spooled before costs were nano-dollars has `costMicros` instead. */
function fromSpool(rec: UsageRecord & { costMicros?: number }): UsageRecord {
  if (rec.costNanos === undefined && typeof rec.costMicros === 'number') {
    const { costMicros, ...rest } = rec;
    return { ...rest, costNanos: costMicros * 1000 };
  }
  return rec;
}
