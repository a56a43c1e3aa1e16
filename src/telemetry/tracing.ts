import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayErrorShape } from '../../providers/types.js';
import type { AliasTarget, Snapshot } from '../engine/runtime.js';
import type { UsageRecord } from '../metering/usage-record.js';

/**
 * What the engine sees of OpenTelemetry (docs/tracing.md): plain interfaces, no OTel import, so
 * a gateway without `telemetry` loads none of it. The one implementation (./spans.ts) is loaded
 * by ./tracer.ts only when an OTLP endpoint is configured; with tracing off every call site is
 * a `?.` on an undefined field.
 */
export interface Tracing {
  /** The SERVER span of one request; a `traceparent` (and `tracestate`) in `headers` is its parent. */
  request(init: RequestInit): RequestTrace;
  /** Exports every ended span now (resolves once tried: a failed export is logged, never thrown). */
  flush(): Promise<void>;
  /** Flushes, then stops exporting (gateway close); never rejects. */
  shutdown(): Promise<void>;
}

export interface RequestInit {
  snapshot: Snapshot;
  headers: IncomingHttpHeaders;
  /** performance.now() at arrival: the span starts then. */
  startedAt: number;
  requestId: string;
  /** GenAI `gen_ai.operation.name` (`chat`, `text_completion`, `embeddings`); absent for proxied REST calls. */
  operation?: 'chat' | 'text_completion' | 'embeddings';
  /** The parsed client body (LLM calls): the model and sampling parameters are read from it. */
  body?: Record<string, unknown>;
  /** Proxied REST calls: the HTTP method and the route's name. */
  http?: { method: string; route: string };
}

/** One request's spans: the SERVER span, its steps (admission, settlement) and upstream attempts. */
export interface RequestTrace {
  /** Opens a child span for a step of the pipeline; the next stepEnd() (or end()) closes it. */
  step(name: 'admit' | 'settle'): void;
  /** Closes the open step; settlement passes the usage record, whose figures the request span carries. */
  stepEnd(rec?: UsageRecord): void;
  /** One upstream call (a CLIENT span). `target` is absent for proxied REST upstreams. */
  attempt(n: number, method: string, url: string, target?: AliasTarget): AttemptTrace;
  /** What the upstream answered, where the engine read it: the model it names and its finish reasons. */
  answered(model: string | undefined, finishReasons: readonly string[]): void;
  /** The error the request ends with (its message is scrubbed of secrets). */
  fail(e: GatewayErrorShape): void;
  /** Ends the request span (and a step left open by an error). */
  end(): void;
}

export interface AttemptTrace {
  /** `traceparent` (and `tracestate`) naming this attempt's span, sent upstream with it. */
  readonly headers: Record<string, string>;
  /**
   * The upstream's status (undefined when none came: refused, reset, timed out) and, for a
   * failed attempt, the error it became (a GatewayError's shape: its code and message).
   */
  end(status: number | undefined, error?: AttemptError): void;
}

export interface AttemptError {
  code?: string | null;
  message: string;
}
