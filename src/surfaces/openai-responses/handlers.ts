import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../engine/errors.js';
import { hijackAndRun } from '../../server/routes/chat.js';
import type { ResponsesStore } from '../../storage/ports.js';
import type { SurfaceApp } from '../types.js';
import { historyOf } from './items.js';
import { responseKeeper } from './keep.js';
import { openAIResponsesSurface as surface } from './surface.js';

/**
 * `POST /v1/responses`: validated, then run by the engine as a chat call of kind `responses`.
 * With `store` (the default) and a database, the answer is kept after it is sent (keep.ts);
 * `store: false` adds nothing to the request. A `previous_response_id` is resolved here, for every
 * provider alike: the caller's team's stored response (else 404) gives its input and output items
 * as the history before the new input — its instructions are not carried over, as at OpenAI — and
 * the upstream gets the whole conversation, never the id (an OpenAI upstream included: the id is
 * the gateway's to check, and a fallback to another provider needs the history anyway).
 */
export async function createResponse(app: SurfaceApp, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const gw = app.gateway;
  surface.validate(req.body);
  const body = req.body as Record<string, any>;
  const { principal } = req;
  const snapshot = gw.snapshot;
  const repo = gw.responses;
  const teamId = principal.teamId ?? '';
  let raw = req.rawBody ?? JSON.stringify(body);
  if (body.previous_response_id != null) raw = await continued(repo, teamId, body);
  const keeping = repo !== undefined && body.store !== false;
  // The answer says whether it is kept (without a database nothing is, whatever was asked).
  body.store = keeping;
  const keep = keeping ? responseKeeper({ repo, teamId, body, log: req.log, secrets: snapshot.secrets }) : undefined;
  await hijackAndRun(gw, req, reply, { principal, snapshot, surface, body, raw, kind: 'responses', ...(keep && { keep }) });
}

/** Puts the stored history before `body.input`; returns the body the upstream gets (no `previous_response_id`). */
async function continued(repo: ResponsesStore | undefined, teamId: string, body: Record<string, any>): Promise<string> {
  const id: string = body.previous_response_id;
  const prev = await repo?.get(id, teamId);
  // Another team's response is not found, exactly like one that never existed.
  if (!prev) throw new GatewayError({ status: 404, type: 'invalid_request_error', code: 'previous_response_not_found', param: 'previous_response_id', message: `Previous response with id '${id}' not found.` });
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : Array.isArray(body.input) ? body.input : [];
  body.input = [...historyOf(JSON.parse(prev.inputItems), JSON.parse(prev.outputItems)), ...input];
  const { previous_response_id: _id, ...upstream } = body;
  return JSON.stringify(upstream);
}
