import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { listBudgets, ownTeam } from '../../admin/budgets.js';
import { listRecords, parseRecordsQuery, usageSummary } from '../../admin/usage-records.js';
import { parseUsageQuery } from '../../admin/usage-report.js';
import type { Store } from '../../storage/ports.js';
import { declareAuth } from '../auth-hook.js';
import { ownTeamScope } from './team-scope.js';

/**
 * What the console's pages read beyond teams, keys and usage reports — real API routes, usable
 * with keys as much as with a console session (docs/admin-api.md "Console reads"):
 * recent usage records (`/admin/usage/records`, `/v1/usage/records`), the Overview's summary
 * (`…/usage/summary`: errors, latency percentiles), budgets in their current period
 * (`/admin/budgets`) and a team key's own team (`/v1/team`). The `/v1` forms are scoped to the
 * caller's team exactly like `GET /v1/usage`: asking for another team is a 403.
 */
export const reportRoutes: FastifyPluginAsync<{ db: Store }> = async (app, { db }) => {
  declareAuth(app, 'key');
  const admin = { config: { auth: 'admin' as const } };
  /** The admin key reads any team; a team key its own (a team_id naming another is refused, not emptied). */
  const ownScope = <Q extends { teamId?: string }>(req: FastifyRequest, q: Q): Q => {
    const teamId = ownTeamScope(req, q.teamId, 'usage');
    return teamId === undefined ? q : { ...q, teamId };
  };
  const query = (req: { query: unknown }) => req.query as Record<string, unknown>;
  const summaryQuery = (q: Record<string, unknown>) => {
    const { groupBy: _g, splitBy: _s, ...rest } = parseUsageQuery({ ...q, group_by: undefined, split_by: undefined });
    return rest;
  };

  app.get('/admin/usage/records', admin, async (req) => listRecords(db, parseRecordsQuery(query(req))));
  app.get('/admin/usage/summary', admin, async (req) => usageSummary(db, summaryQuery(query(req))));
  app.get('/admin/budgets', admin, async () => ({ data: await listBudgets(db) }));

  app.get('/v1/usage/records', async (req) => listRecords(db, ownScope(req, parseRecordsQuery(query(req)))));
  app.get('/v1/usage/summary', async (req) => usageSummary(db, ownScope(req, summaryQuery(query(req)))));
  app.get('/v1/team', async (req) => ownTeam(db, req.principal));
};
