/**
 * The JSON answer of a non-chat call (embeddings, rerank, images): the upstream body read as text (or JSON), and
 * the one write of the gateway's answer with its tollgate headers.
 */
import type { ServerResponse } from 'node:http';
import { formatUsd } from '../metering/money.js';
import type { AdmissionTicket } from './admission.js';
import { readText, type Dispatched } from './dispatch.js';
import type { Snapshot } from './runtime.js';
import { bodyReadError, malformedUpstream } from './upstream-failure.js';
import type { CallSignal } from '../../providers/adapter.js';

/** The dispatched upstream's whole body; a failed read is the provider's error (secrets scrubbed). */
export function upstreamText(d: Dispatched, signal: CallSignal, snapshot: Snapshot): Promise<string> {
  return readText(d.upstream.body).catch((err) => {
    throw bodyReadError(d.target.provider.config.name, err, signal, snapshot.secrets);
  });
}

/** The dispatched upstream's whole body and its JSON; a body that is not JSON is the provider's malformed answer. */
export async function upstreamJson(d: Dispatched, signal: CallSignal, snapshot: Snapshot): Promise<{ text: string; json: any }> {
  const text = await upstreamText(d, signal, snapshot);
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    throw malformedUpstream(d.target.provider.config.name, 'a response body that is not JSON');
  }
}

/** Writes the 200 head: which target answered, after how many attempts, at what cost, and the limits' headers. */
export function writeJsonAnswerHead(res: ServerResponse, payload: string, d: Dispatched, costNanos: number, ticket: AdmissionTicket | undefined, requestId: string): void {
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'x-tollgate-provider': d.target.provider.config.name,
    'x-tollgate-model': d.target.model,
    'x-tollgate-attempts': String(d.attempts),
    'x-tollgate-cost-usd': formatUsd(costNanos),
    ...ticket?.headers,
    'x-request-id': requestId,
  });
}
