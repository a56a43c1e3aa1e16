import type { Admission } from '../engine/admission.js';
import type { KeyLookup } from '../engine/auth.js';
import type { Routing } from '../engine/dispatch.js';
import type { ResponseCacheStore } from '../engine/response-cache.js';
import type { Snapshot } from '../engine/runtime.js';
import type { UsageSink } from '../metering/usage-record.js';
import type { RequestLogWriter } from '../request-logs/writer.js';
import type { ResponsesStore } from '../storage/ports.js';
import type { Tracing } from '../telemetry/tracing.js';

/**
 * What the routes share: the current config snapshot (swapped atomically on reload: a request
 * keeps the one it started with), where usage goes, and the database-backed key lookup.
 */
export interface Gateway {
  snapshot: Snapshot;
  sink: UsageSink;
  keys?: KeyLookup;
  admission?: Admission;
  /** This process's routing state (strategy positions, latency windows, circuit breakers). */
  routing: Routing;
  /** Exact-match response cache: in memory, or Redis when configured. */
  responseCache: ResponseCacheStore;
  /** Where stored request and response bodies go (request logs); absent without storage. */
  requestLogs?: RequestLogWriter;
  /** Stored Responses API answers (`store`, previous_response_id); absent without storage: nothing is kept. */
  responses?: ResponsesStore;
  /** OpenTelemetry (`telemetry:`); undefined = tracing off, and then nothing of it is loaded. */
  tracing?: Tracing;
}

declare module 'fastify' {
  interface FastifyInstance {
    gateway: Gateway;
  }
  interface FastifyRequest {
    /** The JSON body's text, as received (the pass-through path forwards it). */
    rawBody?: string;
    /** performance.now() at arrival. */
    startedAt: number;
  }
}
