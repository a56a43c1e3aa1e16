import type { FastifyPluginAsync } from 'fastify';
import { parseUsageQuery, usageCsv, usageReport } from '../../admin/usage-report.js';
import { authenticate } from '../../engine/auth.js';
import { forbidden } from '../../engine/errors.js';
import type { Db } from '../../metering/storage/open.js';

/**
 * `GET /v1/usage` (docs/contract.md §4): a team key reads its own team's usage, never another's (asking for
 * another `team_id` is a 403, not an empty report). The admin key may read any team's.
 * Same parameters and shape as `GET /admin/usage`; `GET /v1/usage.csv` as CSV.
 */
export const usageRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  const query = (req: { headers: import('node:http').IncomingHttpHeaders; query: unknown }) => {
    const who = authenticate(req.headers, app.gateway.snapshot, app.gateway.keys);
    const q = parseUsageQuery(req.query as Record<string, unknown>);
    if (who.kind === 'admin') return q;
    if (who.kind !== 'team-key' || !who.teamId) throw forbidden('Usage is reported per team: use a team key (or the admin key).');
    if (q.teamId !== undefined && q.teamId !== who.teamId) throw forbidden("This key may only read its own team's usage.");
    return { ...q, teamId: who.teamId };
  };
  app.get('/v1/usage', async (req) => usageReport(db, query(req)));
  app.get('/v1/usage.csv', async (req, reply) => {
    const q = query(req);
    return reply.type('text/csv; charset=utf-8').send(usageCsv(q.groupBy, usageReport(db, q), q.splitBy));
  });
};
