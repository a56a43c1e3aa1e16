import type { ServerResponse } from 'node:http';
import type { UsageRecord } from '../metering/usage-record.js';
import type { RequestTrace } from '../telemetry/tracing.js';
import { checkTargetsAllowed } from './access.js';
import type { AdmissionTicket } from './admission.js';
import type { Principal } from './auth.js';
import type { Dispatched } from './dispatch.js';
import { refusalHeaders, writeErrorResponse } from './error-response.js';
import { openAIErrorBody } from './errors.js';
import { resolveRoute, type Route } from './route.js';
import type { Snapshot } from './runtime.js';
import { failedWith } from './upstream-failure.js';

/**
 * The frame shared by the one-shot JSON calls (embeddings, rerank, images) around ./settle.ts's
 * `settleOnceFor`: the route for the requested model, checked against what the caller may use,
 * and the record named after its first target — so a refused or failed call is recorded under the
 * same resolved name as an answered one.
 */
export function resolveOneShot(snapshot: Snapshot, principal: Principal, model: string, rec: Partial<UsageRecord>): Route {
  const route = resolveRoute(snapshot, model);
  checkTargetsAllowed(principal, snapshot, model, route.targets);
  rec.provider = route.targets[0]?.provider.config.name;
  rec.model = route.targets[0]?.model;
  return route;
}

/** The record names the target that answered, and how many attempts it took. */
export function answeredBy(d: Dispatched, rec: Partial<UsageRecord>): void {
  rec.provider = d.target.provider.config.name;
  rec.model = d.target.model;
  rec.attempts = d.attempts;
}

/** A one-shot call failed: its status on the record, and the error in OpenAI's envelope unless the answer had started. */
export function writeOneShotFailure(res: ServerResponse, requestId: string, err: unknown, rec: Partial<UsageRecord>, ticket: AdmissionTicket | undefined, trace: RequestTrace | undefined): void {
  const e = failedWith(err, rec, trace);
  if (!res.headersSent) writeErrorResponse(res, e.shape, openAIErrorBody, { 'x-request-id': requestId, ...ticket?.headers, ...refusalHeaders(err) });
}
