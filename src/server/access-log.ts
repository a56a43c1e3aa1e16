import type { FastifyBaseLogger } from 'fastify';
import { nanosToUsd } from '../metering/money.js';
import type { UsageRecord, UsageSink } from '../metering/usage-record.js';

/**
 * One access line per request at `info`, written from the settled usage record — the one place
 * every kind of traffic (chat, embeddings, prompts, proxy) already passes with team, key, model,
 * tokens, cost and status, so no per-request hook is needed. Carries ids and numbers only: no
 * header, no body, no key material. `server.access_log: false` turns the lines off; the `warn`
 * when a provider refuses the gateway's own credentials stays.
 */
export function accessLogSink(log: FastifyBaseLogger, accessLines = true): UsageSink {
  const warnedAt = new Map<string, number>();
  return {
    record(rec: UsageRecord) {
      // The gateway's own provider credentials were refused: the operator must act. Once a minute per provider.
      if (rec.errorCode === 'upstream_auth_failed' && rec.provider) {
        const now = Date.now();
        if ((warnedAt.get(rec.provider) ?? 0) < now - 60_000) {
          warnedAt.set(rec.provider, now);
          log.warn({ provider: rec.provider, reqId: rec.requestId }, `provider ${rec.provider} refused the gateway's credentials: check its api_key`);
        }
      }
      if (!accessLines) return;
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
          costUsd: nanosToUsd(rec.costNanos),
          attempts: rec.attempts,
          ...(rec.cached && { cache: 'hit' }),
          ...(rec.estimated && { estimated: true }),
          ...(rec.errorCode && { error: rec.errorCode }),
        },
        'access',
      );
    },
  };
}
