/**
 * `npm run bench:workers`: does workers mode use every core? Runs the built gateway with 1 worker
 * process and with WORKERS (default 2) in turn, ROUNDS times, against the same load, and prints
 * the req/s of each run, their ratio, and the CPU per request of the primary and of the workers.
 *
 * On a 2-core machine the load generator and the upstream share the cores with the gateway, so
 * both are the cheapest available: `wrk` (C; `apt-get install wrk`) and bench/raw-upstream.mjs
 * (canned answers over raw TCP, no HTTP parser). Without wrk, autocannon drives the load — it
 * costs as much CPU per request as the gateway itself, so the ratio then says little.
 * One worker is the gateway as `npm start` runs it (no primary); nothing is pinned.
 *
 * Env: ROUNDS (default 3), DURATION (s per run, default 8), CONNECTIONS (default 50), WORKERS (default 2).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { CLK_TCK, rssMb, startEnv, startFlags, ticksOf, tree, waitFor } from './proc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION = Number(process.env.DURATION ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const WORKERS = Number(process.env.WORKERS ?? 2);
const KEY = 'tg_bench_key_workers';
const hasWrk = spawnSync('which', ['wrk']).status === 0;
const tmp = mkdtempSync(join(tmpdir(), 'tollgate-workers-'));
const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say something about gateways.' }] });
writeFileSync(join(tmp, 'body.json'), body);
writeFileSync(join(tmp, 'headers.txt'), `Authorization: Bearer ${KEY}\n`);

/** Requests completed in `seconds` of load at CONNECTIONS. */
async function drive(url: string, seconds: number): Promise<number> {
  if (hasWrk) {
    const r = spawnSync('wrk', ['-t2', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', join(root, 'bench/wrk-post.lua'), url], {
      env: { ...process.env, BODY_FILE: join(tmp, 'body.json'), HDR_FILE: join(tmp, 'headers.txt') },
      encoding: 'utf8',
    });
    const line = /WRKJSON (.*)/.exec(r.stdout)?.[1];
    if (!line) throw new Error(`wrk printed no result: ${r.stderr || r.stdout}`);
    const w = JSON.parse(line) as { requests: number; non2xx: number; errors: number };
    if (w.non2xx || w.errors) throw new Error(`the gateway failed requests under load: ${line}`);
    return w.requests;
  }
  const r = await autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, connections: CONNECTIONS, duration: seconds });
  if (r.non2xx || r.errors) throw new Error(`the gateway failed requests under load: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.total;
}

interface Run {
  workers: number;
  rps: number;
  primaryUs: number;
  workersUs: number;
  rssMb: number;
}

async function once(workers: number, upstream: string): Promise<Run> {
  const dir = mkdtempSync(join(tmp, `w${workers}-`));
  const config = join(dir, 'tollgate.yaml');
  writeFileSync(config, `providers:\n  openai: { type: openai, api_key: bench-upstream-key, base_url: "${upstream}" }\nauth:\n  keys: ["${KEY}"]\nserver: { log_level: warn }\n`);
  const port = 19787 + Math.floor(Math.random() * 1000);
  const gw: ChildProcess = spawn('node', [...startFlags(root), join(root, 'dist/tollgate.mjs'), '--config', config], {
    env: { ...process.env, ...startEnv(root), PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', TOLLGATE_WORKERS: String(workers), TOLLGATE_DATABASE_URL: `sqlite:${join(dir, 'ledger.db')}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    await waitFor(`http://127.0.0.1:${port}/healthz`);
    // Every worker forked and listening (the first answers /healthz before the others are up).
    for (let i = 0; i < 600 && workers > 1 && tree(gw.pid!).length < workers + 1; i++) await new Promise((r) => setTimeout(r, 50));
    if (workers > 1) await new Promise((r) => setTimeout(r, 2000));
    await drive(url, 3); // warm-up (JIT), unrecorded
    const pids = tree(gw.pid!);
    const before = pids.map(ticksOf);
    const requests = await drive(url, DURATION);
    const spent = pids.map((p, i) => ticksOf(p) - before[i]!);
    const us = (ticks: number) => Math.round(((ticks / CLK_TCK) * 1e6) / Math.max(1, requests));
    const run = { workers, rps: Math.round(requests / DURATION), rssMb: Math.round(rssMb(gw.pid!)), primaryUs: 0, workersUs: 0 };
    if (workers === 1) run.workersUs = us(spent[0]!);
    else [run.primaryUs, run.workersUs] = [us(spent[0]!), us(spent.slice(1).reduce((a, b) => a + b, 0))];
    return run;
  } finally {
    gw.kill('SIGTERM');
    await new Promise((r) => gw.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (!existsSync(join(root, 'dist/tollgate.mjs'))) throw new Error('run `npm run build` first (npm run bench:workers does)');
  const portFile = join(tmp, 'upstream-port');
  const upstreamProc = spawn('node', [join(root, 'bench/raw-upstream.mjs'), '--port-file', portFile], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
    const upstream = `http://127.0.0.1:${readFileSync(portFile, 'utf8')}/v1`;
    console.log(`tollgate workers bench — 1 vs ${WORKERS} workers, ${ROUNDS} rounds of ${DURATION} s, ${CONNECTIONS} connections, load: ${hasWrk ? 'wrk -t2' : 'autocannon (install wrk for a meaningful ratio)'}, upstream: bench/raw-upstream.mjs`);
    console.log('workers  req/s  CPU µs/req primary  CPU µs/req workers  RSS MB');
    const runs: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of [1, WORKERS]) {
        const r = await once(n, upstream);
        runs.push(r);
        console.log(`${String(r.workers).padStart(7)} ${String(r.rps).padStart(6)} ${String(n === 1 ? '-' : r.primaryUs).padStart(19)} ${String(r.workersUs).padStart(19)} ${String(r.rssMb).padStart(7)}`);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const one = median(runs.filter((r) => r.workers === 1).map((r) => r.rps));
    const many = median(runs.filter((r) => r.workers === WORKERS).map((r) => r.rps));
    console.log(`median req/s: 1 worker ${one}, ${WORKERS} workers ${many} — ${(many / one).toFixed(2)}×`);
    console.log(JSON.stringify({ rounds: ROUNDS, duration_s: DURATION, connections: CONNECTIONS, load: hasWrk ? 'wrk' : 'autocannon', runs, ratio: +(many / one).toFixed(3) }));
  } finally {
    upstreamProc.kill('SIGTERM');
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
