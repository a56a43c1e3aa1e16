/**
 * `npm run bench:soak [-- --minutes 10 --rate 100]`: the built gateway (dist/tollgate.mjs, the
 * node flags of `npm start`) under a steady mixed load for `--minutes` (default 10), in front of
 * a mock upstream started here. The mix: non-streaming answers, complete streams, streams the
 * upstream cuts half-way, streams the client aborts after the first chunk, upstream 500s.
 * Every 10 s it samples the gateway's RSS (/proc) and, from its /metrics, heap used and the
 * event-loop delay p99 (prom-client resets it at each scrape: one figure per 10 s window). At
 * the end it prints the RSS and heap drift between the minute after minute `minutes / 5` (2 of
 * 10) and the last minute, each the mean of its samples (target < 5 %), the event-loop delay p99s, and whether the ledger holds exactly one record per
 * request sent (answered, failed, cut or aborted: each is recorded). Figures, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startEnv, startFlags } from './proc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const flag = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i === -1 ? NaN : Number(process.argv[i + 1]);
  return Number.isFinite(v) && v > 0 ? v : def;
};
const MINUTES = flag('minutes', 10);
const RATE = flag('rate', 100); // requests per second, spread evenly
const SAMPLE_MS = 10_000;
const KEY = 'tg_soak_key_0123456789';
const ADMIN = 'tg_soak_admin_0123456789';

type Kind = 'unary' | 'stream' | 'cut' | 'abort' | 'error';
const MIX: Kind[] = ['unary', 'unary', 'unary', 'unary', 'stream', 'stream', 'stream', 'cut', 'abort', 'error'];

/** The upstream: the model name says what to do. */
function mockUpstream(): Promise<string> {
  const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const usage = { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { model?: string; stream?: boolean };
      const kind = body.model as Kind;
      if (kind === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'soak: upstream failure', type: 'server_error' } }));
        return;
      }
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'soak '.repeat(20) }, finish_reason: 'stop' }], usage }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      // An aborted stream is slow, so the client's abort lands in the middle of it.
      const gap = kind === 'abort' ? 20 : 1;
      const next = () => {
        if (res.destroyed) return;
        if (kind === 'cut' && i === 10) return void res.destroy();
        if (i < 20) {
          res.write(chunk(`w${i++} `));
          return void setTimeout(next, gap);
        }
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage })}\n\ndata: [DONE]\n\n`);
        res.end();
      };
      next();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)));
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'tollgate-soak-'));
  const upstream = await mockUpstream();
  const config = join(tmp, 'tollgate.yaml');
  writeFileSync(config, `providers:\n  soak: { type: openai, api_key: soak-upstream-key, base_url: "${upstream}" }\nauth:\n  keys: ["${KEY}"]\nserver: { log_level: warn }\n`);
  const port = 19787 + Math.floor(Math.random() * 1000);
  const gw = spawn(process.execPath, [...startFlags(root), join(root, 'dist/tollgate.mjs'), '--config', config], {
    env: { ...process.env, ...startEnv(root), PORT: String(port), HOST: '127.0.0.1', TOLLGATE_ADMIN_KEY: ADMIN, TOLLGATE_DATABASE_URL: `sqlite:${join(tmp, 'ledger.db')}`, TOLLGATE_WORKERS: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    if (i > 1200) throw new Error('the gateway did not start');
    await new Promise((r) => setTimeout(r, 50));
  }

  const counts: Record<Kind | 'sent' | 'failedClient', number> = { unary: 0, stream: 0, cut: 0, abort: 0, error: 0, sent: 0, failedClient: 0 };
  const one = async (kind: Kind) => {
    const ac = new AbortController();
    counts.sent++;
    try {
      const res = await request(`${base}/v1/chat/completions`, {
        method: 'POST',
        signal: ac.signal,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: `soak/${kind}`, messages: [{ role: 'user', content: 'Say something about soaking.' }], ...(kind !== 'unary' && kind !== 'error' && { stream: true }) }),
      });
      for await (const _ of res.body) {
        if (kind === 'abort') ac.abort();
      }
      counts[kind]++;
    } catch {
      if (kind === 'abort' || kind === 'cut') counts[kind]++;
      else counts.failedClient++;
    }
  };

  // prom-client samples the event loop with a 10 ms timer (its default precision) and its histogram
  // records the whole interval between two ticks, so an idle loop reads ~10 ms: the delay is the rest.
  const LAG_SAMPLING_MS = 10;
  const metric = (text: string, name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
  const samples: { t: number; rssMb: number; heapMb: number; lagP99Ms: number }[] = [];
  const sample = async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${gw.pid}/status`, 'utf8'))?.[1]) / 1024;
    samples.push({ t: Math.round((Date.now() - t0) / 1000), rssMb: +rss.toFixed(1), heapMb: +(metric(text, 'tollgate_nodejs_heap_size_used_bytes') / 1e6).toFixed(1), lagP99Ms: +Math.max(0, metric(text, 'tollgate_nodejs_eventloop_lag_p99_seconds') * 1000 - LAG_SAMPLING_MS).toFixed(2) });
    console.log(JSON.stringify({ ...samples.at(-1), ...counts }));
  };

  const t0 = Date.now();
  const end = t0 + MINUTES * 60_000;
  const inflight = new Set<Promise<void>>();
  const sampler = setInterval(() => void sample(), SAMPLE_MS);
  let n = 0;
  // Steady: request k goes out at t0 + k / RATE, whatever the answers' times.
  while (Date.now() < end) {
    const due = t0 + (n * 1000) / RATE;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    const p = one(MIX[n++ % MIX.length]!).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  clearInterval(sampler);
  await Promise.all(inflight);
  await sample();

  // A report commits what is waiting; then the ledger should hold one record per request sent.
  const usage = (await (await fetch(`${base}/admin/usage?group_by=team`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { total: { requests: number } };
  gw.kill('SIGTERM');

  // Each side is the mean over a minute of samples: heap used swings with the GC's phase.
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const from = samples.filter((s) => s.t >= (MINUTES / 5) * 60 && s.t <= (MINUTES / 5 + 1) * 60);
  const to = samples.filter((s) => s.t >= (MINUTES - 1) * 60);
  const drift = (k: 'rssMb' | 'heapMb') => +(((avg(to.map((s) => s[k])) - avg(from.map((s) => s[k]))) / avg(from.map((s) => s[k]))) * 100).toFixed(2);
  const lags = samples.map((s) => s.lagP99Ms).sort((a, b) => a - b);
  const summary = {
    minutes: MINUTES,
    rate: RATE,
    ...counts,
    ledgerRecords: usage.total.requests,
    lostRecords: counts.sent - usage.total.requests,
    rssMb: { atMinute: +avg(from.map((s) => s.rssMb)).toFixed(1), atEnd: +avg(to.map((s) => s.rssMb)).toFixed(1), driftPct: drift('rssMb') },
    heapMb: { atMinute: +avg(from.map((s) => s.heapMb)).toFixed(1), atEnd: +avg(to.map((s) => s.heapMb)).toFixed(1), driftPct: drift('heapMb') },
    eventLoopP99Ms: { median: lags[Math.floor(lags.length / 2)], max: lags.at(-1) },
  };
  console.log(
    [
      `soak — ${MINUTES} min at ${RATE} req/s: ${counts.sent} sent (${counts.unary} answered, ${counts.stream} streams, ${counts.cut} cut, ${counts.abort} aborted, ${counts.error} upstream errors, ${counts.failedClient} failed otherwise)`,
      `ledger: ${summary.ledgerRecords} records, ${summary.lostRecords} missing`,
      `RSS ${summary.rssMb.atMinute} MB in minute ${MINUTES / 5}–${MINUTES / 5 + 1} → ${summary.rssMb.atEnd} MB in the last minute: drift ${summary.rssMb.driftPct} % (target < 5 %)`,
      `heap ${summary.heapMb.atMinute} MB → ${summary.heapMb.atEnd} MB: drift ${summary.heapMb.driftPct} % (target < 5 %)`,
      `event-loop delay p99 per 10 s window (beyond the monitor's 10 ms sampling interval): median ${summary.eventLoopP99Ms.median} ms, max ${summary.eventLoopP99Ms.max} ms`,
    ].join('\n'),
  );
  console.log(JSON.stringify(summary));
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
