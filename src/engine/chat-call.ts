import type { ServerResponse } from 'node:http';
import type { Usage } from '../../providers/types.js';
import type { UsageRecord, UsageSink } from '../metering/usage-record.js';
import type { Admission, AdmissionTicket } from './admission.js';
import type { Principal } from './auth.js';
import type { DispatchOptions } from './dispatch.js';
import type { ResponseCacheStore } from './response-cache.js';
import type { Route } from './route.js';
import type { AliasTarget, Snapshot } from './runtime.js';
import type { ChatSurface } from './surface.js';
import type { RequestTrace } from '../telemetry/tracing.js';
import type { CallSignal } from '../../providers/adapter.js';

/** Everything one chat request runs with; built by the route handler after auth and parsing. */
export interface ChatCall {
  requestId: string;
  /** performance.now() at arrival. */
  startedAt: number;
  principal: Principal;
  snapshot: Snapshot;
  surface: ChatSurface;
  /** Parsed and validated client body. */
  body: Record<string, any>;
  /** The client's body bytes as text (forwarded as-is on the pass-through path). */
  raw: string;
  res: ServerResponse;
  /** Aborted when the client goes away: the upstream request ends at once. */
  signal: CallSignal;
  sink: UsageSink;
  kind?: UsageRecord['kind'];
  prompt?: { name: string; version: string };
  /** Extra response headers (rate-limit headers from admission). */
  headers?: Record<string, string>;
  /** Limits and budgets (teams-and-keys); absent = no limits. */
  admission?: Admission;
  /** Routing state and per-request overrides (`x-tollgate-fallbacks`, `x-tollgate-timeout-ms`). */
  dispatch?: DispatchOptions;
  /** Exact-match response cache (non-streaming); used when the alias or the request sets a TTL. */
  responseCache?: ResponseCacheStore;
  /** Per-request cache TTL (`x-tollgate-cache-ttl`), wins over the alias's. */
  cacheTtlS?: number;
  /**
   * Called once a complete answer has been sent, with its last bytes: a JSON body, or a stream's
   * final frame (the Responses surface keeps the answer with it: `store`). Absent = nothing is kept
   * and nothing extra runs.
   */
  keep?: (final: string) => void;
  /** The request's spans when tracing is on (docs/tracing.md); the same object as `dispatch.trace`. */
  trace?: RequestTrace;
}

/** What a chat request came to: filled in as it runs, recorded once at the end. */
export interface ChatOutcome {
  /** What the model name resolved to: the ledger names the model by it even if no target answered. */
  route?: Route;
  target?: AliasTarget;
  usage?: Usage;
  costNanos: number;
  status: number;
  attempts: number;
  ticket?: AdmissionTicket;
  /** The usage record was written (once per request). */
  recorded?: boolean;
  /** Served from the response cache: costs nothing on the ledger. */
  cached?: boolean;
  /** A pass-through stream's last write to the client (read only if the stream then fails). */
  lastSent?: Uint8Array | string;
  /** The error code a failed request ended with (for the access log). */
  errorCode?: string;
}

/** The gateway's headers on an answered response (plus the call's own, e.g. rate limits). */
export function responseHeaders(call: ChatCall, target: AliasTarget, attempts: number): Record<string, string> {
  return {
    'x-request-id': call.requestId,
    'x-tollgate-provider': target.provider.config.name,
    'x-tollgate-model': target.model,
    'x-tollgate-attempts': String(attempts),
    ...call.headers,
  };
}
