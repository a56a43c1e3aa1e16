import { CliError } from './cli-error.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `poll` every `intervalS` seconds until the process is stopped (Ctrl-C). An unreachable
 * gateway or a server error is said once on stderr and polled through (a restart should not end
 * a tail); a refusal (401/403, 4xx) or a bug ends it.
 */
export async function pollForever(intervalS: number, poll: () => Promise<void>): Promise<never> {
  let failing = false;
  for (;;) {
    await sleep(intervalS * 1000);
    try {
      await poll();
      if (failing) process.stderr.write('tollgate: the gateway answers again\n');
      failing = false;
    } catch (err) {
      if (!(err instanceof CliError) || !err.transient) throw err;
      if (!failing) process.stderr.write(`tollgate: ${err.message} (retrying every ${intervalS} s)\n`);
      failing = true;
    }
  }
}
