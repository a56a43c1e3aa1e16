import type { FastifyPluginAsync } from 'fastify';
import { declareAuth } from '../auth-hook.js';
import type { Metrics } from '../../metering/metrics.js';

/** Liveness, readiness and Prometheus metrics (docs/contract.md §1). */
export const healthRoutes: FastifyPluginAsync<{ metrics: Metrics; ready?: () => Promise<Record<string, string>> }> = async (app, opts) => {
  declareAuth(app, 'none');
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = opts.ready ? await opts.ready() : {};
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
  app.get('/metrics', { config: { auth: 'metrics' } }, async (_req, reply) => {
    return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
};
