/**
 * `npm run bench:start`: time from `node dist/src/server/main.js` (npm start's node flags, the
 * example config tollgate.example.yaml, a fresh SQLite file) to the first `/healthz` answer,
 * over several runs; prints each run and the median. A figure, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 7);
const FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=25'];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function once(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...FLAGS, 'dist/src/server/main.js', '--config', 'tollgate.example.yaml'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PORT: String(port), TOLLGATE_DATABASE_URL: `sqlite:${join(dir, 'ledger.db')}`, LOG_LEVEL: 'warn' },
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
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const ms = await once();
  times.push(ms);
  console.log(`start ${i + 1}: ${ms.toFixed(0)} ms`);
}
times.sort((a, b) => a - b);
console.log(`start to listening (example config, ${RUNS} runs): median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms`);
