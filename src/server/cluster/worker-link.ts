import type { AdminBus, AdminChange } from '../../admin/bus.js';
import type { Counters, ReserveResult } from '../../metering/limits/counters.js';
import { createForwardingLedger } from '../../storage/sqlite/forwarding-ledger.js';
import type { Ledger } from '../../storage/ledger.js';
import type { Storage } from '../../storage/sqlite/open.js';
import { batcher, isBatch, type ToPrimary, type ToWorker } from './messages.js';

/** What a worker's gateway takes from the primary (src/server/start.ts `worker`). */
export interface WorkerLinks {
  /** The primary's counters; absent with Redis (the workers then share Redis directly). */
  counters?: Counters;
  ledger(storage: Storage, onError: (err: Error) => void, instanceId?: string): Ledger;
  bus(onChange: (change: AdminChange) => void): AdminBus;
  /** This worker reloaded its config: the primary tells the others. */
  reloaded(actor: string): void;
}

export interface WorkerLink {
  links: WorkerLinks;
  /** The primary's commands: reload the config, shut down. */
  onCommand(handlers: { reload(actor: string, audit: boolean): void; shutdown(): void }): void;
}

/**
 * A worker's side of the IPC channel (workers mode): counters answered by the primary (one
 * round trip per admission, settlements sent without waiting), usage records spooled here and
 * committed by the primary, admin changes and config reloads relayed to the other workers.
 */
export function connectToPrimary(withCounters: boolean): WorkerLink {
  const send = batcher<ToPrimary>((batch) => {
    if (process.connected) process.send!(batch);
  });
  let nextId = 1;
  const waiting = new Map<number, (value: unknown) => void>();
  const call = <T>(msg: ToPrimary & { id: number }): Promise<T> =>
    new Promise((resolve) => {
      waiting.set(msg.id, resolve as (v: unknown) => void);
      send(msg);
    });
  let onAck: (n: number) => void = () => {};
  let onChange: (change: AdminChange) => void = () => {};
  let commands: Parameters<WorkerLink['onCommand']>[0] | undefined;

  process.on('message', (m: unknown) => {
    if (!isBatch<ToWorker>(m)) return;
    for (const msg of m.tg) {
      if (msg.t === 'reply') {
        const resolve = waiting.get(msg.id);
        waiting.delete(msg.id);
        resolve?.(msg.value);
      } else if (msg.t === 'ack') onAck(msg.n);
      else if (msg.t === 'bus') onChange(msg.change);
      else if (msg.t === 'reload') commands?.reload(msg.actor, msg.audit);
      else if (msg.t === 'shutdown') commands?.shutdown();
    }
  });

  const counters: Counters = {
    reserve: (checks, rid, now, key) => call<ReserveResult>({ t: 'reserve', id: nextId++, checks, rid, now, ...(key && { key }) }),
    settle: (adjusts, rid) => send({ t: 'settle', adjusts, rid }),
    seed: (key, value, ttl) => send({ t: 'seed', key, value, ttl }),
    read: (key) => call<number>({ t: 'read', id: nextId++, key }),
    revoke: (key) => send({ t: 'revoke', key }),
    ping: async () => process.connected,
    close: async () => {},
  };

  return {
    links: {
      ...(withCounters && { counters }),
      ledger: (storage, onError, instanceId) =>
        createForwardingLedger(storage, {
          send: (lines) => send({ t: 'recs', lines }),
          commit: () => call<null>({ t: 'flush', id: nextId++ }).then(() => {}),
          onAck: (fn) => (onAck = fn),
          onError,
          ...(instanceId && { instanceId }),
        }),
      bus(fn) {
        onChange = fn;
        return {
          // Applied here at once, then by every other worker.
          async publish(change) {
            fn(change);
            send({ t: 'bus', change });
          },
          ready: async () => true,
          close: async () => {},
        };
      },
      reloaded: (actor) => send({ t: 'reloaded', actor }),
    },
    onCommand(handlers) {
      commands = handlers;
    },
  };
}
