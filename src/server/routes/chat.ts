import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../../engine/auth.js';
import { runChat, type ChatCall } from '../../engine/chat.js';
import { checkModelAllowed } from '../../engine/access.js';
import type { ChatSurface } from '../../engine/surface.js';
import type { Gateway } from '../gateway.js';
import { openAICompletionsSurface } from '../openai/completions-surface.js';
import { openAIChatSurface } from '../openai/surface.js';

/** `POST /v1/chat/completions` and the legacy `POST /v1/completions` (SPEC §3). */
export const chatRoutes: FastifyPluginAsync = async (app) => {
  app.post('/v1/chat/completions', (req, reply) => handleChat(app.gateway, openAIChatSurface, req, reply));
  app.post('/v1/completions', (req, reply) => handleChat(app.gateway, openAICompletionsSurface, req, reply));
};

/**
 * The HTTP edge of a chat call: authenticate and validate (errors go through fastify's error
 * handler), then hand the raw response to the engine, which streams or answers itself.
 */
export async function handleChat(
  gw: Gateway,
  surface: ChatSurface,
  req: FastifyRequest,
  reply: FastifyReply,
  extra: Partial<ChatCall> = {},
): Promise<void> {
  const snapshot = gw.snapshot;
  const principal = authenticate(req.headers, snapshot, gw.keys);
  surface.validate(req.body);
  const body = req.body as Record<string, any>;
  checkModelAllowed(principal, body.model);
  const ac = new AbortController();
  const res = reply.raw;
  res.on('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  reply.hijack();
  await runChat({
    requestId: req.id,
    startedAt: req.startedAt,
    principal,
    snapshot,
    surface,
    body,
    raw: req.rawBody ?? JSON.stringify(body),
    res,
    signal: ac.signal,
    sink: gw.sink,
    ...(gw.admission && { admission: gw.admission }),
    ...extra,
  });
}
