import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { sha256 } from '../config/snapshot.js';
import { ANONYMOUS, authenticate, presentedKey, stripGatewayKeys, type Principal } from '../engine/auth.js';
import { forbidden, unauthorized } from '../engine/errors.js';
import { matchRoute, type RouteMatch } from '../proxy/match-route.js';
import type { CompiledRoute } from '../proxy/types.js';
import type { Gateway } from './gateway.js';

/**
 * Who may call a route, declared per route group (docs/admin-api.md "Authentication"):
 * - `key`: a tollgate key (or the admin key, or a console session); anonymous on an open gateway;
 * - `admin`: the admin key only (403 for any other key; the admin API is off without one);
 * - `docs`: `/openapi.json` and `/docs`, like `key` unless `docs.public` (the default);
 * - `metrics`: `/metrics`, with `metrics.token` or the admin key unless `metrics.public`;
 * - `proxy`: the matched proxy route's `auth` (off: anonymous, tollgate keys stripped);
 * - `none`: no caller (health checks, the console's files and sign-in).
 */
export type AuthGroup = 'key' | 'admin' | 'docs' | 'metrics' | 'proxy' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthGroup;
  }
  interface FastifyInstance {
    /** The group of every route a plugin registers that declares none itself (see declareAuth). */
    authGroup?: AuthGroup;
  }
  interface FastifyRequest {
    /** The caller, set before the handler on every route whose group is not `none`. */
    principal: Principal;
    /** `proxy` routes: the route the request matched (found once, while authenticating). */
    proxyMatch: RouteMatch;
  }
}

/** Declares the group of all routes of a plugin scope (a route's own `config.auth` wins). */
export function declareAuth(scope: FastifyInstance, group: AuthGroup): void {
  scope.decorate('authGroup', group);
}

const OFF = 'The admin API is off: set TOLLGATE_ADMIN_KEY to enable it.';
const ADMIN_ONLY = 'The admin API needs the admin key (TOLLGATE_ADMIN_KEY); team keys may read their own usage at GET /v1/usage and their requests at GET /v1/requests.';
const METRICS_ONLY = '/metrics is readable with metrics.token or the admin key only.';

/** The one admin check (the admin API, `/metrics`): the admin key, presented as any key may be. */
async function asAdmin(headers: IncomingHttpHeaders, gw: Gateway, refusal: string): Promise<Principal> {
  const who = await authenticate(headers, gw.snapshot, gw.keys);
  if (who.kind !== 'admin') throw forbidden(refusal);
  return who;
}

/** A proxy route's caller: its key when the route requires auth, else anonymous with tollgate keys removed. Also for WebSocket upgrades. */
export async function proxyPrincipal(route: CompiledRoute, headers: IncomingHttpHeaders, gw: Gateway): Promise<Principal> {
  if (route.authRequired) return authenticate(headers, gw.snapshot, gw.keys);
  stripGatewayKeys(headers, gw.snapshot);
  return ANONYMOUS;
}

// One function per group, made once (no closure per request); the gateway is the route's server's.
async function keyHook(req: FastifyRequest): Promise<void> {
  const gw = req.server.gateway;
  req.principal = await authenticate(req.headers, gw.snapshot, gw.keys);
}

async function adminHook(req: FastifyRequest): Promise<void> {
  const gw = req.server.gateway;
  if (!gw.snapshot.adminKeyHash) throw forbidden(OFF);
  req.principal = await asAdmin(req.headers, gw, ADMIN_ONLY);
}

async function docsHook(req: FastifyRequest): Promise<void> {
  const gw = req.server.gateway;
  req.principal = gw.snapshot.docsPublic ? ANONYMOUS : await authenticate(req.headers, gw.snapshot, gw.keys);
}

async function metricsHook(req: FastifyRequest): Promise<void> {
  const gw = req.server.gateway;
  const snap = gw.snapshot;
  if (snap.metricsPublic) {
    req.principal = ANONYMOUS;
    return;
  }
  const key = presentedKey(req.headers);
  if (!key) throw unauthorized('/metrics needs a key: Authorization: Bearer <metrics.token or the admin key>.');
  if (snap.metricsTokenHash && sha256(key) === snap.metricsTokenHash) req.principal = ANONYMOUS;
  else req.principal = await asAdmin(req.headers, gw, METRICS_ONLY);
}

async function proxyHook(req: FastifyRequest): Promise<void> {
  const gw = req.server.gateway;
  const match = matchRoute(gw.snapshot.routes, req.method, req.raw.url ?? req.url, req.headers);
  req.proxyMatch = match;
  req.principal = await proxyPrincipal(match.route, req.raw.headers, gw);
}

/**
 * Each group's hook and when it runs: the admin API and the docs before the body is read (as
 * they always were); `/v1` calls after it is parsed, so a malformed body is answered as before.
 */
const HOOKS: Record<Exclude<AuthGroup, 'none'>, { fn: (req: FastifyRequest) => Promise<void>; phase: 'onRequest' | 'preHandler' }> = {
  key: { fn: keyHook, phase: 'preHandler' },
  admin: { fn: adminHook, phase: 'onRequest' },
  docs: { fn: docsHook, phase: 'onRequest' },
  metrics: { fn: metricsHook, phase: 'preHandler' },
  proxy: { fn: proxyHook, phase: 'preHandler' },
};

/**
 * Authentication, once: every route is given its group's hook as it is registered, and a route
 * with no group refuses to register (the gateway does not start). Routes of group `none` run no hook.
 */
export function authByRouteGroup(app: FastifyInstance): void {
  app.decorateRequest('principal', undefined as unknown as Principal);
  app.decorateRequest('proxyMatch', undefined as unknown as RouteMatch);
  app.addHook('onRoute', function (this: FastifyInstance, opts: RouteOptions) {
    const group = opts.config?.auth ?? this.authGroup;
    if (!group) throw new Error(`The route ${String(opts.method)} ${opts.url} declares no auth group (config: { auth } or declareAuth).`);
    opts.config = { ...opts.config, auth: group };
    if (group === 'none') return;
    const { fn, phase } = HOOKS[group];
    const own = opts[phase];
    opts[phase] = own === undefined ? fn : [fn, ...(Array.isArray(own) ? own : [own])];
  });
}
