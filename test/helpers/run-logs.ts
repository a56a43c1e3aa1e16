import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every gateway the test helpers start logs (JSON lines, its configured level) into one file per
 * test worker under TOLLGATE_TEST_LOG_DIR, and records its configured secrets beside it; the
 * suite's global teardown (test/global-logs.ts) then checks the whole run's logs for every
 * secret. Without the variable (a single file run outside `npm test`) nothing is written.
 */
const dir = process.env.TOLLGATE_TEST_LOG_DIR;

export function runLogStream(secrets: readonly string[]): { write(line: string): void } | undefined {
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  const base = join(dir, String(process.pid));
  if (secrets.length) appendFileSync(`${base}.secrets`, secrets.map((s) => JSON.stringify(s)).join('\n') + '\n');
  return { write: (line: string) => appendFileSync(`${base}.log`, line) };
}
