import type { FastifyPluginAsync } from 'fastify';
import { authenticate } from '../../engine/auth.js';
import { abortOnClientClose } from '../../engine/client-connection.js';
import { runCountTokens } from '../../engine/count-tokens.js';
import { toAnthropicError } from '../anthropic/errors.js';
import { anthropicMessagesSurface } from '../anthropic/surface.js';
import { registerErrorEnvelope } from '../errors.js';
import { handleChat } from './chat.js';

/** `POST /v1/messages`: the Anthropic Messages surface in front of every provider (docs/contract.md §3). */
export const messagesRoutes: FastifyPluginAsync = async (app) => {
  registerErrorEnvelope('/v1/messages', (e) => toAnthropicError(e).body);
  app.post('/v1/messages', (req, reply) => handleChat(app.gateway, anthropicMessagesSurface, req, reply));

  /**
   * `POST /v1/messages/count_tokens` (the Anthropic SDK's `messages.countTokens`): the Messages
   * body without `max_tokens`, answered `{"input_tokens": N}` — by the provider's own counter
   * where it has one, else counted here and marked `x-tollgate-estimated: true`. Auth and a key's
   * allowed models apply; nothing is billed or recorded.
   */
  app.post('/v1/messages/count_tokens', async (req, reply) => {
    const gw = app.gateway;
    const snapshot = gw.snapshot;
    const principal = await authenticate(req.headers, snapshot, gw.keys);
    const sent = req.body;
    // Validated as a Messages request; max_tokens is not part of a count request, so a placeholder stands in.
    const body = sent !== null && typeof sent === 'object' && !Array.isArray(sent) ? { max_tokens: 1, ...(sent as Record<string, unknown>) } : sent;
    anthropicMessagesSurface.validate(body);
    const b = body as Record<string, any>;
    const r = await runCountTokens({
      snapshot,
      principal,
      surface: anthropicMessagesSurface,
      body: b,
      raw: req.rawBody ?? JSON.stringify(sent),
      signal: abortOnClientClose(reply.raw),
      dispatch: { routing: gw.routing },
    });
    return reply
      .headers({
        'x-request-id': req.id,
        'x-tollgate-provider': r.target.provider.config.name,
        'x-tollgate-model': r.target.model,
        'x-tollgate-attempts': String(r.attempts),
        ...(r.estimated && { 'x-tollgate-estimated': 'true' }),
      })
      .send({ input_tokens: r.inputTokens });
  });
};
