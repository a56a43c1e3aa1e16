import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import { listBudgets, ownTeam } from '../../admin/budgets.js';
import { listRecords, parseRecordsQuery, usageSummary } from '../../admin/usage-records.js';
import { parseUsageQuery } from '../../admin/usage-report.js';
import { authenticate, type Principal } from '../../engine/auth.js';
import { forbidden } from '../../engine/errors.js';
import type { Db } from '../../metering/storage/open.js';

/**
 * What the console's pages read beyond teams, keys and usage reports — real API routes, usable
 * with keys as much as with a console session (docs/admin-api.md "Console reads"):
 * recent usage records (`/admin/usage/records`, `/v1/usage/records`), the Overview's summary
 * (`…/usage/summary`: errors, latency percentiles), budgets in their current period
 * (`/admin/budgets`) and a team key's own team (`/v1/team`). The `/v1` forms are scoped to the
 * caller's team exactly like `GET /v1/usage`: asking for another team is a 403.
 */
export const reportRoutes: FastifyPluginAsync<{ db: Db }> = async (app, { db }) => {
  const who = (headers: IncomingHttpHeaders) => authenticate(headers, app.gateway.snapshot, app.gateway.keys);
  const admin = (headers: IncomingHttpHeaders) => {
    if (!app.gateway.snapshot.adminKeyHash) throw forbidden('The admin API is off: set TOLLGATE_ADMIN_KEY to enable it.');
    if (who(headers).kind !== 'admin') throw forbidden('The admin API needs the admin key (TOLLGATE_ADMIN_KEY); team keys read their own team under /v1.');
  };
  /** The admin key reads any team; a team key its own (a team_id naming another is refused, not emptied). */
  const ownScope = <Q extends { teamId?: string }>(p: Principal, q: Q): Q => {
    if (p.kind === 'admin') return q;
    if (p.kind !== 'team-key' || !p.teamId) throw forbidden('Usage is reported per team: use a team key (or the admin key).');
    if (q.teamId !== undefined && q.teamId !== p.teamId) throw forbidden("This key may only read its own team's usage.");
    return { ...q, teamId: p.teamId };
  };
  const query = (req: { query: unknown }) => req.query as Record<string, unknown>;
  const summaryQuery = (q: Record<string, unknown>) => {
    const { groupBy: _g, splitBy: _s, ...rest } = parseUsageQuery({ ...q, group_by: undefined, split_by: undefined });
    return rest;
  };

  app.get('/admin/usage/records', async (req) => {
    admin(req.headers);
    return listRecords(db, parseRecordsQuery(query(req)));
  });
  app.get('/admin/usage/summary', async (req) => {
    admin(req.headers);
    return usageSummary(db, summaryQuery(query(req)));
  });
  app.get('/admin/budgets', async (req) => {
    admin(req.headers);
    return { data: listBudgets(db) };
  });

  app.get('/v1/usage/records', async (req) => listRecords(db, ownScope(who(req.headers), parseRecordsQuery(query(req)))));
  app.get('/v1/usage/summary', async (req) => usageSummary(db, ownScope(who(req.headers), summaryQuery(query(req)))));
  app.get('/v1/team', async (req) => ownTeam(db, who(req.headers)));
};
