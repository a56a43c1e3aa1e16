import type { ResponsesStore } from '../../storage/ports.js';
import { purgeInSteps, scheduleSweep } from '../../storage/purge.js';

export interface ResponsesRetention {
  /** Deletes the stored responses older than the retention period as of `now`; how many went. */
  purge(now?: number): Promise<number>;
  close(): void;
}

/**
 * The retention sweep of stored responses (`responses.retention_days`): at start (after the
 * current tick) and then every `everyMs` (hourly), in steps, on unref'd timers — it never keeps
 * the process alive. The period is read at each sweep, so a config reload applies at the next one.
 */
export function startResponsesRetention(repo: ResponsesStore, retentionMs: () => number, onError: (err: Error) => void, everyMs = 3_600_000): ResponsesRetention {
  let closed = false;
  const purge = async (now = Date.now()): Promise<number> => {
    const cutoff = now - retentionMs();
    return purgeInSteps((max) => repo.purgeOlderThan(cutoff, max), () => closed);
  };
  const stop = scheduleSweep(() => purge(), onError, everyMs);
  return {
    purge,
    close() {
      closed = true;
      stop();
    },
  };
}
