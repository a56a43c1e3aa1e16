/** Rows one purge step deletes before yielding to the event loop. */
export const PURGE_STEP = 500;

/**
 * Deletes in steps of PURGE_STEP rows (`deleteStep` returns how many went), yielding between
 * steps so a large purge never holds the event loop; stops early once `stopped()`. Returns the total.
 */
export async function purgeInSteps(deleteStep: (max: number) => Promise<number>, stopped: () => boolean): Promise<number> {
  let total = 0;
  while (!stopped()) {
    const n = await deleteStep(PURGE_STEP);
    total += n;
    if (n < PURGE_STEP) break;
    await new Promise((r) => setImmediate(r));
  }
  return total;
}
