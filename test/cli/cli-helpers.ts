import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll } from 'vitest';
import { cliBundleOptions } from '../../src/server/bundle-options.mjs';
import { ADMIN_KEY, startInstance, tempDir, type Instance } from '../helpers/instance.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The `tollgate` binary as `npm run build` bundles it (the same esbuild options), from the
 * TypeScript entry (esbuild reads it; no tsc run), into a temp dir. Returns its path.
 */
export function buildCli(): { bin: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
  buildSync(cliBundleOptions(join(root, 'src/cli/main.ts'), dir));
  return { bin: join(dir, 'cli.mjs'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node <bin> ...args` with only the given environment (and PATH); never throws on a non-zero exit. */
export function runCli(bin: string, args: string[], env: Record<string, string> = {}, cwd = root): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A loopback port nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The cells of the table line whose first cell is `first` (columns are separated by 2+ spaces). */
export function tableRow(table: string, first: string): string[] | undefined {
  return table
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/))
    .find((cells) => cells[0] === first);
}

/** A long-running CLI command (requests tail): its output so far, and its exit. */
export function startCli(bin: string, args: string[], env: Record<string, string>) {
  const proc = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: root });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d));
  proc.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    proc,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** Waits until stdout satisfies `check` (fails with what was printed). */
    async until(check: (out: string) => boolean, timeoutMs = 8000): Promise<void> {
      const end = Date.now() + timeoutMs;
      while (!check(stdout)) {
        if (Date.now() > end || proc.exitCode !== null) throw new Error(`not printed in time; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** mock/echo priced so costs are not zero: 1000 µ$ per input token, 2000 µ$ per output token. */
export const PRICED_MOCK = 'providers:\n  mock: { type: mock }\npricing:\n  mock/echo: { input_per_mtok_usd: 1000, output_per_mtok_usd: 2000 }\n';

/**
 * For a describe block: the binary built once, a full gateway (SQLite in a temp dir, the admin
 * key set), and `cli(args, env)` running the binary against it. Every run is kept in `runs`.
 */
export function cliAgainstGateway() {
  const ctx = {
    gw: undefined as unknown as Instance,
    runs: [] as CliRun[],
    async cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
      const r = await runCli(build.bin, args, { TOLLGATE_URL: ctx.gw.url, TOLLGATE_ADMIN_KEY: ADMIN_KEY, ...env });
      ctx.runs.push(r);
      return r;
    },
  };
  let tmp: ReturnType<typeof tempDir>;
  let build: ReturnType<typeof buildCli>;
  beforeAll(async () => {
    build = buildCli();
    tmp = tempDir();
    ctx.gw = await startInstance(PRICED_MOCK, { TOLLGATE_DATABASE_URL: `sqlite:${tmp.dir}/ledger.db` });
  });
  afterAll(async () => {
    await ctx.gw?.close(1000);
    tmp?.remove();
    build?.remove();
  });
  return ctx;
}

export async function chat(url: string, key: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

export const ask = { model: 'mock/echo', messages: [{ role: 'user', content: 'one two three' }] };
