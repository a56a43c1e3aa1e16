import type { FastifyReply, FastifyRequest } from 'fastify';
import { hijackAndRun } from '../../server/routes/chat.js';
import type { SurfaceApp } from '../types.js';
import { responseKeeper } from './keep.js';
import { openAIResponsesSurface as surface } from './surface.js';

/**
 * `POST /v1/responses`: validated, then run by the engine as a chat call of kind `responses`.
 * With `store` (the default) and a database, the answer is kept after it is sent (keep.ts);
 * `store: false` adds nothing to the request.
 */
export async function createResponse(app: SurfaceApp, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const gw = app.gateway;
  surface.validate(req.body);
  const body = req.body as Record<string, any>;
  const { principal } = req;
  const snapshot = gw.snapshot;
  const repo = gw.responses;
  const keeping = repo !== undefined && body.store !== false;
  // The answer says whether it is kept (without a database nothing is, whatever was asked).
  body.store = keeping;
  const keep = keeping ? responseKeeper({ repo, teamId: principal.teamId ?? '', body, log: req.log, secrets: snapshot.secrets }) : undefined;
  await hijackAndRun(gw, req, reply, { principal, snapshot, surface, body, raw: req.rawBody ?? JSON.stringify(body), kind: 'responses', ...(keep && { keep }) });
}
