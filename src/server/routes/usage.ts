import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { parseUsageQuery, usageCsv, usageReport } from '../../admin/usage-report.js';
import type { Store } from '../../storage/ports.js';
import { declareAuth } from '../auth-hook.js';
import { ownTeamScope } from './team-scope.js';

/**
 * `GET /v1/usage` (docs/contract.md §4): a team key reads its own team's usage, never another's (asking for
 * another `team_id` is a 403, not an empty report). The admin key may read any team's.
 * Same parameters and shape as `GET /admin/usage`; `GET /v1/usage.csv` as CSV.
 */
export const usageRoutes: FastifyPluginAsync<{ db: Store }> = async (app, { db }) => {
  declareAuth(app, 'key');
  const query = (req: FastifyRequest) => {
    const q = parseUsageQuery(req.query as Record<string, unknown>);
    const teamId = ownTeamScope(req, q.teamId, 'usage');
    return teamId === undefined ? q : { ...q, teamId };
  };
  app.get('/v1/usage', async (req) => usageReport(db, await query(req)));
  app.get('/v1/usage.csv', async (req, reply) => {
    const q = await query(req);
    return reply.type('text/csv; charset=utf-8').send(usageCsv(q.groupBy, await usageReport(db, q), q.splitBy));
  });
};
