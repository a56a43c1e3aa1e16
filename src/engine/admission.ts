import type { UsageRecord } from '../metering/usage-record.js';
import type { Principal } from './auth.js';
import type { AliasTarget } from './runtime.js';
import type { RequestTrace } from '../telemetry/tracing.js';

/**
 * Admission (docs/architecture.md §1, §4): before dispatch, a request reserves its worst-case cost and tokens
 * against every limit that applies (key, team; budgets, token quotas, rpm, tpm, concurrency),
 * atomically; a request that would exceed one is refused with a 429 GatewayError naming the
 * limit (and `retryAfter`). When the request ends, the reservation is settled with the real
 * usage. Implementations: in-process counters, or Redis (shared by many instances).
 */
export interface AdmissionRequest {
  principal: Principal;
  kind: UsageRecord['kind'];
  /** The targets the request may use, in order (the reservation takes the dearest). */
  targets: readonly AliasTarget[];
  /**
   * Prompt tokens counted in o200k (0 for proxied REST calls). A function: counting costs
   * tens of µs, paid only when a budget or token limit applies to the caller.
   */
  promptTokens: () => number;
  /** The output cap the client set, if any (else the model's max output from the catalog). */
  maxOutputTokens?: number;
  /** Completions asked for (OpenAI `n`): the output cap applies to each. */
  choices?: number;
  /** The service tier the request asks for (OpenAI `service_tier`): reserved at its prices when dearer. */
  serviceTier?: string;
  /**
   * The worst case the caller prices itself (images: priced per image, not per token), reserved
   * when dearer than the token estimate. A function: called only when a budget applies.
   */
  reserveNanos?: () => number;
}

export interface AdmissionTicket {
  /** Rate-limit headers for the response (`x-ratelimit-*`, OpenAI's names). */
  headers: Record<string, string>;
  /** Replaces the reservation by the real usage; called exactly once. Must not throw. */
  settle(record: UsageRecord): void;
}

export interface Admission {
  /** Throws a 429 GatewayError naming the limit when the request would exceed one. */
  admit(req: AdmissionRequest): AdmissionTicket | Promise<AdmissionTicket>;
}

/**
 * Admission as every kind of traffic runs it (chat, embeddings, proxied HTTP and WebSocket),
 * traced when tracing is on. Adds nothing when it is off: the implementation's own result.
 */
export function admitTraced(admission: Admission, req: AdmissionRequest, trace: RequestTrace | undefined): AdmissionTicket | Promise<AdmissionTicket> {
  if (!trace) return admission.admit(req);
  trace.step('admit');
  return Promise.resolve(admission.admit(req)).then((ticket) => {
    trace.stepEnd();
    return ticket;
  });
}
