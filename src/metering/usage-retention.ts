import { DAY_MS } from '../storage/usage-daily.js';
import type { UsageRepo } from '../storage/ports.js';
import { purgeInSteps, scheduleSweep } from '../storage/purge.js';

export interface UsageRetention {
  /** Deletes the raw records of UTC days that ended more than the retention ago (as of `now`), in small steps. Returns how many went. */
  sweep(now?: number): Promise<number>;
  /** Stops the timers and any sweep under way (after its current step). */
  close(): void;
}

export interface UsageRetentionOptions {
  /** The retention in force (a config reload may change it); undefined = keep everything. */
  retentionMs: () => number | undefined;
  /** Rows deleted per statement (default 2000): a sweep never holds the ledger's table for long. */
  step?: number;
}

/**
 * `ledger.retention_days`: raw usage records are deleted by whole UTC days, so every day left has
 * all its records and the daily roll-up (kept) answers for the days that went. Several instances
 * sweeping at once only delete the same rows.
 */
export function usageSweeper(usage: Pick<UsageRepo, 'deleteOlderThan'>, opts: UsageRetentionOptions): UsageRetention {
  const step = opts.step ?? 2000;
  let closed = false;
  return {
    async sweep(now = Date.now()) {
      const ms = opts.retentionMs();
      if (ms === undefined) return 0;
      const cutoff = Math.floor((now - ms) / DAY_MS) * DAY_MS;
      return purgeInSteps((max) => usage.deleteOlderThan(cutoff, max), () => closed, step);
    },
    close() {
      closed = true;
    },
  };
}

/** The sweep at start (after the current tick: listening is not delayed) and hourly, on unref'd timers. */
export function startUsageRetention(usage: Pick<UsageRepo, 'deleteOlderThan'>, opts: UsageRetentionOptions & { onError: (err: Error) => void; everyMs?: number }): UsageRetention {
  const sweeper = usageSweeper(usage, opts);
  const stop = scheduleSweep(() => sweeper.sweep(), opts.onError, opts.everyMs);
  return {
    sweep: sweeper.sweep,
    close() {
      sweeper.close();
      stop();
    },
  };
}
