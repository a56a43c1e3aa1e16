import { getTableColumns } from 'drizzle-orm';
import type { UsageRecord } from '../../metering/usage-record.js';
import type { PgDb } from './open.js';
import { usageRecords } from './schema/index.js';
import { toStoredUsage } from '../usage-row.js';

type Stored = ReturnType<typeof toStoredUsage>;

/** Every column but the generated id, as (record field, column) from the drizzle schema. */
const COLUMNS = Object.entries(getTableColumns(usageRecords)).filter(([field]) => field !== 'id') as [keyof Stored, (typeof usageRecords)['_']['columns'][keyof Stored]][];

/**
 * One statement whatever the batch size: each column arrives as one array parameter and
 * unnest() turns them back into rows. A multi-row VALUES list has 25 parameters a row, which
 * PostgreSQL parses and plans anew for every batch: measured with bench/pg-ledger.ts, that
 * was several times slower (and capped at 2,621 rows a statement).
 */
const INSERT = `insert into "usage_records" (${COLUMNS.map(([, c]) => `"${c.name}"`).join(', ')}) select * from unnest(${COLUMNS.map(([, c], i) => `$${i + 1}::${c.getSQLType()}[]`).join(', ')}) on conflict ("request_id") do nothing`;

/**
 * Usage records → rows, in one INSERT … ON CONFLICT (request_id) DO NOTHING: a record already
 * stored (a replayed spool) is not counted twice. The ledger's batch write on PostgreSQL.
 */
export async function insertUsageRecords(db: PgDb, recs: readonly UsageRecord[]): Promise<void> {
  if (!recs.length) return;
  const { text, params } = usageInsert(recs);
  await db.$client.unsafe(text, params, { prepare: true });
}

/** The statement and its parameters (one array literal per column), for any driver. */
export function usageInsert(recs: readonly UsageRecord[]): { text: string; params: string[] } {
  const rows = recs.map(toStoredUsage);
  return { text: INSERT, params: COLUMNS.map(([field]) => arrayLiteral(rows.map((r) => r[field]))) };
}

/** A PostgreSQL array literal (`{1,NULL,"a \\"b\\""}`), cast by the statement to the column's type; every string quoted and escaped. */
function arrayLiteral(values: readonly (string | number | boolean | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'string') out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else out += String(v);
  }
  return `${out}}`;
}
