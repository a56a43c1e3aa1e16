import type { FastifyPluginAsync } from 'fastify';
import { invalidRequest } from '../../engine/errors.js';
import { listAudit, parseAuditQuery } from '../../admin/audit.js';
import { ConfigError } from '../../config/validate.js';
import type { ReloadResult } from '../config-reload.js';
import { KeyCreate, TeamCreate, TeamUpdate } from '../../admin/api-schemas.js';
import type { AdminService } from '../../admin/service.js';
import { bodyCheck } from '../../admin/validate-body.js';
import { parseUsageQuery, usageCsv, usageReport } from '../../admin/usage-report.js';
import type { Store } from '../../storage/ports.js';
import { declareAuth } from '../auth-hook.js';

export interface AdminRouteOptions {
  service: AdminService;
  db: Store;
  /** Config reload (./config-reload.ts), audited as the admin. */
  reloadConfig: (actor: string) => ReloadResult;
}

/**
 * The admin API (docs/contract.md §4), behind `Authorization: Bearer $TOLLGATE_ADMIN_KEY`. Without an admin
 * key configured the API is off and says so; a team key is refused with 403.
 */
export const adminRoutes: FastifyPluginAsync<AdminRouteOptions> = async (app, { service, db, reloadConfig }) => {
  declareAuth(app, 'admin');
  // Admin changes at `info`: what and on which id — never a body (a new key is in its response).
  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || reply.statusCode >= 400) return;
    req.log.info({ admin: `${req.method} ${req.routeOptions.url}`, id: (req.params as { id?: string }).id ?? null, status: reply.statusCode }, 'admin action');
  });

  const checkTeamCreate = bodyCheck(TeamCreate);
  const checkTeamUpdate = bodyCheck(TeamUpdate);
  const checkKeyCreate = bodyCheck(KeyCreate);

  app.post('/admin/teams', async (req, reply) => {
    checkTeamCreate(req.body);
    return reply.code(201).send(await service.createTeam(req.body, 'admin'));
  });
  app.get('/admin/teams', async () => ({ data: await service.listTeams() }));
  app.get<{ Params: { id: string } }>('/admin/teams/:id', async (req) => service.getTeam(req.params.id));
  app.patch<{ Params: { id: string } }>('/admin/teams/:id', async (req) => {
    checkTeamUpdate(req.body);
    return service.updateTeam(req.params.id, req.body, 'admin');
  });

  app.post('/admin/keys', async (req, reply) => {
    checkKeyCreate(req.body);
    return reply.code(201).send(await service.createKey(req.body, 'admin'));
  });
  app.get<{ Querystring: { team_id?: string } }>('/admin/keys', async (req) => ({ data: await service.listKeys(req.query.team_id || undefined) }));
  app.delete<{ Params: { id: string } }>('/admin/keys/:id', async (req) => service.revokeKey(req.params.id, 'admin'));

  app.get('/admin/usage', async (req) => usageReport(db, parseUsageQuery(req.query as Record<string, unknown>)));
  app.get('/admin/usage.csv', async (req, reply) => {
    const q = parseUsageQuery(req.query as Record<string, unknown>);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="usage.csv"').send(usageCsv(q.groupBy, await usageReport(db, q), q.splitBy));
  });

  app.get('/admin/audit', async (req) => listAudit(db.audit, parseAuditQuery(req.query as Record<string, unknown>)));
  // An invalid config file is a 400 naming every problem; the running config stays.
  app.post('/admin/config/reload', async () => {
    try {
      return reloadConfig('admin');
    } catch (err) {
      if (err instanceof ConfigError) throw invalidRequest(`The config was not reloaded: ${err.problems.join('; ')}`, null, 'invalid_config');
      throw err;
    }
  });
};
