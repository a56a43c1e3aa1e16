/**
 * Counters behind admission (docs/architecture.md §4): a small interface with an in-process implementation
 * (./memory-counters.ts, one instance) and a Redis one (./redis-counters.ts, shared by many).
 * Both make "check every limit, then reserve on every counter" one atomic step: one
 * synchronous function in process, one Lua script in Redis.
 */

/**
 * `sum`: a number that must stay ≤ limit after adding `amount` (spend in n$, tokens, requests in
 * a minute window). `slots`: a set of in-flight request ids that must stay ≤ limit after adding
 * this one (max_concurrency); ids older than `ttlMs` are dropped, so a crashed instance's
 * requests free their slots eventually.
 */
export type CheckKind = 'sum' | 'slots';

export interface Check {
  key: string;
  kind: CheckKind;
  limit: number;
  /** What this request adds (1 for slots). */
  amount: number;
  /** sum: the counter's time to live (0 = forever); slots: how long an id holds its slot at most. */
  ttlMs: number;
}

export type ReserveResult =
  | { ok: true; /** Each counter's value after the reservation, in `checks` order. */ values: number[] }
  | { ok: false; revoked: true }
  | { ok: false; revoked?: false; /** Index of the first check that failed. */ index: number; current: number };

/** Replaces a reservation by the real amount: `delta` = real − reserved; slots release the id. */
export interface Adjust {
  key: string;
  kind: CheckKind;
  delta: number;
}

export interface Counters {
  /** All-or-nothing: either every check passes and every counter is reserved, or nothing changes. */
  reserve(checks: readonly Check[], requestId: string, now: number, keyId?: string): ReserveResult | Promise<ReserveResult>;
  settle(adjusts: readonly Adjust[], requestId: string): void | Promise<void>;
  /** Sets a counter from the ledger unless it already exists (rebuild at start). */
  seed(key: string, value: number, ttlMs: number): void | Promise<void>;
  /** A counter's current value (0 when absent): reports and tests. */
  read(key: string): number | Promise<number>;
  /** Marks a key revoked for every instance sharing these counters (the next reserve refuses it). */
  revoke(keyId: string): void | Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
