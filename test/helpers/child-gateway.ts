import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './redis.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface ChildGateway {
  child: ChildProcess;
  url: string;
  stderr(): string;
  /** What it wrote to stdout (its JSON log lines). */
  stdout(): string;
  /** `kill -9`, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** `kill -9` of its whole process group (workers mode's workers too); needs `{ group: true }`. */
  killGroup9(): Promise<void>;
}

/**
 * `src/server/main.ts` in its own process (as `npm run dev` starts it), or `opts.bundle` (a gateway
 * bundle such as dist/tollgate.mjs: starts in a fraction of tsx's time), resolved once /healthz
 * answers. `group`: in its own process group (killGroup9).
 */
export async function spawnGateway(env: Record<string, string>, opts: { group?: boolean; bundle?: string } = {}): Promise<ChildGateway> {
  const bundle = opts.bundle;
  const port = await freePort();
  const child = spawn(process.execPath, bundle ? [bundle] : ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TOLLGATE_REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the group can be killed at once.
    detached: !!opts.group,
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const up = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (Date.now() > up) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url,
    stderr: () => stderr,
    stdout: () => stdout,
    killGroup9() {
      if (!opts.group) throw new Error('spawnGateway: killGroup9 needs { group: true }');
      const gone = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      return gone;
    },
    kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGKILL');
      return gone;
    },
  };
}
