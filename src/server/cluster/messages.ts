import type { AdminChange } from '../../admin/bus.js';
import type { Adjust, Check, ReserveResult } from '../../metering/limits/counters.js';

/**
 * What a worker and the primary say to each other over the cluster's IPC channel. Messages are
 * sent in batches (`{ tg: [...] }`, one `process.send` per event-loop turn at most), and a
 * channel delivers them in order: a worker's records, settlements and flush request arrive in
 * the order it sent them.
 */
export type ToPrimary =
  | { t: 'reserve'; id: number; checks: readonly Check[]; rid: string; now: number; key?: string }
  | { t: 'settle'; adjusts: readonly Adjust[]; rid: string }
  | { t: 'seed'; key: string; value: number; ttl: number }
  | { t: 'read'; id: number; key: string }
  | { t: 'revoke'; key: string }
  /** Usage records, as the JSON lines the worker spooled (each ends in a newline). */
  | { t: 'recs'; lines: string }
  /** Commit every record received so far, then answer. */
  | { t: 'flush'; id: number }
  | { t: 'bus'; change: AdminChange }
  /** This worker reloaded its config: the others should too. */
  | { t: 'reloaded'; actor: string };

export type ToWorker =
  | { t: 'reply'; id: number; value: ReserveResult | number | null }
  /** The worker's first `n` unacknowledged records are committed. */
  | { t: 'ack'; n: number }
  | { t: 'bus'; change: AdminChange }
  /** Reload the config; `audit`: this worker writes the reload's audit entry. */
  | { t: 'reload'; actor: string; audit: boolean }
  | { t: 'shutdown' };

export interface Batch<M> {
  tg: M[];
}

export const isBatch = <M>(m: unknown): m is Batch<M> => typeof m === 'object' && m !== null && Array.isArray((m as Batch<M>).tg);

/** Queues messages and sends them as one batch at the end of this event-loop turn. */
export function batcher<M>(send: (batch: Batch<M>) => void): (msg: M) => void {
  let out: M[] = [];
  const flush = () => {
    const tg = out;
    out = [];
    send({ tg });
  };
  return (msg) => {
    if (out.push(msg) === 1) setImmediate(flush);
  };
}
