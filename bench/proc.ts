import { readFileSync } from 'node:fs';
import { request } from 'undici';

/** Linux's clock ticks per second (/proc/<pid>/stat counts CPU time in them). */
export const CLK_TCK = 100;

/** The process and its children (workers mode's workers). */
export function tree(pid: number): number[] {
  try {
    return [pid, ...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)];
  } catch {
    return [pid];
  }
}

const sum = (pid: number, of: (p: number) => number) => tree(pid).reduce((t, p) => t + of(p), 0);

/** utime + stime of one process, in clock ticks. */
export function ticksOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(parts[11]) + Number(parts[12]);
}

/** CPU ticks of the process and its children. */
export const cpuTicks = (pid: number): number => sum(pid, ticksOf);

export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** RSS of the process and its children, MB. */
export const rssMb = (pid: number): number => sum(pid, rssOf);

/** Waits until `url` answers below 500 (up to a minute: a busy machine starting several workers is slow). */
export async function waitFor(url: string, headers: Record<string, string> = {}): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    try {
      const r = await request(url, { headers });
      await r.body.dump();
      if (r.statusCode < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not come up`);
}

const startScript = (root: string) => (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';

/** The node flags of `npm start` (package.json), so benchmarks run the production settings. */
export function startFlags(root: string): string[] {
  return startScript(root).split(/\s+/).filter((a) => a.startsWith('--'));
}

/** The environment `npm start` sets before `node` (glibc's allocator settings: docs/performance.md, Memory). */
export function startEnv(root: string): Record<string, string> {
  const words = startScript(root).split(/\s+/);
  const env: Record<string, string> = {};
  for (const w of words.slice(0, Math.max(0, words.indexOf('node')))) {
    const eq = w.indexOf('=');
    if (eq > 0) env[w.slice(0, eq)] = w.slice(eq + 1);
  }
  return env;
}
