import cluster, { type Worker } from 'node:cluster';
import pino from 'pino';
import type { Snapshot } from '../../engine/runtime.js';
import type { Counters, ReserveResult } from '../../metering/limits/counters.js';
import { createMemoryCounters } from '../../metering/limits/memory-counters.js';
import type { UsageRecord } from '../../metering/usage-record.js';
import { redactSecrets } from '../../engine/errors.js';
import { createLedger } from '../../storage/sqlite/ledger.js';
import { openStorage } from '../../storage/sqlite/open.js';
import { batcher, isBatch, type ToPrimary, type ToWorker } from './messages.js';

/** A worker that dies sooner than this after its start is restarted after a pause (a crash loop must not spin). */
const EARLY_DEATH_MS = 5000;
const RESTART_PAUSE_MS = 1000;

interface WorkerState {
  send(msg: ToWorker): void;
  /** Records received from it since the last commit (acknowledged after the next one). */
  received: number;
  /** Its admitted requests holding concurrency slots: freed if it dies. */
  slots: Map<string, string[]>;
  startedAt: number;
}

/**
 * Workers mode's primary (`workers` > 1): forks the workers, which serve the port, and is the
 * one owner of what must stay exact across them — the in-process counters (unless Redis is
 * configured) and the SQLite ledger writer. A worker's usage record is in that worker's spool
 * before its response completes; the primary commits it in a batch and acknowledges it, and
 * commits a dead worker's spool as soon as it exits, then forks a replacement. SIGHUP reloads
 * every worker's config; SIGTERM/SIGINT drain every worker, then commit the last records.
 */
export function runPrimary(snapshot: Snapshot): void {
  const log = pino({ level: snapshot.logLevel, base: { role: 'primary' } });
  const storage = openStorage(snapshot.storageUrl);
  const states = new Map<Worker, WorkerState>();
  const report = (what: string) => (err: Error) => log.error({ err: { message: redactSecrets(err.message, snapshot.secrets) } }, what);
  const ledger = createLedger(storage, report('usage ledger write failed; records kept and retried'), {
    spool: false,
    onCommitted() {
      for (const s of states.values()) {
        if (s.received) s.send({ t: 'ack', n: s.received });
        s.received = 0;
      }
    },
    onRecovered: (written) => log.warn({ written }, 'usage ledger: storage writable again; the waiting records are written'),
  });
  const counters: Counters | undefined = snapshot.redisUrl ? undefined : createMemoryCounters();
  let closing = false;

  const handle = (w: Worker, s: WorkerState, msg: ToPrimary): void => {
    switch (msg.t) {
      case 'recs':
        for (const line of msg.lines.split('\n')) {
          if (!line) continue;
          s.received++;
          ledger.record(JSON.parse(line) as UsageRecord);
        }
        return;
      case 'reserve': {
        // In-process counters answer synchronously.
        const r = counters!.reserve(msg.checks, msg.rid, msg.now, msg.key) as ReserveResult;
        const held = msg.checks.filter((c) => c.kind === 'slots').map((c) => c.key);
        if (r.ok && held.length) s.slots.set(msg.rid, held);
        s.send({ t: 'reply', id: msg.id, value: r });
        return;
      }
      case 'settle':
        s.slots.delete(msg.rid);
        void counters!.settle(msg.adjusts, msg.rid);
        return;
      case 'seed':
        void counters!.seed(msg.key, msg.value, msg.ttl);
        return;
      case 'read':
        s.send({ t: 'reply', id: msg.id, value: counters!.read(msg.key) as number });
        return;
      case 'revoke':
        void counters!.revoke(msg.key);
        return;
      case 'flush':
        // A report is about to read the ledger: dead processes' spools too (as a single instance does).
        ledger.flush();
        ledger.adoptOrphans();
        s.send({ t: 'reply', id: msg.id, value: null });
        return;
      case 'bus':
        for (const [other, o] of states) if (other !== w) o.send({ t: 'bus', change: msg.change });
        return;
      case 'reloaded':
        for (const [other, o] of states) if (other !== w) o.send({ t: 'reload', actor: msg.actor, audit: false });
        return;
    }
  };

  const fork = (): void => {
    const w = cluster.fork();
    states.set(w, {
      send: batcher<ToWorker>((batch) => {
        if (w.isConnected()) w.send(batch);
      }),
      received: 0,
      slots: new Map(),
      startedAt: Date.now(),
    });
    w.on('message', (m: unknown) => {
      const s = states.get(w);
      if (!s || !isBatch<ToPrimary>(m)) return;
      for (const msg of m.tg) {
        try {
          handle(w, s, msg);
        } catch (err) {
          report('workers: a message from a worker failed')(err as Error);
        }
      }
    });
  };

  cluster.on('exit', (w, code, signal) => {
    const s = states.get(w);
    states.delete(w);
    if (!s) return;
    // Its slots belong to requests that died with it. Its spend reservations stay (never an overspend).
    for (const [rid, keys] of s.slots) void counters?.settle(keys.map((key) => ({ key, kind: 'slots', delta: 0 })), rid);
    // Everything it spooled: what it sent and what it did not get to send (the insert ignores duplicates).
    ledger.flush();
    ledger.adoptOrphans();
    if (closing) {
      if (!states.size) finish();
      return;
    }
    log.error({ pid: w.process.pid, code, signal }, 'workers: a worker died; starting another');
    if (Date.now() - s.startedAt < EARLY_DEATH_MS) setTimeout(fork, RESTART_PAUSE_MS);
    else fork();
  });

  const finish = () => {
    ledger.close();
    storage.close();
    process.exit(0);
  };
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info(`${signal}: draining every worker`);
    setTimeout(() => process.exit(1), 30_000).unref();
    if (!states.size) finish();
    for (const s of states.values()) s.send({ t: 'shutdown' });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    let first = true;
    for (const s of states.values()) {
      s.send({ t: 'reload', actor: 'signal:SIGHUP', audit: first });
      first = false;
    }
  });

  for (let i = 0; i < snapshot.workers; i++) fork();
  log.info({ workers: snapshot.workers, counters: counters ? 'primary' : 'redis' }, `tollgate: ${snapshot.workers} workers`);
}
