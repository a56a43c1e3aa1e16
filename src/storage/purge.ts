/** Rows one purge step deletes before yielding to the event loop. */
export const PURGE_STEP = 500;

/**
 * Deletes in steps of `step` rows (`deleteStep` returns how many went), yielding between
 * steps so a large purge never holds the event loop; stops early once `stopped()`. Returns the total.
 */
export async function purgeInSteps(deleteStep: (max: number) => Promise<number>, stopped: () => boolean, step = PURGE_STEP): Promise<number> {
  let total = 0;
  while (!stopped()) {
    const n = await deleteStep(step);
    total += n;
    if (n < step) break;
    await new Promise((r) => setImmediate(r));
  }
  return total;
}

/**
 * A retention sweep's schedule: `run` once after the current tick (listening is not delayed),
 * then every `everyMs` (hourly), on unref'd timers that never keep the process alive. Returns
 * the function that clears both.
 */
export function scheduleSweep(run: () => Promise<unknown>, onError: (err: Error) => void, everyMs = 3_600_000): () => void {
  const sweep = () => void run().catch(onError);
  const first = setTimeout(sweep, 0);
  const every = setInterval(sweep, everyMs);
  first.unref?.();
  every.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
