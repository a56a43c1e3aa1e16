/**
 * `npm run bench:start`: time from spawning to the first `/healthz` answer, with the example
 * config tollgate.example.yaml and a fresh SQLite file, over several runs; prints each run and
 * the median, for two commands: `npm start` exactly as a user types it (npm's own start-up, the
 * build-is-current check, the gateway), the bare `node dist/tollgate.mjs` the Docker image runs,
 * and the same code unbundled (`dist/src/server/main.js`) for comparison. Figures, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEnv, startFlags } from './proc.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 7);
/** `npm start`'s node flags and environment, for the bare `node` commands (./proc.ts). */
const FLAGS = startFlags(ROOT);
const ENV = startEnv(ROOT);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const COMMANDS: Array<[string, string, string[]]> = [
  ['npm start', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start', '--silent', '--', '--config', 'tollgate.example.yaml']],
  ['node dist/tollgate.mjs', process.execPath, [...FLAGS, 'dist/tollgate.mjs', '--config', 'tollgate.example.yaml']],
  ['node dist/src/server/main.js (unbundled)', process.execPath, [...FLAGS, 'dist/src/server/main.js', '--config', 'tollgate.example.yaml']],
];

async function once(command: string, args: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(command === process.execPath ? ENV : {}), PORT: String(port), TOLLGATE_DATABASE_URL: `sqlite:${join(dir, 'ledger.db')}`, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode})`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return performance.now() - started;
      } catch {
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL'); // npm and the gateway under it
    } catch {
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [label, command, args] of COMMANDS) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const ms = await once(command, args);
    times.push(ms);
    console.log(`${label} ${i + 1}: ${ms.toFixed(0)} ms`);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: start to listening (example config, ${RUNS} runs): median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`,
  );
}
