import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { getRequestLog, listRequestLogs, parseRequestLogQuery } from '../../admin/request-logs.js';
import { authenticate } from '../../engine/auth.js';
import { forbidden, notFound } from '../../engine/errors.js';
import type { Db } from '../../metering/storage/open.js';
import { requireAdmin } from './admin.js';

/**
 * Stored request and response bodies (request logs). `GET /admin/requests[/{id}]`: every team's,
 * for the admin key. `GET /v1/requests[/{id}]`: a team key reads its own team's only, as with
 * `GET /v1/usage` — asking for another `team_id` is a 403, another team's request id is a 404
 * (indistinguishable from one that does not exist). The admin key may use both.
 */
export const requestLogRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  app.get('/admin/requests', async (req) => {
    requireAdmin(app.gateway, req);
    return listRequestLogs(db, parseRequestLogQuery(req.query as Record<string, unknown>));
  });
  app.get<{ Params: { id: string } }>('/admin/requests/:id', async (req) => {
    requireAdmin(app.gateway, req);
    return getRequestLog(db, req.params.id) ?? notFoundError(req.params.id);
  });

  app.get('/v1/requests', async (req) => {
    const team = ownTeam(req);
    const q = parseRequestLogQuery(req.query as Record<string, unknown>);
    if (team === undefined) return listRequestLogs(db, q);
    if (q.teamId !== undefined && q.teamId !== team) throw forbidden("This key may only read its own team's requests.");
    return listRequestLogs(db, { ...q, teamId: team });
  });
  app.get<{ Params: { id: string } }>('/v1/requests/:id', async (req) => getRequestLog(db, req.params.id, ownTeam(req)) ?? notFoundError(req.params.id));

  /** The caller's team (undefined for the admin key: every team); other callers are refused. */
  function ownTeam(req: FastifyRequest): string | undefined {
    const who = authenticate(req.headers, app.gateway.snapshot, app.gateway.keys);
    if (who.kind === 'admin') return undefined;
    if (who.kind !== 'team-key' || !who.teamId) throw forbidden('Requests are stored per team: use a team key (or the admin key).');
    return who.teamId;
  }
};

function notFoundError(id: string): never {
  throw notFound(`No stored request with id "${id.slice(0, 100)}".`);
}
