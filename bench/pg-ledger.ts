/**
 * `npm run bench:pg`: usage-ledger insert throughput on PostgreSQL, printed as figures (never
 * asserted). Starts a throwaway cluster (initdb + pg_ctl on a free loopback port, as the tests
 * do; durability settings as there: fsync off), then writes the same records with each driver:
 *
 * - a multi-row VALUES list (25 parameters a row): postgres.js through drizzle, and pg (node-postgres)
 * - one array parameter per column, turned back into rows by unnest() (what the ledger runs:
 *   storage/postgres/usage-insert.ts): postgres.js, and pg with the same statement
 * - the whole ledger (storage/postgres/ledger.ts): spool append per record, background batches
 *
 * Each INSERT carries CHUNK records with ON CONFLICT (request_id) DO NOTHING; batches are sent
 * one after the other (the ledger has one batch in flight). Env: RECORDS (default 100000),
 * CHUNK (default 1000), ROUNDS (default 3; the best round is printed with the median).
 *
 * Run with tsx, never built (tsconfig.build.json leaves it out): it starts the cluster with the
 * tests' helper, which the image's build context does not contain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import postgres from 'postgres';
import { usageRecord, type UsageRecord } from '../src/metering/usage-record.js';
import { createPgLedger } from '../src/storage/postgres/ledger.js';
import { openPostgres } from '../src/storage/postgres/open.js';
import { usageRecords } from '../src/storage/postgres/schema/index.js';
import { insertUsageRecords, usageInsert } from '../src/storage/postgres/usage-insert.js';
import { toStoredUsage } from '../src/storage/usage-row.js';
import { startPostgres } from '../test/helpers/postgres.js';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const CHUNK = Number(process.env.CHUNK ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const COLUMNS = ['request_id', 'time', 'team_id', 'key_id', 'kind', 'provider', 'model', 'requested_model', 'prompt_name', 'prompt_version', 'route', 'input_tokens', 'output_tokens', 'cached_tokens', 'cache_write_tokens', 'reasoning_tokens', 'cost_nanos', 'estimated', 'latency_ms', 'status', 'attempts', 'cached', 'bytes_in', 'bytes_out', 'tags'] as const;

function records(round: number): UsageRecord[] {
  const t = performance.now();
  return Array.from({ length: RECORDS }, (_, i) =>
    usageRecord(
      { requestId: `req_${round}_${i}`, teamId: `team_${i % 50}`, keyId: `key_${i % 200}`, kind: 'llm', provider: 'openai', model: 'gpt-4o', requestedModel: 'gpt-4o', status: 200, attempts: 1, inputTokens: 23 + (i % 100), outputTokens: 990, costNanos: 9_957_500, bytesIn: 512, bytesOut: 2048, tags: { env: 'bench' } },
      t,
    ),
  );
}

/** A stored row's values in COLUMNS order. */
function values(r: UsageRecord): unknown[] {
  const s = toStoredUsage(r);
  return [s.requestId, s.time, s.teamId, s.keyId, s.kind, s.provider, s.model, s.requestedModel, s.promptName, s.promptVersion, s.route, s.inputTokens, s.outputTokens, s.cachedTokens, s.cacheWriteTokens, s.reasoningTokens, s.costNanos, s.estimated, s.latencyMs, s.status, s.attempts, s.cached, s.bytesIn, s.bytesOut, s.tags];
}

/** A VALUES list takes at most 65,535 parameters: 2,621 rows of 25. */
const VALUES_ROWS = Math.min(CHUNK, Math.floor(65_535 / COLUMNS.length));

async function inChunks(recs: UsageRecord[], insert: (chunk: UsageRecord[]) => Promise<unknown>, rows = CHUNK): Promise<void> {
  for (let i = 0; i < recs.length; i += rows) await insert(recs.slice(i, i + rows));
}

const cluster = await startPostgres();
const spoolDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-spool-'));
try {
  const url = await cluster.createDatabase('bench');
  const storage = await openPostgres(url, { max: 4 });
  const raw = postgres(url, { max: 4, onnotice: () => {} });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const placeholders = (rows: number) => Array.from({ length: rows }, (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(',')})`).join(',');
  const pgValuesText = new Map<number, string>();
  const pgValues = (chunk: UsageRecord[]) => {
    let text = pgValuesText.get(chunk.length);
    if (!text) pgValuesText.set(chunk.length, (text = `INSERT INTO usage_records (${COLUMNS.join(',')}) VALUES ${placeholders(chunk.length)} ON CONFLICT (request_id) DO NOTHING`));
    return pool.query(text, chunk.flatMap(values));
  };
  const drizzleValues = (chunk: UsageRecord[]) => storage.db.insert(usageRecords).values(chunk.map(toStoredUsage)).onConflictDoNothing({ target: usageRecords.requestId });

  const ways: Array<[string, (recs: UsageRecord[]) => Promise<void>]> = [
    ['postgres.js, drizzle multi-row VALUES (25 parameters a row)', (recs) => inChunks(recs, drizzleValues, VALUES_ROWS)],
    ['pg, multi-row VALUES (25 parameters a row)', (recs) => inChunks(recs, pgValues, VALUES_ROWS)],
    ['postgres.js, unnest of column arrays (the ledger\'s insert)', (recs) => inChunks(recs, (c) => insertUsageRecords(storage.db, c))],
    ['pg, unnest of column arrays (same statement)', (recs) => inChunks(recs, (c) => pool.query({ name: 'usage_insert', ...(({ text, params }) => ({ text, values: params }))(usageInsert(c)) }))],
    [
      'whole ledger: spool append + background batches (postgres.js, unnest)',
      async (recs) => {
        const ledger = await createPgLedger((c) => insertUsageRecords(storage.db, c), (e) => console.error(e.message), { spoolBase: join(spoolDir, 'bench'), instanceId: 'bench', batchSize: CHUNK });
        for (const r of recs) ledger.record(r);
        await ledger.close();
      },
    ],
  ];

  console.log(`ledger insert throughput on PostgreSQL ${(await raw`show server_version`)[0]!.server_version}: ${RECORDS.toLocaleString('en')} records a round, ${CHUNK} per INSERT, ${ROUNDS} rounds`);
  let round = 0;
  for (const [name, write] of ways) {
    const rates: number[] = [];
    for (let k = 0; k < ROUNDS; k++) {
      const recs = records(++round);
      await raw`TRUNCATE usage_records`;
      const t0 = performance.now();
      await write(recs);
      const s = (performance.now() - t0) / 1000;
      const n = (await raw<{ n: string }[]>`SELECT count(*) AS n FROM usage_records`)[0]?.n;
      if (Number(n) !== RECORDS) throw new Error(`${name}: ${n} rows stored, expected ${RECORDS}`);
      rates.push(RECORDS / s);
    }
    rates.sort((a, b) => a - b);
    const fmt = (v: number) => Math.round(v).toLocaleString('en').padStart(9);
    console.log(`  ${name.padEnd(74)} median ${fmt(rates[Math.floor(rates.length / 2)]!)} records/s, best ${fmt(rates.at(-1)!)}`);
  }
  await pool.end();
  await raw.end();
  await storage.close();
} finally {
  await cluster.stop();
  rmSync(spoolDir, { recursive: true, force: true });
}
