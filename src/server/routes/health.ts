import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { sha256 } from '../../config/snapshot.js';
import { authenticate } from '../../engine/auth.js';
import { forbidden, unauthorized } from '../../engine/errors.js';
import type { Metrics } from '../../metering/metrics.js';

/** Liveness, readiness and Prometheus metrics (docs/contract.md §1). */
export const healthRoutes: FastifyPluginAsync<{ metrics: Metrics; ready?: () => Promise<Record<string, string>> }> = async (app, opts) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = opts.ready ? await opts.ready() : {};
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
  app.get('/metrics', async (req, reply) => {
    await guardMetrics(req);
    return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });

  /** `metrics: { public: false }` (or a `token`): only `Bearer <metrics.token>` or the admin key may scrape. */
  async function guardMetrics(req: FastifyRequest): Promise<void> {
    const snap = app.gateway.snapshot;
    if (snap.metricsPublic) return;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (!bearer) throw unauthorized('/metrics needs a key: Authorization: Bearer <metrics.token or the admin key>.');
    if (snap.metricsTokenHash && sha256(bearer) === snap.metricsTokenHash) return;
    if ((await authenticate(req.headers, snap, app.gateway.keys)).kind !== 'admin') throw forbidden('/metrics is readable with metrics.token or the admin key only.');
  }
};
