/**
 * Vitest global setup/teardown: a directory for the run's gateway logs (test/helpers/run-logs.ts),
 * and after the last test a check that no configured secret — provider keys, configured
 * credential headers, static keys, admin keys — appears in any log line of the whole run (no run
 * of 8+ of its characters). A leak fails the run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-run-logs-'));
  process.env.TOLLGATE_TEST_LOG_DIR = dir;
  return () => {
    try {
      checkRunLogs(dir);
    } catch (err) {
      // Vitest reports a teardown error but keeps its exit code: make the run fail.
      process.stderr.write(`\n${(err as Error).message}\n`);
      process.exitCode = 1;
      throw err;
    } finally {
      if (!process.env.KEEP_TEST_LOGS) rmSync(dir, { recursive: true, force: true });
    }
  };
}

export function checkRunLogs(dir: string): void {
  if (!existsSync(dir)) return;
  const files = readdirSync(dir);
  const secrets = new Set<string>();
  for (const f of files.filter((f) => f.endsWith('.secrets'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) secrets.add(JSON.parse(line) as string);
  }
  const logs = files.filter((f) => f.endsWith('.log')).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
  const leaks: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    for (let i = 0; i + 8 <= secret.length; i++) {
      const run = secret.slice(i, i + 8);
      // Test keys pad with runs like 00000000 and spell words like "upstream", which timestamps,
      // ids and log keys hold too: such windows are no evidence of a leak.
      if (new Set(run).size < 4 || /^[a-z_-]+$/.test(run)) continue;
      const at = logs.indexOf(run);
      if (at >= 0) {
        leaks.push(`${secret.slice(0, 4)}… (${secret.length} chars), run "${run}": ${logs.slice(logs.lastIndexOf("\n", at) + 1, logs.indexOf("\n", at)).slice(0, 400)}`);
        break;
      }
    }
  }
  process.stdout.write(`run logs: ${logs.split('\n').length - 1} lines from ${files.filter((f) => f.endsWith('.log')).length} workers checked for ${secrets.size} secrets\n`);
  if (leaks.length) throw new Error(`secrets in the run's logs:\n${leaks.join('\n')}`);
}
