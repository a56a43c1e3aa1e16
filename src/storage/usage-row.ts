import type { UsageRecord } from '../metering/usage-record.js';
import type { UsageRow } from './usage-port.js';

/** A usage record as the ledger stores it (both dialects): absent fields are nulls, tags are JSON text. */
export function toStoredUsage(r: UsageRecord): Omit<UsageRow, 'id'> {
  return {
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
  };
}
