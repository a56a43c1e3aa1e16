import { abortOnClientClose } from '../../engine/client-connection.js';
import { newRequestId } from '../request-id.js';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { presentedKey } from '../../engine/auth.js';
import { GatewayError } from '../../engine/errors.js';
import { memoryCacheStore, redisCacheStore, type CacheStore } from '../../proxy/cache-store.js';
import { closeRouteTable } from '../../proxy/compile-routes.js';
import { runProxy } from '../../proxy/forward.js';
import { startHealthChecks } from '../../proxy/health.js';
import { matchRoute } from '../../proxy/match-route.js';
import { proxyUpgrade, rejectUpgrade, socketResponse } from '../../proxy/websocket.js';
import { declareAuth, proxyPrincipal } from '../auth-hook.js';

/**
 * The REST proxy (docs/contract.md §6): one HTTP route per configured prefix; the handler matches against
 * the current snapshot's route table. Bodies are never parsed here: the payload stream is
 * handed to undici as it arrives (no body limit, no buffering), so 50 MB uploads stream
 * through with flat memory.
 */
export const proxyRoutes: FastifyPluginAsync = async (app) => {
  const table = app.gateway.snapshot.routes;
  if (!table.routes.length) return;
  // Each matched route's own `auth` (matched once, by the auth hook: req.proxyMatch).
  declareAuth(app, 'proxy');

  // Plugin-scoped: the app's JSON parser (which buffers into rawBody) does not apply here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));

  const cache: CacheStore = app.gateway.snapshot.redisUrl ? redisCacheStore(app.gateway.snapshot.redisUrl) : memoryCacheStore();
  const stopChecks = startHealthChecks(table);
  app.addHook('onClose', async () => {
    stopChecks();
    await cache.close();
    await closeRouteTable(table);
  });

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const gw = app.gateway;
    const snap = gw.snapshot;
    const match = req.proxyMatch;
    const principal = req.principal;
    const key = match.route.authRequired ? presentedKey(req.headers) : undefined;
    const res = reply.raw;
    const signal = abortOnClientClose(res);
    reply.hijack();
    await runProxy({
      requestId: req.id,
      startedAt: req.startedAt,
      principal,
      route: match.route,
      path: match.path,
      req: req.raw,
      res,
      signal,
      sink: gw.sink,
      ...(gw.admission && { admission: gw.admission }),
      cache,
      ...(key !== undefined && { key }),
      secrets: snap.secrets,
      trace: gw.tracing?.request({ snapshot: snap, headers: req.headers, startedAt: req.startedAt, requestId: req.id, http: { method: req.method, route: match.route.name } }),
    });
  };
  for (const prefix of table.prefixes) {
    app.all(prefix || '/', handler);
    app.all(`${prefix}/*`, handler);
  }

  // WebSocket upgrades never reach fastify's router: the HTTP server emits them on its own.
  app.server.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (String(req.headers.upgrade).toLowerCase() !== 'websocket') return void asOrdinaryRequest(app.server, req, socket, head);
    const startedAt = performance.now();
    const gw = app.gateway;
    socket.on('error', () => socket.destroy());
    void (async () => {
      const match = matchRoute(gw.snapshot.routes, req.method ?? 'GET', req.url ?? '', req.headers);
      // The same auth as the HTTP routes (upgrades bypass fastify's hooks).
      const principal = await proxyPrincipal(match.route, req.headers, gw);
      const key = match.route.authRequired ? presentedKey(req.headers) : undefined;
      void proxyUpgrade({
        requestId: newRequestId(),
        startedAt,
        principal,
        match,
        ...(key !== undefined && { key }),
        req,
        socket,
        head,
        sink: gw.sink,
        ...(gw.admission && { admission: gw.admission }),
      });
    })().catch((err: unknown) => {
      rejectUpgrade(req, socket, err instanceof GatewayError ? err : new GatewayError({ status: 500, type: 'api_error', code: 'internal_error', message: 'The gateway failed to handle this upgrade.' }));
    });
  });
};

/**
 * With an `upgrade` listener, Node hands *every* request carrying `Upgrade` to it — including
 * an optional `Upgrade: h2c` offer on an ordinary call. A server may ignore an upgrade offer
 * (RFC 9110 §7.8), so a body-less one is served as the plain HTTP/1.1 request it also is;
 * one with a body cannot be (Node's parser has let go of the socket) and is refused.
 */
function asOrdinaryRequest(server: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const cl = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined || (cl !== undefined && cl !== '0')) {
    return rejectUpgrade(req, socket, new GatewayError({ status: 400, type: 'invalid_request_error', code: 'upgrade_not_supported', message: `Upgrade to "${req.headers.upgrade}" is not supported with a request body.` }));
  }
  if (head.length) socket.unshift(head);
  server.emit('request', req, socketResponse(req, socket));
}
