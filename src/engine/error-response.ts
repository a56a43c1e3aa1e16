import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { GatewayErrorShape } from '../../providers/types.js';
import { retryHeaders } from './errors.js';

/**
 * The error response, the same for every kind of HTTP traffic: the error in the client's envelope,
 * its retry headers, and the call's own (request id, the rate-limit headers of a refusal).
 */
export function writeErrorResponse(
  res: ServerResponse,
  e: GatewayErrorShape,
  envelope: (e: GatewayErrorShape) => unknown,
  headers: OutgoingHttpHeaders,
  contentType = 'application/json',
): void {
  const payload = JSON.stringify(envelope(e));
  res.writeHead(e.status, { 'content-type': contentType, 'content-length': Buffer.byteLength(payload), ...retryHeaders(e), ...headers });
  res.end(payload);
}

/** The rate-limit headers (x-ratelimit-*) a refusal by admission carries, if it is one. */
export const refusalHeaders = (err: unknown): Record<string, string> | undefined => (err as { headers?: Record<string, string> } | null)?.headers;
