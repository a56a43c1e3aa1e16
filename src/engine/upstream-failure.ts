import { GatewayError, redactSecrets } from './errors.js';
import { transportError } from './transport.js';
import type { RequestTrace } from '../telemetry/tracing.js';
import type { CallSignal } from '../../providers/adapter.js';

/**
 * The upstream body failed after the status line (socket reset, body timeout): the client's
 * error names the provider (docs/contract.md §3), like failures before the first byte do.
 */
export function bodyReadError(provider: string, err: unknown, signal: CallSignal, secrets: readonly string[]): unknown {
  if (err instanceof GatewayError) return err;
  // A client abort is a 499 (client_closed) in the record, not an upstream failure.
  const e = transportError(provider, err, signal);
  if (e.status === 499 || e.status === 504) return e;
  const why = redactSecrets((err as Error)?.message ?? String(err), secrets);
  return new GatewayError({ status: 502, type: 'api_error', code: 'upstream_stream_cut', message: `${provider}: the upstream connection failed mid-response (${why})` });
}

/** Any failure as the client's error: anything not already a GatewayError is the gateway's own fault. */
export function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  // Transport and stream-read failures are already GatewayErrors (bodyReadError, transportError):
  // anything else is the gateway's own fault, not the provider's — a 500, and it says nothing more.
  return new GatewayError({ status: 500, type: 'api_error', code: 'internal_error', message: 'The gateway failed to handle this request.' });
}

/**
 * A failed call's outcome, once for every kind of traffic: the client's error, noted on what
 * will be recorded (status, attempts, error code) and on the trace.
 */
export function failedWith(err: unknown, outcome: { status?: number; attempts?: number; errorCode?: string }, trace: RequestTrace | undefined): GatewayError {
  const e = asGatewayError(err);
  outcome.status = e.status;
  if (e.attempts !== undefined) outcome.attempts = e.attempts;
  if (e.shape.code) outcome.errorCode = e.shape.code;
  trace?.fail(e.shape);
  return e;
}

export const malformedUpstream = (provider: string, what: string) =>
  new GatewayError({ status: 502, type: 'api_error', code: 'upstream_malformed', message: `${provider}: the provider sent ${what}` });

export const cutStream = (provider: string) =>
  new GatewayError({ status: 502, type: 'api_error', code: 'upstream_stream_cut', message: `${provider}: the upstream stream ended before it finished` });
