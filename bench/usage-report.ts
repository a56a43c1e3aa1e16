/**
 * `npm run bench:usage`: `/admin/usage` latency over a large ledger, from the daily roll-up.
 * Figures are printed, never asserted.
 *
 * Fills a fresh database with ROWS usage records (default 10,000,000) spread evenly over DAYS
 * (default 365) — 50 teams, 500 keys, 40 models (3 per key), 5 providers, 2 % errors — in SQL
 * (generate_series on PostgreSQL, a recursive CTE on SQLite) through the real migrations, so the
 * roll-up is kept by its trigger exactly as the ledger's inserts keep it. Then times the report
 * as the admin route runs it (src/admin/usage-report.ts → the storage port) over the whole range:
 * grouped by team × day, model × day, day, team; and once from the raw rows (a range cut 1 ms
 * after midnight cannot use the roll-up) for comparison.
 *
 * Env: ROWS, DAYS, BACKENDS (postgres,sqlite), PG_URL (an empty database to fill; default: a
 * throwaway cluster like the tests start, which needs the PostgreSQL server binaries), RAW=0 to
 * skip the raw-row comparison.
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usageReport, type UsageQuery } from '../src/admin/usage-report.js';
import { openPostgres } from '../src/storage/postgres/open.js';
import type { Store } from '../src/storage/ports.js';
import { openStorage } from '../src/storage/sqlite/open.js';

const ROWS = Number(process.env.ROWS ?? 10_000_000);
const DAYS = Number(process.env.DAYS ?? 365);
const BACKENDS = (process.env.BACKENDS ?? 'postgres,sqlite').split(',');
const RAW = process.env.RAW !== '0';
const CHUNK = 1_000_000;
const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const SPAN = DAYS * DAY;

const COLUMNS = 'request_id, time, team_id, key_id, kind, provider, model, input_tokens, output_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, cost_nanos, estimated, latency_ms, status, attempts';
/** One generated row from g (and k = its key, m = its model), the same SQL in both dialects. */
const select = (f: string) =>
  `SELECT 'bench_' || g, ${START} + ((g - 1) * ${SPAN}) / ${ROWS}, 'team_' || (k % 50), 'key_' || k, 'llm', 'provider_' || (m % 5), 'model_' || m,
    100 + g % 900, 20 + g % 300, g % 50, 0, 0, (g % 1000) * 1013, ${f}, 20 + g % 500, CASE WHEN g % 50 = 0 THEN 500 ELSE 200 END, 1`;
const withKeys = (gs: string) => `(SELECT g, k, (k * 7 + g % 3) % 40 AS m FROM (SELECT g, (g * 7919) % 500 AS k FROM ${gs}) a) b`;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function fill(name: string, insert: (from: number, to: number) => Promise<void>): Promise<void> {
  const t0 = process.hrtime.bigint();
  for (let from = 1; from <= ROWS; from += CHUNK) {
    const to = Math.min(ROWS, from + CHUNK - 1);
    await insert(from, to);
    process.stdout.write(`  ${name}: ${fmt(to)} rows, ${(ms(t0) / 1000).toFixed(1)} s\r`);
  }
  const s = ms(t0) / 1000;
  console.log(`  ${name}: filled ${fmt(ROWS)} rows in ${s.toFixed(1)} s (${fmt(ROWS / s)} rows/s, roll-up kept by the trigger)`);
}

async function measure(name: string, store: Store, rollupRows: number): Promise<void> {
  console.log(`  ${name}: roll-up ${fmt(rollupRows)} rows`);
  const queries: Array<[string, UsageQuery]> = [
    ['team × day', { groupBy: 'team', splitBy: 'day' }],
    ['model × day', { groupBy: 'model', splitBy: 'day' }],
    ['day', { groupBy: 'day' }],
    ['team', { groupBy: 'team' }],
  ];
  for (const [label, q] of queries) {
    const times: number[] = [];
    let groups = 0;
    let requests = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const r = await usageReport({ usage: store.usage }, q);
      times.push(ms(t0));
      groups = r.data.length;
      requests = r.total.requests;
    }
    times.sort((a, b) => a - b);
    console.log(`  ${name}: /admin/usage ${label.padEnd(11)} ${fmt(groups).padStart(7)} rows, ${fmt(requests)} requests: median ${times[2]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[4]!.toFixed(0)})`);
  }
  if (RAW) {
    const t0 = process.hrtime.bigint();
    const r = await usageReport({ usage: store.usage }, { groupBy: 'team', splitBy: 'day', from: START + 1 });
    console.log(`  ${name}: the same team × day from the raw rows (no roll-up): ${ms(t0).toFixed(0)} ms, ${fmt(r.total.requests)} requests`);
  }
}

async function postgres(): Promise<void> {
  let url = process.env.PG_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const { startPostgres } = await import('../test/helpers/postgres.js');
    const pg = await startPostgres();
    url = await pg.createDatabase('bench');
    stop = () => pg.stop();
  }
  const storage = await openPostgres(url, { max: 2 });
  try {
    await fill('postgres', async (a, b) => {
      await storage.client.unsafe(`INSERT INTO usage_records (${COLUMNS}) ${select('false')} FROM ${withKeys(`generate_series(${a}::bigint, ${b}::bigint) g`)}`);
    });
    await storage.client.unsafe('VACUUM ANALYZE usage_daily');
    const [{ n }] = (await storage.client.unsafe('SELECT count(*)::int AS n FROM usage_daily')) as unknown as [{ n: number }];
    await measure('postgres', storage.store, n);
  } finally {
    await storage.close();
    await stop?.();
  }
}

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-'));
  const storage = openStorage(`sqlite:${join(dir, 'bench.db')}`);
  try {
    await fill('sqlite', async (a, b) => {
      storage.sqlite.exec(`INSERT INTO usage_records (${COLUMNS}) ${select('0')} FROM ${withKeys(`(WITH RECURSIVE s(g) AS (SELECT ${a} UNION ALL SELECT g + 1 FROM s WHERE g < ${b}) SELECT g FROM s)`)}`);
    });
    storage.sqlite.exec('ANALYZE');
    const { n } = storage.sqlite.prepare('SELECT count(*) AS n FROM usage_daily').get() as { n: number };
    await measure('sqlite', storage.store, n);
  } finally {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`usage report benchmark: ${fmt(ROWS)} records over ${DAYS} days`);
for (const b of BACKENDS) {
  if (b === 'postgres') await postgres();
  else if (b === 'sqlite') await sqlite();
  else throw new Error(`BACKENDS: unknown backend ${b}`);
}
