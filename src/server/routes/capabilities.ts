import type { FastifyPluginAsync } from 'fastify';
import { capabilitiesDocument } from '../../../providers/capabilities.js';
import { authenticate } from '../../engine/auth.js';

/**
 * `GET /v1/capabilities`: what happens to each request parameter per provider type — mapped,
 * passed or refused (providers/capabilities.ts). Static: serialised once at start-up.
 */
export const capabilitiesRoutes: FastifyPluginAsync = async (app) => {
  const body = JSON.stringify(capabilitiesDocument());
  app.get('/v1/capabilities', async (req, reply) => {
    await authenticate(req.headers, app.gateway.snapshot, app.gateway.keys);
    return reply.type('application/json').send(body);
  });
};
