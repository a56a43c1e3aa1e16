/**
 * `npm run bench`: the gateway's overhead on loopback, printed as figures (never asserted).
 *
 * Starts the mock OpenAI upstream (bench/mock-openai.mjs, the same mock as the side-by-side
 * peer harness uses) and the built gateway (dist/) with auth, routing and cost on, then
 * drives load with autocannon, non-streaming and streaming, directly against the mock and
 * through the gateway, interleaved. Prints req/s, p50/p99 latency, the gateway's added latency
 * at concurrency 1 (and added time to first streamed byte), gateway CPU-µs per request and RSS.
 *
 * Env: DURATION (s per run, default 5), CONNECTIONS (default 50), PROBE_N (default 200),
 * MODES (nonstream,stream,proxy — proxy: the REST proxy in front of the same mock, `routes:`), PIN=1 (taskset: mock+load on CPU0, gateway on CPU1; default on
 * when `taskset` exists and there are ≥2 CPUs), TRACING=1 (OpenTelemetry on: every request
 * traced and exported to bench/otlp-sink.mjs, whose span count is printed), WORKERS (the
 * gateway's `TOLLGATE_WORKERS`, default 1; above 1 the gateway is not pinned to one CPU, and CPU
 * and RSS are the sums over the primary and its workers — compare with PIN=0 runs of WORKERS=1).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { request } from 'undici';
import { CLK_TCK, cpuTicks, rssMb, startEnv, startFlags, waitFor } from './proc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const PROBE_N = Number(process.env.PROBE_N ?? 200);
const MODES = (process.env.MODES ?? 'nonstream,stream,proxy').split(',');
const KEY = 'tg_bench_key_0123456789';
const hasTaskset = spawnSync('which', ['taskset']).status === 0;
const PIN = (process.env.PIN ?? (hasTaskset && cpus().length >= 2 ? '1' : '0')) === '1';
const TRACING = process.env.TRACING === '1';
const WORKERS = process.env.WORKERS ?? '1';

const tmp = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, cpu?: number): ChildProcess {
  const [c, a] = PIN && cpu !== undefined ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
  const p = spawn(c, a, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return p;
}

interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  requests: number;
  cpuUsPerReq?: number;
  rssMaxMb?: number;
}

async function load(url: string, body: string, headers: Record<string, string>, gwPid?: number, duration = DURATION): Promise<RunResult> {
  const t0 = gwPid ? cpuTicks(gwPid) : 0;
  let rssMax = 0;
  const sampler = gwPid ? setInterval(() => (rssMax = Math.max(rssMax, rssMb(gwPid))), 100) : undefined;
  const r = await autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, connections: CONNECTIONS, duration });
  if (sampler) clearInterval(sampler);
  const res: RunResult = {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    requests: r.requests.total,
  };
  if (gwPid) {
    const ticks = cpuTicks(gwPid) - t0;
    res.cpuUsPerReq = Math.round(((ticks / CLK_TCK) * 1e6) / Math.max(1, r.requests.total));
    res.rssMaxMb = Math.round(rssMax);
  }
  return res;
}

/** Concurrency-1 probe: median latency (and time to first byte) direct vs through the gateway, interleaved. */
async function probe(direct: string, gw: string, directBody: string, gwBody: string, headers: Record<string, string>) {
  const one = async (url: string, body: string, h: Record<string, string>) => {
    const t = performance.now();
    const r = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...h } });
    let ttfb = 0;
    for await (const _ of r.body) {
      if (!ttfb) ttfb = performance.now() - t;
    }
    return { total: performance.now() - t, ttfb };
  };
  const d: { total: number; ttfb: number }[] = [];
  const g: { total: number; ttfb: number }[] = [];
  for (let i = 0; i < PROBE_N; i++) {
    d.push(await one(direct, directBody, {}));
    g.push(await one(gw, gwBody, headers));
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return {
    addedMs: +(med(g.map((x) => x.total)) - med(d.map((x) => x.total))).toFixed(3),
    addedTtfbMs: +(med(g.map((x) => x.ttfb)) - med(d.map((x) => x.ttfb))).toFixed(3),
  };
}

async function main() {
  if (!existsSync(join(root, 'dist/tollgate.mjs'))) throw new Error('run `npm run build` first (npm run bench does)');
  const portFile = join(tmp, 'mock-port');
  const mock = start('node', [join(root, 'bench/mock-openai.mjs'), '--port', '0', '--port-file', portFile], {}, 0);
  for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
  const mockPort = Number(readFileSync(portFile, 'utf8'));
  const mockBase = `http://127.0.0.1:${mockPort}/v1`;
  // TRACING=1: a local OTLP/HTTP sink (on the load generator's CPU) receives every span.
  let sinkUrl: string | undefined;
  let sink: ChildProcess | undefined;
  if (TRACING) {
    const sinkPortFile = join(tmp, 'sink-port');
    sink = start('node', [join(root, 'bench/otlp-sink.mjs'), '--port', '0', '--port-file', sinkPortFile], {}, 0);
    for (let i = 0; i < 100 && !existsSync(sinkPortFile); i++) await new Promise((r) => setTimeout(r, 50));
    sinkUrl = `http://127.0.0.1:${Number(readFileSync(sinkPortFile, 'utf8'))}`;
  }

  const config = join(tmp, 'tollgate.yaml');
  writeFileSync(
    config,
    `providers:\n  openai: { type: openai, api_key: bench-upstream-key, base_url: "${mockBase}" }\nauth:\n  keys: ["${KEY}"]\nserver: { log_level: warn }\n` +
      // proxy mode: the same mock as an ordinary REST upstream (auth, admission, metering; no translation).
      `routes:\n  - { name: bench, match: { path: /upstream }, strip_prefix: true, upstreams: ["http://127.0.0.1:${mockPort}"] }\n` +
      (sinkUrl ? `telemetry: { otlp_endpoint: "${sinkUrl}" }\n` : ''),
  );
  const gwPort = 18787 + Math.floor(Math.random() * 1000);
  // What `npm start` and the Docker image run: the bundle with the same node flags (package.json),
  // so the figures are the production ones (the unbundled dist/src/server/main.js costs ~10 % more CPU).
  const nodeFlags = startFlags(root);
  const gateway = start('node', [...nodeFlags, join(root, 'dist/tollgate.mjs'), '--config', config], { ...startEnv(root), PORT: String(gwPort), HOST: '127.0.0.1', NODE_ENV: 'production', TOLLGATE_WORKERS: WORKERS }, WORKERS === '1' ? 1 : undefined);
  const gwUrl = `http://127.0.0.1:${gwPort}/v1/chat/completions`;
  const directUrl = `${mockBase}/chat/completions`;
  const auth = { authorization: `Bearer ${KEY}` };
  try {
    await waitFor(`http://127.0.0.1:${gwPort}/healthz`);
    // Every worker listening (the first one answers /healthz before the others are up).
    if (WORKERS !== '1') await new Promise((r) => setTimeout(r, 5000));
    const gwPid = Number(spawnSync('pgrep', ['-f', `dist/tollgate.mjs --config ${config}`]).stdout.toString().trim().split('\n')[0]); // the primary in workers mode (the lowest pid)
    const pid = Number.isFinite(gwPid) && gwPid > 0 ? gwPid : gateway.pid!;
    const idleRss = Math.round(rssMb(pid));
    const results: Record<string, unknown> = { workers: WORKERS, duration_s: DURATION, connections: CONNECTIONS, pinned: PIN, tracing: TRACING, idle_rss_mb: idleRss };

    for (const mode of MODES) {
      const stream = mode === 'stream';
      const body = JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'Say something about gateways.' }],
        ...(stream && { stream: true, stream_options: { include_usage: true } }),
      });
      const directBody = body.replace('openai/gpt-4o-mini', 'gpt-4o-mini');
      const proxy = mode === 'proxy';
      const target = proxy ? `http://127.0.0.1:${gwPort}/upstream/v1/chat/completions` : gwUrl;
      const gwBody = proxy ? directBody : body;
      // warm-up (JIT), unrecorded
      await load(target, gwBody, auth, undefined, 2);
      await load(directUrl, directBody, {}, undefined, 1);
      const direct = await load(directUrl, directBody, {});
      const gw = await load(target, gwBody, auth, pid);
      const c1gw = await probe(directUrl, target, directBody, gwBody, auth);
      results[mode] = { direct, gateway: gw, rps_ratio: +(gw.rps / direct.rps).toFixed(3), c1_added_ms: c1gw.addedMs, c1_added_ttfb_ms: c1gw.addedTtfbMs };
    }
    results.rss_after_mb = Math.round(rssMb(pid));
    if (sinkUrl) {
      await new Promise((r) => setTimeout(r, 6000)); // the batch processor exports every 5 s
      const r = await request(`${sinkUrl}/__stats`);
      results.otlp_sink = await r.body.json();
    }
    print(results);
  } finally {
    gateway.kill('SIGTERM');
    mock.kill('SIGTERM');
    sink?.kill('SIGTERM');
  }
}

function print(r: Record<string, any>) {
  const rows: string[] = [];
  rows.push(`tollgate bench — workers=${r.workers}, ${r.duration_s}s runs, ${r.connections} connections, pinned=${r.pinned}, tracing=${r.tracing}, idle RSS ${r.idle_rss_mb} MB`);
  rows.push('mode       target    req/s    p50 ms  p99 ms  non2xx  CPU µs/req  RSS max MB');
  for (const mode of MODES) {
    const m = r[mode];
    for (const [name, x] of [['direct', m.direct], ['gateway', m.gateway]] as const) {
      rows.push(
        `${mode.padEnd(10)} ${name.padEnd(8)} ${String(x.rps).padStart(6)} ${String(x.p50).padStart(8)} ${String(x.p99).padStart(7)} ${String(x.non2xx).padStart(7)} ${String(x.cpuUsPerReq ?? '-').padStart(11)} ${String(x.rssMaxMb ?? '-').padStart(11)}`,
      );
    }
    rows.push(`${mode.padEnd(10)} added at concurrency 1: ${m.c1_added_ms} ms total, ${m.c1_added_ttfb_ms} ms to first byte; gateway/direct req/s ${m.rps_ratio}`);
  }
  if (r.otlp_sink) rows.push(`tracing: ${r.otlp_sink.spans} spans in ${r.otlp_sink.posts} OTLP exports reached the sink`);
  console.log(rows.join('\n'));
  console.log(JSON.stringify(r));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
