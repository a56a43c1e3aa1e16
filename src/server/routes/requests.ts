import type { FastifyPluginAsync } from 'fastify';
import { getRequestLog, listRequestLogs, parseRequestLogQuery } from '../../admin/request-logs.js';
import { notFound } from '../../engine/errors.js';
import type { Store } from '../../storage/ports.js';
import { declareAuth } from '../auth-hook.js';
import { ownTeamScope } from './team-scope.js';

/**
 * Stored request and response bodies (request logs). `GET /admin/requests[/{id}]`: every team's,
 * for the admin key. `GET /v1/requests[/{id}]`: a team key reads its own team's only, as with
 * `GET /v1/usage` — asking for another `team_id` is a 403, another team's request id is a 404
 * (indistinguishable from one that does not exist). The admin key may use both.
 */
export const requestLogRoutes: FastifyPluginAsync<{ db: Store }> = async (app, { db }) => {
  declareAuth(app, 'key');
  app.get('/admin/requests', { config: { auth: 'admin' } }, async (req) => listRequestLogs(db, parseRequestLogQuery(req.query as Record<string, unknown>)));
  app.get<{ Params: { id: string } }>('/admin/requests/:id', { config: { auth: 'admin' } }, async (req) => (await getRequestLog(db, req.params.id)) ?? notFoundError(req.params.id));

  app.get('/v1/requests', async (req) => {
    const q = parseRequestLogQuery(req.query as Record<string, unknown>);
    const teamId = ownTeamScope(req, q.teamId, 'requests');
    return listRequestLogs(db, teamId === undefined ? q : { ...q, teamId });
  });
  app.get<{ Params: { id: string } }>('/v1/requests/:id', async (req) => (await getRequestLog(db, req.params.id, ownTeamScope(req, undefined, 'requests'))) ?? notFoundError(req.params.id));
};

function notFoundError(id: string): never {
  throw notFound(`No stored request with id "${id.slice(0, 100)}".`);
}
