import type { Usage } from '../../providers/types.js';
import { costNanos } from '../metering/cost.js';
import { usageRecord, type UsageRecord, type UsageSink } from '../metering/usage-record.js';
import type { AdmissionTicket } from './admission.js';
import type { ChatCall, ChatOutcome } from './chat-call.js';
import type { AliasTarget } from './runtime.js';
import type { RequestTrace } from '../telemetry/tracing.js';
import type { CallSignal } from '../../providers/adapter.js';

/**
 * Settlement, the same for every kind of traffic (chat, embeddings, proxied HTTP and WebSocket):
 * the usage record goes to the sink (ledger, metrics), then replaces the admission reservation.
 */
export function settle(rec: UsageRecord, sink: UsageSink, ticket: AdmissionTicket | undefined, trace: RequestTrace | undefined): void {
  trace?.step('settle');
  sink.record(rec);
  ticket?.settle(rec);
  trace?.stepEnd(rec);
}

/** The status a request is recorded with: a client that went away before a good answer finished is a 499. */
export const recordedStatus = (status: number, signal: CallSignal): number => (signal.aborted && status < 400 ? 499 : status);

/** Who a one-shot JSON call (embeddings, rerank, images) is, for its usage record. */
export interface OneShotCall {
  requestId: string;
  principal: { teamId: string | null; keyId: string | null };
  requestedModel: unknown;
  kind: UsageRecord['kind'];
  startedAt: number;
  signal: CallSignal;
}

/**
 * Settlement of a one-shot JSON call, at most once: the record is built from what the call
 * gathered in `rec` (absent counts are 0) when the returned function is first called — before the
 * answer's last bytes, or in the call's `finally` when it failed. `ticket` is read then (admission
 * may not have happened yet).
 */
export function settleOnceFor(call: OneShotCall, rec: Partial<UsageRecord>, sink: UsageSink, ticket: () => AdmissionTicket | undefined, trace: RequestTrace | undefined): () => void {
  let settled = false;
  return () => {
    if (settled) return;
    settled = true;
    const record = usageRecord(
      {
        requestId: call.requestId,
        teamId: call.principal.teamId,
        keyId: call.principal.keyId,
        kind: call.kind,
        provider: rec.provider ?? null,
        model: rec.model ?? null,
        requestedModel: typeof call.requestedModel === 'string' ? call.requestedModel : null,
        inputTokens: rec.inputTokens ?? 0,
        outputTokens: rec.outputTokens ?? 0,
        costNanos: rec.costNanos ?? 0,
        estimated: rec.estimated ?? false,
        status: recordedStatus(rec.status ?? 200, call.signal),
        attempts: rec.attempts ?? 0,
        ...(rec.errorCode && { errorCode: rec.errorCode }),
      },
      call.startedAt,
    );
    settle(record, sink, ticket(), trace);
  };
}

/**
 * Writes the usage record and settles the admission ticket, once. Called *before* the last bytes
 * of a completed response go out, so a completed response always has its record (the ledger's
 * spool append is synchronous): a `kill -9` between the two cannot lose it (docs/contract.md §4). Requests
 * that fail or are cut are recorded in runChat's `finally`.
 */
export function settleChat(call: ChatCall, out: ChatOutcome): void {
  if (out.recorded) return;
  out.recorded = true;
  settle(chatRecord(call, out), call.sink, out.ticket, call.trace);
}

/** Prices usage at the answering target's catalog prices. */
export function price(call: ChatCall, target: AliasTarget, usage: Usage, out: ChatOutcome): void {
  out.usage = usage;
  out.costNanos = costNanos(usage, call.snapshot.catalog.get(target.provider.catalogProvider, target.model, target.provider.priceRegion)).nanos;
}

/** The request's usage record. */
function chatRecord(call: ChatCall, out: ChatOutcome): UsageRecord {
  const u = out.usage;
  // Refused and failed requests are recorded under the same resolved name as answered ones.
  const target = out.target ?? out.route?.targets[0];
  const rec: UsageRecord = {
    requestId: call.requestId,
    time: Date.now(),
    teamId: call.principal.teamId,
    keyId: call.principal.keyId,
    kind: call.kind ?? 'llm',
    provider: target?.provider.config.name ?? null,
    model: target?.model ?? null,
    requestedModel: typeof call.body.model === 'string' ? call.body.model : null,
    promptName: call.prompt?.name ?? null,
    promptVersion: call.prompt?.version ?? null,
    inputTokens: u?.inputTokens ?? 0,
    outputTokens: u?.outputTokens ?? 0,
    cachedTokens: u?.cachedInputTokens ?? 0,
    cacheWriteTokens: u?.cacheWriteTokens ?? 0,
    reasoningTokens: u?.reasoningTokens ?? 0,
    costNanos: out.costNanos,
    estimated: u?.estimated ?? false,
    latencyMs: Math.round(performance.now() - call.startedAt),
    status: recordedStatus(out.status, call.signal),
    attempts: out.attempts,
    ...(out.cached && { cached: true }),
    ...(out.errorCode && { errorCode: out.errorCode }),
  };
  const user = call.surface.endUser?.(call.body);
  if (user) rec.tags = { user: user.slice(0, 256) };
  return rec;
}
