import type { FastifyPluginAsync } from 'fastify';
import { capabilitiesDocument } from '../../../providers/capabilities.js';
import { declareAuth } from '../auth-hook.js';

/**
 * `GET /v1/capabilities`: what happens to each request parameter per provider type — mapped,
 * passed or refused (providers/capabilities.ts). Static: serialised once at start-up.
 */
export const capabilitiesRoutes: FastifyPluginAsync = async (app) => {
  declareAuth(app, 'key');
  const body = JSON.stringify(capabilitiesDocument());
  app.get('/v1/capabilities', async (_req, reply) => reply.type('application/json').send(body));
};
