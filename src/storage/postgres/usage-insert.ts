import type { UsageRecord } from '../../metering/usage-record.js';
import type { PgDb } from './open.js';
import { usageRecords } from './schema/index.js';

/**
 * Usage records → rows, in one multi-row INSERT … ON CONFLICT (request_id) DO NOTHING: a record
 * already stored (a replayed spool) is not counted twice. The ledger's batch write on PostgreSQL.
 */
export async function insertUsageRecords(db: PgDb, recs: readonly UsageRecord[]): Promise<void> {
  if (!recs.length) return;
  await db
    .insert(usageRecords)
    .values(
      recs.map((r) => ({
        requestId: r.requestId,
        time: r.time,
        teamId: r.teamId,
        keyId: r.keyId,
        kind: r.kind,
        provider: r.provider,
        model: r.model,
        requestedModel: r.requestedModel ?? null,
        promptName: r.promptName ?? null,
        promptVersion: r.promptVersion ?? null,
        route: r.route ?? null,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        cachedTokens: r.cachedTokens,
        cacheWriteTokens: r.cacheWriteTokens,
        reasoningTokens: r.reasoningTokens,
        costNanos: r.costNanos,
        estimated: r.estimated,
        latencyMs: r.latencyMs,
        status: r.status,
        attempts: r.attempts,
        cached: r.cached ?? null,
        bytesIn: r.bytesIn ?? null,
        bytesOut: r.bytesOut ?? null,
        tags: r.tags ? JSON.stringify(r.tags) : null,
      })),
    )
    .onConflictDoNothing({ target: usageRecords.requestId });
}
