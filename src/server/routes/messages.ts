import type { FastifyPluginAsync } from 'fastify';
import { toAnthropicError } from '../anthropic/errors.js';
import { anthropicMessagesSurface } from '../anthropic/surface.js';
import { registerErrorEnvelope } from '../errors.js';
import { handleChat } from './chat.js';

/** `POST /v1/messages`: the Anthropic Messages surface in front of every provider (SPEC §3). */
export const messagesRoutes: FastifyPluginAsync = async (app) => {
  registerErrorEnvelope('/v1/messages', (e) => toAnthropicError(e).body);
  app.post('/v1/messages', (req, reply) => handleChat(app.gateway, anthropicMessagesSurface, req, reply));
};
