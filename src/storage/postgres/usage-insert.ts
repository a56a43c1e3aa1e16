import type { UsageRecord } from '../../metering/usage-record.js';
import type { PgDb } from './open.js';
import { usageRecords } from './schema/index.js';
import { toStoredUsage } from '../usage-row.js';

/**
 * Usage records → rows, in one multi-row INSERT … ON CONFLICT (request_id) DO NOTHING: a record
 * already stored (a replayed spool) is not counted twice. The ledger's batch write on PostgreSQL.
 */
export async function insertUsageRecords(db: PgDb, recs: readonly UsageRecord[]): Promise<void> {
  if (!recs.length) return;
  await db
    .insert(usageRecords)
    .values(
      recs.map(toStoredUsage),
    )
    .onConflictDoNothing({ target: usageRecords.requestId });
}
