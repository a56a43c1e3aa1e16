import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './redis.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface ChildGateway {
  child: ChildProcess;
  url: string;
  stderr(): string;
  /** `kill -9`, resolved once the process is gone. */
  kill9(): Promise<void>;
}

/**
 * `src/server/main.ts` in its own process (as `npm run dev` starts it), or `bundle` (a gateway
 * bundle such as dist/tollgate.mjs: starts in a fraction of tsx's time), resolved once /healthz answers.
 */
export async function spawnGateway(env: Record<string, string>, bundle?: string): Promise<ChildGateway> {
  const port = await freePort();
  const child = spawn(process.execPath, bundle ? [bundle] : ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TOLLGATE_REDIS_URL: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
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
    kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGKILL');
      return gone;
    },
  };
}
