import type { FastifyBaseLogger } from 'fastify';
import { microsToUsd } from '../metering/money.js';
import type { UsageRecord, UsageSink } from '../metering/usage-record.js';

/**
 * One access line per request at `info`, written from the settled usage record — the one place
 * every kind of traffic (chat, embeddings, prompts, proxy) already passes with team, key, model,
 * tokens, cost and status, so no per-request hook is needed. Carries ids and numbers only: no
 * header, no body, no key material. `server.access_log: false` turns it off.
 */
export function accessLogSink(log: FastifyBaseLogger): UsageSink {
  return {
    record(rec: UsageRecord) {
      if (log.level !== 'info' && log.level !== 'debug' && log.level !== 'trace') return;
      log.info(
        {
          reqId: rec.requestId,
          kind: rec.kind,
          team: rec.teamId,
          key: rec.keyId,
          provider: rec.provider,
          model: rec.model,
          ...(rec.requestedModel && rec.requestedModel !== rec.model && { requestedModel: rec.requestedModel }),
          ...(rec.route && { route: rec.route }),
          ...(rec.promptName && { prompt: rec.promptName, promptVersion: rec.promptVersion }),
          status: rec.status,
          latencyMs: rec.latencyMs,
          inputTokens: rec.inputTokens,
          outputTokens: rec.outputTokens,
          costUsd: microsToUsd(rec.costMicros),
          attempts: rec.attempts,
          ...(rec.cached && { cache: 'hit' }),
          ...(rec.estimated && { estimated: true }),
        },
        'access',
      );
    },
  };
}
