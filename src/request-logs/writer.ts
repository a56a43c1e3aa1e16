import type { RequestLogSettings } from '../engine/runtime.js';
import type { RequestLogRow, RequestLogsRepo } from '../storage/ports.js';
import { purgeInSteps, scheduleSweep } from '../storage/purge.js';
import { storedBody, type RedactionRules } from './redact.js';

/** What the kind column says: which surface's bodies the row holds. */
export type RequestLogKind = 'chat' | 'completions' | 'messages' | 'embeddings' | 'prompt' | 'responses';

/** A finished request's bodies as captured — not yet redacted or cut (that is the writer's work, off the request). */
export interface PendingLog {
  requestId: string;
  time: number;
  teamId: string | null;
  keyId: string | null;
  kind: RequestLogKind;
  model: string | null;
  status: number;
  request: { text: string | null; cut: boolean };
  /** The response body, built when the batch is written (a stream's assembly is serialised then). */
  response: () => { text: string | null; cut: boolean };
  /** The snapshot's settings and secrets the request ran with. */
  maxBodyBytes: number;
  rules: RedactionRules;
}

export interface RequestLogWriter {
  enqueue(log: PendingLog): void;
  /** Redacts, cuts and writes everything waiting, now (reads call it first). Resolves to how many rows are still waiting. */
  flush(): Promise<number>;
  /** Deletes rows older than the retention period (as of `now`), in small steps. Returns how many went. */
  purge(now?: number): Promise<number>;
  readonly pending: number;
  /** Flushes and stops the timers (graceful shutdown: no row is lost). */
  close(): Promise<void>;
}

export interface RequestLogWriterOptions {
  /** The settings in force (a reload may change the retention). */
  settings: () => RequestLogSettings;
  onError?: (err: Error) => void;
  batchMs?: number;
  batchSize?: number;
  purgeEveryMs?: number;
}

/** Rows (and their bytes) kept in memory while the database refuses writes; older ones are dropped beyond. */
const MAX_WAITING = 2000;
const MAX_WAITING_BYTES = 64 * 1024 * 1024;

/**
 * Stored bodies go to the database in batches, after the response: the client never waits for the
 * write, and the redaction and the size cap run here too, not on the request path. Unlike the
 * usage ledger there is no spool file (bodies are large; a synchronous append of each would
 * cost every logged request): a `kill -9` can lose the last batch (≤ `batchMs`), a graceful
 * shutdown loses nothing (`close` writes what waits). A failing write keeps the rows (up to
 * MAX_WAITING) and retries with the next batch; the failure is reported once. One batch is
 * written at a time (a flush waits for the one in progress).
 */
export function createRequestLogWriter(repo: RequestLogsRepo, opts: RequestLogWriterOptions): RequestLogWriter {
  const batchMs = opts.batchMs ?? 50;
  const batchSize = opts.batchSize ?? 64;
  const report = opts.onError ?? (() => {});
  let captured: PendingLog[] = [];
  let rows: RequestLogRow[] = [];
  /** The batch being written, and the write. */
  let writing: RequestLogRow[] = [];
  let tail: Promise<number> = Promise.resolve(0);
  let failing = false;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = () => {
    if (closed) return;
    timer ??= setTimeout(flush, batchMs);
    timer.unref?.();
  };

  function flush(): Promise<number> {
    tail = tail.then(write);
    return tail;
  }

  async function write(): Promise<number> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    for (const log of captured) {
      try {
        rows.push(toRow(log));
      } catch (err) {
        report(err as Error);
      }
    }
    captured = [];
    // Newest first: a long outage keeps the latest rows.
    let keep = 0;
    let bytes = 0;
    for (let i = rows.length - 1; i >= 0 && keep < MAX_WAITING; i--) {
      bytes += (rows[i]!.requestBody?.length ?? 0) + (rows[i]!.responseBody?.length ?? 0);
      if (bytes > MAX_WAITING_BYTES && keep > 0) break;
      keep++;
    }
    if (keep < rows.length) {
      dropped += rows.length - keep;
      rows = rows.slice(rows.length - keep);
    }
    if (!rows.length) return 0;
    writing = rows;
    rows = [];
    try {
      await repo.insert(writing);
      failing = false;
      if (dropped) report(new Error(`request logs: ${dropped} rows were dropped while the database refused writes`));
      dropped = 0;
    } catch (err) {
      rows = writing.concat(rows);
      if (!failing) report(err as Error);
      failing = true;
      schedule();
    } finally {
      writing = [];
    }
    return rows.length;
  }

  const purge = async (now = Date.now()): Promise<number> => {
    const cutoff = now - opts.settings().retentionMs;
    return purgeInSteps((max) => repo.deleteOlderThan(cutoff, max), () => closed);
  };
  const stopPurges = scheduleSweep(() => purge(), (err) => report(err), opts.purgeEveryMs);

  return {
    enqueue(log) {
      // A request still running when the drain time ran out finishes after the storage closed.
      if (closed) return report(new Error('request logs: a request that outlived the shutdown was not stored'));
      captured.push(log);
      if (captured.length >= batchSize) void flush();
      else schedule();
    },
    flush,
    purge,
    get pending() {
      return captured.length + rows.length + writing.length;
    },
    async close() {
      await flush();
      closed = true;
      stopPurges();
      if (timer) clearTimeout(timer);
      if (rows.length) report(new Error(`request logs: ${rows.length} rows could not be written before shutdown`));
    },
  };
}

function toRow(log: PendingLog): RequestLogRow {
  const req = storedBody(log.request.text, log.request.cut, log.maxBodyBytes, log.rules);
  const r = log.response();
  const res = storedBody(r.text, r.cut, log.maxBodyBytes, log.rules);
  return {
    requestId: log.requestId,
    time: log.time,
    teamId: log.teamId,
    keyId: log.keyId,
    kind: log.kind,
    model: log.model,
    status: log.status,
    requestBody: req.body,
    requestTruncated: req.truncated,
    responseBody: res.body,
    responseTruncated: res.truncated,
  };
}
